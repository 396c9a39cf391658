"""An entry's human history: whose decision holds it, and when a new decision must be refused.

One rule decides every decision, from a PO import, the browser or a TMX file,
and again when the memory is rebuilt from the committed text record after a
git merge, so a merge gives the same answer an import gave:

- a decision made on the revision the entry still has applies;
- a decision on an entry no person has decided yet applies (a human beats the
  machine, whatever engine output came meanwhile);
- a decision made on an older revision, while another person's decision holds
  the entry, is a *conflict*: the entry keeps the newer human text, and the
  refused text stays in the log as a suggestion, to be shown, never dropped;
- a person who keeps editing her own PO file after importing it is not in
  conflict with herself (both decisions came through PO files under her name);
  in the browser every stale save is a conflict, as in Weblate.

Translator comments follow the same rule on their own: a new comment applies
when there was none, when it was written on the current revision, or when the
comment in force is the same person's.

Names are stored without e-mail addresses: `person_name` strips them from
whatever a PO header or a form gave, so they never reach a handout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translate.memory.records import TEXT_DECISIONS, MemoryEntry, ReviewDecision, revision_token

_EMAIL = re.compile(r"<[^<>]*>|\([^()]*@[^()]*\)|\S+@\S+")


def person_name(raw: str) -> str:
    """'Ana García <ana@example.org>' -> 'Ana García'; an e-mail address alone gives ''."""
    return " ".join(_EMAIL.sub(" ", raw or "").split()).strip(" ,;")


def same_person(a: str, b: str) -> bool:
    return bool(a) and person_name(a).casefold() == person_name(b).casefold()


@dataclass
class HumanState:
    """What people decided about one entry so far (the machine text is not part of it)."""

    status: str = "machine"  # machine | draft | approved
    final_text: str | None = None
    reviewer: str = ""
    via: str = ""
    decision_id: str = ""
    comment: str = ""
    comment_by: str = ""

    @classmethod
    def of(cls, entry: MemoryEntry | None) -> HumanState:
        if entry is None:
            return cls()
        return cls(entry.status, entry.final_text, entry.reviewer, entry.via, entry.decision_id, entry.comment, entry.comment_by)

    @property
    def human(self) -> bool:
        return self.status in ("approved", "draft")

    def revision(self, machine_text: str | None) -> str:
        text = self.final_text if self.status in ("approved", "draft") and self.final_text is not None else None
        return revision_token(self.status == "approved", text if text is not None else machine_text or "", self.comment)


def judge(state: HumanState, machine_text: str | None, d: ReviewDecision) -> tuple[str, str]:
    """(outcome, against) of decision `d` on an entry in `state`: see the module docstring."""
    if d.status == "suggested":
        return "kept", ""
    if d.status == "comment":
        if (d.comment or "") == state.comment or not state.comment:
            return "applied", ""
        if d.base is not None and d.base == state.revision(machine_text):
            return "applied", ""
        if same_person(d.reviewer, state.comment_by):
            return "applied", ""
        return "conflict", state.comment_by
    if not state.human:
        return "applied", ""
    if d.base is not None and d.base == state.revision(machine_text):
        return "applied", ""
    status = "approved" if d.status in ("approved", "edited") else d.status
    if status == state.status and d.final_text == state.final_text:
        return "applied", ""  # the same text and state: nothing changes, no one loses anything
    if d.via == "po" and state.via == "po" and same_person(d.reviewer, state.reviewer):
        return "applied", ""
    return "conflict", state.decision_id


def apply(state: HumanState, d: ReviewDecision) -> HumanState:
    """The state after an applied decision."""
    if d.status == "comment":
        return HumanState(
            state.status,
            state.final_text,
            state.reviewer,
            state.via,
            state.decision_id,
            d.comment or "",
            d.reviewer if d.comment else "",
        )
    if d.status == "rejected":
        return HumanState("machine", None, "", "", "", state.comment, state.comment_by)
    assert d.status in TEXT_DECISIONS
    status = "draft" if d.status == "draft" else "approved"
    return HumanState(status, d.final_text, d.reviewer, d.via, d.id, state.comment, state.comment_by)
