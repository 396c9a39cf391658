"""Signatures: what produced a stored translation, so a run knows what is stale.

Like sacrebleu's signature on every score, every machine translation carries
one string naming the engine, route, models with versions (a Firefox
Translations model by the hash of its files; a chain of engines names every
leg's engine, version and models), engine options,
glossary version, segmenter version, the version of the glossary layer's
pinning (agreement repairs change a draft as much as a new glossary does) and
the version of the quality checks whose signals are stored with it. If any part differs from what a run
would use now, the stored translation is stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from translate.engines.base import Route
from translate.glossary import PINNING_VERSION
from translate.segment import SEGMENTER_VERSION


@dataclass(frozen=True)
class Signature:
    """The provenance of a machine translation."""

    engine: str
    engine_version: str
    route: str  # 'en>es>pt'; a chain names each leg's engine: 'bergamot:en>pt_BR+apertium:pt_BR>es'
    models: str  # 'apertium-eng-spa@0.8.2+apertium-es-pt@2.1'
    options: str = ""
    glossary: str = "none"
    segmenter: str = SEGMENTER_VERSION
    checks: str = ""  # translate.checks.CHECKS_VERSION, when the run stored signals
    pinning: str = ""  # translate.glossary.PINNING_VERSION, for a translation that went through the glossary layer

    @classmethod
    def for_route(
        cls, route: Route, engine_version: str, options: str = "", glossary: str = "none", checks: str = ""
    ) -> Signature:
        return cls(
            engine=route.engine,
            engine_version=engine_version,
            route=route.spec.replace(" + ", "+") if route.legs else ">".join(route.steps),
            models="+".join(route.models),
            options=options,
            glossary=glossary,
            checks=checks,
            pinning=PINNING_VERSION,
        )

    def __str__(self) -> str:
        parts = [
            f"engine:{self.engine}",
            f"v:{self.engine_version}",
            f"route:{self.route}",
            f"models:{self.models}",
        ]
        if self.options:
            parts.append(f"opts:{self.options}")
        parts += [f"glossary:{self.glossary}", f"seg:{self.segmenter}"]
        if self.checks:
            parts.append(f"checks:{self.checks}")
        if self.pinning:
            parts.append(f"pin:{self.pinning}")
        return "|".join(parts)

    def readable_route(self) -> str:
        """'en→es→pt', or for a chain 'en→pt_BR→es (bergamot, then apertium)': what a handout prints."""
        if ":" not in self.route:
            return self.route.replace(">", "→")
        legs = [leg.split(":", 1) for leg in self.route.split("+")]
        steps = [legs[0][1].split(">")[0]] + [code for _, path in legs for code in path.split(">")[1:]]
        return f"{'→'.join(steps)} ({', then '.join(engine for engine, _ in legs)})"

    @classmethod
    def parse(cls, text: str) -> Signature:
        """Inverse of str(); unknown parts are ignored so old rows still parse."""
        fields = dict(part.split(":", 1) for part in text.split("|") if ":" in part)
        return cls(
            engine=fields.get("engine", "?"),
            engine_version=fields.get("v", "?"),
            route=fields.get("route", "?"),
            models=fields.get("models", "?"),
            options=fields.get("opts", ""),
            glossary=fields.get("glossary", "none"),
            segmenter=fields.get("seg", "?"),
            checks=fields.get("checks", ""),
            pinning=fields.get("pin", ""),
        )
