"""The engine interface: what every translation engine offers the pipeline.

An engine translates lists of plain sentences for one language pair at a time,
in as few calls as it can (batching is the engine's job), and says which pairs
it can serve here and by which route. Everything about files, memory and
glossaries happens outside engines. Engines are listed by name in
`registry.ENGINES`; a new one is a subclass of `Engine` added there.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from translate.config import Config
from translate.glossary.model import Glossary
from translate.progress import Progress


@dataclass(frozen=True)
class EngineMark:
    """A doubt an engine marked in its own output: a word it did not know ('unknown'),
    could not generate ('generation') or could not transfer ('transfer'), at one hop
    of the route ('en>es'). Apertium writes these as `*word`, `#word` and `@word`."""

    kind: str
    word: str
    hop: str


@dataclass(frozen=True)
class Route:
    """How an engine, or a chain of engines, gets from one language to another here.

    `steps` lists the languages passed through, e.g. ('en', 'es', 'pt') for a
    pivot through Spanish; `models` names what serves each hop (package or mode
    names, or a model's file hash) with versions, so the route is part of every
    signature. A chain ('bergamot+apertium': a neural first hop, then Apertium)
    lists its single-engine parts in `legs`, each a Route of its own; consecutive
    legs meet on one language (en→pt_BR, then pt_BR→es).
    """

    engine: str
    steps: tuple[str, ...]
    models: tuple[str, ...]
    legs: tuple[Route, ...] = ()

    @classmethod
    def chain(cls, legs: Sequence[Route]) -> Route:
        """One route through several engines, leg after leg (each leg's first language is the last one's end)."""
        if len(legs) < 2:
            raise ValueError("a chain has at least two legs")
        steps = list(legs[0].steps)
        for leg in legs[1:]:
            if leg.legs or leg.source != steps[-1]:
                raise ValueError(f"a chain's legs must meet: {'>'.join(steps)} then {'>'.join(leg.steps)}")
            steps += leg.steps[1:]
        engine = "+".join(leg.engine for leg in legs)
        return cls(engine, tuple(steps), tuple(m for leg in legs for m in leg.models), tuple(legs))

    @property
    def source(self) -> str:
        return self.steps[0]

    @property
    def target(self) -> str:
        return self.steps[-1]

    @property
    def is_pivot(self) -> bool:
        return len(self.steps) > 2

    @property
    def hops(self) -> tuple[Route, ...]:
        """The single-engine parts: the legs of a chain, else the route itself."""
        return self.legs or (self,)

    @property
    def spec(self) -> str:
        """'apertium:en>es>fr', or for a chain 'bergamot:en>pt_BR + apertium:pt_BR>es': what the route file names."""
        return " + ".join(f"{leg.engine}:{'>'.join(leg.steps)}" for leg in self.hops)

    def describe(self) -> str:
        """'en→es→pt (apertium-eng-spa 0.8, apertium-es-pt 2.1)'; a chain names each leg's engine."""
        if not self.legs:
            return f"{'→'.join(self.steps)} ({', '.join(self.models)})"
        parts = "; ".join(f"{leg.engine} {'→'.join(leg.steps)}: {', '.join(leg.models)}" for leg in self.legs)
        return f"{'→'.join(self.steps)} ({parts})"


def parse_spec(spec: str) -> list[tuple[str, tuple[str, ...]]]:
    """'bergamot:en>pt_BR + apertium:pt_BR>es' as [(engine, steps), ...]; ValueError when malformed."""
    legs = []
    for part in spec.split("+"):
        engine, sep, steps = part.strip().partition(":")
        codes = tuple(code.strip() for code in steps.split(">"))
        if not sep or not engine.strip() or len(codes) < 2 or not all(codes):
            raise ValueError(f"not a route: {spec!r} (write engine:from>to, legs joined by +, e.g. apertium:en>es>fr)")
        legs.append((engine.strip(), codes))
    return legs


def with_edges(original: str, text: str) -> str:
    """Put back the whitespace the original sentence had around it (engines strip it)."""
    if not original.strip():
        return original
    lead = original[: len(original) - len(original.lstrip())]
    trail = original[len(original.rstrip()) :]
    return lead + text + trail


class Engine(ABC):
    """A translation engine: a small object the pipeline asks for routes and text."""

    name: str = "engine"
    carries_markup: bool = False
    """Whether texts may hold markup tokens (translate/markup.py) that it keeps in place and never translates;
    an engine that cannot gets the markup as it is written."""
    neural: bool = False
    """Whether outputs can degenerate (loop, drop content): the run checks a neural engine's outputs."""

    @classmethod
    def from_config(cls, config: Config) -> Engine:
        """The engine set up as the project's configuration says ([engine], [argos]...)."""
        return cls()

    @classmethod
    def unavailable(cls) -> str | None:
        """Why this engine cannot run on this machine at all, or None when it can."""
        return None

    @classmethod
    def environment(cls, config: Config) -> str | None:
        """What this engine's routes, versions and models depend on here, found cheaply.

        File sizes and times, never a subprocess or a model load: a run with nothing
        to do compares it with the last run's instead of asking the engine again.
        None (the default) when an engine cannot tell; a run then never trusts an
        earlier answer for the languages it could serve.
        """
        return None

    @classmethod
    def install_hint(cls, source: str, target: str) -> str | None:
        """The command that would let this engine serve a pair, when one is known."""
        return None

    @abstractmethod
    def version(self) -> str:
        """Version of the engine software itself (CTranslate2, apertium)."""

    @abstractmethod
    def routes(self, source: str) -> dict[str, Route]:
        """Every target language reachable from `source` here, with its route."""

    def sources(self) -> set[str]:
        """Every language this engine translates from here (none known by default)."""
        return set()

    def route(self, source: str, target: str) -> Route | None:
        """The route for one pair, or None when this engine cannot serve it."""
        return self.routes(source).get(target)

    def candidates(self, source: str, target: str) -> list[Route]:
        """Every route this engine could take for one pair, the one `route` gives first.

        `translate routes evaluate` measures each; an engine with one way per pair
        (the default) offers only that.
        """
        route = self.route(source, target)
        return [route] if route else []

    @abstractmethod
    def translate(
        self,
        sentences: Sequence[str],
        route: Route,
        progress: Progress | None = None,
    ) -> list[str]:
        """Translate sentences along a route; one output per input, same order."""

    def max_hypotheses(self) -> int:
        """How many translations per sentence `translate_nbest` can offer (1: no n-best list)."""
        return 1

    def placeholder_shapes(self) -> tuple[str, ...] | None:
        """The glossary placeholders this engine carries best, best first ('ZX1Z'), and how many masked
        attempts a sentence missing a term gets; None: the glossary layer's own order and attempts
        (measured on Apertium and Argos, `glossary.pinning.DEFAULT_SHAPES`)."""
        return None

    def masked_attempts(self) -> int | None:
        """Masked attempts per sentence in the glossary layer's retry; None: the layer's own choice."""
        return None

    def translate_nbest(
        self, sentences: Sequence[str], route: Route, n: int, progress: Progress | None = None, retry: bool = False
    ) -> list[list[str]]:
        """Up to n distinct translations per sentence, best first.

        Neural engines get them from the beam at no extra cost (the glossary layer
        keeps the best one that carries every pinned term); a rule-based engine
        such as Apertium has one translation, which is all this default gives.
        `retry`: a second chance for a few sentences, where an engine may spend less
        (Argos: half the beam).
        """
        return [[text] for text in self.translate(sentences, route, progress)]

    def translate_safely(self, sentences: Sequence[str], route: Route) -> list[str]:
        """A second attempt at outputs that degenerated, with settings that trade fluency for safety.

        An engine whose outputs cannot degenerate has no safer settings: the same call.
        """
        return self.translate(sentences, route)

    def options(self) -> str:
        """Options that change the output (beam size...), for the signature."""
        return ""

    def with_glossary(self, glossary: Glossary) -> Engine:
        """This engine with the glossary's terms as its own words, where it can take them (Apertium: in
        its dictionaries, so that it inflects them and agrees with them itself); else itself. The
        glossary layer still checks and pins every term of what it returns."""
        return self

    def without_glossary(self) -> Engine:
        """The engine as installed, without the glossary's words: the reference a draft is compared with."""
        return self

    def marks(self, route: Route, output: str) -> tuple[EngineMark, ...]:
        """The doubts this engine marked in an output it returned during this run, by hop
        (engines without such marks: none). Looked up by the output text, once translated."""
        return ()

    def close(self) -> None:
        """Release models or processes; engines load each model once per run."""
