"""Translation memory: schema, plan/store/review semantics, layouts, and safety under real processes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from readers import stored

import translate.memory.store as memory_module
from translate.errors import TranslateError, UsageError
from translate.memory.health import MemoryDamaged
from translate.memory.notes import GlossaryViolation, Notes
from translate.memory.records import ReviewDecision
from translate.memory.schema import SCHEMA_VERSION
from translate.memory.store import LOOKUP_CHUNK, TranslationMemory
from translate.run.signature import Signature
from translate.segment import Segment, sentence_hash

REPO = Path(__file__).resolve().parents[1]
SIG = str(Signature("apertium", "3.9.4", "en>es", "apertium-eng-spa@0.8.2", glossary="g1"))
SIG_NEW = str(Signature("apertium", "3.9.4", "en>es", "apertium-eng-spa@0.8.2", glossary="g2"))
WORK = GlossaryViolation("work", "trabajo", "'work' should be rendered 'trabajo'")


@pytest.fixture
def tm(tmp_path):
    with TranslationMemory(tmp_path / "memory.sqlite") as memory:
        yield memory


def approve(tm, text, final, reviewer="ana", status="approved", target="es"):
    entry = tm.get(text, "en", target)
    tm.record_review(
        ReviewDecision(
            sentence_hash(text),
            "en",
            target,
            reviewer,
            "",
            entry.machine_text if entry else None,
            final,
            status,
            document="essay.md",
            segment_id="3",
        )
    )


# -- schema ---------------------------------------------------------------------


def test_new_file_is_wal_with_current_schema_version(tmp_path):
    path = tmp_path / "sub" / "memory.sqlite"
    with TranslationMemory(path) as tm:
        assert tm.schema_version == SCHEMA_VERSION
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"entries", "review_log", "layout", "layout_runs"} <= tables


def test_opens_and_migrates_a_version_0_file(tmp_path):
    path = tmp_path / "memory.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE unrelated (x)").connection.close()
    with TranslationMemory(path) as tm:
        assert tm.schema_version == SCHEMA_VERSION
        tm.store_machine([("Hello.", "Hola.", Notes())], "en", "es", SIG)
    with TranslationMemory(path) as tm:
        assert stored(tm, "Hello.").machine_text == "Hola."


def test_refuses_a_zero_byte_file_instead_of_taking_it_for_a_new_memory(tmp_path):
    path = tmp_path / "memory.sqlite"
    path.write_bytes(b"")
    with pytest.raises(MemoryDamaged, match="the file is empty, 0 bytes"):
        TranslationMemory(path)
    assert path.stat().st_size == 0


def test_damage_after_a_sound_open_is_still_refused_at_the_next_open(tmp_path):
    # The page check is skipped while the file stays as it was found sound (the review
    # server opens the memory per request); any change to the file brings it back.
    path = tmp_path / "memory.sqlite"
    with TranslationMemory(path) as tm:
        tm.store_machine([(f"Sentence {n}. " * 20, f"Frase {n}. " * 20, Notes()) for n in range(400)], "en", "es", SIG)
    for _ in range(2):
        with TranslationMemory(path) as tm:
            assert stored(tm, "Sentence 7. " * 20).machine_text == "Frase 7. " * 20
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(os.urandom(8192))
    assert path.stat().st_size == size
    with pytest.raises(MemoryDamaged, match="translate memory rebuild"):
        TranslationMemory(path).get("Sentence 7. " * 20, "en", "es")


def test_refuses_a_file_from_a_newer_schema_version(tmp_path):
    path = tmp_path / "memory.sqlite"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.close()
    with pytest.raises(TranslateError, match=rf"schema version {SCHEMA_VERSION + 5} is newer") as err:
        TranslationMemory(path)
    assert "\n" not in str(err.value)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 5


def test_a_failing_migration_is_rolled_back_whole(tmp_path, monkeypatch):
    path = tmp_path / "memory.sqlite"
    TranslationMemory(path).close()
    broken = ("CREATE TABLE added_by_v2 (x)", "CREATE TABLE entries (x)")  # second statement fails
    monkeypatch.setattr(memory_module, "MIGRATIONS", [*memory_module.MIGRATIONS, broken])
    monkeypatch.setattr(memory_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(UsageError):
        TranslationMemory(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'added_by_v2'").fetchone()[0] == 0


def test_a_file_that_is_not_sqlite_is_a_usage_error(tmp_path):
    path = tmp_path / "memory.sqlite"
    path.write_text("these are notes, not a database\n" * 100)
    with pytest.raises(UsageError, match="the translation memory is damaged \\(not an SQLite file\\)"):
        TranslationMemory(path)


# -- store / lookup / plan --------------------------------------------------------


def test_store_is_idempotent_and_keyed_like_segments(tm):
    rows = [
        ("The factory is virtual.", "La fábrica es virtual.", Notes.from_dict({"glossary": []})),
        ("Work.", "Trabajo.", Notes()),
    ]
    assert tm.store_machine(rows, "en", "es", SIG) == 2
    first = tm.get("Work.", "en", "es")
    time.sleep(1.1)  # timestamps have one-second resolution
    assert tm.store_machine(rows, "en", "es", SIG) == 0
    again = tm.get("Work.", "en", "es")
    assert again == first
    assert again.source_hash == Segment("Work.", 0, 0, "paragraph", 1).source_hash
    assert again.created.endswith("Z") and again.status == "machine" and again.signature == SIG
    assert tm.stats("en", "es")["total"] == 2


def test_checkpoint_leaves_a_complete_main_file(tm, tmp_path):
    tm.store_machine([(f"S{n}.", f"E{n}.", Notes()) for n in range(300)], "en", "es", SIG)
    assert (tmp_path / "memory.sqlite-wal").stat().st_size > 0
    assert tm.checkpoint()
    assert (tmp_path / "memory.sqlite-wal").stat().st_size == 0
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes((tmp_path / "memory.sqlite").read_bytes())  # the main file alone, no -wal
    with TranslationMemory(copy) as restored:
        assert restored.stats("en", "es")["machine"] == 300


def test_store_updates_machine_entries_when_something_changed(tm):
    tm.store_machine([("Work.", "Trabajo.", Notes())], "en", "es", SIG)
    assert tm.store_machine([("Work.", "Labor.", Notes(violations=[WORK]))], "en", "es", SIG_NEW) == 1
    entry = tm.get("Work.", "en", "es")
    assert (entry.machine_text, entry.signature) == ("Labor.", SIG_NEW)
    # the replaced machine text is remembered, so an old PO showing it is not taken for an edit
    assert entry.notes == Notes(violations=[WORK], earlier_machine=["Trabajo."])


def test_lookup_uses_one_query_per_chunk(tm):
    texts = [f"Sentence number {n}." for n in range(LOOKUP_CHUNK * 2 + 200)]
    tm.store_machine(((t, t.upper(), Notes()) for t in texts), "en", "es", SIG)
    queries: list[str] = []
    tm.connection.set_trace_callback(queries.append)
    found = tm.lookup(texts + ["Unknown."], "en", "es")
    tm.connection.set_trace_callback(None)
    assert len(found) == len(texts) and found[texts[-1]].machine_text == texts[-1].upper()
    assert len([q for q in queries if q.startswith("SELECT")]) == 3
    assert tm.lookup(texts[:3], "en", "fr") == {}


def test_plan_classifies_new_reused_stale_and_reviewed(tm):
    tm.store_machine([(t, t + " (es)", Notes()) for t in ["A.", "B.", "C.", "D."]], "en", "es", SIG)
    approve(tm, "C.", "C aprobada.")
    approve(tm, "D.", "D borrador.", status="draft")

    same = tm.plan(["A.", "B.", "C.", "D.", "E.", "A."], "en", "es", SIG)
    assert sorted(same.reuse) == ["A.", "B.", "C.", "D."]
    assert same.translate == ["E."] and same.stale == []
    assert same.reuse["C."].best_text == "C aprobada."
    assert same.reuse["D."].best_text == "D. (es)"  # a draft is a suggestion, not the output

    changed = tm.plan(["A.", "B.", "C.", "D.", "E."], "en", "es", SIG_NEW)
    assert changed.stale == ["A.", "B."] and changed.translate == ["E."]
    assert sorted(changed.reuse) == ["C.", "D."]
    assert changed.pending == ["E.", "A.", "B."]
    assert tm.stats("en", "es", SIG_NEW) == {"machine": 2, "draft": 1, "approved": 1, "total": 4, "stale": 2}


def test_store_machine_never_touches_reviewed_entries(tm):
    tm.store_machine([("A.", "A1.", Notes()), ("B.", "B1.", Notes())], "en", "es", SIG)
    approve(tm, "A.", "A aprobada.")
    approve(tm, "B.", "B borrador.", status="draft")
    before = [tm.get(t, "en", "es") for t in ("A.", "B.")]
    assert tm.store_machine([("A.", "A2.", Notes(flagged=True)), ("B.", "B2.", Notes())], "en", "es", SIG_NEW) == 0
    assert [tm.get(t, "en", "es") for t in ("A.", "B.")] == before


# -- review ------------------------------------------------------------------------


def test_review_decisions_update_entries_and_are_logged(tm):
    tm.store_machine([("A.", "A1.", Notes()), ("B.", "B1.", Notes())], "en", "es", SIG)
    approve(tm, "A.", "A editada.", reviewer="ana", status="edited")
    entry = tm.get("A.", "en", "es")
    assert (entry.status, entry.final_text, entry.reviewer) == ("approved", "A editada.", "ana")
    assert entry.is_reviewed
    assert entry.best_text == "A editada." and entry.machine_text == "A1."

    approve(tm, "B.", "B1.", reviewer="luis")
    approve(tm, "B.", "", reviewer="luis", status="rejected")
    rejected = tm.get("B.", "en", "es")
    assert rejected.status == "machine" and rejected.final_text is None
    assert tm.plan(["B."], "en", "es", SIG).stale == ["B."]  # retranslated on the next run

    log = tm.review_log(source_lang="en", target_lang="es")
    assert [(d.status, d.reviewer, d.final_text) for d in log] == [
        ("edited", "ana", "A editada."),
        ("approved", "luis", "B1."),
        ("rejected", "luis", ""),
    ]
    assert log[0].source_text == "A." and log[0].document == "essay.md" and log[0].time.endswith("Z")
    assert [d.status for d in tm.review_log(source_hash=sentence_hash("B."))] == ["approved", "rejected"]


def test_review_log_is_append_only_even_for_raw_sql(tm, tmp_path):
    tm.store_machine([("A.", "A1.", Notes())], "en", "es", SIG)
    approve(tm, "A.", "A2.")
    db = sqlite3.connect(tmp_path / "memory.sqlite")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE review_log SET final_text = 'forged'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM review_log")
    db.rollback()
    assert [d.final_text for d in tm.review_log()] == ["A2."]


def test_a_batch_of_reviews_is_all_or_nothing(tm):
    tm.store_machine([("A.", "A1.", Notes())], "en", "es", SIG)
    good = ReviewDecision(sentence_hash("A."), "en", "es", "ana", "", "A1.", "A2.", "approved")
    unknown = ReviewDecision(sentence_hash("Z."), "en", "es", "ana", "", None, "Z2.", "approved")
    with pytest.raises(UsageError, match="no memory entry"):
        tm.record_reviews([good, unknown])
    assert tm.review_log() == [] and tm.get("A.", "en", "es").status == "machine"
    with pytest.raises(UsageError, match="not one of"):
        tm.record_review(ReviewDecision(sentence_hash("A."), "en", "es", "ana", "", "A1.", "A2.", "ok"))


def test_review_with_source_text_creates_a_missing_entry(tm):
    decision = ReviewDecision(
        sentence_hash("New."), "en", "pt_BR", "rui", "2024-05-01T09:30:00Z", None, "Novo.", "approved", source_text="New."
    )
    tm.record_review(decision)
    entry = tm.get("New.", "en", "pt_BR")
    assert (entry.best_text, entry.machine_text, entry.updated) == ("Novo.", None, "2024-05-01T09:30:00Z")
    assert tm.plan(["New."], "en", "pt_BR", SIG).reuse["New."].is_reviewed


# -- layout ------------------------------------------------------------------------


def layout_rows(*texts):
    return [(i, i // 2, i % 2, sentence_hash(t), t) for i, t in enumerate(texts)]


def test_layout_keeps_the_previous_run(tm):
    assert tm.layout("essay.md") == [] and tm.previous_layout("essay.md") == []
    first, second = layout_rows("A.", "B.", "C."), layout_rows("A.", "B changed.", "C.")
    assert tm.record_layout("essay.md", "en", first)
    assert tm.record_layout("essay.md", "en", second)
    assert not tm.record_layout("essay.md", "en", second)  # unchanged: history is kept
    assert [r.source_text for r in tm.layout("essay.md")] == ["A.", "B changed.", "C."]
    assert [r.source_text for r in tm.previous_layout("essay.md")] == ["A.", "B.", "C."]
    assert tm.previous_sources("essay.md") == {sentence_hash("B changed."): "B."}
    row = tm.layout("essay.md")[2]
    assert (row.index, row.block, row.position, row.source_hash) == (2, 1, 0, sentence_hash("C."))
    assert tm.layout("other.md") == []


def test_layout_history_is_pruned(tm):
    for run in range(memory_module.LAYOUT_RUNS_KEPT + 5):
        tm.record_layout("essay.md", "en", layout_rows(f"Run {run}."))
    assert tm.connection.execute("SELECT COUNT(*) FROM layout_runs").fetchone()[0] == memory_module.LAYOUT_RUNS_KEPT
    assert tm.connection.execute("SELECT COUNT(*) FROM layout").fetchone()[0] == memory_module.LAYOUT_RUNS_KEPT
    assert tm.previous_layout("essay.md")[0].source_text == f"Run {memory_module.LAYOUT_RUNS_KEPT + 3}."


# -- real processes ------------------------------------------------------------------

WORKER = """
import sys, time
from translate.memory.notes import Notes
from translate.memory.records import ReviewDecision
from translate.memory.store import TranslationMemory
from translate.segment import sentence_hash
path, name, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
tm = TranslationMemory(path)
end, batch = time.monotonic() + seconds, 0
while time.monotonic() < end:
    rows = [(f"{name} {batch} {i}.", f"{name} {batch} {i} (es).", Notes(other={"batch": batch})) for i in range(50)]
    tm.store_machine(rows, "en", "es", "sig")
    plan = tm.plan([r[0] for r in rows] + ["never seen."], "en", "es", "sig")
    assert len(plan.reuse) == 50 and plan.translate == ["never seen."], plan
    first = rows[0][0]
    tm.record_review(ReviewDecision(sentence_hash(first), "en", "es", name, "", rows[0][1], "ok", "approved"))
    tm.record_layout("shared.md", "en", [(i, 0, i, sentence_hash(r[0]), r[0]) for i, r in enumerate(rows)])
    batch += 1
print(batch, flush=True)
"""


def run_python(script, *args, **kwargs):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def test_two_processes_write_and_read_at_once(tmp_path):
    path = tmp_path / "memory.sqlite"
    workers = [run_python(WORKER, path, name, 2.0) for name in ("alpha", "beta")]
    results = [worker.communicate(timeout=60) for worker in workers]
    for worker, (_out, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0, err
        assert "locked" not in err
    batches = [int(out) for out, _ in results]
    assert min(batches) > 0
    with TranslationMemory(path) as tm:
        stats = tm.stats("en", "es")
        assert stats["total"] == 50 * sum(batches) and stats["approved"] == sum(batches)
        assert len(tm.review_log()) == sum(batches)
        assert len(tm.layout("shared.md")) == 50 and len(tm.previous_layout("shared.md")) == 50


KILLED_WRITER = """
import sys
from translate.memory.notes import Notes
from translate.memory.store import TranslationMemory
from translate.segment import sentence_hash
path, batch = sys.argv[1], int(sys.argv[2])
tm = TranslationMemory(path)
while True:
    rows = [(f"batch {batch} row {i}.", f"lote {batch} fila {i}.", Notes(other={"batch": batch})) for i in range(400)]
    tm.store_machine(rows, "en", "es", "sig")
    tm.record_layout("doc.md", "en", [(i, i, 0, sentence_hash(r[0]), r[0]) for i, r in enumerate(rows)])
    print(batch, flush=True)
    batch += 1
"""


def test_sigkill_mid_write_leaves_whole_batches_only(tmp_path):
    path = tmp_path / "memory.sqlite"
    committed: list[int] = []
    for round_, delay in enumerate((0.013, 0.021, 0.034, 0.055)):
        writer = run_python(KILLED_WRITER, path, round_ * 100_000)
        for _ in range(3):  # let it commit a few batches, then kill it at an arbitrary instant
            committed.append(int(writer.stdout.readline()))
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
        writer.stdout.close()
        writer.stderr.close()
        assert writer.returncode == -signal.SIGKILL

    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    counts = dict(db.execute("SELECT json_extract(notes, '$.batch'), COUNT(*) FROM entries GROUP BY 1").fetchall())
    assert set(committed) <= set(counts)  # every acknowledged batch survived
    assert set(counts.values()) == {400}  # and no batch is half there
    db.close()
    with TranslationMemory(path) as tm:
        for rows in (tm.layout("doc.md"), tm.previous_layout("doc.md")):
            assert len(rows) == 400 and len({r.source_text.split(" row")[0] for r in rows}) == 1


def test_drafts_a_run_stored_before_it_died_reach_the_text_record_on_the_next_run(tmp_path):
    """A run stores job after job without rewriting the pair's drafts file (record=False) and writes it once at the
    end; a run killed in between leaves a marker, and the next run writes the file before anything else."""
    path = tmp_path / "memory" / "translate.sqlite"
    drafts = tmp_path / "memory" / "translate.drafts" / "en-es.jsonl"
    with TranslationMemory(path) as memory:
        memory.store_machine([("The workers.", "Los trabajadores.", Notes())], "en", "es", "sig", record=False)
    assert not drafts.exists() or "Los trabajadores." not in drafts.read_text(encoding="utf-8")  # as if killed here
    with TranslationMemory(path) as memory:
        assert memory.record_pending() == [("en", "es")]
        assert memory.record_pending() == []
    assert "Los trabajadores." in drafts.read_text(encoding="utf-8")
    with TranslationMemory(path) as memory:  # the record and the SQLite file agree: nothing to bring in
        assert memory.lookup(["The workers."], "en", "es")["The workers."].machine_text == "Los trabajadores."
