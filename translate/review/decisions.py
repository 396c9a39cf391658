"""What a reviewer decided in a PO file, read against the memory.

A PO entry without the fuzzy flag is an approval ('approved' if the machine
text was kept, 'edited' if not); a changed text still marked fuzzy is a
'draft'. Anything the memory already holds (its machine text, a replaced
machine text of an earlier engine, the suggestion the export offered, the
recorded draft or approval) is no new decision, which makes importing a file
twice harmless, and lets the export see whether a file on disk holds work
that was not imported yet (`unimported_changes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib

from translate.memory.records import MemoryEntry
from translate.memory.store import TranslationMemory
from translate.review.po_file import FUZZY, read_po


@dataclass(frozen=True)
class Action:
    """What a reviewer did to one PO entry: a decision status, or none ('' = pending / known)."""

    status: str  # 'approved' | 'edited' | 'draft' | ''
    text: str
    warning: str = ""


def reviewer_action(po_entry: polib.POEntry, entry: MemoryEntry, suggestion: str | None = None) -> Action:
    """Compare a PO entry with the memory entry's current state.

    Not fuzzy: approved ('approved' if the machine text was kept, else
    'edited'). Fuzzy with a changed text: a 'draft'. Anything the memory already
    holds (the machine text, the suggestion we offered, the recorded draft or
    approval) is no new decision, which makes re-importing a file a no-op.
    """
    text = po_entry.msgstr
    if not text.strip():
        return Action("", text)
    if FUZZY not in po_entry.flags:
        if entry.status == "approved" and entry.final_text == text:
            return Action("", text)
        return Action("approved" if text == entry.machine_text else "edited", text)
    earlier = entry.notes.earlier_machine or []  # a PO exported before the engine changed
    if text in (entry.machine_text, suggestion, *earlier) or (entry.status != "machine" and text == entry.final_text):
        return Action("", text)
    if entry.status == "approved":
        return Action("", text, "a fuzzy edit of an approved translation is not applied; "
                                "remove the fuzzy flag to replace the approved text")
    return Action("draft", text)


def suggestion_for(
    memory: TranslationMemory, previous_msgid: str | None, source: str, target: str
) -> str | None:
    """The reviewed translation of a sentence's old wording, offered for the new one."""
    if not previous_msgid:
        return None
    old = memory.get(previous_msgid, source, target)
    if old is not None and old.status in ("approved", "draft") and old.final_text:
        return old.final_text
    return None


def unimported_changes(path: Path | polib.POFile, memory: TranslationMemory, source: str, target: str) -> int:
    """How many entries of an existing PO file hold a human decision the memory has not recorded."""
    if isinstance(path, polib.POFile):
        po = path
    else:
        try:
            po = read_po(path)
        except (OSError, ValueError):
            return 0
    known = memory.lookup([e.msgid for e in po if e.msgid], source, target)
    count = 0
    for po_entry in po:
        entry = known.get(po_entry.msgid)
        if entry is None:
            continue
        suggestion = suggestion_for(memory, po_entry.previous_msgid, source, target)
        if reviewer_action(po_entry, entry, suggestion).status:
            count += 1
    return count
