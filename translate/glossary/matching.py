"""Finding glossary terms in a text: one Aho–Corasick automaton per language, longest term first.

Spaces and hyphens are interchangeable inside a term, either apostrophe
matches, case is ignored (except for acronyms and brand spellings), alphabetic
ends need word boundaries and CJK ends do not.

Why an automaton: the first version compiled every term of a language into one
regex of 200+ alternations with look-arounds. It cost about 1.1 ms a sentence
and grew with the glossary (4.4 s of a 15 s one-sentence edit on a 12-text
corpus). pyahocorasick scans a sentence once for every term at the same time,
in C; the text is folded first (lower case, one kind of apostrophe, every
separator a space: `str.lower` and `str.translate`, both keep positions), and
only the few candidates it reports are checked for word boundaries and case.
Measured on the essays' 230 sentences (84 concepts, 18 languages): about 20 µs
a sentence against 1.1 ms, the same matches (tests/test_glossary_matching.py
keeps the old regex as the oracle).

The selection is the regex's: scanning left to right, at each position the
longest term (the first in glossary order among equals) that matches wins, and
scanning goes on after it. A Matcher remembers what it found per sentence,
since a run asks about each sentence once per language.

`TermFinder` is the same machinery for any list of terms, e.g. the target
terms a compliance check looks for in a translation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

from translate.glossary.model import Concept, Glossary

_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_SEPARATORS = "\u00a0\u2010\u2011-" + "".join(chr(c) for c in range(0x3000 + 1) if chr(c).isspace())
_SEPARATOR_RUN = re.compile(f"[{re.escape(_SEPARATORS)}]+")
# One character in, one character out: positions in the folded text are positions in the original.
_FOLD = str.maketrans({**dict.fromkeys(map(ord, _SEPARATORS), " "), ord("\u2019"): "'"})

T = TypeVar("T")


def fold(text: str) -> tuple[str, list[int] | None]:
    """The text as the automaton reads it, and where each folded character came from.

    Lower case, ’ as ', every separator a space. The map is None when folding kept
    every position (nearly always); otherwise (doubled separators, a character
    whose lower case is longer) it gives, per folded character, its original
    index, plus one entry for the end.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        folded = lowered.translate(_FOLD)
        if "  " not in folded:
            return folded, None
    chars: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        low = char.lower()
        low = (low if len(low) == 1 else char).translate(_FOLD)
        if low == " " and chars and chars[-1] == " ":
            continue
        chars.append(low)
        where.append(index)
    where.append(len(text))
    return "".join(chars), where


def fold_term(term: str) -> str:
    """A term as the automaton stores it: stripped, separators one space, lower case, one apostrophe."""
    return _SEPARATOR_RUN.sub(" ", term.strip()).lower().replace("\u2019", "'")


def _same_spelling(found: str, term: str) -> bool:
    """Case-sensitive comparison, separators and apostrophes still interchangeable."""

    def spelling(text: str) -> str:
        return _SEPARATOR_RUN.sub(" ", text.strip()).replace("\u2019", "'")

    return spelling(found) == spelling(term)


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


@dataclass(frozen=True)
class _Pattern(Generic[T]):
    term: str
    payload: T
    priority: int  # lower wins among matches starting at the same place
    case_sensitive: bool
    left_boundary: bool
    right_boundary: bool


class TermFinder(Generic[T]):
    """Finds terms in texts with one automaton: longest first, non-overlapping, left to right.

    `terms` are (term, payload, case_sensitive) triples; a match hands back the
    payload with its span in the original text.
    """

    def __init__(self, terms: Iterable[tuple[str, T, bool]]) -> None:
        ordered = sorted(
            ((term, payload, case) for term, payload, case in terms if term.strip()),
            key=lambda item: -len(item[0]),
        )
        self.patterns: list[_Pattern[T]] = []
        by_key: dict[str, list[int]] = {}
        for priority, (term, payload, case) in enumerate(ordered):
            stripped = term.strip()
            self.patterns.append(
                _Pattern(
                    term=stripped,
                    payload=payload,
                    priority=priority,
                    case_sensitive=case,
                    left_boundary=not _CJK.match(stripped),
                    right_boundary=not _CJK.match(stripped[-1]),
                )
            )
            by_key.setdefault(fold_term(stripped), []).append(priority)
        self._automaton: ahocorasick.Automaton | None = None
        if by_key:
            automaton = ahocorasick.Automaton()
            for key, priorities in by_key.items():
                automaton.add_word(key, (len(key), tuple(priorities)))
            automaton.make_automaton()
            self._automaton = automaton

    def find(self, text: str) -> list[tuple[_Pattern[T], int, int]]:
        """(pattern, start, end) of every match in `text`, as the old alternation regex chose them."""
        if self._automaton is None or not text:
            return []
        folded, where = fold(text)
        candidates: list[tuple[int, int, int]] = []  # (start, priority, end) in the original text
        for last, (length, priorities) in self._automaton.iter(folded):
            first = last - length + 1
            start, end = (first, last + 1) if where is None else (where[first], where[last] + 1)
            for priority in priorities:
                if self._accepts(self.patterns[priority], text, start, end):
                    candidates.append((start, priority, end))
        candidates.sort()
        chosen: list[tuple[_Pattern[T], int, int]] = []
        position = 0
        for start, priority, end in candidates:
            if start >= position:
                chosen.append((self.patterns[priority], start, end))
                position = end
        return chosen

    @staticmethod
    def _accepts(pattern: _Pattern[T], text: str, start: int, end: int) -> bool:
        if pattern.left_boundary and start > 0 and _word_char(text[start - 1]):
            return False
        if pattern.right_boundary and end < len(text) and _word_char(text[end]):
            return False
        return not pattern.case_sensitive or _same_spelling(text[start:end], pattern.term)


def _needs_case(term: str, concept: Concept) -> bool:
    """Match case-sensitively for acronyms and brand spellings (BBC, uBlock, GameStop)."""
    return concept.case_sensitive or any(c.isupper() for c in term[1:])


@dataclass(frozen=True)
class TermMatch:
    concept: Concept
    start: int
    end: int
    text: str


class Matcher:
    """Finds glossary terms of one language in text: longest match first.

    Terms marked `match = false` are still looked for, so that they hold their
    span (资本主义 is not read as 资本 + 主义), but they are not reported.
    """

    def __init__(self, glossary: Glossary, language: str) -> None:
        self.finder: TermFinder[tuple[Concept, bool]] = TermFinder(
            (term, (concept, termset.match), _needs_case(term, concept))
            for concept in glossary.concepts
            if (termset := concept.languages.get(language))
            for term in termset.terms
        )
        self._found: dict[str, tuple[TermMatch, ...]] = {}

    def find(self, text: str) -> list[TermMatch]:
        """Matches in text; remembered, since a run asks about each sentence once per language."""
        found = self._found.get(text)
        if found is None:
            found = self._found[text] = tuple(
                TermMatch(pattern.payload[0], start, end, text[start:end])
                for pattern, start, end in self.finder.find(text)
                if pattern.payload[1]
            )
        return list(found)


_MATCHERS: dict[tuple[str, str], Matcher] = {}


def matcher(glossary: Glossary, language: str) -> Matcher:
    """A cached Matcher per glossary version and language."""
    key = (glossary.version, language)
    if key not in _MATCHERS:
        _MATCHERS[key] = Matcher(glossary, language)
    return _MATCHERS[key]


_TARGET_FINDERS: dict[tuple[str, ...], TermFinder[str]] = {}


def find_terms(text: str, terms: Sequence[str]) -> list[tuple[str, int, int]]:
    """(term, start, end) for each occurrence of any of `terms` in a translation.

    Case-insensitive, separators and apostrophes interchangeable, word
    boundaries on alphabetic ends, longest term first, every occurrence. The
    automaton for a list of terms is built once and kept: a compliance check
    asks about the same few terms for thousands of sentences.
    """
    key = tuple(terms)
    finder = _TARGET_FINDERS.get(key)
    if finder is None:
        finder = _TARGET_FINDERS[key] = TermFinder((term, term, False) for term in key)
    return [(pattern.payload, start, end) for pattern, start, end in finder.find(text)]
