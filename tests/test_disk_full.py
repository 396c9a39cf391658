"""A full disk under the memory: nothing torn, one line saying "disk full", and the next command works.

The memory lives on a real 3 MB tmpfs filled to the point each test wants
(small_disk.py); SQLite, the committed text record and the kernel meet for real.
After every failure the record must hold whole lines only, the SQLite file and the
record must agree (a decision is in both or in neither: a "failed" import is never
applied later), and once space is back the next command works and a memory
rebuilt from the record equals the live one.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import polib
import pytest
from cli_process import cli, one_line_error
from serve_helpers import csrf_of, invite, sign_in
from small_disk import copy_folder, fill, leave, small_disk
from starlette.testclient import TestClient

from translate import workflow
from translate.errors import DiskFull, TranslateError
from translate.memory.notes import Notes
from translate.memory.records import ReviewDecision
from translate.memory.store import TranslationMemory
from translate.review.po_export import export_po
from translate.review.po_import import import_paths
from translate.run.text_in_language import TextInLanguage
from translate.segment import sentence_hash
from translate.serve.app import build_app
from translate.serve.review.routes import confirmation_of

SIG = "engine:test|v:0|route:en>es|models:none|opts:|glossary:none|seg:translate-seg-1"
SENTENCES = [f"Sentence number {i} says something about workers and their unions." for i in range(40)]
LONG_EDIT = "largo " * 300  # ~1.8 KB a decision, as in the report: 40 of them outgrow 100 KB of free space


@pytest.fixture
def disk(project):
    """The project's memory on its own 3 MB disk (memory = "disk/translate.sqlite"), with drafts and one approval."""
    project.configure(["es"], project={"memory": "disk/translate.sqlite"}, engine={"default": "apertium"})
    text = project.add_text("note.md", "# A note\n\n" + "\n\n".join(SENTENCES) + "\n")
    with small_disk(project / "disk"):
        config = project.config
        with project.memory() as memory:
            memory.store_machine([(s, f"es: {s}", Notes()) for s in SENTENCES], "en", "es", SIG)
            memory.record_review(decision(SENTENCES[0], "Primera frase, aprobada.", "Rosa"))
            export_po(project / "outputs" / "es" / "note.po", TextInLanguage(text, "es", memory, config))
        yield project


def decision(sentence: str, text: str, who: str) -> ReviewDecision:
    return ReviewDecision(sentence_hash(sentence), "en", "es", who, "", f"es: {sentence}", text, "edited", source_text=sentence)


def edit_every_entry(po_path: Path) -> None:
    """A reviewer rewrites every sentence at length and approves it (what the report imported: long edits)."""
    po = polib.pofile(str(po_path))
    for number, entry in enumerate(po):
        if entry.msgid != SENTENCES[0]:
            entry.msgstr, entry.flags = f"Texto revisado número {number}: {LONG_EDIT}", []
    po.save(str(po_path))


def record_of(project) -> list[dict]:
    """Every line of the review record, each of which must be a whole JSON object (nothing torn)."""
    path = project / "disk" / "translate.reviews.jsonl"
    if not path.exists():
        return []
    data = path.read_bytes()
    assert data.endswith(b"\n"), "the record's last line is torn"
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def memory_tables(path: Path) -> tuple[list, list]:
    """What a person's work is in a memory: its entries and its review log, without change counters."""
    with TranslationMemory(path) as memory:
        db = memory.connection
        entries = db.execute(
            "SELECT source_hash, source_text, machine_text, signature, status, final_text, reviewer, notes, comment, "
            "comment_by, via, decision_id FROM entries ORDER BY source_hash"
        ).fetchall()
        log = db.execute(
            "SELECT record_id, source_hash, reviewer, status, final_text, machine_text, outcome, against FROM review_log "
            "ORDER BY record_id"
        ).fetchall()
    return entries, log


def assert_rebuilt_equals_live(project, tmp_path: Path) -> None:
    """A memory made afresh from the committed record (a fresh clone) holds what the live one holds."""
    clone = tmp_path / "clone"
    clone.mkdir(parents=True)
    shutil.copy(project / "disk" / "translate.reviews.jsonl", clone)
    shutil.copytree(project / "disk" / "translate.drafts", clone / "translate.drafts")
    assert memory_tables(clone / "translate.sqlite") == memory_tables(project / "disk" / "translate.sqlite")


def test_a_full_disk_during_review_import_tears_nothing_and_the_next_import_records_everything(disk, tmp_path):
    po_path = disk / "outputs" / "es" / "note.po"
    edit_every_entry(po_path)
    before = record_of(disk)
    filler = fill(disk / "disk")
    leave(filler, 100 * 1024)

    failed = cli("review", "import", str(po_path), "--reviewer", "Ana", cwd=disk)

    assert failed.returncode == 1
    assert one_line_error(failed).startswith("error: disk full: nothing recorded")
    assert record_of(disk) == before  # not one line of the 39 decisions, and none torn
    filler.unlink()
    assert cli("status", cwd=disk).returncode == 0
    assert [e for e in memory_tables(disk / "disk" / "translate.sqlite")[1] if e[2] == "Ana"] == []  # nor applied later

    again = cli("review", "import", str(po_path), "--reviewer", "Ana", cwd=disk)

    assert again.returncode == 0, again.stderr
    assert sum(r["who"] == "Ana" for r in record_of(disk)) == len(SENTENCES)  # the title and 39 sentences
    assert_rebuilt_equals_live(disk, tmp_path)


def test_at_every_level_of_free_space_a_review_import_is_recorded_whole_or_not_at_all(disk, tmp_path):
    po_path = disk / "outputs" / "es" / "note.po"
    edit_every_entry(po_path)
    config = disk.config
    template = tmp_path / "template"
    shutil.copytree(disk / "disk", template)
    outcomes = set()
    for free in (0, 16, 40, 64, 100, 160, 240, 320, 480, 640, 800, 1200):  # KiB left on the disk
        copy_folder(template, disk / "disk")
        filler = fill(disk / "disk")
        leave(filler, free * 1024)
        try:
            with TranslationMemory(config.path("memory")) as memory:
                import_paths(memory, [po_path], config, "Ana")
            outcomes.add("recorded")
        except DiskFull as err:
            assert str(err).startswith("disk full: nothing recorded"), err
            outcomes.add("disk full at " + ("the record" if "reviews.jsonl" in str(err) else "SQLite"))
        except TranslateError as err:
            pytest.fail(f"with {free} KiB free: {err} (a full disk must be named as one)")
        filler.unlink()
        recorded = {r["id"] for r in record_of(disk) if r["who"] == "Ana"}
        with TranslationMemory(config.path("memory")) as memory:
            assert memory.synced.decisions == []  # nothing the failed import left behind is applied later
            logged = {d.id for d in memory.review_log() if d.reviewer == "Ana"}
        assert recorded == logged and len(recorded) in (0, len(SENTENCES)), f"{free} KiB free"
    assert outcomes == {"recorded", "disk full at the record", "disk full at SQLite"}
    assert_rebuilt_equals_live(disk, tmp_path)


@pytest.mark.apertium
def test_at_every_level_of_free_space_a_run_stores_whole_or_nothing_and_the_next_run_finishes(disk, tmp_path):
    config = disk.config
    template = tmp_path / "template"
    shutil.copytree(disk / "disk", template)
    failures = []
    for free in (0, 40, 120, 400):  # KiB left on the disk
        copy_folder(template, disk / "disk")
        filler = fill(disk / "disk")
        leave(filler, free * 1024)
        try:
            report, _ = workflow.run(config)
            failures += report.errors
        except DiskFull as err:
            failures.append(str(err))
        filler.unlink()
        drafts = (disk / "disk" / "translate.drafts" / "en-es.jsonl").read_text(encoding="utf-8")
        assert all(json.loads(line)["source"] for line in drafts.splitlines())  # whole lines only
        report, _ = workflow.run(config)
        assert report.exit_code == 0, report.errors
        assert_rebuilt_equals_live(disk, tmp_path / str(free))
    assert failures and all("disk full: nothing" in line for line in failures), failures


def test_a_commit_that_fails_after_the_record_was_appended_takes_the_appended_lines_back(disk, tmp_path):
    record = disk / "disk" / "translate.reviews.jsonl"
    before = record.read_bytes()
    assert len(before) % 4096 < 3000  # room in the record's last page for one short line: its append needs no new space
    with TranslationMemory(disk.config.path("memory")) as memory:
        filler = fill(disk / "disk")  # after opening: SQLite's shared-memory file already has its space
        with pytest.raises(DiskFull, match=r"^disk full: nothing recorded.*translate\.sqlite"):
            memory.record_review(decision(SENTENCES[1], "Segunda.", "Ana"))
        assert record.read_bytes() == before
        assert [d.reviewer for d in memory.review_log()] == ["Rosa"]
    filler.unlink()
    with TranslationMemory(disk.config.path("memory")) as memory:
        assert memory.synced.decisions == []
        memory.record_review(decision(SENTENCES[1], "Segunda.", "Ana"))
    assert [r["who"] for r in record_of(disk)] == ["Rosa", "Ana"]
    assert_rebuilt_equals_live(disk, tmp_path)


def test_a_record_append_cut_short_by_a_full_disk_is_cut_off_and_the_memory_is_unchanged(disk, tmp_path):
    record = disk / "disk" / "translate.reviews.jsonl"
    before = record.read_bytes()
    with TranslationMemory(disk.config.path("memory")) as memory:
        filler = fill(disk / "disk")
        with pytest.raises(DiskFull, match=r"^disk full: nothing recorded.*translate\.reviews\.jsonl"):
            memory.record_review(decision(SENTENCES[1], "Segunda " + LONG_EDIT * 4, "Ana"))  # more than the last page holds
        assert record.read_bytes() == before
        assert [d.reviewer for d in memory.review_log()] == ["Rosa"]
    filler.unlink()
    assert_rebuilt_equals_live(disk, tmp_path)


def test_a_browser_save_on_a_full_disk_is_refused_saying_so_and_the_next_save_works(disk, tmp_path):
    client = TestClient(build_app(disk.config))
    sign_in(client, invite(disk, "Ana", ("es",)))
    url = f"/review/es/note/{sentence_hash(SENTENCES[1])}"
    before = record_of(disk)
    filler = fill(disk / "disk")

    page = client.get(url)  # reading still works: the memory is read from a copy
    assert page.status_code == 200
    form = {"action": "approve", "text": "Segunda, aprobada.", "csrf_token": csrf_of(page.text)}
    form["confirm"] = confirmation_of(form["text"])  # "Approve anyway", should the checks ask about the text
    refused = client.post(url, data=form, follow_redirects=False)

    assert refused.status_code == 503
    assert "Nothing was saved: the server&#39;s disk is full" in refused.text and "Traceback" not in refused.text
    assert record_of(disk) == before
    filler.unlink()
    saved = client.post(url, data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert [r["who"] for r in record_of(disk)] == ["Rosa", "Ana"]
    assert_rebuilt_equals_live(disk, tmp_path)


def test_an_api_request_on_a_full_disk_still_answers_from_the_memory(disk):
    client = TestClient(build_app(disk.config))
    fill(disk / "disk")

    answer = client.post("/translate", json={"q": SENTENCES[0], "source": "en", "target": "es"})

    assert answer.status_code == 200, answer.text
    assert answer.json()["translatedText"] == "Primera frase, aprobada."


def test_memory_rebuild_on_a_full_disk_says_disk_full_and_never_moves_the_healthy_file_aside(disk):
    filler = fill(disk / "disk")

    result = cli("memory", "rebuild", cwd=disk)

    assert result.returncode == 1
    line = one_line_error(result)
    assert line.startswith("error: disk full") and "damaged" not in line
    assert sorted(p.name for p in (disk / "disk").iterdir() if "damaged" in p.name) == []
    filler.unlink()
    assert cli("memory", "rebuild", cwd=disk).returncode == 0


@pytest.mark.parametrize(
    "command",
    [("review", "import", "outputs/es/note.po", "--reviewer", "Ana"), ("memory", "import", "x.tmx"), ("run",)],
    ids=["review import", "memory import", "run"],
)
def test_a_full_disk_is_named_as_such_never_as_damage(disk, command):
    edit_every_entry(disk / "outputs" / "es" / "note.po")
    (disk / "x.tmx").write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" '
        'adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/><body><tu><tuv xml:lang="en"><seg>'
        f'{SENTENCES[2]}</seg></tuv><tuv xml:lang="es"><seg>{LONG_EDIT * 20}</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    fill(disk / "disk")

    result = cli(*command, cwd=disk)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "disk full" in result.stderr and "damaged" not in result.stderr and "rebuild" not in result.stderr


def test_a_line_torn_by_an_older_version_is_set_aside_with_one_warning_and_blocks_nothing(disk, tmp_path):
    record = disk / "disk" / "translate.reviews.jsonl"
    whole = record.read_bytes()
    # What the old append left: a write cut short, then the next append's lines after a newline.
    later = json.loads(whole)
    later.update(id="2099-01-01T00:00:00.000000Z-00000001", who="Ana", text="Más tarde.")
    torn = b'{"decision": "edited", "document": "note.md", "id": "2098-01-01T00:00:00.0000'
    record.write_bytes(whole + torn + b"\n" + json.dumps(later, ensure_ascii=False).encode() + b"\n")
    (disk / "disk" / "translate.sqlite").unlink()  # a fresh clone: everything is read from the record

    status = cli("status", cwd=disk)
    assert status.returncode == 0, status.stderr
    assert status.stderr.count("warning:") == 1 and ":2: a record cut short" in status.stderr

    rebuilt = cli("memory", "rebuild", cwd=disk)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "set aside in translate.reviews.torn" in rebuilt.stderr
    assert [r["who"] for r in record_of(disk)] == ["Rosa", "Ana"]
    assert (disk / "disk" / "translate.reviews.torn").read_bytes() == torn + b"\n"
    assert cli("status", cwd=disk).stderr == ""  # mended once, for good
    assert_rebuilt_equals_live(disk, tmp_path)


def test_a_torn_line_of_a_decision_the_memory_holds_is_completed_from_the_memory(disk, tmp_path):
    record = disk / "disk" / "translate.reviews.jsonl"
    whole = record.read_bytes()
    with TranslationMemory(disk.config.path("memory")) as memory:
        memory.record_review(decision(SENTENCES[1], "Segunda.", "Ana"))
    full = record.read_bytes()
    record.write_bytes(full[: len(whole) + 50])  # an older version: the line cut short, the COMMIT done

    with TranslationMemory(disk.config.path("memory")) as memory:
        memory.record_review(decision(SENTENCES[2], "Tercera.", "Ana"))

    assert [r.get("text") for r in record_of(disk)] == ["Primera frase, aprobada.", "Segunda.", "Tercera."]
    assert not (disk / "disk" / "translate.reviews.torn").exists()
    assert_rebuilt_equals_live(disk, tmp_path)


def test_the_record_and_the_sqlite_file_get_their_mode_from_the_umask(project):
    old = os.umask(0o027)  # a group-readable project, as an organizer might set it
    try:
        with TranslationMemory(project / "memory" / "translate.sqlite") as memory:
            memory.store_machine([(SENTENCES[0], "es", Notes())], "en", "es", SIG)
            memory.record_review(decision(SENTENCES[0], "Uno.", "Rosa"))
    finally:
        os.umask(old)
    memory_folder = project / "memory"
    modes = {
        path.name: path.stat().st_mode & 0o777
        for path in (
            memory_folder / "translate.sqlite",
            memory_folder / "translate.reviews.jsonl",
            memory_folder / "translate.drafts" / "en-es.jsonl",
        )
    }
    assert modes == dict.fromkeys(modes, 0o640)
