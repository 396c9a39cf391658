"""The base of every quality check: what a check sees (`Unit`), what it says (`Signal`).

A check is a small class with an `id`, a `name`, a `description`, a `weight`
and one method, `check(unit)`, that returns its `Signal` or None. Signals
carry the words involved, so a reviewer sees "unknown words: exploitative,
panopticon" rather than a bare score; their weights add up to the sentence's
score (`Notes.score`), which orders the review queue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from translate.engines.base import EngineMark
from translate.glossary.matching import matcher
from translate.glossary.model import Glossary
from translate.memory.notes import GlossaryViolation, Signal

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
"""A word as the checks read it: letters, with inner apostrophes and hyphens (l'usine, plus-value)."""
LETTERS = re.compile(r"[^\W\d_]+")


@dataclass
class Unit:
    """One machine-translated sentence, with everything a check may look at."""

    source: str
    target: str
    source_lang: str
    target_lang: str
    route: tuple[str, ...] = ()  # the languages passed through: ('en', 'es', 'fr')
    marks: tuple[EngineMark, ...] = ()  # the engine's own doubts, per hop
    violations: tuple[GlossaryViolation, ...] = ()  # the glossary check's verdict
    glossary: Glossary | None = None
    found: list[Signal] = field(default_factory=list)  # signals of the checks run before this one

    @property
    def pivots(self) -> tuple[str, ...]:
        return self.route[1:-1]

    @cached_property
    def source_words(self) -> set[str]:
        """Every letter run of the source, lower-cased (an unknown word is copied from it)."""
        return {w.lower() for w in LETTERS.findall(self.source)}

    @cached_property
    def target_words(self) -> list[str]:
        """The translation's words in order (letters, inner apostrophes and hyphens)."""
        return WORD.findall(self.target)

    @cached_property
    def output_words(self) -> set[str]:
        """Every letter run of the translation, lower-cased: what a mark's word must be among to be in the text."""
        return {w.lower() for w in LETTERS.findall(self.target)}

    def in_output(self, word: str) -> bool:
        """Whether a word is in the translation as a word: not inside another ("XT", the letters of a glossary
        placeholder the engine marked, is in "extremamente") and not only in a pivot ("muro", a Spanish word the
        en>es hop could not generate, is not in the French)."""
        parts = [p.lower() for p in LETTERS.findall(word)]
        return bool(parts) and all(p in self.output_words for p in parts)

    @cached_property
    def glossary_words(self) -> set[str]:
        """Lower-cased letter runs of every glossary rendering the sentence's terms may take
        in the target language (pinned terms, variants, names kept as written)."""
        if self.glossary is None:
            return set()
        words: set[str] = set()
        for match in matcher(self.glossary, self.source_lang).find(self.source):
            terms = match.concept.terms(self.target_lang) or (match.text,)
            for term in terms:
                words |= {w.lower() for w in LETTERS.findall(term)}
        return words

    def reported_words(self) -> set[str]:
        """Words some earlier check already named (lower-cased), so no word is reported twice."""
        return {w.lower() for s in self.found for w in s.words}


class Check:
    """One quality check. Subclasses set the class attributes and implement `check`."""

    id: str = ""
    name: str = ""  # the short reason a reviewer reads
    description: str = ""  # what it finds and why it matters
    weight: float = 1.0  # added to the score per word (or once), up to `cap`
    cap: float = 3.0

    def check(self, unit: Unit) -> Signal | None:
        raise NotImplementedError

    def signal(self, words: list[str] | tuple[str, ...] = (), hop: str = "", weight: float | None = None) -> Signal:
        """This check's Signal for some words: weight per distinct word, capped."""
        distinct = tuple(dict.fromkeys(words))
        if weight is None:
            weight = min(self.cap, self.weight * max(1, len(distinct)))
        return Signal(self.id, self.name, distinct, float(weight), hop)


__all__ = ["LETTERS", "WORD", "Check", "Signal", "Unit"]
