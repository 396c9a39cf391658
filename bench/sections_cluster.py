"""Benchmark section "cluster": `translate run --cluster` against the threaded run, in the same bench run.

A corpus built here (below: at least 50 texts and 1 MB, nearly every sentence
distinct, so the engine works on all of it) is translated cold into Spanish
twice, in two copies of the project with the same settings (Apertium,
`engine.job_chars` = 25,000: about 40 jobs):

- (a) on this machine: `translate run`, its jobs in threads (`engine.jobs` = the cores);
- (b) on a Dask `LocalCluster` of two worker processes of one thread each, on
  127.0.0.1, started by this section: `translate run --cluster`.

and, as the floor both stand on,

- (r) the raw engine on the same sentences: every distinct sentence of the
  corpus (as the runs segment it) through Apertium's en→es alone, no glossary,
  no guards, no checks, no memory, cut into the same jobs and run in as many
  threads as the machine has cores.

Figures: wall time of each, the speed-up (a)/(b), each run against the raw
engine ((a)/(r), (b)/(r): what the pipeline and the cluster add to the engine's
own time), and the overhead the cluster adds per job. A worker takes its next job when it has finished one; the gap
between one job's end and the next one's start on the same worker (the
report's `started` and `seconds` per job) is what the cluster costs per job:
the scheduler's round trip, sending the job's sentences and returning its
drafts. Its mean is set against the mean job's own time (target: at most 5 %).
Each run's start-up on the cluster (connecting, every worker building its
engines and signing its routes) is reported on its own, once per run.

On 2 cores shared with other work the speed-up stays near 1× (both runs use
both cores); the overhead is what says whether more machines would help. The
CPU and the load average are printed with the table. The section stops by
itself: each run is killed after RUN_TIMEOUT seconds (the section then fails
saying so), and the cluster, its scheduler on 127.0.0.1 on a free port, is
closed when the section ends, however it ends.
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import Context, Row, cpu_model, figure, load, run_child, section, tail
from sections_pipeline import copy_project
from sections_scale import set_targets

TEXTS = 50
CORPUS_BYTES = 1_000_000
JOB_CHARS = 25_000
OVERHEAD_TARGET = 0.05
LANGUAGE = "es"
RUN_TIMEOUT = 3600  # seconds a run may take (156 s here at load 14-24): past it, the run is killed


def build_corpus(project: Path, count: int = TEXTS, size: int = CORPUS_BYTES) -> int:
    """`count` texts of at least size/count bytes, each sentence the first half of one essay sentence and the
    second half of another (seeded): the essays' words and length, next to no sentence twice. Returns the bytes."""
    texts = project / "texts"
    sentences: list[str] = []
    for path in sorted(texts.iterdir()):
        body = re.sub(r"^#+ .*$", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if len(s.split()) >= 8]
        path.unlink()
    halves = [s.split() for s in sentences]
    each = -(-size // count)
    total = 0
    for number in range(1, count + 1):
        rng = random.Random(number)
        paragraphs, length = [f"Reader {number}: the virtual factory, recombined"], 0
        while length < each:
            lines = []
            for _ in range(5):
                first, second = rng.choice(halves), rng.choice(halves)
                lines.append(" ".join(first[: len(first) // 2] + second[len(second) // 2 :]))
            paragraphs.append(" ".join(lines))
            length += len(paragraphs[-1].encode()) + 2
        data = "\n\n".join(paragraphs) + "\n"
        (texts / f"reader-{number:02d}.txt").write_text(data, encoding="utf-8")
        total += len(data.encode())
    return total


def configure(project: Path) -> None:
    set_targets(project, [LANGUAGE])
    config = project / "translate.toml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"^default = .*$", 'default = "apertium"', text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^job_chars = .*$", f"job_chars = {JOB_CHARS}", text, count=1, flags=re.MULTILINE)
    config.write_text(text, encoding="utf-8")


def gaps(jobs: list[dict]) -> list[float]:
    """Per worker, the time between one job's end and the next one's start."""
    by_worker: dict[str, list[dict]] = defaultdict(list)
    for job in jobs:
        by_worker[job["worker"]].append(job)
    found = []
    for done in by_worker.values():
        done.sort(key=lambda job: job["started"])
        found += [max(0.0, b["started"] - (a["started"] + a["seconds"])) for a, b in zip(done, done[1:])]
    return found


def run_json(ctx: Context, project: Path, *args: str) -> tuple[float, float, dict]:
    child = run_child([ctx.translate_command, "run", "--json", *args], dict(os.environ), project, RUN_TIMEOUT)
    if child.returncode != 0:
        raise RuntimeError(f"translate run {' '.join(args)} exit {child.returncode}: {tail(child.stderr)}")
    return child.seconds, child.peak_rss_mb, json.loads(child.stdout)


def raw_engine(project: Path) -> tuple[float, int]:
    """The corpus's distinct sentences through the run's engine alone (no glossary, guards, checks or memory), cut into
    the runs' jobs, as many at once as there are cores: (wall seconds, sentences)."""
    # the project's own engine and route, as the runs choose them (translate imported only by the sections using it)
    from translate.config import load_config
    from translate.engines.registry import Engines
    from translate.run.jobs import cut_jobs
    from translate.segment import parse

    config = load_config(project / "translate.toml")
    sentences = list(
        dict.fromkeys(
            s.text
            for path in sorted((project / "texts").iterdir())
            for s in parse(path.read_text(encoding="utf-8"), path.name, config.source_language).segments
        )
    )
    engines = Engines(config)
    try:
        engine, route = engines.choose(config.source_language, LANGUAGE)
        raw = engine.without_glossary()
        jobs = cut_jobs(LANGUAGE, route, sentences, set(), JOB_CHARS)
        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            done = list(pool.map(lambda job: raw.translate(list(job.sentences), route), jobs))
        seconds = time.perf_counter() - began
    finally:
        engines.close()
    if sum(len(d) for d in done) != len(sentences):
        raise RuntimeError("the raw engine returned fewer sentences than it was given")
    return seconds, len(sentences)


@section("cluster")
def cluster(ctx: Context) -> list[Row]:
    from translate.run.cluster import local_cluster  # the bench's own cluster (Dask); the coordinator is the real command

    local = copy_project(ctx, "cluster-local")
    size = build_corpus(local)
    configure(local)
    remote = copy_project(ctx, "cluster-dask")
    build_corpus(remote)
    configure(remote)
    rows: list[Row] = [figure("corpus", f"{TEXTS} texts, {size / 1e6:.2f} MB, into {LANGUAGE}", "")]
    load_before = load()
    raw_seconds, raw_sentences = raw_engine(local)
    local_seconds, local_rss, local_report = run_json(ctx, local)
    with local_cluster(workers=2) as dask_cluster:
        remote_seconds, remote_rss, remote_report = run_json(ctx, remote, "--cluster", dask_cluster.scheduler_address)
    jobs = remote_report["jobs"]
    job_seconds = statistics.mean(job["seconds"] for job in jobs)
    gap = statistics.mean(gaps(jobs) or [0.0])
    first = min(job["started"] for job in jobs)
    executor = remote_report["executor"]
    same = local_report["totals"]["translated"] == remote_report["totals"]["translated"]
    rows += [
        figure(
            "sentences translated (a) / (b)",
            f"{local_report['totals']['translated']} / {remote_report['totals']['translated']}",
            "",
            "equal",
            same,
        ),
        figure("jobs", len(jobs), ""),
        figure(f"(r) raw engine, {raw_sentences} distinct sentences, {os.cpu_count()} threads, wall", round(raw_seconds, 1), "s"),
        figure("(a) threads here, cold, wall", round(local_seconds, 1), "s"),
        figure("(b) 2-process LocalCluster, cold, wall", round(remote_seconds, 1), "s"),
        figure("speed-up (a)/(b)", round(local_seconds / remote_seconds, 2), "x"),
        figure("(a) / (r): the pipeline over the raw engine", round(local_seconds / raw_seconds, 2), "x"),
        figure("(b) / (r): the pipeline on the cluster over the raw engine", round(remote_seconds / raw_seconds, 2), "x"),
        figure("mean job on a worker (engine, glossary, checks)", round(job_seconds, 2), "s"),
        figure("overhead per job: gap between jobs on a worker", round(gap, 3), "s"),
        figure(
            "overhead / job time",
            f"{gap / job_seconds:.1%}",
            "",
            f"<= {OVERHEAD_TARGET:.0%}",
            gap / job_seconds <= OVERHEAD_TARGET,
        ),
        figure("(b) start-up: connecting, every worker building its engines and signing", executor["start_seconds"], "s"),
        figure("(b) first job's start to last job's end", round(max(j["started"] + j["seconds"] for j in jobs) - first, 1), "s"),
        figure("(b) results held at most (limit)", f"{executor['peak_futures_held']} ({executor['in_flight_limit']})", ""),
        figure("peak RSS of the coordinating process (a) / (b)", f"{local_rss:.0f} / {remote_rss:.0f}", "MB"),
        figure("CPU", f"{cpu_model()}, {os.cpu_count()} cores", ""),
        figure("load average before / after", f"{load_before} / {load()}", ""),
    ]
    return rows
