"""The language gate: is a text in a language fit to print?

Organizers print handouts for people who cannot check the original, so a
translation no one should print must be held back, with the reason. The
verdict comes from the quality signals stored with each machine draft and from
the review share:

- reviewed (the approved share reaches `review.publish_threshold`): publishable;
- otherwise withheld when most unreviewed sentences carry the engine's own
  error marks (`engine-errors`: words Apertium could not generate or transfer,
  as in all 114 Croatian sentences), or when three quarters of them are
  flagged by the checks (measured on the essays: the long one has 107 of 109
  flagged in Croatian, Serbian and Bosnian, 12 in Spanish, 21 in French; the
  six long sentences of the short one have 5 flagged in Portuguese and
  Italian, which are withheld, 4 in French, which is not);
- otherwise publishable, with the counts that tell how far to trust it.

`translate status` shows the verdict per text and language; `translate
handouts` builds no handout of a withheld one unless `--force`, and then says
so on every page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from translate.glossary.model import Glossary
from translate.memory.records import MemoryEntry
from translate.review.text_checks import check_text
from translate.texts import SourceText

WITHHOLD_ENGINE_ERRORS = 0.5
"""Withheld when more than this share of the unreviewed sentences carry engine error marks."""
WITHHOLD_FLAGGED = 0.75
"""Withheld when more than this share of the unreviewed sentences are flagged."""


@dataclass(frozen=True)
class Verdict:
    """Whether one text in one language may be printed, and why."""

    text: str
    language: str
    publishable: bool
    reasons: list[str] = field(default_factory=list)
    sentences: int = 0  # distinct sentences of the text
    translated: int = 0
    reviewed: int = 0  # approved by a person
    flagged: int = 0  # unreviewed, with signals reason enough to ask a person first
    doubtful: int = 0  # unreviewed, with any quality signal
    engine_errors: int = 0  # unreviewed, with the engine's own error marks

    @property
    def review_share(self) -> str:
        return f"reviewed: {self.reviewed} of {self.sentences} sentences"


def verdict(text: SourceText, language: str, entries: Mapping[str, MemoryEntry], threshold: float = 0.9) -> Verdict:
    """The gate's verdict for one text in one language, from the memory's entries of its sentences."""
    sentences = list(dict.fromkeys(s.text for s in text.document.segments))
    found = [entries[s] for s in sentences if s in entries]
    reviewed = sum(e.status == "approved" for e in found)
    open_ = [e for e in found if e.status != "approved"]
    flagged = sum(bool(e.notes.flagged) for e in open_)
    doubtful = sum(bool(e.notes.signals) for e in open_)
    errors = sum(any(s.check == "engine-errors" for s in e.notes.signals or ()) for e in open_)
    total = len(sentences)
    base = Verdict(
        text=text.path.name,
        language=language,
        publishable=False,
        sentences=total,
        translated=len(found),
        reviewed=reviewed,
        flagged=flagged,
        doubtful=doubtful,
        engine_errors=errors,
    )
    share = f"reviewed: {reviewed} of {total} sentences"
    if not found:
        return replace(base, reasons=["not translated yet"])
    if total and reviewed / total >= threshold:
        return replace(base, publishable=True, reasons=[share, f"at least {threshold:.0%} approved by a person"])
    reasons = []
    if open_ and errors / len(open_) > WITHHOLD_ENGINE_ERRORS:
        reasons.append(
            f"the engine marked errors in {errors} of {len(open_)} unreviewed sentences (words it could not generate or transfer)"
        )
    if open_ and flagged / len(open_) > WITHHOLD_FLAGGED:
        reasons.append(f"{flagged} of {len(open_)} unreviewed sentences are flagged by the quality checks")
    unchecked = sum(e.notes.signals is None for e in open_)
    if reasons:
        return replace(base, reasons=[*reasons, share])
    if unchecked:
        reasons.append(
            f"{unchecked} sentences not checked yet (translated before the quality checks; the next `translate run` checks them)"
        )
    return replace(
        base,
        publishable=True,
        reasons=[share, f"{flagged} unreviewed sentences flagged, {doubtful} with some quality signal", *reasons],
    )


def doubtful_segments(text: SourceText, entries: Mapping[str, MemoryEntry]) -> set[int]:
    """The segments a reader should doubt (a handout's margin marks): not approved by a person,
    with quality signals."""
    return {
        s.index
        for s in text.document.segments
        if (entry := entries.get(s.text)) is not None and entry.status != "approved" and entry.notes.signals
    }


def doubted_approvals(text: SourceText, entries: Mapping[str, MemoryEntry], glossary: Glossary | None, target: str) -> set[int]:
    """Approved segments whose printed text the checks still doubt (translate.review.text_checks): a person
    approved them anyway, and the margin says so. One check per distinct sentence."""
    verdicts: dict[str, bool] = {}
    found = set()
    for segment in text.document.segments:
        entry = entries.get(segment.text)
        if entry is None or entry.status != "approved" or not entry.final_text:
            continue
        if segment.text not in verdicts:
            verdicts[segment.text] = bool(check_text(segment.text, entry.final_text, entry.source_lang, target, glossary))
        if verdicts[segment.text]:
            found.add(segment.index)
    return found
