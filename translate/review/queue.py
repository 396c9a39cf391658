"""The review queue: a language's sentences in the order a person should look at them.

Volunteers' time is scarce, so the sentences most likely to be heavy or wrong
come first: `translate.review.prediction` combines the quality signals
(translate/checks/: a glossary term not as pinned, engine errors, unknown words)
with what independent engines say of the draft (its round trip to English, a
second route's draft, the agreement judge). Sentences predicted to need a person
(or scoring at least `checks.FLAG_SCORE`) are the front of the queue, by risk,
after the sure fixes (a glossary term missing, a sentence left untranslated);
the rest follow by risk, then score, then reading order. Approved sentences are not in
the queue; a draft a person started (edited, not approved) comes right after
the front, since someone is already halfway through it.

`review_queue` is the one ordering every front end uses: `translate review next`
prints its head, and the browser review server takes its queue from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from translate.checks import FLAG_SCORE
from translate.memory.store import TranslationMemory
from translate.review.po_file import segment_id
from translate.review.prediction import predict
from translate.texts import SourceText

DRAFT_SCORE = FLAG_SCORE - 0.01
"""Where a started draft sits: after every flagged sentence, before the others."""


@dataclass(frozen=True)
class QueueItem:
    """One sentence waiting for a person, with why it is where it is."""

    text: str  # the source file name, e.g. 'the-virtual-factory.txt'
    language: str
    segment: int  # index of the sentence's first occurrence in the document
    line: int  # its line in the source file
    msgctxt: str  # the sentence's PO msgctxt (<text-stem>:<source-hash>), stable across runs
    source_hash: str  # the memory's key for the sentence
    source: str
    translation: str  # what a reader would get now (the machine draft, or the person's draft)
    status: str  # machine | draft
    score: float  # the weights of the draft's quality signals added up
    risk: float  # how likely a reader calls the draft heavy or wrong (translate.review.prediction): the queue's order
    flagged: bool  # at the front of the queue: the signals are reason enough to ask a person first
    reasons: list[str] = field(default_factory=list)  # 'unknown words: exploitative, panopticon', heaviest first
    position: int = 0  # 1-based place in the queue

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def review_queue(
    memory: TranslationMemory, texts: Sequence[SourceText], language: str, source_language: str = "en"
) -> list[QueueItem]:
    """Every unapproved translated sentence of `texts` in `language`, most in need of a person first.

    A sentence shared by several texts appears once, at its first occurrence.
    Sentences the memory has no translation for are not in the queue.
    """
    items: list[tuple[tuple[int, float, float, int], QueueItem]] = []
    seen: set[str] = set()
    order = 0
    for text in texts:
        segments = text.document.segments
        entries = memory.lookup([s.text for s in segments], source_language, language)
        for segment in segments:
            if segment.text in seen:
                continue
            seen.add(segment.text)
            order += 1
            entry = entries.get(segment.text)
            if entry is None or entry.status == "approved":
                continue
            notes = entry.notes
            if entry.status == "draft":
                score, reasons, flagged = DRAFT_SCORE, ["draft: edited by a person, not approved yet"], False
                group, at_risk = 2, 0.0
            else:
                predicted = predict(notes, segment.text, entry.signature)
                score, reasons, at_risk = notes.score, notes.reasons + list(predicted.reasons), predicted.risk
                flagged = predicted.needs_person or score >= FLAG_SCORE
                if notes.violations and not notes.signals:  # written before the checks existed
                    reasons = [f"glossary: {v.message}" for v in notes.violations]
                    score, flagged = max(score, FLAG_SCORE), True
                # a glossary term missing or a sentence left untranslated is a sure fix: first of all
                group = 0 if notes.violations or notes.left_untranslated else 1 if flagged else 3
            item = QueueItem(
                text=text.path.name,
                language=language,
                segment=segment.index,
                line=segment.line,
                msgctxt=segment_id(text.stem, segment.source_hash),
                source_hash=entry.source_hash,
                source=segment.text,
                translation=entry.final_text if entry.status == "draft" and entry.final_text else entry.best_text,
                status=entry.status,
                score=score,
                risk=at_risk,
                flagged=flagged,
                reasons=reasons,
            )
            items.append(((group, -at_risk, -score, order), item))
    items.sort(key=lambda pair: pair[0])
    return [_at(item, n) for n, (_, item) in enumerate(items, 1)]


def _at(item: QueueItem, position: int) -> QueueItem:
    return replace(item, position=position)


def front_count(queue: Sequence[QueueItem]) -> int:
    """How many sentences are at the front of the queue (flagged)."""
    return sum(item.flagged for item in queue)
