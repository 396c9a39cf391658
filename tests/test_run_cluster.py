"""`translate run --cluster`: a run's jobs on a Dask cluster, the same drafts, nothing lost when a worker dies.

A real `LocalCluster` of two worker processes on 127.0.0.1 (free ports, its HTTP
endpoint too) serves every test of this module; each run is the real `translate run`
command in a subprocess, as cron would start it. What a user checks: the files and
the memory are byte for byte those of a run on this machine alone; a worker killed
mid-run loses nothing and stores nothing twice; a worker that would make other
drafts (another Apertium) is refused with one line and its jobs go elsewhere; the
coordinator never holds more than a bounded number of results, however many jobs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from project_factory import REPO_ROOT, Project
from test_run import contents, run
from test_run_parallel import memory_rows as languages_rows

pytestmark = [pytest.mark.apertium, pytest.mark.slow, pytest.mark.serial]  # two worker processes, one killed

LANGUAGES = ("es", "pt")  # a direct pair and a pivot through Spanish (the en→es hop shared)
JOB_CHARS = 4000  # the essays in 5 jobs per language


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes of one thread each, stopped at the end of the module."""
    from distributed import Client

    from translate.run.cluster import local_cluster

    with local_cluster(workers=2) as local, Client(local) as client:
        yield local.scheduler_address, client


def settled(cluster: tuple[str, Any]) -> tuple[str, Any]:
    """The cluster once it holds exactly its own two workers again: a worker killed by an earlier test is
    back, one refused by another is gone (the run's in-flight limit counts the workers it finds)."""
    address, client = cluster
    for _ in range(2400):  # at most 2 minutes, on a loaded machine
        if len(client.scheduler_info()["workers"]) == 2:
            return address, client
        time.sleep(0.05)
    raise AssertionError(f"the cluster holds {len(client.scheduler_info()['workers'])} workers, not 2")


def make(root: Path, **engine: object) -> Project:
    project = Project(root).add_essays()
    return project.configure(LANGUAGES, engine={"default": "apertium", "job_chars": JOB_CHARS, **engine})


def memory_rows(project: Project) -> list[tuple]:
    return languages_rows(project, LANGUAGES)


def drafts_lines(project: Project) -> dict[str, list[dict]]:
    """The committed text record of the drafts, one line per sentence, without the times it was written
    (its lines are in the order they were stored: jobs come back in any order)."""
    folder = project / "memory" / "translate.drafts"
    return {
        path.name: sorted(
            (
                {key: value for key, value in json.loads(line).items() if key not in ("created", "updated")}
                for line in path.read_text(encoding="utf-8").splitlines()
            ),
            key=lambda line: line["hash"],
        )
        for path in sorted(folder.glob("*.jsonl"))
    }


@pytest.fixture(scope="module")
def local_run(tmp_path_factory) -> Project:
    """The reference: the same project run on this machine alone."""
    project = make(tmp_path_factory.mktemp("local"))
    run(project)
    return project


def test_a_run_on_a_cluster_writes_the_same_files_and_memory_as_a_run_here(cluster, local_run, tmp_path):
    address, client = settled(cluster)
    project = make(tmp_path / "cluster")
    report = json.loads(run(project, "--cluster", address).stdout)
    assert contents(project) == contents(local_run)
    assert memory_rows(project) == memory_rows(local_run)
    assert drafts_lines(project) == drafts_lines(local_run)
    workers = set(client.scheduler_info()["workers"])
    jobs = report["jobs"]
    assert len(jobs) == 2 * 5 and len({j["job"] for j in jobs}) == len(jobs)
    assert {j["worker"] for j in jobs} <= workers and all(j["seconds"] >= j["engine_seconds"] > 0 for j in jobs)
    assert sum(j["sentences"] for j in jobs) == report["totals"]["translated"]
    assert report["executor"]["executor"] == "dask" and set(report["executor"]["workers"]) == workers


def opening(characters: int) -> str:
    """The paragraphs of the long essay that fit in `characters`."""
    kept: list[str] = []
    for paragraph in (REPO_ROOT / "texts" / "the-virtual-factory.txt").read_text(encoding="utf-8").split("\n\n"):
        if sum(len(p) + 2 for p in kept) + len(paragraph) > characters:
            break
        kept.append(paragraph)
    return "\n\n".join(kept) + "\n"


def test_drafts_made_on_a_cluster_carry_the_same_cross_check_measures_as_drafts_made_here(cluster, tmp_path):
    """The cross-check (translate.run.crosscheck) runs in the job, where it runs, along the routes the
    coordinator chose: the measures stored beside each draft are those of a run on this machine alone."""
    address, _ = settled(cluster)
    projects = []
    for name in ("here", "there"):
        project = Project(tmp_path / name).add_essays()
        for essay in (project / "texts").iterdir():
            essay.unlink()
        project.add_text("opening.txt", opening(2500))
        engine = {"default": "apertium", "job_chars": 1000}  # the smallest jobs there are: 3 of them
        projects.append(project.configure(["es"], engine=engine, review={"crosscheck": True}))
    here, there = projects
    local = json.loads(run(here).stdout)["languages"][0]
    remote = json.loads(run(there, "--cluster", address).stdout)
    assert len(remote["jobs"]) >= 2  # each measured on whichever worker took it
    assert languages_rows(there, ("es",)) == languages_rows(here, ("es",))
    assert drafts_lines(there) == drafts_lines(here)
    with there.memory() as memory:
        measures = [e.notes.measures or {} for e in memory.entries("en", "es")]
    assert len(measures) > 10 and all({"roundtrip", "disagreement", "agreement"} <= set(m) for m in measures)
    [language] = remote["languages"]
    assert language["crosscheck_sentences"] == local["crosscheck_sentences"] == len(measures)
    assert language["crosscheck_routes"] == local["crosscheck_routes"] and len(local["crosscheck_routes"]) == 2


def test_a_worker_killed_mid_run_has_its_jobs_run_elsewhere_nothing_lost_nothing_stored_twice(cluster, local_run, tmp_path):
    address, client = settled(cluster)
    project = make(tmp_path / "killed")
    command = [sys.executable, "-m", "translate.cli", "run", "--json", "--cluster", address]
    process = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        victim = None
        for _ in range(2400):  # at most 2 minutes for the first job to reach a worker
            busy = [worker for worker, keys in client.processing().items() if keys]
            if busy:
                victim = busy[0]
                break
            time.sleep(0.05)
        assert victim is not None, "no job ever reached a worker"
        os.kill(client.run(os.getpid, workers=[victim])[victim], signal.SIGKILL)
        stdout, stderr = process.communicate(timeout=600)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    report = json.loads(stdout)
    assert victim in report["executor"]["left_during_run"]
    assert contents(project) == contents(local_run)  # nothing lost
    assert memory_rows(project) == memory_rows(local_run)
    assert drafts_lines(project) == drafts_lines(local_run)  # one line per sentence: nothing stored twice
    keys = [j["job"] for j in report["jobs"]]
    assert sorted(keys) == sorted({*keys}) and len(keys) == 2 * 5  # every job stored once
    client.wait_for_workers(2, timeout=120)  # the nanny starts the killed one again, for the next tests


APERTIUM_WRAPPER = """#!/bin/sh
# Another Apertium, as a machine with another release installed would report it.
if [ "$1" = "-V" ]; then echo "Apertium 9.9.9"; exit 0; fi
exec {real} "$@"
"""


def test_a_worker_with_another_apertium_is_refused_with_one_line_and_the_run_goes_on(cluster, local_run, tmp_path):
    import shutil

    address, client = settled(cluster)
    bin_dir = tmp_path / "other-apertium"
    bin_dir.mkdir()
    wrapper = bin_dir / "apertium"
    wrapper.write_text(APERTIUM_WRAPPER.format(real=shutil.which("apertium")), encoding="utf-8")
    wrapper.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    command = [sys.executable, "-m", "translate.cli", "worker", address, "--host", "127.0.0.1"]
    worker = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        client.wait_for_workers(3, timeout=120)
        project = make(tmp_path / "refusing")
        report = json.loads(run(project, "--cluster", address).stdout)
        _, stderr = worker.communicate(timeout=120)
    finally:
        worker.kill()
    assert worker.returncode == 2
    refusals = [line for line in stderr.splitlines() if "refused" in line]
    assert len(refusals) == 1 and "Traceback" not in stderr, stderr
    assert "apertium version 9.9.9 here, 3." in refusals[0] and "on the coordinator" in refusals[0]
    [(refused, reason)] = report["executor"]["refused"].items()
    assert refused in refusals[0] and "9.9.9" in reason
    assert refused not in {j["worker"] for j in report["jobs"]}
    assert contents(project) == contents(local_run)


def test_the_coordinator_holds_a_bounded_number_of_results_however_many_jobs(cluster, tmp_path):
    address, _ = settled(cluster)
    project = make(tmp_path / "small-jobs", job_chars=1000)  # the smallest jobs there are: 44 in all
    report = json.loads(run(project, "--cluster", address).stdout)
    figures = report["executor"]
    assert len(report["jobs"]) >= 40
    assert figures["in_flight_limit"] == 4  # twice the two workers' threads
    assert figures["peak_in_flight"] <= 4  # the jobs the coordinator waits on: never more than the limit
    # the client's own count of futures lags a release by a moment (it is updated on the client's event loop):
    # bounded means it does not grow with the jobs, not that it is read at the very instant of each release
    assert figures["peak_futures_held"] < len(report["jobs"]) / 4


NOOP = """import sys
from translate.cli import app
try:
    app(["run", "--json"])
except SystemExit as end:
    print("exit", end.code, "dask" if "distributed" in sys.modules else "no dask", file=sys.stderr)
"""


def test_a_run_with_nothing_to_do_does_not_load_dask_nor_ask_the_cluster(tmp_path):
    project = make(tmp_path / "noop")
    run(project)
    make(project.root, cluster="tcp://127.0.0.1:9")  # nothing listens there: a run with nothing to do never asks
    done = subprocess.run([sys.executable, "-c", NOOP], cwd=project, capture_output=True, text=True, timeout=600)
    assert done.stderr.strip().splitlines()[-1] == "exit 0 no dask", done.stderr


def test_a_cluster_without_a_worker_that_fits_fails_every_language_with_one_line(tmp_path):
    from translate.run.cluster import local_cluster

    project = make(tmp_path / "no-workers")
    with local_cluster(workers=0) as empty:
        result = run(project, "--cluster", empty.scheduler_address, check=False)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    messages = {lang["language"]: lang["message"] for lang in report["languages"]}
    assert set(messages) == set(LANGUAGES)
    assert all(m.startswith(f"no worker of the cluster at {empty.scheduler_address} can take") for m in messages.values())
    assert not (project / "outputs" / "es").exists()
