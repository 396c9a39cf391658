"""The route file: the route chosen for each language, with the figures it was chosen on.

`translate routes evaluate --refs DIR --write` translates a reference set through
every candidate route of each language and writes this file (`routes.toml`
beside translate.toml, `project.routes`); it is committed with the project, so
that a run, `translate text` and the API of every clone take the same routes.
For each language it holds the chosen `route`, how it was chosen (`chosen_by`:
the best chrF, or "reading" when a person chose it after reading the drafts,
with the `reason`), and every candidate's BLEU, chrF and words per second on the
named reference set. A route is written as its legs, each `engine:from>to`:

    route = "bergamot:en>pt_BR + apertium:pt_BR>es"

A run uses a language's route when its engine choice is "auto" (`[languages]`
in translate.toml overrides) and every engine and model of it is here; else it
falls back to "auto" and `translate languages` says why.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translate.engines.base import parse_spec
from translate.errors import ConfigError, LanguageError, UsageError
from translate.languages import check_code

CHOSEN_BY = ("chrF", "reading")
_TOP = {"evaluation", "languages"}
_EVALUATION = {"references", "metric", "sacrebleu", "machine", "date", "note"}
_LANGUAGE = {"route", "chosen_by", "reason", "candidates", "sentences"}
_CANDIDATE = {"route", "bleu", "chrf", "words_per_second", "sentences", "seconds"}


@dataclass(frozen=True)
class Figures:
    """One candidate route's scores on the reference set."""

    route: str
    bleu: float
    chrf: float
    words_per_second: float = 0.0
    sentences: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class ChosenRoute:
    """A language's route and the evidence for it."""

    route: str
    chosen_by: str = "chrF"
    reason: str = ""
    sentences: int = 0
    candidates: tuple[Figures, ...] = ()

    @property
    def source(self) -> str:
        return parse_spec(self.route)[0][1][0]

    def figures(self) -> Figures | None:
        """The chosen route's own figures."""
        return next((f for f in self.candidates if f.route == self.route), None)


@dataclass(frozen=True)
class RouteFile:
    """The whole file: how the evaluation was made, and each language's route."""

    references: str = ""
    metric: str = "chrF"
    sacrebleu: str = ""
    machine: str = ""
    date: str = ""
    note: str = ""
    languages: dict[str, ChosenRoute] = field(default_factory=dict)

    def get(self, language: str) -> ChosenRoute | None:
        return self.languages.get(language)


def load(path: Path) -> RouteFile:
    """The route file, or an empty one when there is none; a mistake is a ConfigError naming file and key."""
    if not path.is_file():
        return RouteFile()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    _unknown(data, _TOP, path, "top level")
    evaluation = _table(data.get("evaluation", {}), path, "[evaluation]")
    _unknown(evaluation, _EVALUATION, path, "[evaluation]")
    languages = {}
    for code, entry in _table(data.get("languages", {}), path, "[languages]").items():
        try:
            language = check_code(code)
        except LanguageError as err:
            raise ConfigError(f"{path}: [languages.{code}]: {err}") from None
        languages[language] = _language(_table(entry, path, f"[languages.{code}]"), path, code)
    return RouteFile(
        references=str(evaluation.get("references", "")),
        metric=str(evaluation.get("metric", "chrF")),
        sacrebleu=str(evaluation.get("sacrebleu", "")),
        machine=str(evaluation.get("machine", "")),
        date=str(evaluation.get("date", "")),
        note=str(evaluation.get("note", "")),
        languages=languages,
    )


def _language(entry: dict[str, Any], path: Path, code: str) -> ChosenRoute:
    where = f"[languages.{code}]"
    _unknown(entry, _LANGUAGE, path, where)
    route = _route(entry.get("route"), path, where)
    chosen_by = entry.get("chosen_by", "chrF")
    if chosen_by not in CHOSEN_BY:
        raise ConfigError(f"{path}: {where} chosen_by must be one of {', '.join(CHOSEN_BY)}, not {chosen_by!r}")
    candidates = []
    for number, raw in enumerate(entry.get("candidates", []), 1):
        item = _table(raw, path, f"{where} candidate {number}")
        _unknown(item, _CANDIDATE, path, f"{where} candidate {number}")
        try:
            figures = Figures(
                route=_route(item.get("route"), path, where),
                bleu=float(item.get("bleu", 0.0)),
                chrf=float(item.get("chrf", 0.0)),
                words_per_second=float(item.get("words_per_second", 0.0)),
                sentences=int(item.get("sentences", 0)),
                seconds=float(item.get("seconds", 0.0)),
            )
        except (TypeError, ValueError):
            raise ConfigError(f"{path}: {where} candidate {number}: scores must be numbers") from None
        candidates.append(figures)
    return ChosenRoute(route, chosen_by, str(entry.get("reason", "")), int(entry.get("sentences", 0)), tuple(candidates))


def _route(value: object, path: Path, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f'{path}: {where} needs route = "engine:from>to" (e.g. "apertium:en>es")')
    try:
        legs = parse_spec(value)
        codes = [[check_code(code) for code in steps] for _, steps in legs]
    except (ValueError, UsageError) as err:
        raise ConfigError(f"{path}: {where}: {err}") from None
    return " + ".join(f"{engine}:{'>'.join(steps)}" for (engine, _), steps in zip(legs, codes))


def _table(value: object, path: Path, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: {where} must be a table")
    return value


def _unknown(table: dict[str, Any], allowed: set[str], path: Path, where: str) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise ConfigError(f"{path}: {where}: unknown key '{extra[0]}' (known: {', '.join(sorted(allowed))})")


HEADER = """\
# The route each language is translated by, chosen on evidence: `translate routes
# evaluate --refs DIR --write` translated the reference set through every candidate
# route and wrote this file. A run, `translate text` and the API use a language's
# `route` while its engine choice is "auto" ([languages] in translate.toml overrides)
# and every engine and model of it is installed. A route is its legs, engine:from>to,
# joined by +. To choose another route after reading the drafts, set `route`,
# chosen_by = "reading" and a `reason`: the next --write keeps that choice.
"""


def to_toml(routes: RouteFile) -> str:
    """The file as `load` reads it, in a stable layout (a re-evaluation's diff shows what changed)."""
    lines = [HEADER, "[evaluation]"]
    for key in ("references", "metric", "sacrebleu", "machine", "date", "note"):
        value = getattr(routes, key)
        if value:
            lines.append(f"{key} = {_string(value)}")
    for code, chosen in sorted(routes.languages.items()):
        lines += ["", f"[languages.{code}]", f"route = {_string(chosen.route)}", f"chosen_by = {_string(chosen.chosen_by)}"]
        if chosen.reason:
            lines.append(f"reason = {_string(chosen.reason)}")
        if chosen.sentences:
            lines.append(f"sentences = {chosen.sentences}")
        for figures in chosen.candidates:
            lines += [
                "",
                f"[[languages.{code}.candidates]]",
                f"route = {_string(figures.route)}",
                f"bleu = {figures.bleu:.1f}",
                f"chrf = {figures.chrf:.1f}",
                f"words_per_second = {figures.words_per_second:.0f}",
                f"seconds = {figures.seconds:.2f}",
            ]
    return "\n".join(lines) + "\n"


def _string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
