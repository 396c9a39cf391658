"""Review figures: how much of a text people have reviewed, and how much they changed.

`review_status` gives per text and language the counts and the post-edit
effort (TER and chrF between machine draft and final text, computed with
sacrebleu); `review_state` decides whether a translation may be called
"reviewed" (the share of approved sentences reaches `review.publish_threshold`).

Both effort figures see case: sacrebleu's TER ignores it by default while chrF
does not, so a reviewer who only fixed capitals got "TER 0.0, chrF 52.6", two
figures that contradict each other. TER is asked to be case-sensitive here, and
each row carries both metrics' sacrebleu signatures, so a figure can be
reproduced exactly.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from translate.memory.history import person_name
from translate.memory.store import TranslationMemory
from translate.segment import Document
from translate.texts import SourceText


@dataclass
class StatusRow:
    """Review state and post-edit effort of one text in one language."""

    text: str
    language: str
    segments: int  # distinct sentences
    approved: int  # approved as the machine wrote it
    edited: int  # approved after a change
    draft: int  # changed, not approved yet
    pending: int  # no human decision
    ter: float | None  # TER of machine drafts against the approved texts (0 = no edits)
    chrf: float | None  # chrF of machine drafts against the approved texts (100 = identical)
    share_unchanged: float | None  # approved as-is / all approved
    approved_share: float  # (approved + edited) / segments
    reviewers: list[str] = field(default_factory=list)
    ter_signature: str = ""
    chrf_signature: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _sentences(document: Document) -> list[str]:
    return list(dict.fromkeys(s.text for s in document.segments))


def status_row(
    memory: TranslationMemory, text_name: str, sentences: list[str], source: str, target: str, effort: bool = True
) -> StatusRow:
    """Counts and post-edit figures for a list of distinct sentences (`effort=False`: counts only)."""
    entries = memory.lookup(sentences, source, target)
    approved = edited = draft = 0
    machine, final, reviewers = [], [], set()
    for sentence in sentences:
        entry = entries.get(sentence)
        if entry is None:
            continue
        if entry.status == "approved":
            if entry.final_text == entry.machine_text:
                approved += 1
            else:
                edited += 1
            reviewers.add(entry.reviewer)
            if entry.machine_text is not None and entry.final_text is not None:
                machine.append(entry.machine_text)
                final.append(entry.final_text)
        elif entry.status == "draft":
            draft += 1
    total = len(sentences)
    done = approved + edited
    ter = chrf = None
    if machine and effort:
        ter_metric, chrf_metric = effort_metrics()
        ter = round(ter_metric.corpus_score(machine, [final]).score, 2)
        chrf = round(chrf_metric.corpus_score(machine, [final]).score, 2)
    return StatusRow(
        text=text_name,
        language=target,
        segments=total,
        approved=approved,
        edited=edited,
        draft=draft,
        pending=total - done - draft,
        ter=ter,
        chrf=chrf,
        share_unchanged=round(approved / done, 4) if done else None,
        approved_share=round(done / total, 4) if total else 0.0,
        reviewers=sorted({person_name(r) for r in reviewers if person_name(r)}),
        ter_signature=effort_signatures()[0],
        chrf_signature=effort_signatures()[1],
    )


def effort_metrics():
    """TER and chrF, both case-sensitive (see the module docstring)."""
    from sacrebleu.metrics import CHRF, TER  # sacrebleu takes ~0.1 s to import: only when figures are asked for

    return TER(case_sensitive=True), CHRF()


@cache
def effort_signatures() -> tuple[str, str]:
    """sacrebleu's signatures of the two metrics (it gives one only after a score: one reference per text)."""
    signatures = []
    for metric in effort_metrics():
        metric.corpus_score(["a"], [["a"]])
        signatures.append(str(metric.get_signature()))
    return signatures[0], signatures[1]


def review_status(memory: TranslationMemory, texts: list[SourceText], languages_: list[str]) -> list[StatusRow]:
    """One StatusRow per text and language."""
    rows = []
    for text in texts:
        sentences = _sentences(text.document)
        for language in languages_:
            rows.append(status_row(memory, text.path.name, sentences, text.document.language, language))
    return rows


@dataclass
class ReviewState:
    """Whether a translation may be published as "reviewed"."""

    reviewed: bool
    approved_share: float
    reviewers: list[str]
    approved: int
    edited: int
    pending: int
    draft: int = 0
    segments: int = 0


def review_state(
    memory: TranslationMemory,
    document: Document | SourceText | str,
    language: str,
    threshold: float = 0.9,
    source_language: str = "en",
) -> ReviewState:
    """Reviewed when the approved share of the document's sentences reaches the threshold.

    `document` is a parsed Document, a SourceText, or a document name as recorded
    in the memory's layout (then `source_language` names its language).
    """
    if isinstance(document, str):
        name = document
        sentences = list(dict.fromkeys(row.source_text for row in memory.layout(document)))
    else:
        doc = document if isinstance(document, Document) else document.document
        name, sentences, source_language = doc.name, _sentences(doc), doc.language
    row = status_row(memory, name, sentences, source_language, language, effort=False)  # a share, not figures
    return ReviewState(
        reviewed=bool(row.segments) and row.approved_share >= threshold,
        approved_share=row.approved_share,
        reviewers=row.reviewers,
        approved=row.approved,
        edited=row.edited,
        pending=row.pending,
        draft=row.draft,
        segments=row.segments,
    )
