"""A decision made in the browser, recorded by the memory's own decision API like any other.

Save keeps an edit as a draft, Approve makes the text the one `translate run`
prints, Needs work keeps the text as a draft and says so in the log. Each
request carries the sentence's revision the person saw (`base`); the memory
judges the decision inside its write transaction (translate.memory.history):
when someone else decided the sentence meanwhile, in a browser or by a PO
import, nothing changes, the refused text stays in the log as a suggestion, and
the page shows both texts. A translator's edit of an approved sentence would
take the approved text out of print, so it is logged as a suggestion for a
reviewer instead. A translator comment, when the person changed it, follows as
a second decision in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from translate.memory.records import MemoryEntry, ReviewDecision, revision_token
from translate.memory.store import TranslationMemory
from translate.segment import sentence_hash

ACTIONS = ("save", "approve", "needs-work")


@dataclass(frozen=True)
class Saved:
    entry: MemoryEntry
    decision: str  # the status recorded: draft | approved | edited | suggested ('' when nothing changed)


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


def revision_of(entry: MemoryEntry | None) -> str:
    """The revision a page shows and a decision gives back ('' for a sentence the memory does not hold)."""
    return entry.revision if entry is not None else ""


def _status(action: str, text: str, entry: MemoryEntry | None, may_approve: bool) -> str:
    if entry is not None and entry.status == "approved" and not may_approve:
        return "suggested"
    if action == "approve":
        return "approved" if entry is not None and text == entry.machine_text else "edited"
    return "draft"


def decide(
    memory: TranslationMemory,
    *,
    source: str,
    language: str,
    sentence: str,
    document: str,
    segment_id: str,
    reviewer: str,
    may_approve: bool,
    action: str,
    text: str,
    base: str,
    comment: str | None = None,
) -> Saved | Conflict:
    """Record one browser decision (and a changed comment) against the revision the person saw."""
    entry = memory.get(sentence, source, language)
    status = _status(action, text, entry, may_approve)
    old_comment = entry.comment if entry is not None else ""
    new_comment = None if comment is None or comment.strip() == old_comment else comment.strip()
    stale = entry is not None and entry.revision != base
    same_state = (
        entry is not None
        and entry.review_text == text
        and ((status == "draft" and entry.status == "draft") or (status in ("approved", "edited") and entry.is_reviewed))
    )
    if entry is not None and same_state and not stale and new_comment is None:
        return Saved(entry, "")  # pressing Save twice records nothing new
    common = ReviewDecision(
        source_hash=sentence_hash(sentence),
        source_lang=source,
        target_lang=language,
        reviewer=reviewer,
        time="",
        machine_text=None,
        final_text=None,
        status="",
        document=document,
        segment_id=segment_id,
        source_text=sentence,
        via="browser",
    )
    decisions = []
    comment_base = base
    if stale or not same_state:
        note = "needs work" if action == "needs-work" else ""
        decisions.append(replace(common, final_text=text, status=status, base=base or None, note=note))
        if status == "suggested":
            assert entry is not None
            comment_base = entry.revision  # a suggestion changes nothing
        else:  # the revision the text decision leaves, if it applies
            comment_base = revision_token(status != "draft", text, old_comment)
    if new_comment is not None:
        decisions.append(replace(common, status="comment", comment=new_comment, base=comment_base or None))
    recorded = memory.decide(decisions)
    after = memory.get(sentence, source, language)
    assert after is not None
    first = recorded[0]
    if first.outcome == "conflict":
        by = after.comment_by if first.status == "comment" else after.reviewer
        return Conflict(after, text, by, after.updated)
    return Saved(after, first.status)
