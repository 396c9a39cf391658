"""The glossary: terms of art pinned through machine translation.

model.py (concepts, terms, validation), files.py (TOML), tbx.py (TBX),
matching.py (finding terms), lint.py (check and coverage), pinning.py
(placeholders through an engine), compliance.py (is every term rendered?).
"""

PINNING_VERSION = "7"
"""Raised when the glossary layer (or the quotations travelling with their words, which run with it)
changes what it writes or reports for the same engine output and glossary (2: determiners agree with
the engine's own rendering of a noun; 3: a quotation around words of its own translation is not
reported; 4: the terms in the engine's own dictionaries, the glossary's casing, the engine's sentence kept
where pinning would break it; 5: a term a later hop of a pivot route left in the pivot's words is swapped
for the target's, and an engine may name its placeholders and attempts; 6: formatting around exactly one
term reaches Apertium as two superblanks, so the term is pinned inside it; 7: a pinned noun's disagreement with
a word the engine's own noun disagreed with too is the engine's, so do-no-harm keeps 'La plusvalía es producido'
over the raw 'El más-valía es producido'); part of every signature, so a
run translates the stored drafts again."""
