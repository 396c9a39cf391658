"""Engines by name, and the choice of engine and route for each target language.

`ENGINES` lists every engine under the name the configuration uses, in the
order "auto" tries them: an installed Argos package (direct or pivot) first,
because neural drafts are usually better between distant languages, else an
Apertium route. Per language the configuration says `auto` or one of these
names; when no engine can serve a pair, the error names every way to get one.
A new engine is a subclass of `base.Engine` added to `ENGINES` (and to
`config.ENGINE_CHOICES`, which a test keeps in step).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from translate.config import Config
from translate.engines.apertium import ApertiumEngine
from translate.engines.argos import ArgosEngine
from translate.engines.base import Engine, Route
from translate.errors import LanguageError, ModelError, TranslateError

ENGINES: dict[str, type[Engine]] = {"argos": ArgosEngine, "apertium": ApertiumEngine}


@dataclass
class LanguageSupport:
    """What `translate languages` shows for one target language."""

    target: str
    choice: str  # what the configuration asks for
    routes: dict[str, str] = field(default_factory=dict)  # engine -> route description
    chosen: str | None = None  # engine that would serve it
    hints: list[str] = field(default_factory=list)  # how to get a route when none exists


class NoRouteError(LanguageError):
    """No engine here can serve a pair: a run skips that language and says how to get one."""


class Engines:
    """The engines of one run, each created on first use and closed at the end."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._engines: dict[str, Engine] = {}
        self._unavailable: dict[str, str] = {}  # engine name -> why it cannot run here

    def get(self, name: str) -> Engine | None:
        """The named engine, created on first use; None when it cannot run on this machine."""
        if name not in self._engines and name not in self._unavailable:
            cls = ENGINES[name]
            reason = cls.unavailable()
            if reason:
                self._unavailable[name] = reason
            else:
                self._engines[name] = cls.from_config(self.config)
        return self._engines.get(name)

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
        """The engine and route for a pair, following the configured choice."""
        if source == target:  # no engine serves it, and no package to install would
            raise NoRouteError(f"{source}→{target}: source and target are the same language; there is nothing to translate")
        for name in self.names_for(target):
            route = self._route(name, source, target)
            if route:
                return self._engines[name], route
        choice = self.config.engine_for(target)
        raise NoRouteError(f"no route {source}→{target} here ({choice}); " + "; or ".join(self.hints(source, target)))

    def hints(self, source: str, target: str) -> list[str]:
        """Commands that would make a pair translatable."""
        hints = [hint for name in self.names_for(target) if (hint := ENGINES[name].install_hint(source, target))]
        return hints or [f"no engine known here for {source}→{target}"]

    def routes(self, name: str, source: str) -> dict[str, Route]:
        """Every route one engine offers from `source` here ({} when it cannot run)."""
        return _safe_routes(lambda: engine.routes(source) if (engine := self.get(name)) else {})

    def support(self, source: str, targets: list[str]) -> list[LanguageSupport]:
        """Every route each engine offers for each target, and which one a run uses."""
        rows = []
        offered = {name: self.routes(name, source) for name in ENGINES}
        for target in targets:
            row = LanguageSupport(target=target, choice=self.config.engine_for(target))
            for name, routes in offered.items():
                if target in routes:
                    row.routes[name] = routes[target].describe()
            try:
                row.chosen = self.choose(source, target)[0].name
            except TranslateError:
                row.hints = self.hints(source, target)
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
        """Every target language some engine here reaches from `source`."""
        return {target for name in ENGINES for target in self.routes(name, source)}

    def close(self) -> None:
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
