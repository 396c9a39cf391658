"""Checks on what a translation must carry over unchanged: placeholders, markup, numbers, length.

A glossary placeholder (`XT1`) must never reach a reader; note markers (`[4]`),
Markdown emphasis, links and numbers must survive as in the source; and a
translation far shorter or longer than its source has usually lost or
repeated a part.
"""

from __future__ import annotations

import re
from collections import Counter

from translate.checks.base import Check, Signal, Unit
from translate.glossary.pinning import KNOWN_SHAPES
from translate.languages import UNSPACED_LANGUAGES

_NOTE = re.compile(r"\[\d+\]")
_LINK = re.compile(r"https?://\S+|www\.\S+")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_EMPHASIS = re.compile(r"\*+|_{2,}")


class Placeholders(Check):
    id = "placeholder"
    name = "glossary placeholder left"
    description = "A placeholder the glossary pinning put in (XT1, #1...) is still in the translation."
    weight = 4.0

    def check(self, unit: Unit) -> Signal | None:
        words = [
            m.group()
            for shape in KNOWN_SHAPES
            for m in shape.pattern().finditer(unit.target)
            if not shape.pattern().search(unit.source)
        ]
        return self.signal(words, weight=self.weight) if words else None


class Markup(Check):
    id = "markup"
    name = "markup or numbers changed"
    description = "Note markers, emphasis, links or numbers differ between source and translation."
    weight = 2.0

    def check(self, unit: Unit) -> Signal | None:
        changed: list[str] = []
        for pattern in (_NOTE, _LINK, _NUMBER, _EMPHASIS):
            source, target = Counter(pattern.findall(unit.source)), Counter(pattern.findall(unit.target))
            changed += sorted((source - target).elements()) + sorted((target - source).elements())
        return self.signal(changed, weight=self.weight) if changed else None


class LengthRatio(Check):
    id = "length"
    name = "suspicious length"
    description = "The translation is far shorter or longer than its source: a part lost, or repeated."
    weight = 2.0
    bounds = (0.5, 2.0)  # characters of translation per character of source, between spaced scripts
    unspaced_bounds = (0.15, 8.0)  # when one side is Chinese or Japanese
    min_chars = 20

    def check(self, unit: Unit) -> Signal | None:
        if len(unit.source.strip()) < self.min_chars:
            return None
        ratio = len(unit.target.strip()) / len(unit.source.strip())
        unspaced = unit.source_lang in UNSPACED_LANGUAGES or unit.target_lang in UNSPACED_LANGUAGES
        low, high = self.unspaced_bounds if unspaced else self.bounds
        if low <= ratio <= high:
            return None
        return self.signal([f"{ratio:.2f}× the source"], weight=self.weight)


CHECKS = [Placeholders, Markup, LengthRatio]
