"""The run stage: texts → segments → memory plan → glossary mask → engine → memory.

`run()` is the heart of `translate run` and of scheduled jobs: for every target
language it collects the sentences of all texts, reuses what the translation
memory already holds (human-approved text first), sends only new or stale
sentences to the engine in one batched call, and stores the results. It
writes no file itself: once a language's sentences are stored it hands its
`LanguageRun` to `deliver`, the function the caller passes in.
`translate.workflow` passes the one that writes the PO files and the .md
outputs, stages this one never imports. `translate_text()` is the
memory-less path for one file or stdin.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from translate import languages
from translate.checks import CHECKS_VERSION, Unit, check_sentence, is_flagged, sentence_words
from translate.clock import utc_now
from translate.config import Config
from translate.engines import registry
from translate.engines.base import Engine, Route
from translate.engines.registry import Engines, NoRouteError
from translate.errors import TranslateError
from translate.fileio import decode_source
from translate.glossary.model import Glossary
from translate.memory.notes import Notes
from translate.memory.store import TranslationMemory
from translate.progress import Progress, StartTask, no_progress
from translate.run.freshness import Freshness, LanguageState, language_fingerprint, run_fingerprint
from translate.run.report import LanguageResult, RunReport
from translate.run.signature import Signature
from translate.segment import parse
from translate.texts import SourceText, load_text, text_paths

if TYPE_CHECKING:
    from translate.glossary.pinning import PinnedResult


@dataclass
class LanguageRun:
    """One target language of one run: what the run stage needs, and what it hands on.

    The run stage fills `engine`, `route` and `signature`, translates what the
    memory lacks and stores it, and counts what it did in `result`; `deliver`
    then finds every sentence of `texts` in `memory`.
    """

    config: Config
    memory: TranslationMemory
    engines: Engines
    glossary: Glossary
    texts: list[SourceText]
    target: str
    result: LanguageResult
    dry_run: bool = False
    start_task: StartTask = no_progress
    engine: Engine | None = None
    route: Route | None = None
    signature: Signature | None = None
    delivered: list[str] = field(default_factory=list)  # texts whose every file `deliver` wrote as built

    @property
    def source(self) -> str:
        return self.config.source_language

    def sentences(self) -> list[str]:
        """The distinct sentences of all texts, in reading order."""
        return list(dict.fromkeys(s.text for t in self.texts for s in t.document.segments))

    def translate(self) -> None:
        """Plan against the memory, translate what is new or stale, store it (nothing when a dry run)."""
        source, target, result = self.source, self.target, self.result
        engine, route = self.engines.choose(source, target)
        signature = Signature.for_route(
            route, engine.version(), engine.options(), self.glossary.version, checks=CHECKS_VERSION
        )
        self.engine, self.route, self.signature = engine, route, signature
        result.engine, result.route, result.signature = engine.name, route.describe(), str(signature)
        sentences = self.sentences()
        result.segments = len(sentences)
        plan = self.memory.plan(sentences, source, target, str(signature))
        todo = list(plan.translate) + list(plan.stale)
        result.reused, result.stale, result.translated = len(plan.reuse), len(plan.stale), len(todo)
        if self.dry_run:
            result.status = "planned"
            return
        if not todo:
            return
        advance = self.start_task(f"{source}→{target} ({engine.name})", len(todo))
        began = time.perf_counter()
        calls: list[int] = []
        pinned = translate_sentences(engine, route, todo, self.glossary, advance, calls)
        result.engine_seconds = round(time.perf_counter() - began, 3)
        result.engine_calls = len(calls)
        rows = []
        for sentence, outcome in zip(todo, pinned):
            notes = checked_notes(sentence, outcome, engine, route, self.glossary)
            rows.append((sentence, outcome.text, notes))
            result.flagged += int(bool(notes.flagged))
            result.glossary_violations += len(outcome.violations)
            for signal in notes.signals or ():
                result.signals[signal.check] = result.signals.get(signal.check, 0) + 1
        self.memory.store_machine(rows, source, target, str(signature))


def checked_notes(sentence: str, outcome: PinnedResult, engine: Engine, route: Route, glossary: Glossary) -> Notes:
    """The notes stored with a machine translation: glossary violations, the quality
    checks' signals (with the engine's own marks), and the flag when they add up."""
    unit = Unit(
        source=sentence,
        target=outcome.text,
        source_lang=route.source,
        target_lang=route.target,
        route=route.steps,
        marks=engine.marks(route, outcome.engine_text),
        violations=tuple(outcome.violations),
        glossary=glossary,
    )
    signals = check_sentence(unit)
    return Notes(violations=list(outcome.violations), flagged=is_flagged(signals, sentence_words(unit)), signals=signals)


Deliver = Callable[[LanguageRun], None]
"""What becomes of a language once its sentences are stored (the workflow writes its files)."""


def translate_sentences(
    engine: Engine,
    route: Route,
    sentences: list[str],
    glossary: Glossary,
    progress: Progress | None = None,
    calls: list[int] | None = None,
) -> list[PinnedResult]:
    """Sentences through the glossary mask and batched engine calls.

    The first call carries every sentence (and the progress bar), as an n-best
    list where the engine offers one; a second one, if any, only re-asks the
    sentences no hypothesis of which carried their pinned terms. Each call's
    size is appended to `calls` when given. Returns PinnedResults.
    """
    from translate.glossary.pinning import translate_pinned  # with the engine's first sentence, not for a no-op run

    made: list[int] = [] if calls is None else calls

    def batch(texts: list[str]) -> list[str]:
        made.append(len(texts))
        return engine.translate(texts, route, progress if len(made) == 1 else None)

    def nbest(texts: list[str]) -> list[list[str]]:
        made.append(len(texts))
        return engine.translate_nbest(texts, route, engine.max_hypotheses(), progress if len(made) == 1 else None)

    offered = nbest if engine.max_hypotheses() > 1 else None
    return translate_pinned(sentences, batch, glossary, route.source, route.target, translate_nbest=offered)


def translate_text(
    text: str,
    name: str,
    source: str,
    targets: list[str],
    config: Config,
    start_task: StartTask = no_progress,
) -> dict[str, str]:
    """Translate one document into each target, without the memory."""
    document = parse(text, name, source)
    sentences = [s.text for s in document.segments]
    glossary = _glossary(config)
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


Outputs = Callable[[str, str], list[Path]]
"""outputs(target, text name): the files `deliver` writes for a text in a language."""


def run(
    config: Config,
    only: list[str] | None = None,
    targets: list[str] | None = None,
    dry_run: bool = False,
    start_task: StartTask = no_progress,
    deliver: Deliver | None = None,
    outputs: Outputs | None = None,
) -> RunReport:
    """Translate all texts into all target languages, reusing the memory; `deliver` each stored language.

    With `outputs`, the run keeps the memory's index of delivered files
    (translate.run.freshness) and does only what changed: a text whose files are
    up to date in a language is neither planned nor delivered there, and a
    language with nothing to do is not even handed to its engine.
    """
    report = RunReport(started=utc_now(), dry_run=dry_run, source_language=config.source_language)
    paths = text_paths(config, only)
    report.texts = [p.name for p in paths]
    targets = [languages.validate(t) for t in targets] if targets else config.targets
    engines = Engines(config)
    memory_path = config.path("memory")
    scratch = None
    if dry_run and not memory_path.exists():  # a dry run creates no memory: plan against an empty one
        scratch = tempfile.TemporaryDirectory(prefix="translate-dry-run-")
        memory_path = Path(scratch.name) / "memory.sqlite"
    indexed = outputs is not None and deliver is not None and not dry_run
    try:
        with TranslationMemory(memory_path) as memory:
            data = {path.name: path.read_bytes() for path in paths}
            states: dict[str, LanguageState] = {}
            freshness = None
            if indexed:
                assert outputs is not None
                digests = {name: hashlib.sha256(content).hexdigest() for name, content in data.items()}
                freshness = Freshness(config, memory, digests)
                common = run_fingerprint(config, registry.environment(config))
                for target in targets:
                    files = {name: outputs(target, name) for name in digests}
                    states[target] = freshness.check(target, language_fingerprint(common, target), files)
                if only is None:
                    freshness.index.forget_documents_except(digests)
            wanted = {name for state in states.values() if not state.skipped for name in state.dirty}
            texts = {
                path.name: load_text(path, decode_source(data[path.name], str(path)), config.source_language)
                for path in paths
                if not indexed or path.name in wanted
            }
            if not dry_run:
                for text in texts.values():
                    record_layout(memory, text, config.source_language)
            busy = [t for t in targets if not (states.get(t) and (states[t].skipped or states[t].up_to_date))]
            glossary = _glossary(config) if busy else Glossary("none", "0", "en", ())
            segments = memory.distinct_sentences(report.texts) if indexed else 0
            for target in targets:
                result = LanguageResult(language=target)
                report.languages.append(result)
                state = states.get(target)
                if state is not None and _from_index(state, result, segments, report):
                    continue
                chosen = [texts[name] for name in state.dirty] if state is not None else list(texts.values())
                language = LanguageRun(config, memory, engines, glossary, chosen, target, result, dry_run, start_task)
                try:
                    language.translate()
                    if deliver is not None and not dry_run:
                        deliver(language)
                    if freshness is not None and state is not None and outputs is not None:
                        result.segments, result.reused = segments, segments - result.translated
                        files = {name: outputs(target, name) for name in state.dirty}
                        freshness.settle(state, language.delivered, files, _stored(result))
                except NoRouteError as err:
                    result.status, result.message = "skipped", str(err)
                    report.warnings.append(f"{target}: {err}")
                    if freshness is not None and state is not None:
                        freshness.skip(state, _stored(result))
                except TranslateError as err:
                    result.status, result.message = "failed", str(err)
                    report.errors.append(f"{target}: {err}")
                    if freshness is not None:
                        freshness.fail(target)
            memory.checkpoint()
    finally:
        engines.close()
        if scratch:
            scratch.cleanup()
    report.finished = utc_now()
    return report


def _glossary(config: Config) -> Glossary:
    from translate.glossary.files import load_glossary  # TOML parsing and validation: only when a language has work

    return load_glossary(config.path("glossary"))


def _stored(result: LanguageResult) -> dict:
    """What the index keeps of a language's result, to report it when nothing changes."""
    if result.status == "skipped":
        return {"status": "skipped", "message": result.message}
    return {"status": result.status, "engine": result.engine, "route": result.route, "signature": result.signature}


def _from_index(state: LanguageState, result: LanguageResult, segments: int, report: RunReport) -> bool:
    """Fill a language's result from the index when nothing about it changed; False when it has work."""
    stored = state.stored
    if stored is None or not (state.skipped or state.up_to_date):
        return False
    if state.skipped:
        result.status, result.message = "skipped", stored.get("message", "")
        report.warnings.append(f"{state.target}: {result.message}")
        return True
    result.engine, result.route, result.signature = stored["engine"], stored["route"], stored["signature"]
    result.segments = result.reused = segments
    return True


def record_layout(memory: TranslationMemory, text: SourceText, source: str) -> None:
    """Remember where each sentence sits, so a changed sentence's old version can be found."""
    memory.record_layout(text.path.name, source, text.document.layout())
