"""`translate run`'s driver: every language of a run, only what changed, several at once.

For each target language the runner asks the delivered index what is out of
date (translate.run.freshness), plans the texts that are against the memory,
has the engine translate what the memory lacks, stores it, and hands the
language to `deliver` (the workflow's writer of .md and PO files).

Languages are independent, so their engine work runs in parallel, up to
`engine.jobs` at a time (default: the number of cores): an Apertium language is
a chain of processes, an Argos one a CTranslate2 model that releases the GIL.
Everything that touches the memory (planning, storing, delivering) stays in the
thread that opened it, so memory writes are serialized and each is one
transaction, as in a sequential run; the output is byte for byte the same
whatever the number of jobs (tests/test_run_parallel.py). Measured on 2 cores,
the cold 13-language run of both essays uses the second core (CPU time / wall
time in `make bench`, section "scale").

The per-language steps are separate calls (`_attempt` wraps each), so a failure
stays within its language; a text that cannot be read is reported and left out
while the others are translated (`prepare`).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

from translate import languages
from translate.clock import utc_now
from translate.config import Config
from translate.engines import registry
from translate.engines.base import Route
from translate.engines.registry import Engines, NoRouteError
from translate.errors import InputFileError, TranslateError
from translate.fileio import decode_source
from translate.glossary.model import Glossary
from translate.memory.store import TranslationMemory
from translate.progress import StartTask, no_progress
from translate.run.freshness import Freshness, LanguageState, language_fingerprint, run_fingerprint
from translate.run.jobs import EngineJob, Executor, JobRecord, JobResult, LanguagePlan, Submission, ThreadExecutor
from translate.run.pipeline import Deliver, LanguageRun, load_project_glossary, record_layout
from translate.run.report import LanguageResult, RunReport
from translate.texts import SourceText, load_text, read_text, text_paths

T = TypeVar("T")

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
    cluster: str = "",
) -> RunReport:
    """Translate all texts into all target languages, reusing the memory; `deliver` each stored language.

    With `outputs`, the run keeps the memory's index of delivered files
    (translate.run.freshness) and does only what changed: a text whose files are
    up to date in a language is neither planned nor delivered there, and a
    language with nothing to do is not even handed to its engine.
    """
    report = RunReport(started=utc_now(), dry_run=dry_run, source_language=config.source_language)
    paths = text_paths(config, only)
    targets = config.targets if targets is None else languages.parse_list(targets)  # each once, never none
    engines = Engines(config)
    try:
        # A dry run reads the memory and writes nothing: read-only, it also works in a read-only folder.
        with TranslationMemory(config.path("memory"), readonly=dry_run) as memory:
            report.memory_update = memory.synced.describe()
            report.memory_conflicts = memory.synced.conflict_lines()
            job = _Run(
                config,
                memory,
                engines,
                report,
                dry_run,
                start_task,
                deliver,
                outputs if deliver is not None and not dry_run else None,
                cluster=cluster,
            )
            if not dry_run:  # drafts a run that died stored without their text record
                memory.record_pending()
            job.prepare(paths, targets, only)
            job.languages(targets)
            gone = memory.vanished()
            if gone:  # deleted or replaced under the run: say where the work is, never lose it in silence
                report.errors.append(gone)
            elif not dry_run:
                memory.checkpoint()
    finally:
        engines.close()
    report.finished = utc_now()
    return report


def jobs(config: Config) -> int:
    """How many languages translate at once: `engine.jobs`, else the number of cores."""
    return max(1, config.engine.jobs or os.cpu_count() or 1)


@dataclass
class _Run:
    """One run's shared state: the memory (this thread's), engines, report and delivered index."""

    config: Config
    memory: TranslationMemory
    engines: Engines
    report: RunReport
    dry_run: bool
    start_task: StartTask
    deliver: Deliver | None
    outputs: Outputs | None  # None: no index (a dry run, or a caller that delivers nothing)
    states: dict[str, LanguageState] = field(default_factory=dict)
    texts: dict[str, SourceText] = field(default_factory=dict)
    freshness: Freshness | None = None
    glossary: Glossary | None = None
    segments: int = 0
    cluster: str = ""  # a Dask scheduler's address (--cluster), else engine.cluster, else none: threads here

    def prepare(self, paths: list[Path], targets: list[str], only: list[str] | None) -> None:
        """Read the texts, ask the index what is out of date, parse and record only what must be.

        A text that cannot be read (too large, not UTF-8, a control character, a bad
        name) is reported in the run's errors and left out; the others go on.
        """
        config, memory = self.config, self.memory
        data, decoded = {}, {}
        for path in paths:
            try:
                data[path.name] = read_text(path, config)
                decoded[path.name] = decode_source(data[path.name], str(path))
            except InputFileError as err:
                data.pop(path.name, None)
                self.report.failed_texts.append({"text": path.name, "error": str(err)})
                self.report.errors.append(str(err))
        paths = [path for path in paths if path.name in decoded]
        self.report.texts = [path.name for path in paths]
        if self.outputs is not None:
            outputs = self.outputs
            digests = {name: hashlib.sha256(content).hexdigest() for name, content in data.items()}
            self.freshness = Freshness(config, memory, digests)
            common = run_fingerprint(config, registry.environment(config))
            for target in targets:
                files = {name: outputs(target, name) for name in digests}
                self.states[target] = self.freshness.check(target, language_fingerprint(common, target), files)
            if only is None:
                self.freshness.index.forget_documents_except(digests)
        wanted = {name for state in self.states.values() if not state.skipped for name in state.dirty}
        for path in paths:
            if self.freshness is None or path.name in wanted:
                text = load_text(path, decoded[path.name], config.source_language)
                self.texts[path.name] = text
                if not self.dry_run:
                    record_layout(memory, text, config.source_language)
        if self.freshness is not None:
            self.segments = memory.distinct_sentences(data)

    def languages(self, targets: list[str]) -> None:
        """Each language: from the index, or planned here, translated by a worker, stored and delivered here.

        Every language is planned before the first worker starts: planning reads the
        memory row by row, and each row handed over waits for the GIL while a
        worker holds it.
        """
        planned: list[tuple[LanguageRun, LanguageState | None, list[str]]] = []
        for target in targets:
            result = LanguageResult(language=target)
            self.report.languages.append(result)
            state = self.states.get(target)
            if state is not None and self._from_index(state, result):
                continue
            if self.glossary is None:
                self.glossary = load_project_glossary(self.config)
            chosen = [self.texts[name] for name in state.dirty] if state is not None else list(self.texts.values())
            language = LanguageRun(
                self.config, self.memory, self.engines, self.glossary, chosen, target, result, self.dry_run, self.start_task
            )
            todo = self._attempt(language, state, language.plan)
            if todo is not None:
                planned.append((language, state, todo))
        busy = [(language, state, todo) for language, state, todo in planned if todo and not self.dry_run]
        ready = [(language, state) for language, state, todo in planned if not todo or self.dry_run]
        if busy:
            self._work(busy, ready)
        for language, state in ready:  # with no job out (or all of them done): delivered now
            self._attempt(language, state, partial(self._finish, language, state))
        spans = [language.engine_span for language, _, _ in busy if language.engine_span]
        if spans:
            self.report.engine_wall_seconds = round(max(e for _, e in spans) - min(b for b, _ in spans), 3)

    def _executor(self) -> Executor:
        """Threads of this process, or the Dask cluster that `--cluster` or engine.cluster names."""
        address = self.cluster or self.config.engine.cluster
        if not address:
            return ThreadExecutor(jobs(self.config))
        from translate.run.cluster import ClusterExecutor  # Dask takes 3 s to import: only for a run on a cluster

        assert self.glossary is not None
        return ClusterExecutor(address, self.config, self.glossary)

    def _work(self, busy: list[tuple[LanguageRun, LanguageState | None, list[str]]], ready: list) -> None:
        """Every job of the languages with work through the executor; each result stored as it comes back.

        When a language's last job is stored, it is delivered, while other languages'
        jobs are still out; a language with nothing to translate (`ready`) is
        delivered meanwhile, one after each result, and taken off the list. A job
        that failed fails its language (its other jobs are still stored: the next
        run translates only what is missing).
        """
        executor = self._executor()
        left: dict[str, int] = {}
        owner = {language.target: (language, state) for language, state, _ in busy}
        try:
            try:
                plans = [
                    LanguagePlan(language.target, route, str(language.signature), language.crosscheck_plan())
                    for language, route in _routes(busy)
                ]
                self.report.warnings += executor.start(plans)
            except TranslateError as err:  # no cluster to reach, or no worker there that fits: every language says so
                for language, state, _ in busy:
                    self._attempt(language, state, partial(_raise, err))
                return

            def submissions() -> Iterator[Submission]:
                for language, _, todo in shared_hops_last(busy):
                    jobs = language.jobs(todo)
                    left[language.target] = len(jobs)
                    language.advance = self.start_task(f"{language.source}→{language.target} ({language.engine_name})", len(todo))
                    language.engine_span = (time.perf_counter(),) * 2
                    for job in jobs:
                        yield job, partial(language.run_job, job)

            for job, outcome in executor.run(submissions()):
                language, state = owner[job.target]
                self._attempt(language, state, partial(self._store, language, job, outcome, executor.progress_inside))
                left[job.target] -= 1
                if not left[job.target]:
                    self._attempt(language, state, language.record_drafts)
                if not left[job.target] and language.result.status != "failed":
                    language.settle_message()
                    self._attempt(language, state, partial(self._finish, language, state))
                if ready:
                    other, other_state = ready.pop(0)
                    self._attempt(other, other_state, partial(self._finish, other, other_state))
        finally:
            self.report.executor = executor.figures()
            executor.close()
            for language, state, _ in busy:  # a run cut short still leaves its stored drafts in the text record
                self._attempt(language, state, language.record_drafts)

    def _store(self, language: LanguageRun, job: EngineJob, outcome: JobResult | BaseException, counted: bool) -> None:
        """A job's drafts into the memory (this thread owns it), counted into its language and the report."""
        if isinstance(outcome, BaseException):
            raise outcome
        language.store(language.absorb(outcome), record=False)
        if not counted and language.advance is not None:
            language.advance(len(job.sentences))
        if language.engine_span is not None:
            language.engine_span = (language.engine_span[0], time.perf_counter())
        self.report.jobs.append(
            JobRecord(
                job.key,
                job.target,
                len(job.sentences),
                job.characters,
                outcome.worker,
                outcome.seconds,
                outcome.engine_seconds,
                outcome.started,
            )
        )

    def _finish(self, language: LanguageRun, state: LanguageState | None) -> None:
        if self.deliver is not None and not self.dry_run:
            self.deliver(language)
        if self.freshness is not None and state is not None and self.outputs is not None:
            result = language.result
            result.segments, result.reused = self.segments, self.segments - result.translated
            files = {name: self.outputs(language.target, name) for name in state.dirty}
            self.freshness.settle(state, language.delivered, files, _stored(result))

    def _attempt(self, language: LanguageRun, state: LanguageState | None, step: Callable[[], T]) -> T | None:
        """Run one step of a language; a failure marks the language (skipped or failed), never the run."""
        result = language.result
        try:
            return step()
        except NoRouteError as err:
            result.status, result.message = "skipped", str(err)
            self.report.warnings.append(f"{language.target}: {err}")
            if self.freshness is not None and state is not None:
                self.freshness.skip(state, _stored(result))
        except (TranslateError, OSError) as err:  # OSError: a file of this language could not be read or written
            message = str(err) if isinstance(err, TranslateError) else f"{err.filename or ''}: {err.strerror or err}"
            result.status, result.message = "failed", message.lstrip(": ")
            self.report.errors.append(f"{language.target}: {result.message}")
            if self.freshness is not None:
                self.freshness.fail(language.target)
        return None

    def _from_index(self, state: LanguageState, result: LanguageResult) -> bool:
        """Fill a language's result from the index when nothing about it changed; False when it has work."""
        stored = state.stored
        if stored is None or not (state.skipped or state.up_to_date):
            return False
        if state.skipped:
            result.status, result.message = "skipped", stored.get("message", "")
            self.report.warnings.append(f"{state.target}: {result.message}")
            return True
        result.engine, result.route, result.signature = stored["engine"], stored["route"], stored["signature"]
        result.segments = result.reused = self.segments
        return True


def _raise(err: BaseException) -> None:
    raise err


def _routes(busy: list[tuple[LanguageRun, LanguageState | None, list[str]]]) -> list[tuple[LanguageRun, Route]]:
    """Each planned language with its route (planning chose one for every language with work)."""
    return [(language, language.route) for language, _, _ in busy if language.route is not None]


Planned = tuple[LanguageRun, "LanguageState | None", list[str]]


def shared_hops_last(planned: list[Planned]) -> list[Planned]:
    """The languages in the order their engine work starts: a language whose first hop an earlier one
    shares (en→pt_BR for es, gl, ca...; en→es for fr, it...) goes after the others.

    The first of them translates the shared hop while the other workers translate languages of their
    own, instead of waiting for its lock and taking it from the cache only then. The output is the
    same in any order; measured on 2 cores (a load average of 15 to 19, so only indicative), the cold
    run of both essays into 14 languages took 85.4 s in the configured order and 68.7 s so, with the
    same CPU time (53 and 54 s).
    """
    seen: set[str] = set()
    first: list[Planned] = []
    later: list[Planned] = []
    for item in planned:
        route = item[0].route
        hop = route.hops[0] if route is not None else None
        key = f"{hop.engine}:{hop.steps[0]}>{hop.steps[1]}" if hop is not None else ""
        (later if key and key in seen else first).append(item)
        seen.add(key)
    return first + later


def _stored(result: LanguageResult) -> dict:
    """What the index keeps of a language's result, to report it when nothing changes."""
    if result.status == "skipped":
        return {"status": "skipped", "message": result.message}
    return {"status": result.status, "engine": result.engine, "route": result.route, "signature": result.signature}
