"""`translate run` on a Dask cluster: the run's jobs on other machines, its memory here.

`translate run --cluster tcp://host:8786` (or `[engine] cluster`) hands the
run's jobs (translate.run.jobs) to the workers of a Dask scheduler, and stores
each job's drafts as it comes back (`as_completed`); planning, the memory,
finishing and delivery stay in the coordinating process. Dask is imported only
here, and this module only by a run that names a cluster: a run without one,
or with nothing to do, never loads it.

What happens, in order:

1. The coordinator connects and sends every worker the run's specification
   (`RunSpec`: each language's route and signature, the glossary, the limits,
   the program's digest). Each worker builds its own engines from it, once per
   worker process for the whole run (an Argos model loads once and its threads
   share it; a Firefox Translations translator is made once per worker thread,
   as that engine does itself), and signs what it would make for each route
   (`pipeline.sign`). A worker whose signatures or program differ from the
   coordinator's would store other drafts under the same signature: it is
   refused, says why in one line on its stderr, and closes.
2. The spec is also registered as a worker plugin, so a worker that joins
   during the run (a new machine, or one restarted after a crash) is checked
   the same way before it gets a job. A worker that fits gets the run's
   resource (`translate-<run>`: one per worker thread), and every job asks for
   one unit of it: only checked workers take jobs.
3. Jobs are submitted as futures with `retries` (a job whose worker died is
   rerun elsewhere by the scheduler; one that raised is tried once more), at
   most `in_flight` at a time (twice the fitting workers' threads): the
   coordinator never holds more results than that, however many jobs a run has.
   Each result is stored and released before the next job goes out.
4. At the end the plugin is removed, and the workers close the run's engines.

A worker is `translate worker tcp://host:8786` (translate.cli.worker): a Dask
worker in this environment, which reads its own configuration for what is
local to its machine (its Argos packages folder, its CTranslate2 threads)
and takes everything that changes a draft from the coordinator.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from distributed import Client, KilledWorker, LocalCluster, WorkerPlugin, as_completed, get_worker

from translate.config import Config, load_config
from translate.engines.base import Engine, Route
from translate.engines.registry import ENGINES, Engines, NoRouteError
from translate.errors import ClusterError, EngineError, TranslateError
from translate.glossary.model import Glossary
from translate.run.crosscheck import CrossRoutes
from translate.run.freshness import program_digest
from translate.run.jobs import EngineJob, Executor, JobResult, LanguagePlan, Outcome, Submission
from translate.run.pipeline import run_job, sign, sign_measure
from translate.run.signature import Signature

log = logging.getLogger(__name__)

WORKER_CONFIG = "TRANSLATE_WORKER_CONFIG"
"""The environment variable naming a worker's own translate.toml (`translate worker --config` sets it)."""

CONNECT_SECONDS = 30  # how long the coordinator tries to reach the scheduler
RETRIES = 1  # a job that raised is tried once more (a worker that died: the scheduler reruns it, up to 3 deaths)
WATCH_SECONDS = 30  # how often the coordinator checks that some worker can still take the run's jobs
REFUSED_CLOSE_SECONDS = 1.0  # a refused worker answers the scheduler, then closes
RUNS_KEPT = 2  # runs whose engines a worker keeps loaded (a coordinator that died never said it was done)

_RUNS: dict[str, _WorkerRun] = {}
_RUNS_LOCK = threading.Lock()
REFUSED: list[str] = []
"""The lines this process's workers were refused with (`translate worker` exits 2 when there is one)."""


@dataclass(frozen=True)
class RunSpec:
    """What every worker of a run must know and reproduce: sent once per worker, never per job."""

    run: str  # a new id per run: the plugin's name, the resource's, and part of every job's key
    coordinator: str  # the coordinating machine's name, for the refusal line
    config: Config
    glossary: Glossary
    plans: tuple[LanguagePlan, ...]
    program: str  # the digest of translate's own files (freshness.program_digest)

    @property
    def resource(self) -> str:
        return f"translate-{self.run}"


@dataclass
class _WorkerRun:
    """A run as one worker process holds it: its engines (loaded once), each language's engine and route."""

    spec: RunSpec
    engines: Engines | None = None
    routes: dict[str, tuple[Engine, Route]] = field(default_factory=dict)
    cross: dict[str, CrossRoutes] = field(default_factory=dict)  # the routes each language's drafts are measured along
    refused: str | None = None  # the one line this worker was refused with

    def close(self) -> None:
        if self.engines is not None:
            self.engines.close()


def worker_config(coordinator: Config) -> Config:
    """This worker's configuration: its own file's machine-local keys (Argos packages, CTranslate2 threads),
    everything that changes a draft from the coordinator's."""
    own = load_config(os.environ.get(WORKER_CONFIG) or None)
    engine = replace(coordinator.engine, threads=own.engine.threads, jobs=own.engine.jobs, cluster="")
    return replace(
        own,
        source_language=coordinator.source_language,
        targets=list(coordinator.targets),
        engine=engine,
        limits=coordinator.limits,
        review=coordinator.review,
        languages=dict(coordinator.languages),
    )


def route_here(engines: Engines, route: Route) -> tuple[Engine, Route]:
    """The engine and route this machine has for the coordinator's route: the same engines over the same
    languages, leg by leg for a chain (`Engines.resolve`; the worker needs no route file of its own)."""
    here = engines.resolve(route.spec, route.source, route.target)
    if here is None:
        raise NoRouteError(f"no route {route.spec} here (an engine or model is missing)")
    return engines.engine_for(here), here


def difference(here: str, there: str) -> str:
    """The first part in which two signatures differ, as 'apertium version 3.8.3 here, 3.9.1 on the coordinator'."""
    mine, theirs = Signature.parse(here), Signature.parse(there)
    for name in ("engine", "engine_version", "route", "models", "options", "glossary", "segmenter", "checks", "pinning"):
        a, b = getattr(mine, name), getattr(theirs, name)
        if a != b:
            what = f"{mine.engine} version" if name == "engine_version" else name.replace("_", " ")
            return f"{what} {a or '(none)'} here, {b or '(none)'} on the coordinator"
    return f"signature {here} here, {there} on the coordinator"


def cross_here(engines: Engines, target: str, planned: tuple[tuple[str, Route, str], ...]) -> tuple[CrossRoutes, str]:
    """The cross-check's routes on this machine, as the coordinator chose them; or why this worker would
    measure the drafts otherwise (an engine missing or of another version): the one line it is refused with."""
    found: dict[str, Route] = {}
    for role, route, signature in planned:
        engine, here = route_here(engines, route)
        mine = str(sign_measure(engine, here))
        if mine != signature:
            return CrossRoutes(), f"{target} cross-check ({role} {route.spec}): {difference(mine, signature)}"
        found[role] = here
    return CrossRoutes(found.get("back"), found.get("second")), ""


def prepare(spec: RunSpec) -> _WorkerRun:
    """Build this worker's engines for a run and check every language's signature against the coordinator's."""
    state = _WorkerRun(spec)
    if program_digest() != spec.program:
        state.refused = (
            f"translate's code differs from the coordinator's ({program_digest()[:12]} here, {spec.program[:12]} there): "
            "install the same version"
        )
        return state
    try:
        state.engines = Engines(worker_config(spec.config))
        for plan in spec.plans:
            engine, route = route_here(state.engines, plan.route)
            signature = str(sign(engine, route, spec.glossary))
            if signature != plan.signature:
                state.refused = f"{plan.target}: {difference(signature, plan.signature)}"
                break
            state.routes[plan.target] = (engine, route)
            if plan.crosscheck is not None:
                cross, why = cross_here(state.engines, plan.target, plan.crosscheck)
                if why:
                    state.refused = why
                    break
                state.cross[plan.target] = cross
    except (TranslateError, OSError) as err:
        state.refused = f"{err}"
    return state


def _remember(state: _WorkerRun) -> _WorkerRun:
    """Keep a run's state in this process (the latest RUNS_KEPT runs); an older run's engines are closed."""
    with _RUNS_LOCK:
        _RUNS[state.spec.run] = state
        old = list(_RUNS)[:-RUNS_KEPT]
        gone = [_RUNS.pop(run) for run in old]
    for done in gone:
        done.close()
    return state


def _state(spec: RunSpec) -> _WorkerRun:
    with _RUNS_LOCK:
        state = _RUNS.get(spec.run)
    return state if state is not None else _remember(prepare(spec))


async def check_worker(spec: RunSpec, dask_worker: Any = None) -> str | None:
    """On a worker (`Client.run`): prepare the run here; None when this worker fits, else the one line why not."""
    state = await asyncio.to_thread(_state, spec)
    return state.refused


def _close_refused(worker: Any, spec: RunSpec, reason: str) -> None:
    """Say in one line why this worker is refused, and close it (its nanny too: it must not come back as it is),
    a moment after answering the scheduler."""
    line = f"translate worker {worker.address}: refused by the run from {spec.coordinator}: {reason}"
    REFUSED.append(line)
    print(line, file=sys.stderr, flush=True)
    closing = lambda: asyncio.ensure_future(worker.close(reason="translate: refused"))  # noqa: E731
    asyncio.get_running_loop().call_later(REFUSED_CLOSE_SECONDS, closing)


class RunPlugin(WorkerPlugin):
    """A run's spec on every worker, those that join during the run included: checked, then given the run's resource."""

    def __init__(self, spec: RunSpec) -> None:
        self.spec = spec
        self.name = spec.resource

    async def setup(self, worker: Any) -> None:
        state = await asyncio.to_thread(_state, self.spec)
        if state.refused is not None:
            _close_refused(worker, self.spec, state.refused)
            return
        await worker.set_resources(**{self.spec.resource: worker.state.nthreads})

    def teardown(self, worker: Any) -> None:
        with _RUNS_LOCK:
            state = _RUNS.pop(self.spec.run, None)
        if state is not None:
            state.close()


def work(run: str, job: EngineJob) -> JobResult:
    """A job on a worker, with the engines this process loaded for the run."""
    with _RUNS_LOCK:
        state = _RUNS.get(run)
    if state is None or job.target not in state.routes:
        raise EngineError(f"this worker was not prepared for run {run} ({job.target}): it joined without the run's check")
    engine, route = state.routes[job.target]
    cross = state.cross.get(job.target)
    return run_job(
        replace(job, route=route),
        engine,
        state.spec.glossary,
        state.spec.config.limits,
        None,
        get_worker().address,
        crosscheck=(state.engines, cross) if state.engines is not None and cross is not None else None,
    )


def describe_here(config: Config) -> str:
    """What this machine's engines are, in one line: what `translate worker` says when it starts."""
    engines = Engines(config)
    try:
        parts = []
        for name in ENGINES:
            try:
                engine = engines.get(name)
                if engine is not None:
                    parts.append(f"{name} {engine.version()} ({len(engine.routes(config.source_language))} targets)")
            except TranslateError as err:
                parts.append(f"{name}: {err}")
        return f"translate {program_digest()[:12]}; " + ", ".join(parts or ["no engine"])
    finally:
        engines.close()


def serve_worker(scheduler: str, nthreads: int, name: str | None, host: str | None) -> int:
    """A Dask worker in this process, taking runs' jobs until closed: 0 when stopped, 2 when a run refused it,
    1 when the scheduler could not be reached."""
    from distributed import Worker  # the worker itself, only for `translate worker`

    async def serve() -> int:
        worker = Worker(scheduler, nthreads=nthreads, name=name, host=host, dashboard=False, death_timeout=CONNECT_SECONDS)
        try:
            await worker
        except (OSError, TimeoutError) as err:
            print(f"error: cannot reach the Dask scheduler at {scheduler}: {err}", file=sys.stderr)
            return 1
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, lambda: asyncio.ensure_future(worker.close(reason="translate worker stopped")))
        print(f"translate worker {worker.address}: taking jobs from {scheduler} with {nthreads} threads", file=sys.stderr)
        await worker.finished()
        return 2 if REFUSED else 0

    return asyncio.run(serve())


def local_cluster(workers: int = 2) -> LocalCluster:
    """A Dask cluster on this machine alone: `workers` processes of one thread each, its scheduler and HTTP
    endpoint on 127.0.0.1 on free ports (the tests' and the bench's cluster; a way to try `--cluster` here).
    Close it (`with`) to stop its processes."""
    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        scheduler_port=0,
        dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR,
    )


class ClusterExecutor(Executor):
    """A run's jobs on a Dask cluster's workers, each result stored as it arrives, a bounded number in flight."""

    name = "dask"
    progress_inside = False

    def __init__(self, address: str, config: Config, glossary: Glossary) -> None:
        self.address = address
        self.config = config
        self.glossary = glossary
        self.client: Client | None = None
        self.spec: RunSpec | None = None
        self.refused: dict[str, str] = {}
        self.fitting: list[str] = []
        self.in_flight = 0
        self.peak_in_flight = 0
        self.peak_futures = 0  # the client's own count of futures it holds (results not yet released)
        self.lost: set[str] = set()
        self.seconds = 0.0
        self.start_seconds = 0.0
        self.lock = threading.Lock()
        self.registered = False  # the run's plugin is on the scheduler (removed at the end)
        self.abandoned = threading.Event()  # set when no worker was left: the jobs not sent yet fail at once

    def start(self, plans: Sequence[LanguagePlan]) -> list[str]:
        """Connect, check every worker against this run's signatures, refuse those that differ."""
        began = time.perf_counter()
        try:
            self.client = Client(self.address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError) as err:
            raise ClusterError(f"cannot reach the Dask scheduler at {self.address}: {err}") from None
        client = self.client
        spec = RunSpec(uuid.uuid4().hex[:12], os.uname().nodename, self.config, self.glossary, tuple(plans), program_digest())
        self.spec = spec
        verdicts = client.run(check_worker, spec, on_error="return")
        for address, verdict in sorted(verdicts.items()):
            if isinstance(verdict, BaseException):
                self.refused[address] = f"could not be checked: {type(verdict).__name__}: {verdict}"
            elif verdict is not None:
                self.refused[address] = verdict
            else:
                self.fitting.append(address)
        if not self.fitting:
            reasons = "; ".join(f"{address}: {reason}" for address, reason in self.refused.items()) or "it has no workers"
            raise ClusterError(f"no worker of the cluster at {self.address} can take this run's jobs ({reasons})")
        try:  # the refused workers close themselves (RunPlugin.setup) ...
            client.register_plugin(RunPlugin(spec), name=spec.resource)
        except OSError:  # ... and one that closed before answering breaks the broadcast: once more, without it
            client.register_plugin(RunPlugin(spec), name=spec.resource)
        self.registered = True
        self.start_seconds = round(time.perf_counter() - began, 3)
        return [f"cluster worker {address} refused: {reason}" for address, reason in self.refused.items()]

    def _threads(self) -> int:
        assert self.client is not None and self.spec is not None
        workers = self.client.scheduler_info(n_workers=-1)["workers"]
        return sum(int(w.get("resources", {}).get(self.spec.resource, 0)) for w in workers.values())

    def run(self, submissions: Iterable[Submission]) -> Iterator[Outcome]:
        assert self.client is not None and self.spec is not None
        client, spec = self.client, self.spec
        began = time.perf_counter()
        limit = max(2, 2 * max(self._threads(), len(self.fitting)))
        self.in_flight = limit
        pending = iter(submissions)
        jobs: dict[str, EngineJob] = {}
        out: dict[str, Any] = {}  # the futures in flight, by key (what the watch cancels when no worker is left)
        stop = threading.Event()
        watch = threading.Thread(target=self._watch, args=(stop, out), daemon=True)

        def submit() -> Any:
            submission = None if self.abandoned.is_set() else next(pending, None)
            if submission is None:
                return None
            job = submission[0]
            key = f"{job.key}-{spec.run}"
            jobs[key] = job
            future = client.submit(work, spec.run, job, key=key, resources={spec.resource: 1}, retries=RETRIES, pure=False)
            with self.lock:
                out[key] = future
            return future

        first = []
        while len(jobs) < limit and (future := submit()) is not None:
            first.append(future)
        finished = as_completed(first, loop=client.loop)
        del first
        watch.start()
        try:
            for future in finished:
                self.peak_in_flight = max(self.peak_in_flight, len(jobs))
                self.peak_futures = max(self.peak_futures, len(client.futures))
                job = jobs.pop(future.key)
                with self.lock:
                    out.pop(future.key, None)
                yield job, self._outcome(job, future)
                future.release()
                del future
                while len(jobs) < limit and (more := submit()) is not None:
                    finished.add(more)
                    del more
            for job, _ in pending:  # never sent: no worker was left to take them
                yield job, EngineError(f"job {job.key}: no worker of {self.address} can take this run's jobs any more")
        finally:
            stop.set()
            self.seconds = round(time.perf_counter() - began, 3)

    def _outcome(self, job: EngineJob, future: Any) -> JobResult | BaseException:
        """A job's result, or its failure as one line the language's result can show."""
        try:
            return future.result()
        except (TranslateError, OSError) as err:
            return err
        except KilledWorker:
            return EngineError(f"job {job.key}: every worker that took it died ({self.address}); the next run retries it")
        except Exception as err:  # a worker's own failure: the language fails with it, the run goes on
            name = type(err).__name__
            if name == "CancelledError":
                return EngineError(f"job {job.key}: no worker of {self.address} can take this run's jobs any more")
            return EngineError(f"job {job.key} failed on the cluster: {name}: {err}")

    def _watch(self, stop: threading.Event, out: dict[str, Any]) -> None:
        """Every WATCH_SECONDS: when no worker of the cluster holds the run's resource, cancel what is left."""
        assert self.client is not None
        while not stop.wait(WATCH_SECONDS):
            try:
                if self._threads() == 0:
                    with self.lock:
                        left = list(out.values())
                    log.warning("no worker of %s can take this run's jobs: %d cancelled", self.address, len(left))
                    self.abandoned.set()
                    self.client.cancel(left)
            except (OSError, TimeoutError):
                continue

    def figures(self) -> dict[str, Any]:
        figures: dict[str, Any] = {
            "executor": self.name,
            "scheduler": self.address,
            "run": self.spec.run if self.spec else "",
            "workers": self.fitting,
            "refused": self.refused,
            "in_flight_limit": self.in_flight,
            "peak_in_flight": self.peak_in_flight,
            "peak_futures_held": self.peak_futures,
            "start_seconds": self.start_seconds,
            "seconds": self.seconds,
        }
        if self.client is not None and self.spec is not None:
            try:
                now = self.client.scheduler_info(n_workers=-1)["workers"]
                figures["left_during_run"] = sorted(set(self.fitting) - set(now))
            except (OSError, TimeoutError):
                pass
        return figures

    def close(self) -> None:
        if self.client is None:
            return
        try:
            if self.spec is not None and self.registered:
                self.client.unregister_worker_plugin(self.spec.resource)
        except (OSError, TimeoutError, ValueError):
            pass
        finally:
            self.client.close()
            self.client = None
