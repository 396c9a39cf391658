"""The records the translation memory hands out and takes in: entries, decisions, plans, layouts."""

from __future__ import annotations

from dataclasses import dataclass, field

from translate.memory.notes import Notes

ENTRY_STATUSES = ("machine", "draft", "approved")
DECISION_STATUSES = ("approved", "edited", "draft", "rejected")


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
    run retranslates it. `source_text` is only needed when the entry is not in
    the memory yet (e.g. a PO file from elsewhere).
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
