"""Checks on the engine's own doubts: the words Apertium marks before its output is tidied.

Apertium writes `*word` for a word it does not know (copied as written), `#word`
for one it could not generate and `@word` for one it could not transfer. They
are read per hop (engines/apertium.py), so a pivot route tells English words
the first hop left (en>es) from Spanish words the second hop left (es>fr).
Measured on the essays: 62 of 114 Spanish sentences hold an unknown word, 14
of them three or more; the Croatian output has 1,331 `#` and 1,032 `@` marks
over all 114 sentences.

A mark names its word only where the word is in the final text: a pivot route's
first hop marks words of the pivot ("muro", "personaje", "casualidad": Spanish
words the en>es hop could not generate, which the es>fr hop then translated),
and a glossary placeholder's letters are marked where the engine split it
("XT" of XT1, whose term is back in the text by the time a reviewer reads it).
Both were shown as reasons naming words the reader's text does not hold.
"""

from __future__ import annotations

import re

from translate.checks.base import Check, Signal, Unit


def _capitalised_inside(word: str, source: str) -> bool:
    """A name the source writes with a capital inside a sentence (Debord, Ishay): right to copy as written."""
    return word[:1].isupper() and bool(re.search(rf"[\w,;:’'\-]\s+{re.escape(word)}\b", source))


class UnknownWords(Check):
    id = "unknown-words"
    name = "unknown words"
    description = "Source words the engine did not know and copied as written (Apertium's * marks, first hop)."
    weight = 1.0
    cap = 3.0

    def check(self, unit: Unit) -> Signal | None:
        first = f"{unit.route[0]}>{unit.route[1]}" if len(unit.route) > 1 else ""
        words = [
            m.word
            for m in unit.marks
            if m.kind == "unknown"
            and m.hop == first
            and unit.in_output(m.word)
            and m.word.lower() not in unit.glossary_words
            and not _capitalised_inside(m.word, unit.source)
        ]
        return self.signal(words) if words else None


class EngineErrors(Check):
    id = "engine-errors"
    name = "engine errors"
    description = "Words the engine could not generate (#) or transfer (@): broken grammar, raw lemmas."
    weight = 1.0
    cap = 4.0

    def check(self, unit: Unit) -> Signal | None:
        marks = [m for m in unit.marks if m.kind in ("generation", "transfer") and unit.in_output(m.word)]
        if not marks:
            return None
        words = [m.word for m in marks]
        hops = sorted({m.hop for m in marks})
        return self.signal(words, hop=",".join(hops) if len(unit.route) > 2 else "")


CHECKS = [UnknownWords, EngineErrors]
