"""Engines by name, and the choice of engine and route for each target language.

`ENGINES` lists every engine under the name the configuration uses, in the
order "auto" tries them: an installed Argos package (direct or pivot) first,
because neural drafts are usually better between distant languages, then a
Firefox Translations model (Bergamot), else an Apertium route; the variant step
(pt_BR→pt) serves only as the last leg of a chain. Per language the
configuration says `auto` or one of these names; when no engine can serve a
pair, the error names every way to get one. A new engine is a subclass of
`base.Engine` added to `ENGINES` (and to `config.ENGINE_CHOICES`, which a test
keeps in step).

Under "auto" the route file comes first (`route_file.py`, `routes.toml`): the
route `translate routes evaluate` chose on a reference set, often a chain (a
neural first hop, then Apertium). `candidates` lists every route a pair could
take here (each engine's own, and chains whose first leg is neural, since a
rule-based hop before a neural one only feeds it errors); `resolve` turns a
route file's spec back into an engine and route, `engine_for` gives the engine
of any route (a `ChainEngine` over the run's own engines for a chain).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from translate.config import Config
from translate.engines import route_file
from translate.engines.apertium import ApertiumEngine
from translate.engines.argos import ArgosEngine
from translate.engines.base import Engine, Route, parse_spec
from translate.engines.bergamot import BergamotEngine
from translate.engines.chain import ChainEngine
from translate.engines.variants import VariantEngine
from translate.errors import LanguageError, ModelError, TranslateError
from translate.languages import normalize

ENGINES: dict[str, type[Engine]] = {
    "argos": ArgosEngine,
    "bergamot": BergamotEngine,
    "apertium": ApertiumEngine,
    "variant": VariantEngine,
}


@dataclass
class LanguageSupport:
    """What `translate languages` shows for one target language."""

    target: str
    choice: str  # what the configuration asks for
    routes: dict[str, str] = field(default_factory=dict)  # engine -> route description
    chosen: str | None = None  # engine that would serve it
    hints: list[str] = field(default_factory=list)  # how to get a route when none exists
    route: str | None = None  # the route a run takes (engine:from>to legs)
    route_file: str | None = None  # the route the route file chose, when it has one
    figures: str | None = None  # the route file's figures for it ("BLEU 34.6 chrF 61.8 on field")
    note: str | None = None  # why the route file's route is not taken here, when it is not
    chains: dict[str, str] = field(default_factory=dict)  # chained route spec -> description


class NoRouteError(LanguageError):
    """No engine here can serve a pair: a run skips that language and says how to get one."""


class Engines:
    """The engines of one run, each created on first use and closed at the end."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._engines: dict[str, Engine] = {}
        self._unavailable: dict[str, str] = {}  # engine name -> why it cannot run here
        self._chains: dict[str, ChainEngine] = {}
        self._route_file: route_file.RouteFile | None = None
        self.notes: dict[str, str] = {}  # target -> why its route file route is not taken here

    def get(self, name: str) -> Engine | None:
        """The named engine, created on first use; None when it cannot run on this machine."""
        if name not in ENGINES:
            return None
        if name not in self._engines and name not in self._unavailable:
            cls = ENGINES[name]
            reason = cls.unavailable()
            if reason:
                self._unavailable[name] = reason
            else:
                self._engines[name] = cls.from_config(self.config)
        return self._engines.get(name)

    def routes_chosen(self) -> route_file.RouteFile:
        """The project's route file (empty when it has none), read once."""
        if self._route_file is None:
            self._route_file = route_file.load(self.config.path("routes"))
        return self._route_file

    def names_for(self, target: str) -> list[str]:
        """The engines the configuration allows for a target, in the order they are tried."""
        choice = self.config.engine_for(target)
        return list(ENGINES) if choice == "auto" else [choice]

    def _route(self, name: str, source: str, target: str) -> Route | None:
        try:
            engine = self.get(name)
            return engine.route(source, target) if engine else None
        except ModelError:  # e.g. no Argos package folder, or argostranslate missing
            return None

    def choose(self, source: str, target: str) -> tuple[Engine, Route]:
        """The engine and route for a pair: the route file's under "auto", else the configured choice."""
        if source == target:  # no engine serves it, and no package to install would
            raise NoRouteError(f"{source}→{target}: source and target are the same language; there is nothing to translate")
        if self.config.engine_for(target) == "auto":
            found = self.from_route_file(source, target)
            if found:
                return found
        for name in self.names_for(target):
            route = self._route(name, source, target)
            if route:
                return self._engines[name], route
        choice = self.config.engine_for(target)
        raise NoRouteError(f"no route {source}→{target} here ({choice}); " + "; or ".join(self.hints(source, target)))

    def from_route_file(self, source: str, target: str) -> tuple[Engine, Route] | None:
        """The route file's route for a target, when it starts from `source` and every part of it is here."""
        chosen = self.routes_chosen().get(target)
        if chosen is None or chosen.source != source:
            return None
        route = self.resolve(chosen.route, source, target)
        if route is None:
            self.notes[target] = f"the route file's {chosen.route} cannot run here (an engine or model is missing)"
            return None
        return self.engine_for(route), route

    def resolve(self, spec: str, source: str, target: str) -> Route | None:
        """The route a spec ('bergamot:en>pt_BR + apertium:pt_BR>es') names, if it can run here: each leg
        is one of its engine's own candidates for that leg's pair, and the legs meet."""
        try:
            legs = [(name, tuple(normalize(c) for c in steps)) for name, steps in parse_spec(spec)]
        except (ValueError, TranslateError):
            return None
        if not legs or legs[0][1][0] != normalize(source) or legs[-1][1][-1] != normalize(target):
            return None
        found = []
        for name, steps in legs:
            offered = self.candidates_of(name, steps[0], steps[-1])
            leg = next((route for route in offered if route.steps == steps), None)
            if leg is None:
                return None
            found.append(leg)
        try:
            return found[0] if len(found) == 1 else Route.chain(found)
        except ValueError:  # legs that do not meet
            return None

    def engine_for(self, route: Route) -> Engine:
        """The engine that serves a route: the named one, or a chain over the named ones."""
        if not route.legs:
            engine = self.get(route.engine)
            if engine is None:
                raise NoRouteError(f"engine {route.engine} cannot run here: {self._unavailable.get(route.engine, '')}")
            return engine
        if route.spec not in self._chains:
            self._chains[route.spec] = ChainEngine([(self.engine_for(leg), leg) for leg in route.legs])
        return self._chains[route.spec]

    def candidates(self, source: str, target: str) -> list[Route]:
        """Every route a pair could take here: each engine's own, then chains with a neural first leg."""
        source, target = normalize(source), normalize(target)
        found: list[Route] = []
        for name in ENGINES:
            found += self.candidates_of(name, source, target)
        for name in ENGINES:
            first = self.get(name)
            if first is None or not first.neural:
                continue
            for hop in self.routes(name, source).values():
                if hop.target == target:
                    continue
                for other in ENGINES:
                    if other == name:
                        continue
                    for tail in self.candidates_of(other, hop.target, target):
                        if not set(hop.steps) & set(tail.steps[1:]):
                            found.append(Route.chain([hop, tail]))
        return list({route.spec: route for route in found}.values())

    def candidates_of(self, name: str, source: str, target: str) -> list[Route]:
        """One engine's own candidates for a pair ([] when it cannot run here or has none)."""
        try:
            engine = self.get(name)
            return engine.candidates(source, target) if engine else []
        except TranslateError:
            return []

    def hints(self, source: str, target: str) -> list[str]:
        """Commands that would make a pair translatable."""
        hints = [hint for name in self.names_for(target) if (hint := ENGINES[name].install_hint(source, target))]
        return hints or [f"no engine known here for {source}→{target}"]

    def routes(self, name: str, source: str) -> dict[str, Route]:
        """Every route one engine offers from `source` here ({} when it cannot run)."""
        return _safe_routes(lambda: engine.routes(source) if (engine := self.get(name)) else {})

    def support(self, source: str, targets: list[str]) -> list[LanguageSupport]:
        """Every route each engine offers for each target, the chains, and which one a run uses."""
        rows = []
        offered = {name: self.routes(name, source) for name in ENGINES}
        chosen_file = self.routes_chosen()
        for target in targets:
            row = LanguageSupport(target=target, choice=self.config.engine_for(target))
            for name, routes in offered.items():
                if target in routes:
                    row.routes[name] = routes[target].describe()
            row.chains = {route.spec: route.describe() for route in self.candidates(source, target) if route.legs}
            entry = chosen_file.get(target)
            if entry is not None:
                row.route_file = entry.route
                figures = entry.figures()
                if figures:
                    row.figures = f"BLEU {figures.bleu:.1f} chrF {figures.chrf:.1f} on {chosen_file.references or '?'}"
            try:
                engine, route = self.choose(source, target)
                row.chosen, row.route = engine.name, route.spec
            except TranslateError:
                row.hints = self.hints(source, target)
            row.note = self.notes.get(target)
            if entry is not None and row.choice != "auto":
                row.note = f"[languages] in the configuration says {row.choice}: the route file's route is not used"
            rows.append(row)
        return rows

    def sources(self) -> set[str]:
        """Every language some engine here translates from."""
        found: set[str] = set()
        for name in ENGINES:
            try:
                engine = self.get(name)
                found |= engine.sources() if engine else set()
            except TranslateError:
                continue
        return found

    def reachable(self, source: str) -> set[str]:
        """Every target language some engine here reaches from `source` (the route file's chains included)."""
        found = {target for name in ENGINES for target in self.routes(name, source)}
        for target, chosen in self.routes_chosen().languages.items():
            if chosen.source == source and target not in found and self.resolve(chosen.route, source, target):
                found.add(target)
        return found

    def close(self) -> None:
        for chain in self._chains.values():
            chain.close()
        for engine in self._engines.values():
            engine.close()


def environment(config: Config) -> str | None:
    """Every engine's `environment` in one string; None when any engine cannot tell."""
    parts = []
    for name, cls in ENGINES.items():
        stamp = cls.environment(config)
        if stamp is None:
            return None
        parts.append(f"{name}={stamp}")
    return "\n".join(parts)


def _safe_routes(get: Callable[[], dict[str, Route]]) -> dict[str, Route]:
    try:
        return get()
    except TranslateError:
        return {}
