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

Drafts that come from Brazilian Portuguese (the neural route's pt_BR made European
by `engines/variants.py`) carry Brazil's spelling where the two norms differ: a
circumflex before m or n where Portugal writes an acute ("econômico", "fenômeno",
"gênero") and a c that Brazil dropped and Portugal pronounces ("contato",
"fato" aside, which the variant step handles). The same rule decides: a word the
dictionary rejects is respelled only to a form it accepts ("econômico" →
"económico", "contatos" → "contactos"; "fêmea", which Portugal writes so too, is
known and stays). On the 57 European reference sentences of the essays: 2 words
respelled, chrF 73.17 → 73.25, no sentence worse.
"""

from __future__ import annotations

import re
from itertools import combinations

from translate.checks.dictionaries import Dictionary, dictionary
from translate.languages import normalize

_SILENT = re.compile(r"[cp](?=[cçt])", re.IGNORECASE)
_WORD = re.compile(r"\w*(?:[cpCP][cçtCÇT]|[êôÊÔ][mnMN]|[aeiouAEIOU]t)\w*")
_BRAZILIAN_ACCENT = re.compile(r"[êôÊÔ](?=[mnMN])")
_DROPPED_C = re.compile(r"(?<=[aeiouAEIOU])(?=t)")
SPELLING_VERSION = "2"
"""Bump when the respelling rules change (2: Brazilian forms too): stored drafts are finished again."""

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

    def known(candidate: str) -> bool:
        return words.knows(candidate) or (word[:1].isupper() and words.knows(candidate.lower()))

    spots = [m.start() for m in _SILENT.finditer(word)]
    for size in range(1, len(spots) + 1):
        for chosen in combinations(spots, size):
            candidate = "".join(ch for i, ch in enumerate(word) if i not in chosen)
            if known(candidate):
                return candidate
    acute = _BRAZILIAN_ACCENT.sub(lambda m: {"ê": "é", "ô": "ó", "Ê": "É", "Ô": "Ó"}[m.group()], word)
    if acute != word and known(acute):
        return acute
    for spot in _DROPPED_C.finditer(word):
        candidate = word[: spot.start()] + "c" + word[spot.start() :]
        if known(candidate):
            return candidate
    return word
