"""What a reviewer decided in a PO file, read against the memory.

Each entry of an exported PO file says which revision of its sentence it shows
(`#. revision: 3f2a9c1b`, the token of the text, the fuzzy flag and the
translator comment it was written with). An entry whose text, flag and comment
still give that token is untouched, whatever the memory holds now: that is how
an import tells "the person did nothing here" from "the person approved the
old text", and how a run knows a file holds work not imported yet. Files from
before revisions were written (no `revision:` line) are read against every
state the memory knows, as before.

A touched entry without the fuzzy flag is an approval ('approved' if the
text shown was kept, the machine's or a translator's draft, 'edited' if not); a changed text still marked fuzzy is
a 'draft', or, on an approved entry, a 'suggested' text that is logged and
shown but never replaces the approval. A changed translator comment is a
'comment' decision of its own. Anything the memory already holds is no new
decision, which makes importing a file twice harmless. A text the reviewer
emptied is no decision either (an empty text is not a translation), but the
import says so: it may be a deliberate "no translation" that needs a word.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib

from translate.memory.records import MemoryEntry, revision_token
from translate.memory.store import TranslationMemory
from translate.review.po_file import FUZZY, read_po

REVISION_LABEL = "revision: "
EMPTIED = (
    "its translation was emptied, which is not recorded (the memory keeps its text): write a translation, "
    "or say in a '# ' comment why there should be none"
)
"""What an import says of an entry whose msgstr a reviewer deleted: perhaps a deliberate "no translation"."""


@dataclass(frozen=True)
class Action:
    """What a reviewer did to one PO entry: a decision status, or none ('' = pending / known)."""

    status: str  # 'approved' | 'edited' | 'draft' | 'suggested' | ''
    text: str
    warning: str = ""


def po_revision(po_entry: polib.POEntry) -> str | None:
    """The revision an exported entry showed (its `#. revision:` line), None for an older file."""
    for line in (po_entry.comment or "").split("\n"):
        if line.startswith(REVISION_LABEL):
            return line[len(REVISION_LABEL) :].strip()
    return None


def shown_revision(po_entry: polib.POEntry) -> str:
    """The revision token of what the entry holds now (text, fuzzy flag, translator comment)."""
    approved = bool(po_entry.msgstr) and FUZZY not in po_entry.flags
    return revision_token(approved, po_entry.msgstr, po_entry.tcomment or "")


def untouched(po_entry: polib.POEntry) -> bool:
    """Whether the entry is exactly as exported (False for an older file without revisions)."""
    base = po_revision(po_entry)
    return base is not None and base == shown_revision(po_entry)


def reviewer_action(po_entry: polib.POEntry, entry: MemoryEntry, suggestion: str | None = None) -> Action:
    """Compare a PO entry with what it showed and with the memory entry's current state (module docstring)."""
    text = po_entry.msgstr
    if untouched(po_entry):
        return Action("", text)
    if not text.strip():
        if not (entry.machine_text or entry.final_text):
            return Action("", text)  # there was nothing to empty
        return Action("", text, EMPTIED)
    if FUZZY not in po_entry.flags:
        if entry.status == "approved" and entry.final_text == text:
            return Action("", text)
        kept = text == entry.machine_text or (entry.status == "draft" and text == entry.final_text)
        return Action("approved" if kept else "edited", text)  # 'approved': the text shown, whoever wrote it
    earlier = entry.notes.earlier_machine or []  # a PO exported before the engine changed
    if text in (entry.machine_text, suggestion, *earlier) or (entry.status != "machine" and text == entry.final_text):
        return Action("", text)
    if entry.status == "approved":
        return Action(
            "suggested",
            text,
            "a fuzzy edit of an approved translation is kept as a suggestion, "
            "not applied; remove the fuzzy flag to replace the approved text",
        )
    return Action("draft", text)


def new_action(memory: TranslationMemory, po_entry: polib.POEntry, entry: MemoryEntry, suggestion: str | None = None) -> Action:
    """`reviewer_action`, less what the log already holds as a suggestion: a text kept as a suggestion or
    refused as a conflict before is not a new decision each time its file is read again."""
    action = reviewer_action(po_entry, entry, suggestion)
    if not action.status:
        return action
    history = memory.history(entry.source_text, entry.source_lang, entry.target_lang)
    if any(d.final_text == action.text and d.outcome in ("conflict", "kept") for d in history):
        return Action("", action.text)
    return action


def comment_action(po_entry: polib.POEntry, entry: MemoryEntry, earlier: set[str]) -> str | None:
    """The new translator comment of an entry, or None when it brings nothing new.

    A comment the entry had before (in `earlier`) is an old copy, not a change;
    an emptied comment removes the stored one only when the file showed the
    current revision (an older file may simply predate the comment).
    """
    comment = po_entry.tcomment or ""
    if comment == entry.comment or untouched(po_entry):
        return None
    if not comment:
        return "" if po_revision(po_entry) == entry.revision else None
    return None if comment in earlier else comment


def suggestion_for(memory: TranslationMemory, previous_msgid: str | None, source: str, target: str) -> str | None:
    """The reviewed translation of a sentence's old wording, offered for the new one."""
    if not previous_msgid:
        return None
    return reviewed_text(memory.get(previous_msgid, source, target))


def reviewed_text(old: MemoryEntry | None) -> str | None:
    """The text a person approved or drafted for a sentence, if any: what its new wording is offered."""
    if old is not None and old.status in ("approved", "draft") and old.final_text:
        return old.final_text
    return None


def unimported_changes(path: Path | polib.POFile, memory: TranslationMemory, source: str, target: str) -> int:
    """How many entries of an existing PO file hold a human decision the memory has not recorded."""
    po = path if isinstance(path, polib.POFile) else read_po(path)
    live = [e for e in po if e.msgid and not e.obsolete and not untouched(e)]
    known = memory.lookup([e.msgid for e in live], source, target)
    count = 0
    for po_entry in live:
        entry = known.get(po_entry.msgid)
        if entry is None:
            count += bool(po_entry.msgstr.strip() or po_entry.tcomment)
            continue
        suggestion = suggestion_for(memory, po_entry.previous_msgid, source, target)
        earlier = earlier_comments(memory, entry) if (po_entry.tcomment or "") != entry.comment else set()
        if new_action(memory, po_entry, entry, suggestion).status or comment_action(po_entry, entry, earlier) is not None:
            count += 1
    return count


def earlier_comments(memory: TranslationMemory, entry: MemoryEntry) -> set[str]:
    """Every translator comment the sentence has had."""
    return {d.comment for d in memory.history(entry.source_text, entry.source_lang, entry.target_lang) if d.comment}
