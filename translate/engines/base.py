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
    """How an engine gets from one language to another here.

    `steps` lists the languages passed through, e.g. ('en', 'es', 'pt') for a
    pivot through Spanish; `models` names what serves each hop (package or mode
    names) with versions, so the route is part of every signature.
    """

    engine: str
    steps: tuple[str, ...]
    models: tuple[str, ...]

    @property
    def source(self) -> str:
        return self.steps[0]

    @property
    def target(self) -> str:
        return self.steps[-1]

    @property
    def is_pivot(self) -> bool:
        return len(self.steps) > 2

    def describe(self) -> str:
        """'en→es→pt (apertium-eng-spa 0.8, apertium-es-pt 2.1)'."""
        return f"{'→'.join(self.steps)} ({', '.join(self.models)})"


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
