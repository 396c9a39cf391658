"""Languages in parallel: the same outputs as one language after another, a progress bar each.

A run hands the engine work of several languages to worker threads (`engine.jobs`,
default one per core) and keeps every memory write in one thread. What a user
checks: the files are byte for byte those of a sequential run (PO dates aside),
the memory holds the same translations, every language had its own progress.
"""

from __future__ import annotations

import threading

import pytest
from project_factory import Project
from test_run import contents, make_project, run

from translate.run import runner
from translate.workflow import deliver, outputs

pytestmark = pytest.mark.apertium

# Direct pairs and pivots through Spanish, so that parallel languages share the en→es hop.
LANGUAGES = ("es", "ca", "pt", "fr", "gl", "it")


def memory_rows(project: Project) -> list[tuple]:
    with project.memory() as memory:
        return sorted(
            (e.target_lang, e.source_text, e.machine_text, e.signature, e.notes.to_json())
            for lang in LANGUAGES
            for e in memory.entries("en", lang)
        )


def test_two_jobs_write_the_same_files_and_memory_as_one(tmp_path):
    projects = {}
    for jobs in (1, 2):
        project = make_project(Project(tmp_path / f"jobs-{jobs}"), targets=LANGUAGES)
        project.configure(LANGUAGES, engine={"default": "apertium", "jobs": jobs})
        run(project)
        projects[jobs] = project
    sequential, parallel = contents(projects[1]), contents(projects[2])
    assert len(sequential) == 2 * 2 * len(LANGUAGES)
    assert parallel == sequential
    assert memory_rows(projects[2]) == memory_rows(projects[1])


def test_each_language_has_its_own_progress_bar_counting_its_sentences(project):
    make_project(project, targets=LANGUAGES).configure(LANGUAGES, engine={"default": "apertium", "jobs": 2})
    totals: dict[str, int] = {}
    done: dict[str, int] = {}
    lock = threading.Lock()

    def start_task(description: str, total: int):
        language = description.split(" ")[0].split("→")[1]
        with lock:
            totals[language], done[language] = total, 0

        def advance(n: int) -> None:
            with lock:
                done[language] += n

        return advance

    config = project.config
    report = runner.run(config, start_task=start_task, deliver=deliver, outputs=outputs(config))
    assert report.exit_code == 0
    assert totals == {r.language: r.translated for r in report.languages} == done
