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

from translate.memory.history import open_suggestions, person_name
from translate.memory.records import ReviewDecision
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
    reviewers: list[str] = field(default_factory=list)  # who approved the texts in force
    translators: list[str] = field(default_factory=list)  # who wrote approved texts (not the machine)
    needs_work: int = 0  # drafts saved as needing more work (counted in `draft` too)
    drafted: int = 0  # sentences with any text: a machine draft or a person's
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
    approved = edited = draft = needs_work = drafted = 0
    machine, final, reviewers, translators = [], [], set(), set()
    for sentence in sentences:
        entry = entries.get(sentence)
        if entry is None:
            continue
        drafted += entry.machine_text is not None or entry.final_text is not None
        if entry.status == "approved":
            if entry.final_text == entry.machine_text:
                approved += 1
            else:
                edited += 1
            reviewers.add(entry.reviewer)
            translators.add(entry.translator)
            if entry.machine_text is not None and entry.final_text is not None:
                machine.append(entry.machine_text)
                final.append(entry.final_text)
        elif entry.status == "draft":
            draft += 1
            needs_work += entry.needs_work
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
        translators=sorted({person_name(r) for r in translators if person_name(r)}),
        needs_work=needs_work,
        drafted=drafted,
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


def review_status(
    memory: TranslationMemory, texts: list[SourceText], languages_: list[str], drafted_only: bool = False
) -> list[StatusRow]:
    """One StatusRow per text and language (`drafted_only`: languages with a draft of any sentence of the
    texts, so that a language no engine serves here is not listed as "0 % approved")."""
    rows = []
    for language in languages_:
        found = [
            status_row(memory, text.path.name, _sentences(text.document), text.document.language, language) for text in texts
        ]
        if not drafted_only or any(row.drafted for row in found):
            rows += found
    rows.sort(key=lambda row: ([t.path.name for t in texts].index(row.text), languages_.index(row.language)))
    return rows


@dataclass
class PersonRow:
    """What one person did in one language, over the texts asked for: sentences as they stand now."""

    name: str
    language: str
    translated: int = 0  # sentences whose text in force (approved or draft) they wrote
    approved: int = 0  # sentences whose approval in force is theirs
    drafts: int = 0  # drafts in force saved by them (not approved yet)
    suggestions: int = 0  # their texts still open as suggestions
    comments: int = 0  # messages in comment threads and translator comments

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def people_status(memory: TranslationMemory, texts: list[SourceText], languages_: list[str]) -> list[PersonRow]:
    """Per person and language: what they translated, approved, left as drafts, suggested and said."""
    rows: dict[tuple[str, str], PersonRow] = {}

    def row(name: str, language: str) -> PersonRow:
        key = (person_name(name), language)
        return rows.setdefault(key, PersonRow(*key))

    for language in languages_:
        by_source: dict[str, list[str]] = {}
        for text in texts:
            for sentence in _sentences(text.document):
                by_source.setdefault(text.document.language, []).append(sentence)
        for source, sentences in by_source.items():
            sentences = list(dict.fromkeys(sentences))
            entries = memory.lookup(sentences, source, language)
            for entry in entries.values():
                if entry.status == "machine":
                    continue
                if entry.translator:
                    row(entry.translator, language).translated += 1
                if entry.status == "approved":
                    row(entry.reviewer, language).approved += 1
                else:
                    row(entry.reviewer, language).drafts += 1
            wanted = {entry.source_hash: entry for entry in entries.values()}
            log: dict[str, list[ReviewDecision]] = {}
            for decision in memory.review_log(source, language):
                if decision.source_hash in wanted or decision.source_text in entries:
                    log.setdefault(decision.source_hash, []).append(decision)
            for source_hash, history in log.items():
                for decision in open_suggestions(history, wanted.get(source_hash)):
                    row(decision.reviewer, language).suggestions += 1
                for decision in history:
                    if decision.status in ("note", "comment") and decision.comment and decision.outcome != "conflict":
                        row(decision.reviewer, language).comments += 1
    return sorted(rows.values(), key=lambda r: (languages_.index(r.language), r.name.casefold()))


@dataclass
class ReviewState:
    """Whether a translation may be published as "reviewed"."""

    reviewed: bool
    approved_share: float
    reviewers: list[str]
    translators: list[str]
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
        translators=row.translators,
        approved=row.approved,
        edited=row.edited,
        pending=row.pending,
        draft=row.draft,
        segments=row.segments,
    )
