"""The quality checks: what in a machine translation needs a person, sentence by sentence.

Between the engines and the run stage: the run stage hands each machine text,
with its source, route, the engine's own marks and the glossary check's
verdict, to `check_sentence` (registry.py), which runs every check listed in
`CHECKS` and returns their `Signal`s; the memory stores them in the entry's
notes, and the review and publish stages read them (PO comments, the review
queue, the language gate, handout margin marks). One small class per check,
one module per family, in the manner of Weblate's `weblate/checks/`.
"""

from translate.checks.base import Check, Signal, Unit
from translate.checks.registry import CHECKS, CHECKS_VERSION, FLAG_SCORE, check_sentence, is_flagged, sentence_words

__all__ = [
    "CHECKS",
    "CHECKS_VERSION",
    "FLAG_SCORE",
    "Check",
    "Signal",
    "Unit",
    "check_sentence",
    "is_flagged",
    "sentence_words",
]
