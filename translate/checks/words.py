"""Checks on the translation's words against dictionaries: what no reader of the language would write.

- source words: words of the source copied into the output that the target
  language does not have (every engine: Argos copies too, and Apertium's marks
  do not cover words it wrongly believes it knows, like "the" in Croatian);
- pivot words: words of the pivot language a pivot route left ("trucaje",
  "amueblan" in French from Spanish, "socializaram" in Spanish from a neural
  hop's Portuguese): the later hop's unknown-word marks that the target's
  dictionary does not know (Apertium's pt→es marks "cinismo" and "sabotar",
  Spanish words too: on the essays' neural-first Spanish, 53 words signalled
  before, 2 in 3 of them Spanish), words only the pivot's dictionary knows,
  and abbreviations written the pivot's way ("EE.UU." in French and Italian);
- glued and misspelled words: words the target dictionary rejects;
- leaked tags: Apertium's analysis tags in running text ("prpers").

Without a hunspell dictionary for the target language the dictionary-based
checks say nothing (`translate languages` shows which languages have one).
"""

from __future__ import annotations

import re

from translate.checks.base import LETTERS, Check, Signal, Unit
from translate.checks.dictionaries import dictionary, sibling_dictionaries
from translate.languages import DOUBLED_ABBREVIATIONS, UNSPACED_LANGUAGES, base_language

MIN_WORD = 3
"""Shorter words are not judged: elisions, articles and abbreviations differ too much between dictionaries."""

APERTIUM_TAGS = frozenset(
    {
        "prpers",
        "vblex",
        "vbser",
        "vbhaver",
        "vbmod",
        "vaux",
        "cnjcoo",
        "cnjsub",
        "cnjadv",
        "preadv",
        "predet",
        "lquest",
        "pprs",
        "detnt",
    }
)
"""Apertium's part-of-speech tags that are no word of any language here (not 'pro', 'pri': Esperanto words)."""

COMPOUNDING = frozenset({"eo", "de", "nl", "sv", "da", "nb", "nn", "fi", "hu", "et"})
"""Languages that write compounds as one word: two known words glued are normal there."""

GLUED_HEAD = 4
"""A glued word starts with a short word the engine failed to separate (la, el, nos, lor...)."""
_TAG_BRACKETS = re.compile(r"<[a-z][a-z0-9_]{0,9}>")
_DOUBLED_ABBREVIATION = re.compile(r"(?<![\w.])(?:([A-Z])\1\.\s?)+([A-Z])\2\.?(?!\w)")
"""A plural abbreviation of doubled letters: EE.UU., EE. UU., FF.AA."""


def _candidates(unit: Unit) -> list[str]:
    """The output's words worth judging: long enough, not a glossary rendering, not named before."""
    skip = unit.glossary_words | unit.reported_words()
    return [
        w
        for w in unit.target_words
        if len(w) >= MIN_WORD and w.lower() not in skip and not all(p.lower() in skip for p in LETTERS.findall(w))
    ]


def is_name(word: str, unit: Unit) -> bool:
    """Capitalised in the source too, not at its start: a name kept as written (Debord, GameStop)."""
    return bool(re.search(rf"(?<=[^\s.!?¿¡«“\"(])\s+{re.escape(word)}\b", unit.source)) and word[:1].isupper()


class SourceWords(Check):
    id = "source-words"
    name = "untranslated source words"
    description = "Words of the source language left in the translation, which the target language does not have."
    weight = 1.0
    cap = 3.0

    def check(self, unit: Unit) -> Signal | None:
        target = dictionary(unit.target_lang)
        different_script = unit.source_lang in UNSPACED_LANGUAGES or unit.target_lang in UNSPACED_LANGUAGES
        if target is None and not different_script:
            return None
        words = []
        for word in _candidates(unit):
            parts = [p.lower() for p in LETTERS.findall(word)]
            if not all(p in unit.source_words for p in parts) or is_name(word, unit):
                continue
            if target is None or not (target.knows(word) or any(d.knows(word) for d in sibling_dictionaries(unit.target_lang))):
                words.append(word)
        if different_script:  # Chinese characters left in an English output, or the reverse
            words += [w for w in LETTERS.findall(unit.target) if w.lower() in unit.source_words and w not in words]
        return self.signal(words) if words else None


class PivotWords(Check):
    id = "pivot-words"
    name = "pivot-language words"
    description = "Words of the intermediate language a pivot route left in the translation."
    weight = 1.0
    cap = 3.0

    def check(self, unit: Unit) -> Signal | None:
        if not unit.pivots:
            return None
        later_hops = {f"{a}>{b}" for a, b in zip(unit.route[1:], unit.route[2:])}
        skip = unit.reported_words() | unit.glossary_words
        target = dictionary(unit.target_lang)
        words = [
            m.word
            for m in unit.marks
            if m.kind == "unknown"
            and m.hop in later_hops
            and m.word.lower() not in unit.source_words
            and m.word.lower() not in skip
            and m.word.lower()
            in {w.lower() for w in unit.target_words}  # a word of the text, not inside one ("XT" in "contexto")
            and not (target is not None and target.knows(m.word))  # Portuguese "cinismo" is Spanish too
        ]
        pivot_dicts = [d for d in (dictionary(p) for p in unit.pivots) if d is not None]
        if target is not None and pivot_dicts:
            for word in _candidates(unit):
                if word in words or word.lower() in unit.source_words or is_name(word, unit):
                    continue
                if not target.knows(word) and any(d.knows(word) for d in pivot_dicts):
                    words.append(word)
        words += [a for a in pivot_abbreviations(unit) if a not in words]
        hop = ">".join(unit.pivots)
        return self.signal(words, hop=hop) if words else None


def pivot_abbreviations(unit: Unit) -> list[str]:
    """Abbreviations written as a pivot writes them and the target does not: Spanish "EE.UU." passed through
    the es>fr and es>it hops as it is (Apertium's fr-es pair translates it to itself; no dictionary of
    either language lists it, and the letters are too short for the word checks)."""
    if base_language(unit.target_lang) in DOUBLED_ABBREVIATIONS or not any(
        base_language(p) in DOUBLED_ABBREVIATIONS for p in unit.pivots
    ):
        return []
    found = (m.group().strip() for m in _DOUBLED_ABBREVIATION.finditer(unit.target))
    return list(dict.fromkeys(a for a in found if a not in unit.source))


class GluedWords(Check):
    id = "glued-words"
    name = "glued words"
    description = "Two words written as one ('Laesperoj'), which the target dictionary knows apart."
    weight = 1.0
    cap = 2.0

    def check(self, unit: Unit) -> Signal | None:
        target = dictionary(unit.target_lang)
        if target is None or unit.target_lang in COMPOUNDING:
            return None
        words = [w for w in _candidates(unit) if "-" not in w and not target.knows(w) and _splits(w, target)]
        return self.signal(words) if words else None


def _splits(word: str, target) -> bool:
    return any(target.knows(word[:i]) and target.knows(word[i:]) for i in range(2, min(GLUED_HEAD, len(word) - 3) + 1))


class Misspellings(Check):
    id = "spelling"
    name = "words not in the dictionary"
    description = "Words the target language's dictionary does not know (misspelled, invented or badly inflected)."
    weight = 0.5
    cap = 2.0

    def check(self, unit: Unit) -> Signal | None:
        target = dictionary(unit.target_lang)
        if target is None:
            return None
        words = [
            w for w in _candidates(unit) if not target.knows(w) and not is_name(w, unit) and w.lower() not in unit.source_words
        ]
        return self.signal(words) if words else None


class LeakedTags(Check):
    id = "leaked-tags"
    name = "engine tags in the text"
    description = "Apertium analysis tags (prpers, <vblex>) that reached the running text."
    weight = 3.0
    cap = 3.0

    def check(self, unit: Unit) -> Signal | None:
        words = [w for w in unit.target_words if w.lower() in APERTIUM_TAGS and w.lower() not in unit.source_words]
        words += [t for t in _TAG_BRACKETS.findall(unit.target) if t not in unit.source]
        return self.signal(words, weight=self.weight) if words else None


CHECKS = [SourceWords, PivotWords, GluedWords, Misspellings, LeakedTags]
