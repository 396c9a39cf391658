"""Finishing machine drafts in the run: new ones after the engine, stored ones when the rules change.

`translate.finish` puts a draft in its language's typography and spelling. New
translations are finished as they come from the glossary layer; the engine's
own text is kept in the notes (`draft`) with the finishing version
(`finished`). When the finishing rules change (a new typography table, CLDR
data, the Portuguese dictionary appearing), a run finishes every stored
machine draft again from that text, with no engine call: the rules are
deliberately not part of the signature, which would send every unreviewed
sentence back to the engine. Reviewed text is never touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from translate.finish import finish, finish_version
from translate.memory.notes import Notes
from translate.memory.records import MemoryEntry
from translate.segment import Document

Row = tuple[str, str, Notes]


def heading_sentences(documents: Iterable[Document]) -> set[str]:
    """The sentences that are headings in some document (they get sentence case where the language writes it)."""
    return {s.text for d in documents for s in d.segments if s.kind == "heading"}


def finished_text(draft: str, target: str, sentence: str, headings: set[str]) -> str:
    return finish(draft, target, heading=sentence in headings)


def finish_notes(notes: Notes, draft: str, text: str, target: str) -> Notes:
    """Notes recording the engine's draft (when finishing changed it) and the finishing version."""
    return replace(notes, draft=draft if draft != text else None, finished=finish_version(target))


def refinished(
    entries: Mapping[str, MemoryEntry], target: str, headings: set[str]
) -> list[Row]:
    """Stored machine drafts finished by older rules, finished again: the rows to store (no engine)."""
    version = finish_version(target)
    rows: list[Row] = []
    for sentence, entry in entries.items():
        if entry.status != "machine" or entry.machine_text is None or entry.notes.finished == version:
            continue
        draft = entry.notes.draft or entry.machine_text
        text = finished_text(draft, target, sentence, headings)
        notes = finish_notes(entry.notes, draft, text, target)
        notes.signals = _still_there(notes.signals, text)
        rows.append((sentence, text, notes))
    return rows


def _still_there(signals: Sequence | None, text: str) -> list | None:
    """Signals naming words: only those whose words the finished text still has (a respelled word is gone)."""
    if signals is None:
        return None
    lowered = text.lower()
    return [s for s in signals if not s.words or any(w.lower() in lowered for w in s.words)]
