"""Route choice: which engine serves which target language here.

Per language the configuration says `argos`, `apertium` or `auto`. Auto takes
an installed Argos package (direct or pivot) when there is one, because neural
drafts are usually better between distant languages, else an Apertium route,
else it fails with both ways to get one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from translate.config import Config
from translate.engines.base import Engine, Route
from translate.errors import LanguageError, ModelError, TranslateError
from translate.models import ArgosStore, install_command


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
        self._argos = None
        self._apertium = None
        self._apertium_error: str | None = None

    @property
    def argos(self):
        if self._argos is None:
            from translate.engines.argos import ArgosEngine

            options = self.config.engine
            store = ArgosStore(self.config.argos_packages_dir(), self.config.argos.index_url)
            self._argos = ArgosEngine(store, options.beam_size, options.threads, options.batch_tokens)
        return self._argos

    @property
    def apertium(self):
        """The Apertium engine, or None (with the reason kept) when it is not installed."""
        if self._apertium is None and self._apertium_error is None:
            from translate.engines import apertium

            if apertium.available():
                self._apertium = apertium.ApertiumEngine(timeout=self.config.engine.timeout)
            else:
                self._apertium_error = "apertium is not installed (Debian/Ubuntu: apt-get install apertium)"
        return self._apertium

    def _argos_route(self, source: str, target: str) -> Route | None:
        try:
            return self.argos.route(source, target)
        except ModelError:
            return None

    def _apertium_route(self, source: str, target: str) -> Route | None:
        engine = self.apertium
        return engine.route(source, target) if engine else None

    def choose(self, source: str, target: str) -> tuple[Engine, Route]:
        """The engine and route for a pair, following the configured choice."""
        choice = self.config.engine_for(target)
        if choice in ("argos", "auto"):
            route = self._argos_route(source, target)
            if route:
                return self.argos, route
        if choice in ("apertium", "auto"):
            route = self._apertium_route(source, target)
            if route:
                return self.apertium, route
        raise NoRouteError(f"no route {source}→{target} here ({choice}); " + "; or ".join(self.hints(source, target)))

    def hints(self, source: str, target: str) -> list[str]:
        """Commands that would make a pair translatable."""
        from translate.engines.apertium import install_hint

        choice = self.config.engine_for(target)
        hints = []
        if choice in ("argos", "auto"):
            hints.append(install_command(source, target))
        if choice in ("apertium", "auto"):
            hint = install_hint(source, target)
            if hint:
                hints.append(hint)
        return hints or [f"no engine known here for {source}→{target}"]

    def support(self, source: str, targets: list[str]) -> list[LanguageSupport]:
        """Every route each engine offers for each target, and which one a run uses."""
        rows = []
        argos_routes = self._safe_routes(lambda: self.argos.routes(source))
        apertium_routes = self._safe_routes(lambda: self.apertium.routes(source) if self.apertium else {})
        for target in targets:
            row = LanguageSupport(target=target, choice=self.config.engine_for(target))
            if target in argos_routes:
                row.routes["argos"] = argos_routes[target].describe()
            if target in apertium_routes:
                row.routes["apertium"] = apertium_routes[target].describe()
            try:
                row.chosen = self.choose(source, target)[0].name
            except TranslateError:
                row.hints = self.hints(source, target)
            rows.append(row)
        return rows

    def reachable(self, source: str) -> set[str]:
        """Every target language some engine here reaches from `source`."""
        apertium = self._safe_routes(lambda: self.apertium.routes(source) if self.apertium else {})
        return set(self._safe_routes(lambda: self.argos.routes(source))) | set(apertium)

    @staticmethod
    def _safe_routes(get) -> dict[str, Route]:
        try:
            return get()
        except TranslateError:
            return {}

    def close(self) -> None:
        for engine in (self._argos, self._apertium):
            if engine is not None:
                engine.close()
