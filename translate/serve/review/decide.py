"""A decision made in the browser, recorded in the memory's review log like any other.

Save keeps an edit as a draft, Approve makes the text the one `translate run`
prints, Needs work keeps the text as a draft and says so in the log. Each
request names the revision of the sentence the person saw (`base`); when the
sentence has changed since (another person in a browser, or a PO import), the
save is refused and the page shows both texts: nothing is overwritten in
silence.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from translate.memory.records import MemoryEntry, ReviewDecision
from translate.memory.store import TranslationMemory
from translate.segment import sentence_hash

ACTIONS = ("save", "approve", "needs-work")

_ONE_AT_A_TIME = threading.Lock()
"""Check-then-record must not interleave between two requests of this server."""


@dataclass(frozen=True)
class Saved:
    entry: MemoryEntry
    decision: str  # the status recorded: draft | approved | edited ('' when nothing changed)


@dataclass(frozen=True)
class Conflict:
    """The sentence changed after the person loaded it; `current` is what the memory holds now."""

    current: MemoryEntry
    mine: str
    by: str
    time: str


def revision_of(entry: MemoryEntry | None) -> str:
    """A token that changes whenever the entry's reviewed state does."""
    if entry is None:
        return "new"
    state = "\x1f".join((entry.status, entry.final_text or "", entry.machine_text or "", entry.reviewer, entry.updated))
    return hashlib.sha256(state.encode("utf-8")).hexdigest()[:16]


def decide(
    memory: TranslationMemory,
    *,
    source: str,
    language: str,
    sentence: str,
    document: str,
    segment_id: str,
    reviewer: str,
    action: str,
    text: str,
    base: str,
) -> Saved | Conflict:
    """Record one browser decision against the revision the person saw."""
    with _ONE_AT_A_TIME:
        return _decide(memory, source, language, sentence, document, segment_id, reviewer, action, text, base)


def _decide(memory: TranslationMemory, source: str, language: str, sentence: str, document: str, segment_id: str,
            reviewer: str, action: str, text: str, base: str) -> Saved | Conflict:
    entry = memory.get(sentence, source, language)
    if revision_of(entry) != base and entry is not None:
        return Conflict(entry, text, entry.reviewer, entry.updated)
    machine = entry.machine_text if entry else None
    if action == "approve":
        status = "approved" if text == machine else "edited"
    else:
        status = "draft"
    if entry is not None and entry.final_text == text and (
        (status == "draft" and entry.status == "draft") or (status != "draft" and entry.status == "approved")
    ):
        return Saved(entry, "")
    memory.record_review(
        ReviewDecision(
            source_hash=sentence_hash(sentence),
            source_lang=source,
            target_lang=language,
            reviewer=reviewer,
            time="",
            machine_text=machine,
            final_text=text,
            status=status,
            document=document,
            segment_id=segment_id,
            note="via browser" + ("; needs work" if action == "needs-work" else ""),
            source_text=sentence,
            via="browser",
            base=entry.revision if entry is not None else None,  # checked above: what the person saw is current
        )
    )
    after = memory.get(sentence, source, language)
    assert after is not None
    return Saved(after, status)
