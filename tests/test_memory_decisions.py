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
    row = tm.connection.execute("SELECT id, record_id FROM review_log").fetchone()
    for statement in (
        "REPLACE INTO review_log (id, record_id, source_hash, source_lang, target_lang, reviewer, time, status) "
        "VALUES (?, 'x', 'h', 'en', 'es', 'mallory', 't', 'approved')",
        "INSERT OR REPLACE INTO review_log (record_id, source_hash, source_lang, target_lang, reviewer, time, "
        "status) VALUES (?, 'h', 'en', 'es', 'mallory', 't', 'approved')",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            tm.connection.execute(statement, (row[0] if statement.startswith("REPLACE") else row[1],))
    for statement in ("UPDATE review_log SET reviewer = 'mallory'", "DELETE FROM review_log"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            tm.connection.execute(statement)
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


# ---------------------------------------------------------------- issue 23: merges, branches, credit, characters


def _insert_before(record, decision_record: dict) -> None:
    """Put a record from another branch at the start of the review record, as a union merge may."""
    lines = record.read_text(encoding="utf-8").splitlines()
    record.write_text("\n".join([json.dumps(decision_record, ensure_ascii=False), *lines]) + "\n", encoding="utf-8")


def test_an_approval_is_not_lost_to_an_earlier_fuzzy_draft_from_the_other_branch(tm, tmp_path):
    """Bo approved on one branch; Ana had saved a fuzzy draft of the same text earlier on another: after the
    merge the approval holds, Ana's draft is an open suggestion, and the replay reports it."""
    from translate.memory.history import open_suggestions

    shown = tm.get(TITLE, "en", "es").revision
    record = tmp_path / "memory" / "translate.reviews.jsonl"
    [bo] = tm.decide([decision(tm, TITLE, "La fábrica virtual", "Bo", status="edited", base=shown)])
    tm.close()
    ana = json.loads(record.read_text(encoding="utf-8").splitlines()[0])
    ana.update(id="2000-01-01T00:00:00.000000Z-00000000", who="Ana", text="La Fábrica Virtual (borrador)", decision="draft")
    _insert_before(record, ana)
    with TranslationMemory(tmp_path / "memory" / "translate.sqlite") as merged:
        entry = stored(merged, TITLE)
        assert (entry.status, entry.final_text, entry.reviewer) == ("approved", "La fábrica virtual", "Bo")
        [kept] = open_suggestions(merged.history(TITLE, "en", "es"), entry)
        assert (kept.reviewer, kept.final_text) == ("Ana", "La Fábrica Virtual (borrador)")
        [line] = merged.synced.conflict_lines()
        assert "Bo's approval" in line and "Ana's draft" in line and "La Fábrica Virtual (borrador)" in line


def test_switching_branches_drops_the_decisions_and_drafts_the_checked_out_record_lacks(tm, tmp_path):
    folder = tmp_path / "memory"
    shown = tm.get(TITLE, "en", "es").revision
    tm.decide([decision(tm, TITLE, "La fábrica virtual", "Rosa", base=shown)])
    on_main = {p: p.read_bytes() for p in (folder / "translate.reviews.jsonl", folder / "translate.drafts" / "en-es.jsonl")}
    # On a feature branch: Ana approves another sentence and a run drafts a new one.
    tm.decide([decision(tm, "Workers.", "¡Obreros!", "Ana", base=tm.get("Workers.", "en", "es").revision)])
    tm.store_machine([("A new sentence.", "Una frase nueva.", Notes())], "en", "es", SIG)
    tm.close()
    for path, data in on_main.items():  # git checkout main
        path.write_bytes(data)
    with TranslationMemory(folder / "translate.sqlite") as memory:
        assert stored(memory, "Workers.").status == "machine"
        assert memory.get("A new sentence.", "en", "es") is None
        assert stored(memory, TITLE).final_text == "La fábrica virtual"
        assert [d.reviewer for d in memory.review_log()] == ["Rosa"]


def test_a_translators_draft_approved_unchanged_credits_the_translator_and_the_reviewer(tm):
    shown = tm.get(TITLE, "en", "es").revision
    tm.decide([decision(tm, TITLE, "La fábrica virtual", "Teo", status="draft", base=shown, via="browser")])
    drafted = tm.get(TITLE, "en", "es")
    [approval] = tm.decide([decision(tm, TITLE, "La fábrica virtual", "Ana", status="approved", base=drafted.revision)])
    entry = tm.get(TITLE, "en", "es")
    assert approval.outcome == "applied"
    assert (entry.status, entry.reviewer, entry.translator) == ("approved", "Ana", "Teo")
    [machine] = tm.decide([decision(tm, "Workers.", "Obreros.", "Ana", status="approved")])
    assert tm.get("Workers.", "en", "es").translator == ""  # the machine's text: no translator to credit


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x0b", "\ufffe"])
def test_the_memory_refuses_a_text_no_export_can_carry(tm, char):
    with pytest.raises(Exception, match="cannot carry"):
        tm.decide([decision(tm, TITLE, f"La fábrica{char} virtual", "Rosa")])
    with pytest.raises(Exception, match="cannot carry"):
        tm.decide([decision(tm, TITLE, None, "Rosa", status="note", comment=f"mira{char}")])
    assert tm.review_log() == []


def test_a_memory_of_the_previous_schema_gets_its_credits_from_the_log(tmp_path):
    """Opening a memory made before credits were kept fills them by replaying its log."""
    from translate.memory.schema import MIGRATIONS

    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    for statement in (s for migration in MIGRATIONS[:3] for s in migration):
        db.execute(statement)
    db.execute("PRAGMA user_version = 3")
    key = (sentence_hash(TITLE), "en", "es")
    db.execute(
        "INSERT INTO entries (source_hash, source_lang, target_lang, source_text, machine_text, signature, status, "
        "final_text, reviewer, created, updated, via, decision_id) VALUES (?, ?, ?, ?, 'La Fábrica Virtual', ?, "
        "'draft', 'La fábrica virtual', 'Teo', 't', 't', 'browser', 'r1')",
        (*key, TITLE, SIG),
    )
    db.execute(
        "INSERT INTO review_log (record_id, source_hash, source_lang, target_lang, source_text, reviewer, time, "
        "machine_text, final_text, status, via) VALUES ('r1', ?, ?, ?, ?, 'Teo', 't', 'La Fábrica Virtual', "
        "'La fábrica virtual', 'draft', 'browser')",
        (*key, TITLE),
    )
    db.close()
    with TranslationMemory(path, text_record=False) as memory:
        entry = stored(memory, TITLE)
        assert (entry.status, entry.translator, memory.schema_version) == ("draft", "Teo", 4)
