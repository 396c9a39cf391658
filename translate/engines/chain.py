"""A chain of engines: one route through several engines, leg after leg.

A neural first hop and then Apertium between close relatives (English →
Brazilian Portuguese with a Firefox Translations model, then Portuguese →
Spanish with Apertium) is one route to the rest of the pipeline: one engine
object, one `translate` call per batch, one signature naming every leg's engine,
version and models. Each leg is served by the run's own engine of that name, so
a hop shared by several targets (en→pt_BR for es, gl, ca...) is translated once
(the leg engines cache their hops). The engine's own doubts (Apertium's unknown
words) are gathered leg by leg, each under its hop ('pt_BR>es'), so the
pivot-words check sees Portuguese words an Apertium hop passed through.
"""

from __future__ import annotations

from collections.abc import Sequence

from translate.engines.base import Engine, EngineMark, Progress, Route
from translate.errors import EngineError

MARKS_KEPT = 200_000  # outputs whose marks are remembered during one run


class ChainEngine(Engine):
    """The engines of a chained route's legs, run one after the other."""

    def __init__(self, legs: Sequence[tuple[Engine, Route]]) -> None:
        if len(legs) < 2:
            raise ValueError("a chain has at least two legs")
        self.legs = list(legs)
        self.chained = Route.chain([route for _, route in legs])
        self.name = self.chained.engine
        self.neural = any(engine.neural for engine, _ in legs)
        self._marks: dict[str, tuple[EngineMark, ...]] = {}

    def version(self) -> str:
        return "+".join(engine.version() for engine, _ in self.legs)

    def options(self) -> str:
        return ";".join(f"{engine.name}[{engine.options()}]" for engine, _ in self.legs)

    def routes(self, source: str) -> dict[str, Route]:
        return {self.chained.target: self.chained} if source == self.chained.source else {}

    def sources(self) -> set[str]:
        return {self.chained.source}

    def _check(self, route: Route) -> None:
        if route.spec != self.chained.spec:
            raise EngineError(f"this chain serves {self.chained.spec}, not {route.spec}")

    def translate(self, sentences: Sequence[str], route: Route, progress: Progress | None = None) -> list[str]:
        self._check(route)
        texts = list(sentences)
        marks: list[tuple[EngineMark, ...]] = [() for _ in texts]
        for number, (engine, leg) in enumerate(self.legs):
            texts = engine.translate(texts, leg, progress if number == 0 else None)
            marks = [before + engine.marks(leg, text) for before, text in zip(marks, texts)]
        self._remember(texts, marks)
        return texts

    def max_hypotheses(self) -> int:
        return self.legs[-1][0].max_hypotheses()

    def placeholder_shapes(self) -> tuple[str, ...] | None:
        """The first leg's (a neural hop's placeholders are the ones at risk; Apertium carries them all)."""
        return self.legs[0][0].placeholder_shapes()

    def masked_attempts(self) -> int | None:
        return self.legs[0][0].masked_attempts()

    def translate_nbest(
        self, sentences: Sequence[str], route: Route, n: int, progress: Progress | None = None, retry: bool = False
    ) -> list[list[str]]:
        """The last leg's n-best list of the earlier legs' best translation."""
        if self.max_hypotheses() <= 1:
            return [[text] for text in self.translate(sentences, route, progress)]
        self._check(route)
        texts = list(sentences)
        for engine, leg in self.legs[:-1]:
            texts = engine.translate(texts, leg, progress)
            progress = None
        last, leg = self.legs[-1]
        return last.translate_nbest(texts, leg, n, progress, retry)

    def translate_safely(self, sentences: Sequence[str], route: Route) -> list[str]:
        """Every leg's safer settings, in turn."""
        self._check(route)
        texts = list(sentences)
        marks: list[tuple[EngineMark, ...]] = [() for _ in texts]
        for engine, leg in self.legs:
            texts = engine.translate_safely(texts, leg)
            marks = [before + engine.marks(leg, text) for before, text in zip(marks, texts)]
        self._remember(texts, marks)
        return texts

    def _remember(self, texts: list[str], marks: list[tuple[EngineMark, ...]]) -> None:
        for text, found in zip(texts, marks):
            if len(self._marks) < MARKS_KEPT:
                self._marks[text] = found

    def marks(self, route: Route, output: str) -> tuple[EngineMark, ...]:
        return self._marks.get(output, ())

    def close(self) -> None:
        self._marks.clear()  # the legs' engines belong to the run's Engines, which closes them
