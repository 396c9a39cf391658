"""Portuguese drafts in the spelling of the 1990 Orthographic Agreement.

The project's Portuguese is European Portuguese as spelled since the 1990
Agreement took force in Portugal (glossary header, bench/references/pt.tsv).
Apertium's Spanish→Portuguese pair writes the older European spelling:
"acção", "tracção", "actividade", "objectivo", "espectáculo". The Agreement
dropped the consonant that is not pronounced (c or p before c, ç or t), and
kept the ones that are ("facto", "contacto", "pacto"), which no rule can tell
apart: Debian's hunspell pt_PT dictionary (the Agreement's spelling) does. A
word is respelled only when the dictionary rejects it and accepts it without
the silent consonant; so "facto" stays (the dictionary knows it, and "fato"
is another word). Measured on the essays' drafts: 19 words respelled, none
wrongly (tests/test_finish.py). Without the dictionary nothing changes, and
`finish_version` says so, so a run on a machine that later gets it respells.
"""

from __future__ import annotations

import re
from itertools import combinations

from translate.checks.dictionaries import Dictionary, dictionary
from translate.languages import normalize

_SILENT = re.compile(r"[cp](?=[cçt])", re.IGNORECASE)
_WORD = re.compile(r"\w*[cpCP][cçtCÇT]\w*")

AGREEMENT_LANGUAGES = {"pt", "pt_PT"}
"""Language codes whose drafts get the Agreement's spelling (Brazil's own norm differs; not done here)."""


def agreement_dictionary(language: str) -> Dictionary | None:
    return dictionary("pt") if normalize(language) in AGREEMENT_LANGUAGES else None


def respell(text: str, language: str) -> str:
    """Every pre-Agreement word of a Portuguese text in the Agreement's spelling."""
    found = agreement_dictionary(language)
    if found is None:
        return text
    return _WORD.sub(lambda m: _agreement_form(m.group(), found), text)


def _agreement_form(word: str, words: Dictionary) -> str:
    if words.knows(word) or words.knows(word.lower()):
        return word
    spots = [m.start() for m in _SILENT.finditer(word)]
    for size in range(1, len(spots) + 1):
        for chosen in combinations(spots, size):
            candidate = "".join(ch for i, ch in enumerate(word) if i not in chosen)
            if words.knows(candidate) or (word[:1].isupper() and words.knows(candidate.lower())):
                return candidate
    return word
