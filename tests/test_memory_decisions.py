"""The decision API: revisions, conflicts, an append-only log, and the committed text record it writes."""

from __future__ import annotations

import json
import sqlite3

import pytest
from readers import stored

from translate.memory.history import person_name
from translate.memory.notes import Notes
from translate.memory.records import ReviewDecision
from translate.memory.store import TranslationMemory
from translate.segment import sentence_hash

SIG = "engine:apertium|v:3.8.3|route:en>es|models:m|glossary:g1|seg:translate-seg-1"
TITLE = "The Virtual Factory"


def decision(tm, text, final, who, status="edited", base=None, via="po", **extra) -> ReviewDecision:
    entry = tm.get(text, "en", "es")
    return ReviewDecision(
        sentence_hash(text),
        "en",
        "es",
        who,
        "",
        entry.machine_text if entry else None,
        final,
        status,
        via=via,
        base=base,
        source_text=text,
        **extra,
    )


@pytest.fixture
def tm(tmp_path):
    with TranslationMemory(tmp_path / "memory" / "translate.sqlite") as memory:
        memory.store_machine([(TITLE, "La Fábrica Virtual", Notes()), ("Workers.", "Obreros.", Notes())], "en", "es", SIG)
        yield memory


def test_every_change_to_an_entry_gives_it_a_new_revision(tm):
    seen = [tm.get(TITLE, "en", "es").revision]
    tm.decide([decision(tm, TITLE, "La fábrica virtual", "Rosa", base=seen[-1])])
    seen.append(tm.get(TITLE, "en", "es").revision)
    tm.decide([decision(tm, TITLE, None, "Rosa", status="comment", base=seen[-1], comment="title case?")])
    seen.append(tm.get(TITLE, "en", "es").revision)
    tm.decide([decision(tm, TITLE, "La fábrica virtual", "Rosa", status="draft", base=seen[-1])])
    seen.append(tm.get(TITLE, "en", "es").revision)
    assert len(set(seen)) == 4 and all(len(r) == 8 for r in seen)


def test_a_save_against_an_old_revision_is_refused_and_kept_as_a_suggestion(tm):
    shown = tm.get(TITLE, "en", "es").revision  # Rosa and Ana both open the machine draft
    [rosa] = tm.decide([decision(tm, TITLE, "La fábrica virtual", "Rosa", base=shown, via="browser")])
    [ana] = tm.decide([decision(tm, TITLE, "La Fábrica Virtual", "Ana", status="approved", base=shown, via="browser")])
    assert (rosa.outcome, ana.outcome, ana.against) == ("applied", "conflict", rosa.id)
    entry = tm.get(TITLE, "en", "es")
    assert (entry.final_text, entry.reviewer, entry.via) == ("La fábrica virtual", "Rosa", "browser")
    log = tm.history(TITLE, "en", "es")
    assert [(d.reviewer, d.final_text, d.outcome) for d in log] == [
        ("Rosa", "La fábrica virtual", "applied"),
        ("Ana", "La Fábrica Virtual", "conflict"),
    ]
    # Ana saves again on what she now sees: accepted.
    [again] = tm.decide([decision(tm, TITLE, "La Fábrica virtual", "Ana", base=entry.revision, via="browser")])
    assert again.outcome == "applied" and tm.get(TITLE, "en", "es").final_text == "La Fábrica virtual"


def test_a_person_editing_her_own_po_file_again_is_not_in_conflict_with_herself(tm):
    shown = tm.get(TITLE, "en", "es").revision
    tm.decide([decision(tm, TITLE, "La fábrica virtual", "Rosa", base=shown)])
    [second] = tm.decide([decision(tm, TITLE, "La Fábrica virtual", "rosa", base=shown)])
    assert second.outcome == "applied"
    [browser] = tm.decide([decision(tm, TITLE, "Otra", "Rosa", base=shown, via="browser")])
    assert browser.outcome == "conflict"  # a stale browser tab is always a conflict


def test_machine_output_never_blocks_a_person(tm):
    shown = tm.get(TITLE, "en", "es").revision
    tm.store_machine([(TITLE, "La fábrica virtual (v2)", Notes())], "en", "es", SIG + "2")
    [d] = tm.decide([decision(tm, TITLE, "La fábrica virtual", "Rosa", base=shown)])
    assert d.outcome == "applied"


def test_e_mail_addresses_are_never_recorded():
    assert person_name("Ana García <ana@example.org>") == "Ana García"
    assert person_name("ana@example.org") == ""
    assert person_name("Bo (bo@example.org), ") == "Bo"


def test_a_decision_without_a_name_is_refused(tm):
    with pytest.raises(Exception, match="name"):
        tm.decide([decision(tm, TITLE, "x", "<ana@example.org>")])
    assert tm.review_log() == []


def test_replace_into_the_log_cannot_overwrite_a_logged_decision(tm):
    tm.decide([decision(tm, TITLE, "La fábrica virtual", "Rosa")])
    row = tm._db.execute("SELECT id, record_id FROM review_log").fetchone()
    for statement in (
        "REPLACE INTO review_log (id, record_id, source_hash, source_lang, target_lang, reviewer, time, status) "
        "VALUES (?, 'x', 'h', 'en', 'es', 'mallory', 't', 'approved')",
        "INSERT OR REPLACE INTO review_log (record_id, source_hash, source_lang, target_lang, reviewer, time, "
        "status) VALUES (?, 'h', 'en', 'es', 'mallory', 't', 'approved')",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            tm._db.execute(statement, (row[0] if statement.startswith("REPLACE") else row[1],))
    for statement in ("UPDATE review_log SET reviewer = 'mallory'", "DELETE FROM review_log"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            tm._db.execute(statement)
    assert [d.reviewer for d in tm.review_log()] == ["Rosa"]


def test_every_decision_is_a_line_of_the_committed_text_record(tm, tmp_path):
    shown = tm.get(TITLE, "en", "es").revision
    tm.decide([decision(tm, TITLE, "La fábrica virtual", "Rosa García <rosa@example.org>", base=shown, document="essay.md")])
    lines = (tmp_path / "memory" / "translate.reviews.jsonl").read_text(encoding="utf-8").splitlines()
    [record] = [json.loads(line) for line in lines]
    assert record["who"] == "Rosa García" and "example.org" not in lines[0]
    assert {k: record[k] for k in ("via", "decision", "source", "machine", "text", "base", "document")} == {
        "via": "po",
        "decision": "edited",
        "source": TITLE,
        "machine": "La Fábrica Virtual",
        "text": "La fábrica virtual",
        "base": shown,
        "document": "essay.md",
    }
    drafts = (tmp_path / "memory" / "translate.drafts" / "en-es.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["source"] for line in drafts) == sorted([TITLE, "Workers."])


def test_a_new_sqlite_file_is_rebuilt_from_the_text_record_without_an_engine(tm, tmp_path):
    tm.decide([decision(tm, TITLE, "La fábrica virtual", "Rosa", comment=None)])
    tm.decide([decision(tm, "Workers.", None, "Ana", status="comment", comment="obreros or trabajadores?")])
    before = {e.source_text: e for e in tm.entries("en", "es")}
    tm.close()
    (tmp_path / "memory" / "translate.sqlite").unlink()
    for suffix in ("-wal", "-shm"):
        (tmp_path / "memory" / f"translate.sqlite{suffix}").unlink(missing_ok=True)
    with TranslationMemory(tmp_path / "memory" / "translate.sqlite") as fresh:
        after = {e.source_text: e for e in fresh.entries("en", "es")}
        assert after == before
        assert fresh.plan([TITLE, "Workers."], "en", "es", SIG).pending == []  # nothing to translate again
        assert len(fresh.review_log()) == 2


def test_reopening_an_unchanged_memory_reads_no_record_file(tm, tmp_path, monkeypatch):
    tm.decide([decision(tm, TITLE, "La fábrica virtual", "Rosa")])
    tm.close()
    from translate.memory import journal

    def refuse(*args, **kwargs):
        raise AssertionError("an unchanged text record must not be read")

    monkeypatch.setattr(journal.Journal, "read_reviews", refuse)
    monkeypatch.setattr(journal.Journal, "read_drafts", refuse)
    with TranslationMemory(tmp_path / "memory" / "translate.sqlite") as again:
        assert stored(again, TITLE).final_text == "La fábrica virtual"


def test_records_appended_by_another_clone_are_judged_when_the_memory_opens(tm, tmp_path):
    shown = tm.get(TITLE, "en", "es").revision
    record = tmp_path / "memory" / "translate.reviews.jsonl"
    tm.decide([decision(tm, TITLE, "La fábrica virtual", "Rosa", base=shown)])
    tm.close()
    # Another clone's decision on the same sentence, made earlier on the same base, arrives by a merge:
    # it goes in the middle of the file, and the memory replays both in time order.
    lines = record.read_text(encoding="utf-8").splitlines()
    rosa = json.loads(lines[0])
    ana = dict(rosa, id="2000-01-01T00:00:00.000000Z-00000000", who="Ana", text="La Fábrica Virtual", decision="approved")
    record.write_text(json.dumps(ana, ensure_ascii=False) + "\n" + lines[0] + "\n", encoding="utf-8")
    with TranslationMemory(tmp_path / "memory" / "translate.sqlite") as merged:
        assert merged.synced.replayed
        [conflict] = merged.synced.conflicts
        assert (conflict.reviewer, conflict.final_text) == ("Rosa", "La fábrica virtual")
        entry = stored(merged, TITLE)
        assert (entry.final_text, entry.reviewer) == ("La Fábrica Virtual", "Ana")
        assert [d.reviewer for d in merged.review_log()] == ["Ana", "Rosa"]


def test_a_memory_made_before_the_text_record_writes_it_on_opening(tmp_path):
    path = tmp_path / "old.sqlite"
    with TranslationMemory(path, text_record=False) as old:
        old.store_machine([(TITLE, "La Fábrica Virtual", Notes())], "en", "es", SIG)
        old.decide([decision(old, TITLE, "La fábrica virtual", "Rosa")])
    assert not (tmp_path / "old.reviews.jsonl").exists()
    with TranslationMemory(path) as upgraded:
        assert upgraded.synced.exported
    assert "La fábrica virtual" in (tmp_path / "old.reviews.jsonl").read_text(encoding="utf-8")
    assert "La Fábrica Virtual" in (tmp_path / "old.drafts" / "en-es.jsonl").read_text(encoding="utf-8")
