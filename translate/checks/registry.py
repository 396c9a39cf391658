"""Every quality check, listed in one place, and what a sentence's signals add up to.

`CHECKS` maps each check's id to an instance, in the order they run (a word is
reported by the first check that names it: an unknown word is not reported
again as a misspelling). `check_sentence` runs them all on one sentence.

A sentence is *flagged* (sent to the front of the review queue) when its score
reaches `FLAG_SCORE`: one glossary violation, or an engine error with two more
doubtful words, or three unknown words (14 of the 114 Spanish sentences). A
single doubtful word only raises the sentence in the queue. Bump
`CHECKS_VERSION` when a check changes what it finds: it is part of every
signature, so the next run re-checks (and retranslates) the unreviewed sentences.
"""

from __future__ import annotations

from translate.checks import engine_marks, glossary, markup, words
from translate.checks.base import Check, Signal, Unit

CHECKS_VERSION = "1"

CHECKS: dict[str, Check] = {
    check.id: check()
    for check in (*glossary.CHECKS, *markup.CHECKS[:1], *engine_marks.CHECKS, *words.CHECKS, *markup.CHECKS[1:])
}

FLAG_SCORE = 3.0


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


def is_flagged(signals: list[Signal]) -> bool:
    """Whether these signals are reason enough to ask a person first."""
    return score(signals) >= FLAG_SCORE
