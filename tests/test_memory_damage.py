"""The memory against real damage: read-only folders, garbage in the SQLite file, empty files, deletion mid-run.

Nothing a person approved is ever reverted in silence: a damaged or empty file
is refused with one line naming `translate memory rebuild`, which brings every
decision back from the committed text record; commands that only read work
where nothing may be written; a run whose memory file vanishes says so.
Permissions are real (the commands run without capabilities, so chmod holds
for root too), and the damage is real bytes written into the file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from cli_process import can_drop_privileges, cli, one_line_error, run_in_spanish
from project_factory import Project

pytestmark = [pytest.mark.slow, pytest.mark.apertium]
needs_setpriv = pytest.mark.skipif(not can_drop_privileges(), reason="needs setpriv to drop root's capabilities")

APPROVED = "¡Trabajadores del mundo, uníos!"


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory) -> Project:
    """A short text in Spanish with Apertium; Ana approved her own wording of one sentence (made once)."""
    project = Project(tmp_path_factory.mktemp("reviewed") / "project")
    run_in_spanish(project)
    po_path = project / "outputs" / "es" / "note.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgid == "Workers of the world, unite.")
    entry.msgstr, entry.flags = APPROVED, []
    po.save(str(po_path))
    result = cli("review", "import", str(po_path), "--reviewer", "Ana", cwd=project)
    assert result.returncode == 0, result.stderr
    assert cli("run", cwd=project).returncode == 0
    assert APPROVED in (project / "outputs" / "es" / "note.md").read_text(encoding="utf-8")
    return project


@pytest.fixture
def project(reviewed, tmp_path) -> Project:
    """A copy of the reviewed project for one test."""
    return reviewed.copy_to(tmp_path / "reviewed")


def sqlite_file(project) -> Path:
    return project / "memory" / "translate.sqlite"


def approved_in_status(project) -> str:
    result = cli("status", cwd=project)
    assert result.returncode == 0, result.stderr
    return result.stdout


READING = [
    ("status",),
    ("review", "status"),
    ("review", "next", "--lang", "es"),
    ("run", "--dry-run"),
    ("handouts", "--no-pdf"),
    ("memory", "export", "{out}/all.tmx"),
]


@needs_setpriv
@pytest.mark.parametrize("command", READING, ids=lambda c: " ".join(c[:2]))
def test_reading_commands_work_in_a_read_only_memory_folder_and_write_nothing_there(project, tmp_path, command):
    folder = project / "memory"
    before = sorted(p.name for p in folder.iterdir())
    folder.chmod(0o555)
    try:
        result = cli(*(part.format(out=tmp_path) for part in command), cwd=project, unprivileged=True)
    finally:
        folder.chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert "readonly" not in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == before
    if command == ("status",):
        assert " 1/3 " in result.stdout  # Ana's approval, read from the read-only memory


@needs_setpriv
def test_a_run_in_a_read_only_memory_folder_is_one_line_saying_what_to_do(project):
    (project / "memory" / "translate.sqlite.lock").unlink()
    (project / "memory").chmod(0o555)
    try:
        result = cli("run", cwd=project, unprivileged=True)
    finally:
        (project / "memory").chmod(0o755)
    assert result.returncode == 1
    line = one_line_error(result)
    assert "must be writable" in line and "--dry-run" in line


@needs_setpriv
def test_a_run_with_a_read_only_memory_file_is_one_line_saying_what_to_do(project):
    (project / "texts" / "more.md").write_text("A new text to translate.\n", encoding="utf-8")
    sqlite_file(project).chmod(0o444)
    try:
        result = cli("run", cwd=project, unprivileged=True)
    finally:
        sqlite_file(project).chmod(0o644)
    assert result.returncode == 1
    line = one_line_error(result)
    assert "cannot be written" in line and "writable" in line


def test_status_on_a_fresh_clone_reads_the_text_record_without_making_a_memory_file(project):
    for path in (project / "memory").glob("translate.sqlite*"):
        path.unlink()
    assert " 1/3 " in approved_in_status(project)
    assert not sqlite_file(project).exists()


def test_garbage_in_the_middle_of_the_memory_is_refused_and_rebuild_brings_every_decision_back(project):
    path = sqlite_file(project)
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(os.urandom(8192))
    for command in (("run",), ("status",), ("review", "status")):
        result = cli(*command, cwd=project)
        assert result.returncode == 2, (command, result.stderr)
        line = one_line_error(result)
        assert "the translation memory is damaged" in line and "translate memory rebuild" in line
    rebuilt = cli("memory", "rebuild", cwd=project)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "the damaged memory file was moved to" in rebuilt.stderr
    assert list((project / "memory").glob("translate.sqlite.damaged-*"))
    assert " 1/3 " in approved_in_status(project)
    run = cli("run", "--json", cwd=project)
    assert run.returncode == 0, run.stderr
    assert APPROVED in (project / "outputs" / "es" / "note.md").read_text(encoding="utf-8")


def test_an_empty_memory_file_is_refused_instead_of_starting_a_new_memory(project):
    sqlite_file(project).write_bytes(b"")
    for suffix in ("-wal", "-shm"):
        Path(f"{sqlite_file(project)}{suffix}").unlink(missing_ok=True)
    result = cli("run", cwd=project)
    assert result.returncode == 2
    line = one_line_error(result)
    assert "the file is empty, 0 bytes" in line and "translate memory rebuild" in line
    assert APPROVED in (project / "outputs" / "es" / "note.md").read_text(encoding="utf-8")
    assert cli("memory", "rebuild", cwd=project).returncode == 0
    assert cli("run", cwd=project).returncode == 0
    assert APPROVED in (project / "outputs" / "es" / "note.md").read_text(encoding="utf-8")


def test_an_empty_review_record_is_refused_instead_of_reverting_the_approvals(project):
    (project / "memory" / "translate.reviews.jsonl").write_bytes(b"")
    for command in (("run",), ("status",)):
        result = cli(*command, cwd=project)
        assert result.returncode == 2
        assert "decisions is empty (0 bytes)" in one_line_error(result)
    assert APPROVED in (project / "outputs" / "es" / "note.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_memory_deleted_during_a_run_is_reported_and_the_next_run_loses_nothing(project):
    project.configure(["es", "ca", "gl", "eo"], engine={"default": "apertium"})
    project.add_essays()
    process = subprocess.Popen(
        [sys.executable, "-m", "translate.cli", "run"],
        cwd=project,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    first = project / "outputs" / "es" / "the-virtual-factory.po"
    deadline = time.monotonic() + 300
    while not first.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    assert process.poll() is None, "the run ended before the test could delete its memory"
    sqlite_file(project).unlink()
    _, err = process.communicate(timeout=600)
    assert process.returncode == 1
    line = one_line_error(subprocess.CompletedProcess([], 1, "", err))
    assert "was deleted during the run" in line and "drafts are in its text record" in line
    again = cli("run", "--json", cwd=project)
    assert again.returncode == 0, again.stderr
    assert '"translated": 0' in again.stdout  # every draft of the interrupted run came back from the record
    assert APPROVED in (project / "outputs" / "es" / "note.md").read_text(encoding="utf-8")
