"""One score per machine draft: how likely a bilingual reader would call it heavy or wrong.

The quality checks (translate/checks/) name words: unknown, untranslated, pinned wrong.
On their own they caught a third of the sentences readers judged heavy or wrong (issue
24): a fluent but wrong sentence has no word to name. The run also stores what
independent engines say of each new draft (translate.run.crosscheck): its round trip
back to English, its distance from a second route's draft, and the do-no-harm judge's
agreement problems. `risk` combines them with the checks' score, the sentence's length
and the number of engine steps of its route in one logistic model, calibrated on the
committed readings (bench/labels/, `make bench`, section "signals",
which prints the fitted coefficients and the figures quoted in the README).

`needs_person` is the one answer to "will a reader need a person to fix this?": the
review queue puts those sentences first, and the publishing gate counts them.
A measure the run did not take (a draft stored before the cross-check, or a language
with no independent route back) counts as neutral: its feature is the labelled set's
mean, so the checks, the length and the route decide.

A caution on calibration: three routes were read (one, two and three engine steps), so
the route's weight rests on three base rates (34 %, 56 %, 89 % heavy or wrong); a new
route's probabilities are an extrapolation until its drafts are read too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from translate.memory.notes import Notes
from translate.run.signature import Signature

NEUTRAL = {"roundtrip": 75.4, "disagreement": 59.7, "agreement": 1.0}
"""The labelled set's mean of each measure (342 drafts, es, fr, pt-BR): what a measure not taken counts as."""

COEFFICIENTS = {
    "intercept": 0.184,
    "hops": 1.4168,  # per engine step of the draft's route (see `hops`)
    "checks": 0.4868,  # per point of the checks' score (capped at 6)
    "roundtrip": -0.0222,  # per chrF point of the round trip (higher: closer to the source)
    "disagreement": -0.0511,  # per chrF point between the two routes' drafts
    "words": 0.0901,  # per word of the source (capped at 60): a long sentence holds more to get wrong
}
"""Logistic coefficients, fitted by the bench's "signals" section on the readings of bench/labels/ (all three
languages; ridge 1 on standardized features). On their own the signals rank a language's heavy-or-wrong
sentences with an AUC of: words 0.73/0.90/0.68 (es/fr/pt-BR), checks' score 0.70/0.87/0.58, round trip
0.63/0.46/0.66, second route 0.56/0.63/0.56, agreement judge 0.56/0.65/0.52, the checks' flag 0.56/0.70/0.51;
combined 0.80/0.93/0.74 (fitted on the other two languages: 0.80/0.86/0.72). The judge's count and the flag
add nothing once the rest are in (their fitted weights were below zero): they are reasons a volunteer reads,
and the flag still sends a sentence to the front (`predict`), but they are not in the risk."""

THRESHOLD = 0.5
"""A draft whose risk reaches this needs a person (the calibrated model's even odds)."""


@dataclass(frozen=True)
class Prediction:
    """A draft's risk (0–1), whether it needs a person, and the measures' reasons a volunteer reads."""

    risk: float
    needs_person: bool
    reasons: tuple[str, ...] = ()


def hops(signature: str) -> int:
    """How many engine steps a draft's route took ('bergamot:en>pt_BR+apertium:pt_BR>es>fr': 3), from its
    signature; 1 when it names none. Each step adds its own errors: the readings found 34 % of the one-step
    pt-BR drafts heavy or wrong, 56 % of the two-step es and 89 % of the three-step fr."""
    route = Signature.parse(signature).route if signature else "?"
    if route == "?":
        return 1
    paths = [leg.split(":", 1)[-1] for leg in route.split("+")]
    return max(1, sum(len(path.split(">")) - 1 for path in paths))


def features(notes: Notes, source: str = "", signature: str = "") -> dict[str, float]:
    """The model's inputs for one draft's notes (a measure not taken: `NEUTRAL`)."""
    measures = {**NEUTRAL, **(notes.measures or {})}
    return {
        "hops": float(min(hops(signature), 4)),
        "checks": min(notes.score, 6.0),
        "flagged": float(bool(notes.flagged)),  # a signal measured by the bench, not in the risk
        "roundtrip": measures["roundtrip"],
        "disagreement": measures["disagreement"],
        "agreement": min(measures["agreement"], 4.0),
        "words": float(min(len(source.split()), 60)),
    }


def risk(notes: Notes, source: str = "", signature: str = "") -> float:
    """The probability, as calibrated on the labelled set, that a reader calls the draft heavy or wrong."""
    x = features(notes, source, signature)
    z = COEFFICIENTS["intercept"] + sum(weight * x[name] for name, weight in COEFFICIENTS.items() if name != "intercept")
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


ROUNDTRIP_FAR = 60.0
SECOND_ROUTE_FAR = 40.0
"""Below these chrF a measure is named as a reason: the labelled set's lowest 12 % of round trips, 5 % of
second-route distances."""


def predict(notes: Notes, source: str = "", signature: str = "") -> Prediction:
    """The draft's risk and whether it needs a person: at `THRESHOLD`, or whatever the run flagged as needing
    review in any case (a glossary term missing, a sentence left untranslated). `signature`: the memory's
    signature of the draft (its route's length is a feature)."""
    p = risk(notes, source, signature)
    return Prediction(p, p >= THRESHOLD or notes.needs_review, measure_reasons(notes))


def needs_person(notes: Notes, source: str = "", signature: str = "") -> bool:
    """Whether a reader will need a person to fix this draft (the gate's and the queue's one rule)."""
    return predict(notes, source, signature).needs_person


def predicted_count(drafts: Iterable[tuple[str, Notes, str]]) -> int:
    """How many of these (source, notes, signature) drafts are predicted to need a person."""
    return sum(needs_person(notes, source, signature) for source, notes, signature in drafts)
