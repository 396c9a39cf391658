"""Special files among the texts and the PO files: each refused by name in one line, the rest read.

A named pipe would block a command for ever (an import holding the run lock, so
every run is refused meanwhile), a device never ends, a link to /etc/passwd among
the texts would be translated into committed outputs, and a folder named x.md or a
link in a loop used to be skipped without a word. Every reading command names each
one and carries on with the others, as `translate run` does with a text that is not
UTF-8; its exit code (1) says something was left out.
"""

from __future__ import annotations

import os

import polib
import pytest
from cli_process import cli

from translate.memory.notes import Notes
from translate.review.po_export import export_po
from translate.run.text_in_language import TextInLanguage
from translate.texts import load_texts

GOOD = "# A note\n\nWorkers of the world, unite.\n"
SIG = "engine:test|v:0|route:en>es|models:none|opts:|glossary:none|seg:translate-seg-1"
PROBLEMS = {
    "pipe.md": "is a named pipe (FIFO)",
    "passwd.txt": "is a link to /etc/passwd, outside the project",
    "loop.md": "is a symbolic link in a loop",
    "zero.md": "is a link to /dev/zero, outside the project",
    "folder.md": "is a folder",
    "binary.md": "a NUL byte at line 1",
    "empty.md": "file is empty",
    "latin.md": "not valid UTF-8",
}


@pytest.fixture
def texts(project):
    """One good text beside every kind of file a texts folder must not read."""
    project.configure(["es"], engine={"default": "apertium"})
    folder = project / "texts"
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    os.mkfifo(folder / "pipe.md")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "loop.md").symlink_to(folder / "loop.md")
    (folder / "zero.md").symlink_to("/dev/zero")
    (folder / "folder.md").mkdir()
    (folder / "binary.md").write_bytes(b"\x00\x01binary")
    (folder / "empty.md").write_bytes(b"")
    (folder / "latin.md").write_bytes("# Café\n\nUn café.\n".encode("latin-1"))
    (folder / ".#good.md").symlink_to("someone@host.1234")  # an editor's lock file: hidden, not a text
    return project


def assert_each_named_once(stderr: str, project) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr
    for name, problem in PROBLEMS.items():
        mine = [line for line in lines if f"texts/{name}:" in line]
        assert len(mine) == 1 and problem in mine[0], (name, lines)
    assert len(lines) == len(PROBLEMS), lines
    assert "#good" not in stderr


@pytest.mark.apertium
def test_run_names_each_special_file_in_one_line_and_translates_the_good_text(texts):
    result = cli("run", "--quiet", cwd=texts, timeout=300)

    assert result.returncode == 1
    assert_each_named_once(result.stderr, texts)
    assert sorted(p.name for p in (texts / "outputs" / "es").iterdir()) == ["good.md", "good.po"]


@pytest.mark.parametrize(
    ("command", "shown"), [(("status",), "good.md"), (("review", "status"), "good.md"), (("check", "texts"), "1 texts")]
)
def test_reading_commands_name_each_unreadable_text_and_show_the_rest(texts, command, shown):
    result = cli(*command, cwd=texts, timeout=120)

    assert result.returncode == 1, result.stderr  # not 2 on the first bad text: every other one is shown
    assert_each_named_once(result.stderr, texts)
    assert shown in result.stdout


def test_review_next_carries_on_past_unreadable_texts(texts):
    with texts.memory() as memory:
        memory.store_machine([("Workers of the world, unite.", "Trabajadores.", Notes())], "en", "es", SIG)

    result = cli("review", "next", "--lang", "es", cwd=texts, timeout=120)

    assert result.returncode == 1
    assert_each_named_once(result.stderr, texts)
    assert "good.md" in result.stdout


@pytest.fixture
def exported(project):
    """good.md's drafts exported to outputs/es/good.po, as a run leaves them (no engine needed)."""
    project.configure(["es"])
    (project / "texts" / "good.md").write_text(GOOD, encoding="utf-8")
    [text] = load_texts(project.config)
    with project.memory() as memory:
        memory.store_machine([(s.text, f"es: {s.text}", Notes()) for s in text.document.segments], "en", "es", SIG)
        export_po(project / "outputs" / "es" / "good.po", TextInLanguage(text, "es", memory, project.config))
    po = polib.pofile(str(project / "outputs" / "es" / "good.po"))
    for entry in po:
        entry.msgstr, entry.flags = f"Revisado: {entry.msgid}", []
    po.save(str(project / "outputs" / "es" / "good.po"))
    return project


def test_a_named_pipe_among_imported_po_files_is_refused_without_waiting(exported):
    folder = exported / "outputs" / "es"
    os.mkfifo(folder / "waiting.po")
    (folder / "passwd.po").symlink_to("/etc/passwd")

    result = cli("review", "import", str(folder), "--reviewer", "Ana", cwd=exported, timeout=120)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    refused = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert len(refused) == 2, result.stderr
    assert any("waiting.po: is a named pipe (FIFO)" in line for line in refused)
    assert any("passwd.po: is a link to /etc/passwd, outside the project" in line for line in refused)
    assert "good.po: 0 approved, 2 edited" in result.stdout  # the good file is imported all the same
    assert cli("run", "--dry-run", cwd=exported).returncode == 0  # and the run lock is free


def test_a_named_pipe_where_a_po_file_is_written_is_moved_aside_not_waited_on(exported):
    po = exported / "outputs" / "es" / "good.po"
    po.unlink()
    os.mkfifo(po)
    [text] = load_texts(exported.config)
    with exported.memory() as memory:
        written = export_po(po, TextInLanguage(text, "es", memory, exported.config))
    assert written.changed and po.is_file() and "is a named pipe (FIFO)" in written.warnings[0]
