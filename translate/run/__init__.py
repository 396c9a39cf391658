"""The run stage: plan against the memory, translate what changed, store it.

pipeline.py (run, LanguageRun, translate_text), signature.py (what produced a
translation), text_in_language.py (one text in one language, as the
stages after the run read it), lock.py (one run at a time), report.py (what a run did).
"""
