"""Finding glossary terms in a text: one regex per language, longest term first.

Spaces and hyphens are interchangeable inside a term, either apostrophe
matches, alphabetic ends need word boundaries and CJK ends do not. A Matcher
remembers what it found per sentence, since a run asks about each sentence
once per language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translate.glossary.model import Concept, Glossary

_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_SEPARATOR = r"[\s\u00a0\u2010\u2011-]+"
_APOSTROPHE = "['\u2019]"


def term_pattern(term: str) -> str:
    """A regex for a term: spaces and hyphens interchangeable, either apostrophe,
    word boundaries on alphabetic ends and none next to CJK characters."""
    words = re.split(r"[\s\u00a0\u2010\u2011-]+", term.strip())
    parts = [re.escape(word).replace("'", _APOSTROPHE).replace("\u2019", _APOSTROPHE) for word in words]
    body = _SEPARATOR.join(parts)
    left = "" if _CJK.match(term) else r"(?<![\w])"
    right = "" if _CJK.match(term[-1]) else r"(?![\w])"
    return left + body + right


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
        pairs = [
            (term, concept, termset.match)
            for concept in glossary.concepts
            if (termset := concept.languages.get(language))
            for term in termset.terms
        ]
        pairs.sort(key=lambda p: -len(p[0]))
        self.concepts = [concept for _, concept, _ in pairs]
        self.reported = [matchable for _, _, matchable in pairs]
        alternatives = [
            f"({term_pattern(term)})" if _needs_case(term, concept) else f"((?i:{term_pattern(term)}))"
            for term, concept, _ in pairs
        ]
        self.regex = re.compile("|".join(alternatives)) if alternatives else None
        self._found: dict[str, tuple[TermMatch, ...]] = {}

    def find(self, text: str) -> list[TermMatch]:
        """Matches in text; remembered, since a run asks about each sentence once per language."""
        if self.regex is None:
            return []
        if text not in self._found:
            self._found[text] = tuple(
                TermMatch(self.concepts[m.lastindex - 1], m.start(), m.end(), m.group())
                for m in self.regex.finditer(text)
                if self.reported[m.lastindex - 1]
            )
        return list(self._found[text])


_MATCHERS: dict[tuple[str, str], Matcher] = {}


def matcher(glossary: Glossary, language: str) -> Matcher:
    """A cached Matcher per glossary version and language."""
    key = (glossary.version, language)
    if key not in _MATCHERS:
        _MATCHERS[key] = Matcher(glossary, language)
    return _MATCHERS[key]
