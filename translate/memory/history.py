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

An approval beats a draft it never saw: when two people started from the same
revision, one saving a draft and the other approving, the approval holds
whichever came first (a draft is a suggestion until someone approves it), and
the draft stays open as a suggestion, reported, never dropped. Without this a
git merge replaying both branches in time order lost an approval to an earlier
fuzzy draft from the other branch.

The "her own file" exception holds only for a name the organizer gave
(`--reviewer`): a PO file's Last-Translator header never overrides the revision
check, since a stale copy may carry someone else's name in it.

Translator comments follow the same rule on their own: a new comment applies
when there was none, when it was written on the current revision, or when the
comment in force is the same person's. Notes (the browser's comment thread)
and dismissals of suggestions are kept in the log and change no entry.

Credit: each entry remembers who wrote the text in force (`translator`) apart
from who decided it (`reviewer`): a translator's draft approved unchanged is
"translated" by the translator and "approved" by the reviewer.

Names are stored without e-mail addresses: `person_name` strips them from
whatever a PO header or a form gave, so they never reach a handout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from translate.memory.records import (
    KEPT_DECISIONS,
    NEEDS_WORK,
    OFFERING_DECISIONS,
    TEXT_DECISIONS,
    MemoryEntry,
    ReviewDecision,
    revision_token,
)

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
    translator: str = ""  # who wrote the text in force ('' = the machine)
    needs_work: bool = False  # the draft in force was saved as needing more work
    base: str | None = None  # the revision the decision in force was made on

    @classmethod
    def of(cls, entry: MemoryEntry | None, base: str | None = None) -> HumanState:
        if entry is None:
            return cls()
        return cls(
            entry.status,
            entry.final_text,
            entry.reviewer,
            entry.via,
            entry.decision_id,
            entry.comment,
            entry.comment_by,
            entry.translator,
            entry.needs_work,
            base,
        )

    @property
    def human(self) -> bool:
        return self.status in ("approved", "draft")

    def revision(self, machine_text: str | None) -> str:
        text = self.final_text if self.status in ("approved", "draft") and self.final_text is not None else None
        return revision_token(self.status == "approved", text if text is not None else machine_text or "", self.comment)


def judge(state: HumanState, machine_text: str | None, d: ReviewDecision) -> tuple[str, str]:
    """(outcome, against) of decision `d` on an entry in `state`: see the module docstring."""
    if d.status in KEPT_DECISIONS:
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
    if d.via == "po" and state.via == "po" and not d.name_from and same_person(d.reviewer, state.reviewer):
        return "applied", ""  # her own file again, named by the organizer (never by a Last-Translator header)
    if status == "approved" and state.status == "draft" and d.base is not None and d.base == state.base:
        return "applied", state.decision_id  # an approval beats a draft it never saw; the draft stays a suggestion
    return "conflict", state.decision_id


def apply(state: HumanState, d: ReviewDecision, machine_text: str | None = None) -> HumanState:
    """The state after an applied decision (`machine_text`: the entry's, to tell a kept machine text)."""
    if d.status in KEPT_DECISIONS:
        return state
    if d.status == "comment":
        return replace(state, comment=d.comment or "", comment_by=d.reviewer if d.comment else "")
    if d.status == "rejected":
        return HumanState("machine", None, "", "", "", state.comment, state.comment_by, "", False, None)
    assert d.status in TEXT_DECISIONS
    status = "draft" if d.status == "draft" else "approved"
    if d.author:
        translator = person_name(d.author)  # a suggestion accepted: its author wrote the text
    elif state.human and d.final_text == state.final_text:
        translator = state.translator  # the text in force, decided again (a draft approved as it is)
    elif d.final_text == machine_text:
        translator = ""
    else:
        translator = person_name(d.reviewer)
    needs_work = status == "draft" and d.note == NEEDS_WORK
    return HumanState(
        status, d.final_text, d.reviewer, d.via, d.id, state.comment, state.comment_by, translator, needs_work, d.base
    )


def open_suggestions(log: Iterable[ReviewDecision], entry: MemoryEntry | None) -> list[ReviewDecision]:
    """Texts people offered for one sentence that are still open, oldest first: refused in a conflict,
    kept as a suggestion, or a draft an approval replaced without having seen it; less those a reviewer
    dismissed, those that became the sentence's text since (accepted), and the one the entry holds now.
    Each text once (its newest offer)."""
    log = list(log)
    displaced = {d.against for d in log if d.outcome == "applied" and d.against}
    current = entry.review_text if entry is not None and entry.status != "machine" else None
    found: dict[str, ReviewDecision] = {}
    for d in log:
        if not d.final_text:
            continue
        if d.status == "dismissed" or (d.outcome == "applied" and d.status in TEXT_DECISIONS and d.id not in displaced):
            found.pop(d.final_text, None)  # dismissed, or became the text (accepted): closed, whatever came after
            if d.status == "dismissed":
                continue
        offered = d.id in displaced or (d.outcome in ("conflict", "kept") and d.status in OFFERING_DECISIONS)
        if offered and d.final_text != current:
            found.pop(d.final_text, None)
            found[d.final_text] = d
    return list(found.values())
