"""`translate routes evaluate`: every candidate route of each language scored on a reference set.

For each language of the set (and of `--lang`), every route the engines here
offer for it (`Engines.candidates`: each engine's own, Apertium's pivots, and
chains with a neural first hop) translates the English sentences exactly as a
run would (the guards, the glossary pinning, the finishing step's typography
and spelling) and is scored with sacrebleu's BLEU and chrF against the
references, with its speed in source words per second. Each route runs on
engines of its own, so a chain pays for its neural hop and its words per second
are what a cold run of that route would see.

The route chosen for a language is the one with the best chrF (BLEU breaks a
tie), unless the route file already holds a route a person chose after
reading the drafts (`chosen_by = "reading"`), which is kept while it is still a
candidate. `write_route_file` writes the file a run, `translate text` and the
API then follow.
"""

from __future__ import annotations

import os
import platform
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from translate.config import Config
from translate.engines import route_file
from translate.engines.registry import Engines
from translate.errors import UsageError
from translate.fileio import atomic_write_text
from translate.languages import bcp47
from translate.progress import StartTask, no_progress
from translate.review.evaluate import evaluate_texts
from translate.review.references import References, read_references, reference_files


@dataclass
class RouteResult:
    """One candidate route on one language's references."""

    route: str
    bleu: float
    chrf: float
    seconds: float
    words: int
    outputs: list[str] = field(default_factory=list, repr=False)
    flagged: int = 0  # sentences the pipeline left flagged for a reviewer
    error: str = ""

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0

    def figures(self, sentences: int) -> route_file.Figures:
        return route_file.Figures(
            self.route, round(self.bleu, 1), round(self.chrf, 1), round(self.words_per_second), sentences, round(self.seconds, 2)
        )


@dataclass
class LanguageEvaluation:
    """Every candidate of one language, best chrF first, and the route chosen."""

    language: str
    references: References
    results: list[RouteResult]
    chosen: str = ""
    chosen_by: str = "chrF"
    reason: str = ""


@dataclass
class RouteEvaluation:
    references: str  # the set's name
    folder: Path
    languages: list[LanguageEvaluation]
    signatures: dict[str, str]  # metric -> sacrebleu signature
    machine: str


def machine_description() -> str:
    """'x86_64, 2 cores, load 1.42' (the CPU and how busy it was: words per second depend on both)."""
    try:
        load = f", load {os.getloadavg()[0]:.2f}"
    except OSError:
        load = ""
    processor = platform.processor() or platform.machine()
    return f"{processor}, {os.cpu_count()} cores{load}"


def evaluate_routes(
    config: Config,
    folder: Path,
    languages: list[str] | None = None,
    start_task: StartTask = no_progress,
) -> RouteEvaluation:
    """Score every candidate route of each language of the reference set in `folder`."""
    from translate.run.pipeline import load_project_glossary  # the glossary: only when routes are evaluated

    files = reference_files(folder)
    wanted = languages or [code for code in files if code in config.targets] or list(files)
    missing = [code for code in wanted if code not in files]
    if missing:
        raise UsageError(f"{folder}: no references for {', '.join(missing)} (it has {', '.join(files)})")
    glossary = load_project_glossary(config)
    chosen_before = route_file.load(config.path("routes"))
    evaluated, signatures = [], {}
    for language in wanted:
        references = read_references(files[language], folder.name)
        probe = Engines(config)
        try:
            candidates = probe.candidates(config.source_language, language)
        finally:
            probe.close()
        results = []
        for route in candidates:
            advance = start_task(f"{language}: {route.spec}", len(references))
            result, found = _score(config, route.spec, references, glossary, advance)
            signatures.update(found)
            results.append(result)
        results.sort(key=lambda r: (not r.error, r.chrf, r.bleu), reverse=True)
        evaluation = LanguageEvaluation(language, references, results)
        _choose(evaluation, chosen_before.get(language))
        evaluated.append(evaluation)
    return RouteEvaluation(folder.name, folder, evaluated, signatures, machine_description())


def _score(config: Config, spec: str, references: References, glossary, advance) -> tuple[RouteResult, dict[str, str]]:
    """One route over one language's references, on engines of its own (a cold start, as a run's)."""
    from translate.run.finishing import finished_text  # typography tables: only when routes are evaluated
    from translate.run.pipeline import translate_sentences  # (the same reason)

    engines = Engines(config)
    sources = list(references.sources)
    words = sum(len(s.split()) for s in sources)
    try:
        route = engines.resolve(spec, config.source_language, references.language)
        if route is None:
            return RouteResult(spec, 0.0, 0.0, 0.0, words, error="not available here"), {}
        engine = engines.engine_for(route)
        began = time.perf_counter()
        done = translate_sentences(engine, route, sources, glossary, advance, limits=config.limits)
        outputs = [
            r.text if r.left_untranslated else finished_text(r.text, references.language, s, set()) for s, r in zip(sources, done)
        ]
        seconds = time.perf_counter() - began
    finally:
        engines.close()
    scores = {s.metric: s for s in evaluate_texts(outputs, list(references.translations), references.language)}
    result = RouteResult(
        spec, scores["BLEU"].score, scores["chrF"].score, seconds, words, outputs, flagged=sum(r.flagged for r in done)
    )
    return result, {name: score.signature for name, score in scores.items() if name in ("BLEU", "chrF")}


def _choose(evaluation: LanguageEvaluation, before: route_file.ChosenRoute | None) -> None:
    """The best chrF, unless a person chose a route after reading its drafts and it is still a candidate."""
    usable = [r for r in evaluation.results if not r.error]
    if before is not None and before.chosen_by == "reading" and any(r.route == before.route for r in usable):
        evaluation.chosen, evaluation.chosen_by, evaluation.reason = before.route, "reading", before.reason
    elif usable:
        best = usable[0]
        evaluation.chosen = best.route
        evaluation.reason = f"best chrF on {evaluation.references.name} ({best.chrf:.1f}; BLEU {best.bleu:.1f})"


def route_file_of(evaluation: RouteEvaluation, before: route_file.RouteFile, date: str) -> route_file.RouteFile:
    """The route file the evaluation makes: the languages evaluated replaced, the others kept."""
    languages = dict(before.languages)
    for item in evaluation.languages:
        if not item.chosen:
            continue
        languages[item.language] = route_file.ChosenRoute(
            route=item.chosen,
            chosen_by=item.chosen_by,
            reason=item.reason,
            sentences=len(item.references),
            candidates=tuple(r.figures(len(item.references)) for r in item.results if not r.error),
        )
    return replace(
        before,
        references=evaluation.references,
        sacrebleu="; ".join(f"{name} {signature}" for name, signature in sorted(evaluation.signatures.items())),
        machine=evaluation.machine,
        date=date,
        languages=languages,
    )


def write_route_file(config: Config, evaluation: RouteEvaluation, date: str) -> Path:
    """Write the project's route file from an evaluation (atomically); return its path."""
    path = config.path("routes")
    atomic_write_text(path, route_file.to_toml(route_file_of(evaluation, route_file.load(path), date)))
    return path


def save_drafts(evaluation: RouteEvaluation, folder: Path) -> list[Path]:
    """Each route's drafts beside the references, for reading: <folder>/<lang>/<n>.tsv (id, en, draft, reference)."""
    written = []
    for item in evaluation.languages:
        for number, result in enumerate(item.results, 1):
            if result.error:
                continue
            path = folder / bcp47(item.language) / f"{number:02d}.tsv"
            rows = [f"# {result.route}  BLEU {result.bleu:.1f}  chrF {result.chrf:.1f}", "id\ten\tdraft\treference"]
            refs = item.references
            rows += ["\t".join(cells) for cells in zip(refs.ids, refs.sources, result.outputs, refs.translations)]
            atomic_write_text(path, "\n".join(rows) + "\n")
            written.append(path)
    return written
