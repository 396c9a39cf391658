"""Change-proportional runs: a run rebuilds the files whose inputs changed, and only those.

Each test drives the real `translate run` over a real memory and real Apertium,
and looks at what a scheduler's owner would: which files changed on disk, what
the report says, whether an engine was asked at all (an `apertium` on PATH that
logs each call before running the real one).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from project_factory import Project
from test_run import outputs, report, run

from translate.memory.records import ReviewDecision
from translate.segment import sentence_hash

pytestmark = [pytest.mark.slow, pytest.mark.apertium]

THIRD = "# A third text\n\nThe commodity is a social relation. Workers of the world, unite!\n"


@pytest.fixture
def logged_apertium(tmp_path, monkeypatch) -> Path:
    """`apertium` on PATH writes one line per call to a log, then runs the real one."""
    real = shutil.which("apertium")
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "apertium.log"
    script = folder / "apertium"
    script.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {real} "$@"\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:{Path(sys.executable).parent}:/usr/bin:/bin")
    log.touch()
    return log


@pytest.fixture
def project(tmp_path, translated_essays) -> Project:
    """The essays and a third text after a first run into Spanish, Catalan and German (no engine here: skipped)."""
    project, _ = translated_essays(tmp_path / "project", ("es", "ca", "de"), texts={"third.md": THIRD})
    return project


def written(result: subprocess.CompletedProcess) -> set[str]:
    return {path for lang in report(result)["languages"] for path in lang["files_written"]}


def changed(before: dict, after: dict) -> set[str]:
    return {name for name in after if before.get(name) != after[name]}


def test_a_run_with_nothing_changed_asks_no_engine_and_touches_no_file(project, logged_apertium):
    first = report(run(project))  # with the logging `apertium` on PATH: the engines are looked at again
    before = outputs(project)
    calls_before = logged_apertium.read_text()
    second = report(run(project))
    assert logged_apertium.read_text() == calls_before  # not even `apertium -l`
    assert outputs(project) == before
    assert second["totals"]["translated"] == 0 and second["totals"]["engine_calls"] == 0
    assert second["totals"]["reused"] == first["totals"]["segments"]
    now = {lang["language"]: lang for lang in second["languages"]}
    then = {lang["language"]: lang for lang in first["languages"]}
    assert now["es"]["signature"] == then["es"]["signature"] and now["es"]["route"] == then["es"]["route"]
    assert now["de"]["status"] == "skipped" and now["de"]["message"] == then["de"]["message"] != ""
    assert second["warnings"] == first["warnings"]


def test_editing_one_sentence_rebuilds_only_the_files_of_that_text(project):
    before = outputs(project)
    third = project / "texts" / "third.md"
    third.write_text(THIRD.replace("Workers of the world, unite!", "Workers of all lands, unite!"), encoding="utf-8")
    result = run(project)
    expected = {f"outputs/{lang}/third.{suffix}" for lang in ("es", "ca") for suffix in ("md", "po")}
    assert changed(before, outputs(project)) == expected == written(result)
    assert report(result)["totals"]["translated"] == 2  # one new sentence in two languages


def test_a_deleted_or_hand_edited_output_is_rebuilt_and_unimported_edits_are_kept_and_reported_every_run(project):
    (project / "outputs" / "ca" / "third.md").unlink()
    po = project / "outputs" / "es" / "third.po"
    catalog = polib.pofile(str(po))
    catalog[0].msgstr, catalog[0].flags = "Un tercer texto, revisado", []  # a reviewer's approval, not imported
    catalog.save()
    edited = po.read_bytes()
    for _ in range(2):
        result = report(run(project))
        assert (project / "outputs" / "ca" / "third.md").is_file()
        assert po.read_bytes() == edited
        spanish = next(lang for lang in result["languages"] if lang["language"] == "es")
        assert "third.po: has reviewer edits not imported yet" in spanish["message"]


def test_a_review_decision_rebuilds_the_files_holding_that_sentence_only(project):
    before = outputs(project)
    sentence = "The commodity is a social relation."
    with project.memory() as memory:
        entry = memory.get(sentence, "en", "es")
        memory.record_review(
            ReviewDecision(
                sentence_hash(sentence),
                "en",
                "es",
                "Ana",
                "",
                entry.machine_text,
                "La mercancía es una relación social.",
                "edited",
            )
        )
    result = run(project)
    assert changed(before, outputs(project)) == {"outputs/es/third.md", "outputs/es/third.po"} == written(result)
    assert "La mercancía es una relación social." in (project / "outputs" / "es" / "third.md").read_text(encoding="utf-8")


def test_a_glossary_change_makes_the_run_look_at_every_language_again(project, logged_apertium):
    run(project)  # with the logging `apertium` on PATH, so that only the glossary changes after it
    before = outputs(project)
    calls = logged_apertium.read_text()
    glossary = project / "glossaries" / "marxism.toml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n# a comment changes the file\n", encoding="utf-8")
    result = run(project)
    assert logged_apertium.read_text() != calls  # the engines were asked for their routes again
    assert report(result)["totals"]["translated"] == 0  # same glossary content, same signatures
    assert all(lang["status"] in ("ok", "skipped") for lang in report(result)["languages"])
    assert outputs(project) == before  # every file built again, none with new bytes: none rewritten


def test_every_change_to_a_memory_entry_moves_its_revision(tmp_path):
    from translate.memory.store import TranslationMemory

    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        memory.store_machine([("One.", "Uno.", None), ("Two.", "Dos.", None)], "en", "es", "sig")
        first = memory.generation("en", "es")
        memory.store_machine([("One.", "Uno.", None)], "en", "es", "sig")  # the same again: no change
        assert memory.generation("en", "es") == first and memory.changed_since("en", "es", first) == set()
        memory.store_machine([("One.", "Una.", None)], "en", "es", "sig")
        assert memory.changed_since("en", "es", first) == {sentence_hash("One.")}
        second = memory.generation("en", "es")
        memory.record_review(ReviewDecision(sentence_hash("Two."), "en", "es", "Ana", "", "Dos.", "Dos.", "approved"))
        assert memory.changed_since("en", "es", second) == {sentence_hash("Two.")}
        assert memory.generation("en", "fr") == 0
    rows = sqlite3.connect(tmp_path / "tm.sqlite").execute("SELECT COUNT(DISTINCT rev) FROM entries").fetchone()
    assert rows[0] == 2


def test_a_route_chosen_in_the_route_file_is_taken_by_the_next_run(project):
    project.configure(("es", "ca"))  # engine choice "auto": the route file decides
    run(project)
    (project / "routes.toml").write_text('[languages.es]\nroute = "bergamot:en>pt_BR + apertium:pt_BR>es"\n', encoding="utf-8")
    result = report(run(project))
    spanish = next(lang for lang in result["languages"] if lang["language"] == "es")
    assert spanish["engine"] == "bergamot+apertium" and spanish["translated"] > 0  # not skipped as unchanged
    assert all(lang["translated"] == 0 for lang in result["languages"] if lang["language"] != "es")
