"""Languages in parallel: the same outputs as one language after another, a progress bar each.

A run hands the engine work of several languages to worker threads (`engine.jobs`,
default one per core) and keeps every memory write in one thread. What a user
checks: the files are byte for byte those of a sequential run (PO dates aside),
the memory holds the same translations, every language had its own progress.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest
from project_factory import Project
from test_run import contents, make_project

from translate import workflow
from translate.run.report import RunReport

pytestmark = [pytest.mark.slow, pytest.mark.apertium]

# Direct pairs and pivots through Spanish, so that parallel languages share the en→es hop.
LANGUAGES = ("es", "ca", "pt", "fr", "gl", "it")


def memory_rows(project: Project, languages: tuple[str, ...] = LANGUAGES) -> list[tuple]:
    with project.memory() as memory:
        return sorted(
            (e.target_lang, e.source_text, e.machine_text, e.signature, e.notes.to_json())
            for lang in languages
            for e in memory.entries("en", lang)
        )


@dataclass
class ParallelRun:
    """The essays run into LANGUAGES with two jobs, as `translate run` does it, with every progress bar recorded."""

    project: Project
    report: RunReport
    totals: dict[str, int] = field(default_factory=dict)  # language -> the total its bar was started with
    done: dict[str, int] = field(default_factory=dict)  # language -> what its bar was advanced by


@pytest.fixture(scope="module")
def parallel(tmp_path_factory) -> ParallelRun:
    project = make_project(Project(tmp_path_factory.mktemp("jobs-2")), targets=LANGUAGES)
    project.configure(LANGUAGES, engine={"default": "apertium", "jobs": 2})
    recorded = ParallelRun(project, RunReport(started=""))
    lock = threading.Lock()

    def start_task(description: str, total: int):
        language = description.split(" ")[0].split("→")[1]
        with lock:
            recorded.totals[language], recorded.done[language] = total, 0

        def advance(n: int) -> None:
            with lock:
                recorded.done[language] += n

        return advance

    recorded.report, _ = workflow.run(project.config, start_task=start_task)
    return recorded


def test_two_jobs_write_the_same_files_and_memory_as_one(parallel, translated_essays, tmp_path):
    sequential_project, _ = translated_essays(tmp_path / "jobs-1", LANGUAGES, engine={"jobs": 1})
    assert parallel.report.exit_code == 0
    sequential, concurrent = contents(sequential_project), contents(parallel.project)
    assert len(sequential) == 2 * 2 * len(LANGUAGES)
    assert concurrent == sequential
    assert memory_rows(parallel.project) == memory_rows(sequential_project)


def test_each_language_has_its_own_progress_bar_counting_its_sentences(parallel):
    assert parallel.report.exit_code == 0
    assert parallel.totals == {r.language: r.translated for r in parallel.report.languages} == parallel.done
