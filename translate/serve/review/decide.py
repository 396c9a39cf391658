"""A decision made in the browser, recorded by the memory's own decision API like any other.

Save keeps an edit as a draft, Approve makes the text the one `translate run`
prints, Needs work keeps the text as a draft marked as needing more work (a
state the pages count and filter). Each request carries the sentence's
revision the person saw (`base`); the memory judges the decision inside its
write transaction (translate.memory.history): when someone else decided the
sentence meanwhile, in a browser or by a PO import, nothing changes, the
refused text stays in the log as a suggestion, and the page shows both texts.
A translator's edit of an approved sentence would take the approved text out
of print, so it is logged as a suggestion for a reviewer instead.

Approving the text shown, whoever wrote it, is 'approved' (not 'edited'): a
translator's draft approved unchanged stays the translator's text, credited
to them, with the reviewer's approval (it was "Approved with your changes"
and credited to the reviewer alone).

Comments are a thread of their own (`add_note`), never part of a text
decision: a stale tab that approved with an empty comment box once erased
another person's comment. Open suggestions are accepted (the text becomes the
entry's, credited to its author) or dismissed (closed, still in the log).
"""

from __future__ import annotations

from dataclasses import dataclass

from translate.memory.records import NEEDS_WORK, MemoryEntry, ReviewDecision
from translate.memory.store import TranslationMemory
from translate.segment import sentence_hash

ACTIONS = ("save", "approve", "needs-work")


@dataclass(frozen=True)
class Saved:
    entry: MemoryEntry
    decision: str  # the status recorded: draft | approved | edited | suggested ('' when nothing changed)
    replaced_draft_by: str = ""  # an approval over a draft saved meanwhile: whose draft, kept as a suggestion


@dataclass(frozen=True)
class Conflict:
    """The sentence changed after the person loaded it; `current` is what the memory holds now."""

    current: MemoryEntry
    mine: str
    by: str
    time: str

    @property
    def theirs(self) -> str:
        """What the memory holds now, as the conflict panel shows it."""
        return self.current.final_text or self.current.machine_text or ""


@dataclass(frozen=True)
class Sentence:
    """Where a decision goes: the sentence, its language pair, its document, and who decides."""

    source: str  # source language
    language: str
    text: str  # the source sentence
    document: str  # the text's file name
    segment_id: str
    person: str
    may_approve: bool

    def decision(
        self,
        status: str,
        *,
        final_text: str | None,
        base: str | None = None,
        note: str = "",
        comment: str | None = None,
        author: str = "",
    ) -> ReviewDecision:
        return ReviewDecision(
            source_hash=sentence_hash(self.text),
            source_lang=self.source,
            target_lang=self.language,
            reviewer=self.person,
            time="",
            machine_text=None,
            status=status,
            document=self.document,
            segment_id=self.segment_id,
            source_text=self.text,
            via="browser",
            final_text=final_text,
            base=base,
            note=note,
            comment=comment,
            author=author,
        )


def revision_of(entry: MemoryEntry | None) -> str:
    """The revision a page shows and a decision gives back ('' for a sentence the memory does not hold)."""
    return entry.revision if entry is not None else ""


def _status(action: str, text: str, entry: MemoryEntry | None, may_approve: bool) -> str:
    if entry is not None and entry.status == "approved" and not may_approve:
        return "suggested"
    if action == "approve":
        return "approved" if entry is not None and text == entry.review_text else "edited"
    return "draft"


def decide(memory: TranslationMemory, where: Sentence, action: str, text: str, base: str) -> Saved | Conflict:
    """Record one browser decision against the revision the person saw."""
    entry = memory.get(where.text, where.source, where.language)
    status = _status(action, text, entry, where.may_approve)
    stale = entry is not None and entry.revision != base
    needs_work = action == "needs-work"
    same_state = (
        entry is not None
        and entry.review_text == text
        and (
            (status == "draft" and entry.status == "draft" and entry.needs_work == needs_work)
            or (status in ("approved", "edited") and entry.is_reviewed)
        )
    )
    if same_state and not stale:
        assert entry is not None
        return Saved(entry, "")  # pressing Save twice records nothing new
    note = NEEDS_WORK if needs_work else ""
    [recorded] = memory.decide([where.decision(status, final_text=text, base=base or None, note=note)])
    after = memory.get(where.text, where.source, where.language)
    assert after is not None
    if recorded.outcome == "conflict":
        return Conflict(after, text, after.reviewer, after.updated)
    replaced = ""
    if recorded.against:
        replaced = next(
            (d.reviewer for d in memory.history(where.text, where.source, where.language) if d.id == recorded.against), ""
        )
    return Saved(after, recorded.status, replaced)


def add_note(memory: TranslationMemory, where: Sentence, text: str) -> ReviewDecision:
    """Add a message to the sentence's comment thread (it changes nothing else, and nothing overwrites it)."""
    [recorded] = memory.decide([where.decision("note", final_text=None, comment=text)])
    return recorded


def accept_suggestion(memory: TranslationMemory, where: Sentence, suggestion: ReviewDecision, base: str) -> Saved | Conflict:
    """Make an open suggestion the sentence's text: approved by a reviewer, a draft from a translator; its
    author is credited as the translator."""
    entry = memory.get(where.text, where.source, where.language)
    status = "edited" if where.may_approve else "draft"
    if entry is not None and entry.status == "approved" and not where.may_approve:
        status = "suggested"
    text = suggestion.final_text or ""
    [recorded] = memory.decide(
        [where.decision(status, final_text=text, base=base or None, author=suggestion.reviewer, note="accepted a suggestion")]
    )
    after = memory.get(where.text, where.source, where.language)
    assert after is not None
    if recorded.outcome == "conflict":
        return Conflict(after, text, after.reviewer, after.updated)
    return Saved(after, recorded.status)


def dismiss_suggestion(memory: TranslationMemory, where: Sentence, suggestion: ReviewDecision) -> ReviewDecision:
    """Close an open suggestion: it stays in the log and the history, and leaves the PO files and the pages."""
    [recorded] = memory.decide([where.decision("dismissed", final_text=suggestion.final_text, note="suggestion dismissed")])
    return recorded
