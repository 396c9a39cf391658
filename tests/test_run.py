"""Scheduled runs: idempotence, edits, dry runs, overlapping and killed runs, reports.

Every test drives the real `translate run` command over a real SQLite memory and
the real Apertium engine, as cron or a CI job would: in this process (`cli`),
or as a process of its own where another process, a lock or a signal is the point.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from cli_process import cli
from project_factory import Project
from readers import stored

pytestmark = [pytest.mark.slow, pytest.mark.apertium]


def make_project(project: Project, targets=("es", "ca")) -> Project:
    """The two essays and their glossary, translated by Apertium."""
    return project.add_essays().configure(targets, engine={"default": "apertium"})


def run(project: Project, *args: str, check: bool = True, process: bool = False) -> subprocess.CompletedProcess:
    result = cli("run", "--json", *args, cwd=project, process=process)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def report(result: subprocess.CompletedProcess) -> dict:
    return json.loads(result.stdout)


def outputs(project: Project) -> dict[str, tuple[bytes, int]]:
    """Every output file with its bytes and modification time (ns)."""
    return {
        str(p.relative_to(project)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted((project / "outputs").rglob("*"))
        if p.is_file()
    }


def contents(project: Project) -> dict[str, bytes]:
    """Output bytes, PO files without their two date lines (they tell when a run happened)."""
    dated = (b'"POT-Creation-Date:', b'"PO-Revision-Date:')
    return {
        name: b"\n".join(line for line in body.split(b"\n") if not line.startswith(dated))
        for name, (body, _) in outputs(project).items()
    }


@pytest.fixture
def project(project):
    return make_project(project)


@pytest.fixture
def translated(tmp_path, translated_essays) -> tuple[Project, dict]:
    """The project after its first run (copied from the session's), and that run's report."""
    return translated_essays(tmp_path / "translated", ("es", "ca"))


def test_second_run_makes_no_engine_call_and_rewrites_nothing(translated):
    project, first = translated
    assert first["totals"]["translated"] == first["totals"]["segments"] > 200
    before = outputs(project)
    assert {"outputs/es/the-virtual-factory.md", "outputs/ca/the-virtual-factory-spectacle.md"} <= set(before)
    time.sleep(0.05)
    second = report(run(project))
    assert second["totals"]["engine_calls"] == 0 and second["totals"]["translated"] == 0
    assert second["totals"]["reused"] == first["totals"]["segments"]
    assert outputs(project) == before  # same bytes, same timestamps
    assert all(not lang["files_written"] for lang in second["languages"])


def test_editing_one_paragraph_costs_only_its_sentences(translated):
    project, _ = translated
    essay = project / "texts" / "the-virtual-factory.txt"
    text = essay.read_text(encoding="utf-8")
    old = (
        "However, it would be a terrible mistake to presume that, just because capitalists designed something, "
        "we cannot use it against them."
    )
    assert old in text
    new = "However, it would be a mistake to presume this. Capitalists designed it; we can still use it against them."
    essay.write_text(text.replace(old, new), encoding="utf-8")
    result = report(run(project))
    for lang in result["languages"]:
        assert lang["translated"] == 2, lang  # the paragraph's two new sentences, per language
        assert lang["engine_calls"] == 2  # the draft, and the raw engine it is compared with (run.harm)
        stem = f"outputs/{lang['language']}/the-virtual-factory"
        assert lang["files_written"] == [f"{stem}.md", f"{stem}.po"]


def test_new_text_costs_only_its_sentences(translated):
    project, _ = translated
    (project / "texts" / "note.md").write_text("# A note\n\nThe workers unite.\n", encoding="utf-8")
    result = report(run(project))
    assert [lang["translated"] for lang in result["languages"]] == [2, 2]


def test_dry_run_says_what_would_be_translated_and_writes_nothing(project):
    result = report(run(project, "--dry-run"))
    assert [lang["status"] for lang in result["languages"]] == ["planned", "planned"]
    assert all(lang["translated"] == lang["segments"] > 100 for lang in result["languages"])
    assert not (project / "outputs").exists() and not (project / "reports").exists()
    assert not (project / "memory" / "translate.sqlite").exists()


@pytest.mark.slow
def test_only_and_lang_select_the_work(project):
    result = report(run(project, "--only", "the-virtual-factory-spectacle", "--lang", "ca"))
    assert result["texts"] == ["the-virtual-factory-spectacle.md"]
    assert [lang["language"] for lang in result["languages"]] == ["ca"]
    stem = "outputs/ca/the-virtual-factory-spectacle"
    assert sorted(outputs(project)) == [f"{stem}.md", f"{stem}.po"]


def test_report_file_and_status(translated):
    project, _ = translated
    result = report(run(project))
    saved = json.loads((project / "reports" / "latest.json").read_text())
    assert saved["totals"] == result["totals"] and saved["exit_code"] == 0
    status = cli("status", "--json", cwd=project)
    rows = json.loads(status.stdout)
    assert {(r["text"], r["language"]) for r in rows} == {
        (t, lang) for t in ("the-virtual-factory.txt", "the-virtual-factory-spectacle.md") for lang in ("es", "ca")
    }
    assert all(r["complete"] == 1.0 and r["engine"] == "apertium" for r in rows)


@pytest.mark.slow
def test_a_failing_language_exits_1_and_the_others_are_written(project, argos_test_package):
    # A broken Argos package for German: German fails, Spanish is still written.
    from translate.engines.argos_store import ArgosStore

    model = ArgosStore(project / "packages").install_file(argos_test_package)
    (model.path / "model" / "model.bin").write_bytes(b"truncated")
    project.configure(["de", "es"], argos={"packages_dir": "packages"}, languages={"de": "argos", "es": "apertium"})
    result = run(project, check=False)
    assert result.returncode == 1
    languages = {lang["language"]: lang for lang in report(result)["languages"]}
    assert languages["de"]["status"] == "failed" and "cannot load" in languages["de"]["message"]
    assert languages["es"]["status"] == "ok" and (project / "outputs" / "es" / "the-virtual-factory.md").exists()
    assert not (project / "outputs" / "de").exists()


def test_unknown_language_in_configuration_is_exit_2(project):
    project.configure(["es", "xx"], engine={"default": "apertium"})
    result = run(project, check=False)
    assert result.returncode == 2 and "unknown language code 'xx'" in result.stderr


def test_overlapping_run_exits_with_a_clear_message(project):
    from translate.run.lock import run_lock

    with run_lock(project / "memory" / "translate.sqlite"):
        result = run(project, check=False, process=True)
    assert result.returncode == 1
    assert "another translate run holds" in result.stderr and "--wait" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_waiting_run_goes_after_the_first(project):
    first = subprocess.Popen(
        [sys.executable, "-m", "translate.cli", "run", "--json"], cwd=project, stdout=subprocess.PIPE, text=True
    )
    lock = project.root / "memory" / "translate.sqlite.lock"
    deadline = time.monotonic() + 60  # the first run holds the lock before the second starts, however busy the machine
    while time.monotonic() < deadline and not (lock.is_file() and lock.read_text().strip() == str(first.pid)):
        time.sleep(0.05)
    second = run(project, "--wait", process=True)
    first_report = json.loads(first.communicate(timeout=600)[0])
    total = first_report["totals"]["translated"] + report(second)["totals"]["translated"]
    assert total == first_report["totals"]["segments"]  # nothing translated twice


@pytest.mark.slow
def test_killed_run_leaves_a_consistent_memory_and_the_next_run_completes(tmp_path, translated_essays):
    """Killed at three moments of a two-language run (two languages translate at once, as on two cores)."""
    reference, _ = translated_essays(tmp_path / "reference", ("es", "ca"))
    for delay in (0.4, 1.2, 2.5):
        victim = make_project(Project(tmp_path / f"killed-{delay}"), targets=("es", "ca"))
        process = subprocess.Popen([sys.executable, "-m", "translate.cli", "run", "--quiet"], cwd=victim)
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        import sqlite3

        db = victim / "memory" / "translate.sqlite"
        if db.exists():
            with sqlite3.connect(db) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        run(victim)
        assert contents(victim) == contents(reference)
        assert not list(victim.root.rglob("*.tmp"))


@pytest.mark.slow
def test_installed_argos_package_serves_its_language(project, argos_test_package):
    """English → German through a .argosmodel installed from a file: real files come out."""
    project.configure(["de"], argos={"packages_dir": "packages"}, engine={"threads": 1})
    before = report(run(project))
    assert before["languages"][0]["status"] == "skipped"
    assert "translate models install en de" in before["languages"][0]["message"]
    assert cli("models", "install", str(argos_test_package), cwd=project).returncode == 0
    after = report(run(project))
    german = after["languages"][0]
    assert german["status"] == "ok" and german["engine"] == "argos" and german["translated"] == german["segments"]
    text = (project / "outputs" / "de" / "the-virtual-factory.md").read_text(encoding="utf-8")
    assert "engine: argos" in text and "translate-en_de@0.1" in text
    assert "\n\n  1. " in text and "Ludwig: " in text


def test_memory_moves_through_tmx(translated, tmp_path):
    project, _ = translated
    tmx = tmp_path / "memory.tmx"
    exported = cli("memory", "export", str(tmx), cwd=project)
    assert exported.returncode == 0 and "228 translation units" in exported.stdout
    other = make_project(Project(tmp_path / "other"))
    imported = cli("memory", "import", str(tmx), "--json", cwd=other)
    assert imported.returncode == 0, imported.stderr
    # The imported memory serves every sentence: the other project's first run needs no engine.
    assert report(run(other))["totals"]["engine_calls"] == 0


@pytest.mark.slow
def test_changed_signature_retranslates_machine_text_but_keeps_approved(translated):
    from translate.memory.records import ReviewDecision
    from translate.memory.store import TranslationMemory
    from translate.segment import sentence_hash

    project, first = translated
    title = "The Virtual Factory"
    with TranslationMemory(project / "memory" / "translate.sqlite") as memory:
        machine = stored(memory, title).machine_text
        memory.record_review(ReviewDecision(sentence_hash(title), "en", "es", "Ana", "", machine, "La fábrica virtual", "edited"))
    glossary = project / "glossaries" / "marxism.toml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace('version = "1"', 'version = "2"', 1), encoding="utf-8")
    second = report(run(project, "--lang", "es"))["languages"][0]
    segments = first["languages"][0]["segments"]
    assert second["stale"] == second["translated"] == segments - 1  # all but the approved title
    assert "glossary:marxism@2+" in second["signature"]
    body = (project / "outputs" / "es" / "the-virtual-factory.md").read_text(encoding="utf-8")
    assert "\n---\n\nLa fábrica virtual\n" in body


def test_a_new_version_of_the_checks_rechecks_stored_drafts_without_calling_an_engine(translated, monkeypatch):
    import translate.checks
    from translate.checks import registry
    from translate.memory.store import TranslationMemory

    project, first = translated
    path = project / "memory" / "translate.sqlite"
    with TranslationMemory(path) as memory:
        before = {e.source_text: e for e in memory.entries("en", "es")}
    unknown = [e for e in before.values() if any(s.check == "unknown-words" for s in e.notes.signals or ())]
    assert unknown, "the essays' Spanish drafts have words Apertium does not know"
    monkeypatch.setattr(translate.checks, "CHECKS_VERSION", "99")
    monkeypatch.delitem(registry.CHECKS, "unknown-words")  # the new checks no longer report unknown words
    second = report(run(project, "--lang", "es"))["languages"][0]
    segments = first["languages"][0]["segments"]
    assert second["engine_calls"] == 0 and second["translated"] == 0
    assert second["rechecked"] == segments and "|checks:99|" in second["signature"]
    with TranslationMemory(path) as memory:
        after = {e.source_text: e for e in memory.entries("en", "es")}
    assert {s: e.machine_text for s, e in after.items()} == {s: e.machine_text for s, e in before.items()}
    assert all("|checks:99|" in e.signature for e in after.values())
    assert not any(s.check == "unknown-words" for e in after.values() for s in e.notes.signals or ())
    assert all(after[e.source_text].notes.engine_marks == e.notes.engine_marks for e in unknown)
    third = report(run(project, "--lang", "es"))["languages"][0]
    assert third["rechecked"] == 0 and third["reused"] == segments and third["engine_calls"] == 0


def test_a_run_cross_checks_its_new_drafts_through_independent_engines_and_reports_the_cost(project):
    from translate.memory.store import TranslationMemory

    project.configure(["es"], engine={"default": "apertium"}, review={"crosscheck": True})
    (project / "texts").mkdir(exist_ok=True)
    for old in (project / "texts").iterdir():
        old.unlink()
    project.add_text("short.txt", "Revolutionaries like Lenin.\n\nUse tools to block ads.\n")
    first = report(run(project))["languages"][0]
    assert first["crosscheck_sentences"] == 2 and first["crosscheck_seconds"] > 0
    # back through a neural model the draft's engine does not use; the second route starts with another engine
    assert first["crosscheck_routes"] == ["back apertium:es>pt + bergamot:pt>en", "second bergamot:en>pt_BR + apertium:pt_BR>es"]
    with TranslationMemory(project / "memory" / "translate.sqlite") as memory:
        measures = [e.notes.measures or {} for e in memory.entries("en", "es")]
    assert len(measures) == 2 and all({"roundtrip", "disagreement", "agreement"} <= set(m) for m in measures)
    assert all(0 <= m["roundtrip"] <= 100 for m in measures)
    second = report(run(project))["languages"][0]
    assert second["crosscheck_sentences"] == 0 and second["engine_calls"] == 0  # only what a run translates
