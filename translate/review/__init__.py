"""Human review: PO files out to volunteers, their decisions back into the memory.

po_file.py (reading, writing, entry names), po_export.py (the PO of a text in
a language), decisions.py (what a reviewer did), po_import.py (recording it),
status.py (how much is reviewed, post-edit effort), evaluate.py (BLEU, chrF,
TER of any translation against a reference).
"""
