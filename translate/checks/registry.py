"""Every quality check, listed in one place, and what a sentence's signals add up to.

`CHECKS` maps each check's id to an instance, in the order they run (a word is
reported by the first check that names it: an unknown word is not reported
again as a misspelling). `check_sentence` runs them all on one sentence.

A sentence is *flagged* (sent to the front of the review queue) when its score
reaches `FLAG_SCORE` (one glossary violation, or an engine error with two more
doubtful words, or three unknown words), or when its doubtful words are dense:
a score of at least one per `DENSITY_WORDS` words of the sentence. Density
matters because a reader loses a short sentence to one unknown word ("Marx
pithily states" in a twelve-word sentence) but keeps the gist of a 150-word
one with two; measured on the 57 Spanish reference sentences, the sentences
with a chrF under 50 are mostly short. A lone doubtful word in a long sentence
only raises it in the queue. Bump
`CHECKS_VERSION` when a check changes what it finds: it is part of every
signature, so the next run re-checks (and retranslates) the unreviewed sentences.
"""

from __future__ import annotations

from translate.checks import engine_marks, glossary, markup, words
from translate.checks.base import Check, Signal, Unit

CHECKS_VERSION = "3"
"""Raised when a check finds something else in the same draft (2: pivot words the target's dictionary knows are not
signalled; 3: words the language's Apertium analyser reads are words of it, engine marks name only words of the text,
pivot abbreviations are signalled)."""

CHECKS: dict[str, Check] = {
    check.id: check() for check in (*glossary.CHECKS, *markup.CHECKS[:1], *engine_marks.CHECKS, *words.CHECKS, *markup.CHECKS[1:])
}

FLAG_SCORE = 3.0
DENSITY_WORDS = 12
"""Flag at a score of one per this many words: about one clause."""


def check_sentence(unit: Unit, only: list[str] | None = None) -> list[Signal]:
    """Every check's signal on one machine-translated sentence, in `CHECKS` order."""
    unit.found = []
    for check_id, check in CHECKS.items():
        if only is not None and check_id not in only:
            continue
        signal = check.check(unit)
        if signal is not None:
            unit.found.append(signal)
    return list(unit.found)


def score(signals: list[Signal]) -> float:
    return round(sum(s.weight for s in signals), 2)


def is_flagged(signals: list[Signal], words: int = 0) -> bool:
    """Whether these signals are reason enough to ask a person first, for a sentence of `words` words."""
    total = score(signals)
    return total >= FLAG_SCORE or (words > 0 and total >= 1 and total * DENSITY_WORDS >= words)


def sentence_words(unit: Unit) -> int:
    """How long a sentence is, in words of whichever side is written with spaces."""
    return max(len(unit.source.split()), len(unit.target.split()))
