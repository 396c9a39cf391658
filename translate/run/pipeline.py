"""The pipeline: texts → segments → memory → glossary mask → engine → memory → outputs.

`run()` is what `translate run` and scheduled jobs call: for every target
language it collects the sentences of all texts, reuses what the translation
memory already holds (human-approved text first), sends only new or stale
sentences to the engine in one batched call, stores the results, and writes
each output file only if its content changed. `translate_text()` is the
memory-less path for one file or stdin.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from translate import languages
from translate.config import Config
from translate.errors import InputFileError, TranslateError, UsageError
from translate.fileio import atomic_write_text, read_source
from translate.routing import Engines, NoRouteError
from translate.segment import Document, parse
from translate.signature import Signature

if TYPE_CHECKING:
    from translate.engines.base import Engine, Progress, Route
    from translate.glossary import Glossary
    from translate.mask import GlossaryViolation, PinnedResult
    from translate.memory import MemoryEntry, TranslationMemory

TEXT_SUFFIXES = (".md", ".markdown", ".txt")

StartTask = Callable[[str, int], Callable[[int], None]]
"""Progress reporting: start_task(description, total) returns advance(n)."""


def _no_progress(description: str, total: int) -> Callable[[int], None]:
    return lambda n: None


@dataclass
class SourceText:
    """A source file of the texts folder, parsed."""

    path: Path
    document: Document

    @property
    def stem(self) -> str:
        return self.path.stem


@dataclass
class LanguageResult:
    """What a run did for one target language."""

    language: str
    status: str = "ok"  # ok | failed | skipped | planned
    engine: str = ""
    route: str = ""
    signature: str = ""
    segments: int = 0
    reused: int = 0
    translated: int = 0
    stale: int = 0
    engine_calls: int = 0
    engine_seconds: float = 0.0
    flagged: int = 0
    glossary_violations: int = 0
    files_written: list[str] = field(default_factory=list)
    message: str = ""


@dataclass
class RunReport:
    """The record of one run, written as JSON and summarized on the terminal."""

    started: str
    finished: str = ""
    dry_run: bool = False
    source_language: str = "en"
    texts: list[str] = field(default_factory=list)
    languages: list[LanguageResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if any(r.status == "failed" for r in self.languages) else 0

    def to_dict(self) -> dict:
        data = asdict(self)
        data["exit_code"] = self.exit_code
        data["totals"] = {
            key: sum(getattr(r, key) for r in self.languages)
            for key in ("segments", "reused", "translated", "stale", "engine_calls", "flagged")
        }
        return data


def load_texts(config: Config, only: list[str] | None = None) -> list[SourceText]:
    """Parse every source text (or those named in `only`, by file or stem name)."""
    folder = config.path("texts")
    if not folder.is_dir():
        raise InputFileError(f"{folder}: texts folder not found")
    paths = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
    if only:
        wanted = set(only)
        paths = [p for p in paths if p.name in wanted or p.stem in wanted]
        missing = wanted - {p.name for p in paths} - {p.stem for p in paths}
        if missing:
            raise UsageError(f"no text named {', '.join(sorted(missing))} in {folder}")
    if not paths:
        raise InputFileError(f"{folder}: no .md or .txt texts to translate")
    return [SourceText(p, parse(read_source(p), p.name, config.source_language)) for p in paths]


def output_path(config: Config, language: str, text: SourceText, suffix: str = ".md") -> Path:
    """outputs/<lang>/<text>.md (and .po, .html, .pdf beside it)."""
    return config.path("outputs") / language / f"{text.stem}{suffix}"


def translate_sentences(
    engine: Engine,
    route: Route,
    sentences: list[str],
    glossary: Glossary,
    progress: Progress | None = None,
    calls: list[int] | None = None,
) -> list[PinnedResult]:
    """Sentences through the glossary mask and batched engine calls.

    The first call carries every sentence (and the progress bar); a second one,
    if any, only re-asks the sentences whose pinned terms did not come back.
    Each call's size is appended to `calls` when given. Returns PinnedResults.
    """
    from translate.mask import translate_pinned

    made: list[int] = [] if calls is None else calls

    def batch(texts: list[str]) -> list[str]:
        made.append(len(texts))
        return engine.translate(texts, route, progress if len(made) == 1 else None)

    return translate_pinned(sentences, batch, glossary, route.source, route.target)


def load_glossary(config: Config) -> Glossary:
    """The project glossary (an empty one if the folder holds none)."""
    from translate.glossary import load_glossary as load

    return load(config.path("glossary"))


def translate_text(
    text: str,
    name: str,
    source: str,
    targets: list[str],
    config: Config,
    start_task: StartTask = _no_progress,
) -> dict[str, str]:
    """Translate one document into each target, without the memory."""
    document = parse(text, name, source)
    sentences = [s.text for s in document.segments]
    glossary = load_glossary(config)
    engines = Engines(config)
    results = {}
    try:
        for target in targets:
            engine, route = engines.choose(source, target)
            advance = start_task(f"{source}→{target}", len(sentences))
            pinned = translate_sentences(engine, route, sentences, glossary, advance)
            translations = {s.index: r.text for s, r in zip(document.segments, pinned)}
            results[target] = document.render(translations, target)
    finally:
        engines.close()
    return results


def run(
    config: Config,
    only: list[str] | None = None,
    targets: list[str] | None = None,
    dry_run: bool = False,
    start_task: StartTask = _no_progress,
) -> RunReport:
    """Translate all texts into all target languages, reusing the memory."""
    from translate.memory import TranslationMemory

    report = RunReport(started=_now(), dry_run=dry_run, source_language=config.source_language)
    texts = load_texts(config, only)
    report.texts = [t.path.name for t in texts]
    targets = [languages.validate(t) for t in targets] if targets else config.targets
    glossary = load_glossary(config)
    engines = Engines(config)
    memory_path = config.path("memory")
    scratch = None
    if dry_run and not memory_path.exists():  # a dry run creates no memory: plan against an empty one
        scratch = tempfile.TemporaryDirectory(prefix="translate-dry-run-")
        memory_path = Path(scratch.name) / "memory.sqlite"
    try:
        with TranslationMemory(memory_path) as memory:
            if not dry_run:
                for text in texts:
                    record_layout(memory, text, config.source_language)
            for target in targets:
                result = LanguageResult(language=target)
                report.languages.append(result)
                try:
                    _run_language(config, memory, engines, glossary, texts, target, result, dry_run, start_task)
                except NoRouteError as err:
                    result.status, result.message = "skipped", str(err)
                    report.warnings.append(f"{target}: {err}")
                except TranslateError as err:
                    result.status, result.message = "failed", str(err)
                    report.errors.append(f"{target}: {err}")
            memory.checkpoint()
    finally:
        engines.close()
        if scratch:
            scratch.cleanup()
    report.finished = _now()
    return report


def _run_language(
    config: Config,
    memory: TranslationMemory,
    engines: Engines,
    glossary: Glossary,
    texts: list[SourceText],
    target: str,
    result: LanguageResult,
    dry_run: bool,
    start_task: StartTask,
) -> None:
    from translate.po import export_po

    source = config.source_language
    engine, route = engines.choose(source, target)
    signature = Signature.for_route(route, engine.version(), engine.options(), glossary.version)
    result.engine, result.route, result.signature = engine.name, route.describe(), str(signature)
    sentences = list(dict.fromkeys(s.text for t in texts for s in t.document.segments))
    result.segments = len(sentences)
    plan = memory.plan(sentences, source, target, str(signature))
    todo = list(plan.translate) + list(plan.stale)
    result.reused, result.stale, result.translated = len(plan.reuse), len(plan.stale), len(todo)
    if dry_run:
        result.status = "planned"
        return
    if todo:
        advance = start_task(f"{source}→{target} ({engine.name})", len(todo))
        began = time.perf_counter()
        calls: list[int] = []
        pinned = translate_sentences(engine, route, todo, glossary, advance, calls)
        result.engine_seconds = round(time.perf_counter() - began, 3)
        result.engine_calls = len(calls)
        rows = []
        for sentence, outcome in zip(todo, pinned):
            notes = {"violations": [_violation_dict(v) for v in outcome.violations], "flagged": outcome.flagged}
            result.flagged += int(outcome.flagged)
            result.glossary_violations += len(outcome.violations)
            rows.append((sentence, outcome.text, notes))
        memory.store_machine(rows, source, target, str(signature))
    entries = memory.lookup(sentences, source, target)
    for text in texts:
        translations = {s.index: entries[s.text].best_text for s in text.document.segments if s.text in entries}
        body = text.document.render(translations, target)
        header = _front_matter(text, target, route.describe(), signature, entries, memory, config)
        path = output_path(config, target, text)
        if atomic_write_text(path, header + body):
            result.files_written.append(str(path.relative_to(config.root)))
        po_path = output_path(config, target, text, ".po")
        warnings: list[str] = []
        if export_po(po_path, text, target, memory, config, glossary, warnings):
            result.files_written.append(str(po_path.relative_to(config.root)))
        result.message = "; ".join(filter(None, [result.message, *warnings]))


def _front_matter(
    text: SourceText,
    target: str,
    route: str,
    signature: Signature,
    entries: dict[str, MemoryEntry],
    memory: TranslationMemory,
    config: Config,
) -> str:
    """A YAML header naming the source, engine, route and review state."""
    from translate.review import review_state

    state = review_state(memory, text, target, config.review.publish_threshold)
    if state.reviewed:
        status = f"reviewed ({state.approved + state.edited} of {state.segments} sentences approved)"
    elif state.approved or state.edited:
        status = f"partly reviewed ({state.approved + state.edited} of {state.segments} sentences approved)"
    else:
        status = "machine translation, not reviewed"
    segments = text.document.segments
    title = entries[segments[0].text].best_text if segments and segments[0].text in entries else text.document.title
    lines = [
        "---",
        f"title: {_yaml_str(title)}",
        f"source: {_yaml_str(text.path.name)}",
        f"source_language: {text.document.language}",
        f"language: {target}",
        f"engine: {signature.engine}",
        f"route: {_yaml_str(route)}",
        f"signature: {_yaml_str(str(signature))}",
        f"glossary: {_yaml_str(signature.glossary)}",
        f"status: {_yaml_str(status)}",
    ]
    if state.reviewers:
        lines.append(f"reviewers: [{', '.join(_yaml_str(name) for name in state.reviewers)}]")
    return "\n".join([*lines, "---", ""]) + "\n"


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _violation_dict(violation: GlossaryViolation) -> dict:
    return asdict(violation) if hasattr(violation, "__dataclass_fields__") else {"message": str(violation)}


def record_layout(memory: TranslationMemory, text: SourceText, source: str) -> None:
    """Remember where each sentence sits, so a changed sentence's old version can be found."""
    rows, position, block = [], 0, -1
    for segment in text.document.segments:
        position = position + 1 if segment.block == block else 0
        block = segment.block
        rows.append((segment.index, segment.block, position, segment.source_hash, segment.text))
    memory.record_layout(text.path.name, source, rows)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
