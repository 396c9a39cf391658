"""The glossary check's verdict as a signal: a pinned term not rendered as the glossary says.

The verdict itself comes from translate.glossary.compliance (every occurrence,
listed variants and real inflections only); this check only weighs it, heavily:
a wrong term of art misleads a reader more than a clumsy phrase does.
"""

from __future__ import annotations

from translate.checks.base import Check, Signal, Unit


class GlossaryTerms(Check):
    id = "glossary"
    name = "glossary terms not as pinned"
    description = "A glossary term of the source is missing from the translation, or rendered otherwise."
    weight = 3.0
    cap = 6.0

    def check(self, unit: Unit) -> Signal | None:
        expected = [v.expected for v in unit.violations]
        return self.signal(expected) if expected else None


CHECKS = [GlossaryTerms]
