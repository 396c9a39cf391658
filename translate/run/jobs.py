"""The engine work of a run as independent jobs, and the executors that run them.

A job is a batch of one language's sentences along one route (`EngineJob`):
small, self-contained, and the same whichever executor runs it. `pipeline.run_job` does
everything between the memory's plan and the memory's write: the guards
(over-long sentences cut at clauses, degenerate outputs retried), the glossary
layer (check first, mask, engine, unmask, n-best), the finishing rules and the
quality checks, then (with `review.crosscheck`) the independent engines' measures
of its new drafts, along the routes the coordinator chose (`LanguagePlan.crosscheck`).
It returns the rows to store, each with the engine's raw output
(`Draft.raw`: what the engine returned for the attempt kept), and how long it
took. Planning, memory writes, finishing and re-checking of stored drafts and
delivery stay in the coordinating process that owns the memory (`translate.run.runner`).

Why the job boundary sits around mask→engine→unmask and the checks, not around
the engine call alone: the glossary layer calls the engine two or three times
per batch (the sentences as written or their n-best lists, then only the ones
missing a pinned term, masked; a degenerate output once more with safer
settings), each call depending on the last; the checks read the engine's own
marks (Apertium's `*unknown` words), which the engine instance that translated
the sentence keeps (`Engine.marks`). Cut at the engine call, a job would be a
chain of round trips with the engine's state split between machines; cut here,
it is one round trip carrying sentences out and finished rows back, and the
coordinator's only work per job is a memory write.

Jobs are cut by characters of source (`engine.job_chars`, default 100,000:
about 17,000 words) in the order the plan gives, the same way for every
executor, so a run's drafts do not depend on where its jobs ran: a sentence's
Apertium output can depend on its neighbours in one process (the tagger carries
context from one sentence into the next), and an Argos batch on its companions.
An Apertium hop costs about 0.2 s of process start, so a job of 100,000
characters spends about 1 % of its engine time starting Apertium (3-5 s of
work per hop at 5,000 words/s); the two essays of this project are one job per
language, as before jobs existed.

`ThreadExecutor` is the local executor: jobs in threads of this process, all
sharing the run's engines (`engine.jobs` at once). `translate.run.cluster` is
the other, on a Dask cluster; both yield results as they complete, with a
bounded number in flight, so the coordinator stores each job as it arrives.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from translate.engines.base import Route
from translate.memory.notes import Notes


@dataclass(frozen=True)
class EngineJob:
    """A batch of one language's sentences along one route: the unit of engine work of a run."""

    key: str  # '<target>-<number>', unique in a run: what the report and a cluster's dashboard show
    target: str
    route: Route
    sentences: tuple[str, ...]
    headings: frozenset[str] = frozenset()  # those of `sentences` that are headings (sentence case where written so)
    formats: tuple[str, ...] = ()  # each sentence's inline markup ('md', 'txt'; translate.markup): none given is 'txt'

    @property
    def characters(self) -> int:
        return sum(len(s) for s in self.sentences)


@dataclass
class Draft:
    """A machine translation to store: the finished text, its notes, and the engine's raw output."""

    sentence: str
    text: str
    notes: Notes
    raw: str  # what the engine returned for the attempt kept (placeholders and all), before unmasking and finishing


@dataclass
class JobResult:
    """What a job sends back: the drafts, who made them and how long it took."""

    key: str
    target: str
    drafts: list[Draft]
    worker: str  # 'this machine' for the local executor, else the cluster worker's name or address
    seconds: float  # the whole job where it ran: engine, glossary layer, finishing, checks
    engine_seconds: float  # the engine and the glossary layer (the guards and masked retries included)
    engine_calls: int
    started: float = 0.0  # when it began where it ran (seconds since the epoch): the gaps between jobs are the overhead
    crosscheck_sentences: int = 0  # drafts of this job measured by independent engines (translate.run.crosscheck)
    crosscheck_seconds: float = 0.0  # what that cost, where the job ran
    crosscheck_routes: list[str] = field(default_factory=list)  # the round trip's and the second route's specs
    crosscheck_problem: str = ""  # why a measure is missing (an engine failed), for the run's report


@dataclass
class JobRecord:
    """One line of the run report: which worker did which job, and how long it took."""

    job: str
    language: str
    sentences: int
    characters: int
    worker: str
    seconds: float
    engine_seconds: float
    started: float  # seconds since the epoch, by the clock of the machine where it ran


def cut_jobs(
    target: str,
    route: Route,
    todo: Sequence[str],
    headings: set[str],
    job_chars: int,
    formats: Mapping[str, str] | None = None,
) -> list[EngineJob]:
    """A language's sentences to translate as jobs of at most `job_chars` characters (a longer sentence is one job);
    `formats`: the inline markup of each sentence's text (none given: plain text)."""
    jobs: list[EngineJob] = []
    batch: list[str] = []
    size = 0

    def close() -> None:
        key = f"{target}-{len(jobs) + 1}"
        marked = tuple(formats.get(s, "txt") for s in batch) if formats else ()
        jobs.append(EngineJob(key, target, route, tuple(batch), frozenset(s for s in batch if s in headings), marked))

    for sentence in todo:
        if batch and size + len(sentence) > job_chars:
            close()
            batch, size = [], 0
        batch.append(sentence)
        size += len(sentence)
    if batch:
        close()
    return jobs


@dataclass(frozen=True)
class LanguagePlan:
    """What a run's coordinator decided for a language with work: what a cluster worker must reproduce."""

    target: str
    route: Route
    signature: str
    crosscheck: tuple[tuple[str, Route, str], ...] | None = None  # drafts measured along ('back' or 'second',
    # route, its engine's signature) (translate.run.crosscheck; () = agreement only); None: not measured


Submission = tuple[EngineJob, Callable[[], JobResult]]
"""A job, and how to run it in this process (with the run's engines, glossary, limits and progress bar)."""

Outcome = tuple[EngineJob, "JobResult | BaseException"]
"""A finished job: its result, or what went wrong (the coordinator marks the language failed)."""


class Executor(ABC):
    """Runs a run's jobs and yields each outcome as it completes, never holding more than a bounded number."""

    name: str = "executor"
    progress_inside: bool = False  # True: a job's progress bar advances inside the engine (threads here)

    def start(self, plans: Sequence[LanguagePlan]) -> list[str]:
        """Get ready for the languages with work (a cluster checks its workers); the lines to warn about."""
        return []

    @abstractmethod
    def run(self, submissions: Iterable[Submission]) -> Iterator[Outcome]:
        """Every submission's outcome, in the order they complete."""

    def figures(self) -> dict[str, Any]:
        """What the report says about the executor (a cluster's workers and timings)."""
        return {}

    def close(self) -> None:
        """Release what `start` took."""


@dataclass
class ThreadExecutor(Executor):
    """Jobs in threads of this process, sharing the run's engines: `engine.jobs` at once.

    An Apertium job is a chain of processes and an Argos one a CTranslate2 model
    that releases the GIL, so threads keep the cores busy. A job's progress bar
    advances inside the engine, as its sentences come back.
    """

    workers: int
    name: str = "threads"
    progress_inside: bool = True
    peak_in_flight: int = field(default=0, init=False)

    def run(self, submissions: Iterable[Submission]) -> Iterator[Outcome]:
        limit = 2 * self.workers
        pending = iter(submissions)
        running: dict[Future[JobResult], EngineJob] = {}
        pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="translate")
        try:
            while True:
                while len(running) < limit:
                    submission = next(pending, None)
                    if submission is None:
                        break
                    job, here = submission
                    running[pool.submit(here)] = job
                self.peak_in_flight = max(self.peak_in_flight, len(running))
                if not running:
                    return
                for future in wait(running, return_when=FIRST_COMPLETED).done:
                    job = running.pop(future)
                    error = future.exception()
                    yield job, error if error is not None else future.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def figures(self) -> dict[str, Any]:
        return {"executor": self.name, "threads": self.workers, "peak_in_flight": self.peak_in_flight}


def records_by_worker(records: Iterable[JobRecord]) -> dict[str, dict[str, float]]:
    """Per worker: jobs, sentences, seconds and engine seconds (what the terminal summary shows)."""
    workers: dict[str, dict[str, float]] = {}
    for record in records:
        row = workers.setdefault(record.worker, {"jobs": 0, "sentences": 0, "seconds": 0.0, "engine_seconds": 0.0})
        row["jobs"] += 1
        row["sentences"] += record.sentences
        row["seconds"] = round(row["seconds"] + record.seconds, 3)
        row["engine_seconds"] = round(row["engine_seconds"] + record.engine_seconds, 3)
    return workers
