"""The glossary: terms of art pinned through machine translation.

model.py (concepts, terms, validation), files.py (TOML), tbx.py (TBX),
matching.py (finding terms), lint.py (check and coverage), pinning.py
(placeholders through an engine), compliance.py (is every term rendered?).
"""
