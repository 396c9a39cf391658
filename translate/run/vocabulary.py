"""Which glossary terms an engine here does not know: `translate glossary check --engines`.

A term the engine's dictionary lacks (Apertium's Spanish→French pair has no
"capitalista") is never rendered by it; the draft then fails the glossary
check and the term is pinned by a placeholder, where the engine can neither
inflect it nor place it, or the sentence is flagged. Knowing these words ahead
tells a glossary editor where to add a noun phrase (as "capitalist country"),
and an Apertium packager which words to add. Each concept's source terms are
translated alone on every configured target's route, in one batch per
language, and the words the engine marked as unknown are listed with their hop.
"""

from __future__ import annotations

from dataclasses import dataclass

from translate.config import Config
from translate.engines.registry import Engines, NoRouteError
from translate.glossary.model import Glossary


@dataclass(frozen=True)
class UnknownTerm:
    language: str
    route: str  # 'en>es>fr'
    concept: str
    term: str  # the source term
    hop: str  # 'es>fr'
    words: tuple[str, ...]  # what the engine did not know at that hop

    def __str__(self) -> str:
        return (
            f"warning: {self.concept} [{self.language}] '{self.term}': unknown to {self.route.replace('>', '→')} "
            f"at {self.hop.replace('>', '→')}: {', '.join(self.words)}"
        )


def unknown_terms(config: Config, glossary: Glossary, targets: list[str] | None = None) -> list[UnknownTerm]:
    """Every glossary term of the source language that an engine's route marks as unknown."""
    source = config.source_language
    terms = [(c.id, t) for c in glossary.concepts if c.translate for t in c.terms(source)]
    found: list[UnknownTerm] = []
    engines = Engines(config)
    try:
        for target in targets or config.targets:
            try:
                engine, route = engines.choose(source, target)
            except NoRouteError:
                continue
            outputs = engine.translate([t for _, t in terms], route)
            for (concept, term), output in zip(terms, outputs, strict=True):
                by_hop: dict[str, list[str]] = {}
                for mark in engine.marks(route, output):
                    if mark.kind == "unknown":
                        by_hop.setdefault(mark.hop, []).append(mark.word)
                for hop, words in by_hop.items():
                    found.append(UnknownTerm(target, ">".join(route.steps), concept, term, hop, tuple(words)))
    finally:
        engines.close()
    return found
