"""The records the translation memory hands out and takes in: entries, decisions, plans, layouts.

Every entry has a `revision`: a short token of what a reviewer sees of it (its
text, whether it is approved, its translator comment). A person's decision
carries the revision they saw as its `base`; the memory refuses a decision
whose base is older than another person's later decision (see history.py), so
a stale file or a browser tab left open never undoes newer work. The token is
computed from the content, so it is the same in every clone and after a
rebuild from the committed text record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from translate.memory.notes import Notes

ENTRY_STATUSES = ("machine", "draft", "approved")
TEXT_DECISIONS = ("approved", "edited", "draft", "rejected")
"""Decisions about an entry's text: approve it as shown, approve an edit, save an edit unapproved, withdraw it."""
KEPT_DECISIONS = ("suggested", "note", "dismissed")
"""Logged, never applied: a text offered ('suggested'), a message in the sentence's comment thread ('note',
its text in `comment`), a suggestion a reviewer closed ('dismissed', its text in `final_text`)."""
DECISION_STATUSES = (*TEXT_DECISIONS, "comment", *KEPT_DECISIONS)
"""Plus 'comment' (the translator comment of the PO files changed)."""
OFFERING_DECISIONS = ("approved", "edited", "draft", "suggested")
"""Decisions whose text, when refused or kept, stays open as a suggestion."""
NAME_FROM_HEADER = "last-translator"
"""A decision's `name_from` when its name came from a PO file's Last-Translator header."""
NEEDS_WORK = "needs work"
"""The note of a draft saved as needing more work (a state the pages count and filter)."""
VIA = ("po", "browser", "tmx", "api")
"""How a decision reached the memory."""


def revision_token(approved: bool, text: str, comment: str = "") -> str:
    """The revision of what a reviewer sees: 8 hex digits of sha256(approved?, text, comment)."""
    data = f"{'approved' if approved else 'pending'}\x00{text}\x00{comment}"
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:8]


@dataclass
class MemoryEntry:
    """One sentence in one language pair: its machine translation and its review state."""

    source_hash: str
    source_lang: str
    target_lang: str
    source_text: str
    machine_text: str | None
    signature: str
    status: str  # 'machine' | 'draft' | 'approved'
    final_text: str | None
    reviewer: str
    notes: Notes
    created: str
    updated: str
    comment: str = ""  # the translator comment ('# ' lines in a PO file), kept with the sentence
    comment_by: str = ""  # who wrote the comment in force
    via: str = ""  # how the decision in force arrived: po | browser | tmx | api ('' = none)
    decision_id: str = ""  # the review log record whose text the entry holds ('' = machine text)
    translator: str = ""  # who wrote the text in force ('' = the machine); `reviewer` decided it
    needs_work: bool = False  # a draft saved as needing more work

    @property
    def review_text(self) -> str:
        """The text a reviewer is shown: the human text (approved or draft), else the machine draft."""
        if self.status in ("approved", "draft") and self.final_text is not None:
            return self.final_text
        return self.machine_text or ""

    @property
    def revision(self) -> str:
        """What a reviewer sees of this entry, as a token; give it back as a decision's `base`."""
        return revision_token(self.status == "approved", self.review_text, self.comment)

    @property
    def best_text(self) -> str:
        """What a run should print: the approved text, else the machine text (drafts are suggestions)."""
        if self.status == "approved" and self.final_text is not None:
            return self.final_text
        if self.machine_text is not None:
            return self.machine_text
        return self.final_text or ""  # a draft imported without machine text

    @property
    def is_reviewed(self) -> bool:
        return self.status == "approved"


@dataclass
class ReviewDecision:
    """One human decision about one entry, as stored in the append-only review log.

    'approved' keeps the text shown, 'edited' approves a changed text, 'draft'
    saves an unapproved edit, 'rejected' withdraws the machine text so the next
    run retranslates it, 'comment' sets the translator comment, 'suggested'
    offers a text without applying it, 'note' adds to the sentence's comment
    thread, 'dismissed' closes an open suggestion. `source_text` is only needed when the
    entry is not in the memory yet (e.g. a PO file from elsewhere).

    `base` is the entry's `revision` the person saw (None: unknown, e.g. a PO
    file from an older version). The memory fills `id`, `outcome` and
    `against` (the id of the decision a conflict lost against) when it records it.
    """

    source_hash: str
    source_lang: str
    target_lang: str
    reviewer: str
    time: str
    machine_text: str | None
    final_text: str | None
    status: str
    document: str = ""
    segment_id: str = ""
    note: str = ""
    source_text: str = ""
    via: str = "po"
    base: str | None = None
    comment: str | None = None  # the new translator comment of a 'comment' decision, the text of a 'note'
    author: str = ""  # who wrote the text when not the person deciding (a suggestion accepted)
    name_from: str = ""  # 'last-translator' when the name came from a PO file's header, not from the organizer
    id: str = ""
    # applied: it changed the entry (with `against` set: over a draft it never saw, which stays open as a
    # suggestion); conflict: refused, a newer decision by someone else holds the entry (the text stays in
    # the log as a suggestion); kept: a suggestion, note or dismissal, logged and never applied. The
    # memory's schema allows only these three.
    outcome: str = ""
    against: str = ""


@dataclass
class Plan:
    """What a run must do for a list of sentences in one language pair."""

    reuse: dict[str, MemoryEntry] = field(default_factory=dict)  # text -> entry served from memory
    translate: list[str] = field(default_factory=list)  # never translated into this language
    stale: list[str] = field(default_factory=list)  # machine output from another signature

    @property
    def pending(self) -> list[str]:
        """Every text the engine must translate (new first, then stale)."""
        return self.translate + self.stale


@dataclass(frozen=True)
class LayoutRow:
    """Where a sentence sat in a document at one run."""

    index: int
    block: int
    position: int
    source_hash: str
    source_text: str
