"""Notes: the typed record beside each machine translation, and its JSON in the memory file."""

from __future__ import annotations

import json
from pathlib import Path

from readers import stored

from translate.memory.notes import GlossaryViolation, Notes, Signal
from translate.memory.store import TranslationMemory

REPO = Path(__file__).resolve().parents[1]


def test_every_note_in_the_committed_memory_reads_and_writes_back_unchanged():
    drafts = sorted((REPO / "memory" / "translate.drafts").glob("*.jsonl"))
    lines = [json.loads(line) for path in drafts for line in path.read_text(encoding="utf-8").splitlines()]
    stored = [json.dumps(line.get("notes", {}), ensure_ascii=False, sort_keys=True) for line in lines]
    assert len(stored) > 1000
    notes = [Notes.from_json(text) for text in stored]
    assert [n.to_json() for n in notes] == stored
    assert all(not n.other for n in notes)  # every key is a known field, typed
    # Glossary violations are rare once pinning works (none in some runs): each one there is typed.
    violations = [v for n in notes for v in n.violations or ()]
    assert all(isinstance(v, GlossaryViolation) and v.concept and v.expected for v in violations)
    # What the quality checks found is typed too.
    signals = [s for n in notes for s in n.signals or ()]
    assert all(isinstance(s, Signal) and s.check and s.reason for s in signals)
    assert violations or signals  # the record keeps what the run found, not only the texts


def test_unknown_keys_and_unexpected_shapes_are_kept_as_they_were():
    text = json.dumps(
        {"flagged": "yes", "quality": {"score": 0.5}, "violations": [{"term": "factory"}], "earlier_machine": ["Uno."]},
        sort_keys=True,
    )
    notes = Notes.from_json(text)
    assert notes.to_json() == text
    assert notes.flagged is None and notes.violations is None  # not typed: kept raw in `other`
    assert notes.earlier_machine == ["Uno."]
    assert set(notes.other) == {"flagged", "quality", "violations"}


def test_absent_fields_stay_absent_and_empty_ones_stay_empty():
    assert Notes().to_json() == "{}"
    assert Notes(violations=[], flagged=False).to_json() == '{"flagged": false, "violations": []}'
    assert Notes.from_json("") == Notes() == Notes.from_json("{}")


def test_needs_review_follows_flag_and_violations():
    violation = GlossaryViolation("surplus-value", "plusvalía", "'surplus value' should be rendered 'plusvalía'")
    assert not Notes().needs_review and not Notes(violations=[], flagged=False).needs_review
    assert Notes(flagged=True).needs_review and Notes(violations=[violation]).needs_review


def test_notes_survive_the_memory(tmp_path):
    violation = GlossaryViolation("labour-power", "fuerza de trabajo", "missing")
    notes = Notes(violations=[violation], flagged=True, other={"reviewer_hint": "check the term"})
    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        memory.store_machine([("Workers sell labour power.", "Los obreros venden trabajo.", notes)], "en", "es", "sig")
        assert stored(memory, "Workers sell labour power.").notes == notes


def test_quality_signals_round_trip_and_give_a_score_and_reasons():
    signals = [
        Signal("unknown-words", "unknown words", ("exploitative", "panopticon"), 2.0, "en>es"),
        Signal("glossary", "glossary term not as pinned", ("plusvalía",), 3.0),
    ]
    notes = Notes(signals=signals, flagged=True)
    again = Notes.from_json(notes.to_json())
    assert again == notes and again.to_json() == notes.to_json()
    assert notes.score == 5.0
    assert notes.reasons == ["glossary term not as pinned: plusvalía", "unknown words (en>es): exploitative, panopticon"]


def test_notes_written_before_signals_existed_still_read_and_have_no_score():
    old = '{"flagged": false, "violations": []}'
    notes = Notes.from_json(old)
    assert notes.signals is None and notes.score == 0 and notes.reasons == []
    assert notes.to_json() == old
    odd = '{"signals": [{"check": "x", "weight": 2}]}'
    assert Notes.from_json(odd).to_json() == odd and Notes.from_json(odd).signals is None
