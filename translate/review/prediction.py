"""One score per machine draft: how likely a bilingual reader would call it heavy or wrong.

The quality checks (translate/checks/) name words: unknown, untranslated, pinned wrong.
On their own they caught a third of the sentences readers judged heavy or wrong (issue
24): a fluent but wrong sentence has no word to name. The run also stores what
independent engines say of each new draft (translate.run.crosscheck): its round trip
back to English, its distance from a second route's draft, and the do-no-harm judge's
agreement problems. `risk` combines them with the checks' score in one logistic model,
calibrated on the committed readings (bench/labels/, `make bench`, section "signals",
which prints the fitted coefficients and the figures quoted in the README).

`needs_person` is the one answer to "will a reader need a person to fix this?": the
review queue puts those sentences first, and the publishing gate counts them.
A measure the run did not take (a draft stored before the cross-check, or a language
with no independent route back) counts as neutral: its feature is the labelled set's
mean, so the checks alone decide, as before.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from translate.memory.notes import Notes

NEUTRAL = {"roundtrip": 55.0, "disagreement": 45.0, "agreement": 0.5}
"""The labelled set's mean of each measure: what a measure not taken counts as."""

COEFFICIENTS = {
    "intercept": 0.8,
    "checks": 0.35,  # per point of the checks' score (capped at 6)
    "flagged": 0.5,  # the checks' own flag
    "roundtrip": -0.04,  # per chrF point of the round trip (higher: closer to the source)
    "disagreement": -0.02,  # per chrF point between the two routes' drafts
    "agreement": 0.3,  # per agreement problem the do-no-harm judge finds
    "words": 0.02,  # per word of the source (long sentences hold more to get wrong)
}
"""Logistic coefficients over the features of `features`; fitted by the bench's "signals" section."""

THRESHOLD = 0.5
"""A draft whose risk reaches this needs a person (the calibrated model's even odds)."""


@dataclass(frozen=True)
class Prediction:
    """A draft's risk (0–1), whether it needs a person, and the measures' reasons a volunteer reads."""

    risk: float
    needs_person: bool
    reasons: tuple[str, ...] = ()


def features(notes: Notes, source: str = "") -> dict[str, float]:
    """The model's inputs for one draft's notes (a measure not taken: `NEUTRAL`)."""
    measures = {**NEUTRAL, **(notes.measures or {})}
    return {
        "checks": min(notes.score, 6.0),
        "flagged": float(bool(notes.flagged)),
        "roundtrip": measures["roundtrip"],
        "disagreement": measures["disagreement"],
        "agreement": min(measures["agreement"], 4.0),
        "words": float(min(len(source.split()), 60)),
    }


def risk(notes: Notes, source: str = "") -> float:
    """The probability, as calibrated on the labelled set, that a reader calls the draft heavy or wrong."""
    x = features(notes, source)
    z = COEFFICIENTS["intercept"] + sum(COEFFICIENTS[name] * value for name, value in x.items())
    return round(1 / (1 + math.exp(-z)), 4)


def measure_reasons(notes: Notes) -> tuple[str, ...]:
    """The measures that speak against a draft, as a volunteer reads them (only what was measured)."""
    measures = notes.measures or {}
    found = []
    if "roundtrip" in measures and measures["roundtrip"] < ROUNDTRIP_FAR:
        found.append(f"back in English it reads far from the source (chrF {measures['roundtrip']:g})")
    if "disagreement" in measures and measures["disagreement"] < SECOND_ROUTE_FAR:
        found.append(f"a second engine route translates it differently (chrF {measures['disagreement']:g})")
    if measures.get("agreement", 0) >= 1:
        found.append(f"grammar: {measures['agreement']:g} agreement or word-order problems")
    return tuple(found)


ROUNDTRIP_FAR = 45.0
SECOND_ROUTE_FAR = 35.0
"""Below these chrF a measure is named as a reason (about the labelled set's lower third)."""


def predict(notes: Notes, source: str = "") -> Prediction:
    """The draft's risk and whether it needs a person: at `THRESHOLD`, or whatever the run flagged as needing
    review in any case (a glossary term missing, a sentence left untranslated)."""
    p = risk(notes, source)
    return Prediction(p, p >= THRESHOLD or notes.needs_review, measure_reasons(notes))


def needs_person(notes: Notes, source: str = "") -> bool:
    """Whether a reader will need a person to fix this draft (the gate's and the queue's one rule)."""
    return predict(notes, source).needs_person


def predicted_count(drafts: Iterable[tuple[str, Notes]]) -> int:
    """How many of these (source, notes) drafts are predicted to need a person."""
    return sum(needs_person(notes, source) for source, notes in drafts)
