"""Human review: importing reviewers' PO files, and the figures that say how much they changed.

`import_po` turns what a reviewer did in a PO file into decisions in the
memory's append-only review log: an entry whose fuzzy flag was removed is
approved ('approved' if the machine text was kept, 'edited' if not), a changed
text still marked fuzzy is a 'draft', anything else is pending. Decisions the
memory already holds are not recorded again, so importing a file twice is
harmless. Nothing doubtful is applied silently:

- a file whose Language header or folder is not a language of this project, or
  whose source text is unknown, is skipped as a whole;
- a file made for another version of the source (X-Source-Hash differs) is
  applied only for sentences still in the current source; the others are
  listed as skipped, as are obsolete (`#~`) entries and sentences the memory
  does not know.

`review_status` gives per text and language the counts and the post-edit
effort (TER and chrF between machine draft and final text, computed with
sacrebleu); `review_state` decides whether a translation may be called
"reviewed". Scoring any hypothesis against a reference is translate.evaluate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate import languages
from translate.errors import LanguageError, UsageError
from translate.memory import ReviewDecision, TranslationMemory, utc_now
from translate.po import read_po, reviewer_action, segment_id, source_digest, suggestion_for
from translate.segment import Document

if TYPE_CHECKING:
    import polib

    from translate.config import Config
    from translate.pipeline import SourceText


# ---------------------------------------------------------------- import


@dataclass
class Skipped:
    """A PO entry (or a whole file, msgid '') that was not applied, and why."""

    file: str
    msgctxt: str
    msgid: str
    reason: str


@dataclass
class ImportResult:
    """What one or more imports recorded, skipped and warned about."""

    decisions: list[ReviewDecision] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pending: int = 0  # entries with no human decision yet
    files: list[str] = field(default_factory=list)
    rejected_files: list[str] = field(default_factory=list)  # skipped as a whole

    def extend(self, other: ImportResult) -> None:
        for name in ("decisions", "skipped", "warnings", "files", "rejected_files"):
            getattr(self, name).extend(getattr(other, name))
        self.pending += other.pending

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("approved", "edited", "draft"), 0)
        for decision in self.decisions:
            counts[decision.status] = counts.get(decision.status, 0) + 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "rejected_files": self.rejected_files,
            "recorded": self.counts(),
            "pending": self.pending,
            "decisions": [asdict(d) for d in self.decisions],
            "skipped": [asdict(s) for s in self.skipped],
            "warnings": self.warnings,
        }


def _language_of(code: str) -> str | None:
    try:
        return languages.validate(code)
    except LanguageError:
        return None


def _read_reviewed_po(path: Path, reviewer: str | None) -> tuple[polib.POFile, str]:
    """The parsed PO file and who reviewed it (given, or its Last-Translator); a UsageError if either fails."""
    try:
        po = read_po(path)
    except (OSError, ValueError) as err:
        raise UsageError(f"{path}: not a readable PO file ({err})") from None
    name = (reviewer or po.metadata.get("Last-Translator", "")).strip()
    if not name:
        raise UsageError(f"{path}: no reviewer: give --reviewer NAME (the PO header has no Last-Translator)")
    return po, name


def import_po(
    memory: TranslationMemory,
    po_path: Path | str,
    config: Config,
    reviewer: str | None = None,
    texts: list[SourceText] | None = None,
) -> ImportResult:
    """Record the decisions a reviewer made in one PO file (see the module docstring)."""
    po_path = Path(po_path)
    name = str(po_path)
    result = ImportResult(files=[name])

    def reject(reason: str) -> ImportResult:
        result.rejected_files.append(name)
        result.skipped.append(Skipped(name, "", "", reason))
        return result

    po, reviewer = _read_reviewed_po(po_path, reviewer)
    header = po.metadata

    language = _language_of(header.get("Language", ""))
    folder = _language_of(po_path.parent.name)
    if language is None:
        return reject(f"the header's Language '{header.get('Language', '')}' is not a language code")
    if language not in config.targets and languages.base_language(language) in config.targets:
        # Poedit may write es_ES for a file made for es: the same language here.
        result.warnings.append(f"{name}: Language {language} read as {languages.base_language(language)}")
        language = languages.base_language(language)
    if folder is not None and folder != language and folder in config.targets:
        return reject(f"the header says Language {language} but the file is in the {folder} folder")
    if language not in config.targets and (config.source_language, language) not in memory.pairs():
        return reject(f"{language} is not a target language of this project")

    if texts is None:
        from translate.pipeline import load_texts

        texts = load_texts(config)
    source_file = header.get("X-Source-File", "")
    text = next((t for t in texts if t.path.name == source_file), None)
    if text is None:
        known_names = ", ".join(t.path.name for t in texts)
        return reject(f"X-Source-File '{source_file}' is not one of the texts ({known_names})")
    current = {s.text for s in text.document.segments}
    if header.get("X-Source-Hash") != source_digest(text.document):
        result.warnings.append(
            f"{name}: made for another version of {source_file}; only sentences still in the "
            "current source are applied"
        )

    source = config.source_language
    for obsolete in po.obsolete_entries():
        result.skipped.append(Skipped(name, obsolete.msgctxt or "", obsolete.msgid, "obsolete entry (#~)"))
    live = [e for e in po if not e.obsolete and e.msgid]
    known = memory.lookup([e.msgid for e in live], source, language)
    now = utc_now()
    for po_entry in live:
        ctxt = po_entry.msgctxt or ""
        if po_entry.msgid not in current:
            reason = f"sentence not in the current {source_file}"
            result.skipped.append(Skipped(name, ctxt, po_entry.msgid, reason))
            continue
        entry = known.get(po_entry.msgid)
        if entry is None:
            reason = f"sentence unknown to the memory ({language})"
            result.skipped.append(Skipped(name, ctxt, po_entry.msgid, reason))
            continue
        expected_ctxt = segment_id(text.stem, entry.source_hash)
        if ctxt and ctxt != expected_ctxt:
            result.warnings.append(
                f"{name}: msgctxt '{ctxt}' does not match its sentence; read as {expected_ctxt}"
            )
        suggestion = suggestion_for(memory, po_entry.previous_msgid, source, language)
        action = reviewer_action(po_entry, entry, suggestion)
        if action.warning:
            result.warnings.append(f"{name}: {expected_ctxt}: {action.warning}")
        if not action.status:
            if entry.status != "approved" and not action.warning:
                result.pending += 1
            continue
        result.decisions.append(
            ReviewDecision(
                source_hash=entry.source_hash,
                source_lang=source,
                target_lang=language,
                reviewer=reviewer,
                time=now,
                machine_text=entry.machine_text,
                final_text=action.text,
                status=action.status,
                document=text.path.name,
                segment_id=expected_ctxt,
                note=f"imported from {po_path.name}",
                source_text=entry.source_text,
            )
        )
    memory.record_reviews(result.decisions)
    return result


def po_files(paths: Iterable[Path | str]) -> list[Path]:
    """The PO files named, with folders searched recursively, in a stable order."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(path.rglob("*.po"))
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    if not found:
        raise UsageError("no .po files found")
    return list(dict.fromkeys(found))


def import_paths(
    memory: TranslationMemory,
    paths: Iterable[Path | str],
    config: Config,
    reviewer: str | None = None,
    texts: list[SourceText] | None = None,
) -> ImportResult:
    """Import PO files and folders of them (what `translate review import` does)."""
    files = po_files(paths)
    for path in files:  # usage errors first, so a bad file leaves the memory untouched
        _read_reviewed_po(path, reviewer)
    if texts is None:
        from translate.pipeline import load_texts

        texts = load_texts(config)
    total = ImportResult()
    for path in files:
        total.extend(import_po(memory, path, config, reviewer, texts))
    return total


# ---------------------------------------------------------------- figures


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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _sentences(document: Document) -> list[str]:
    return list(dict.fromkeys(s.text for s in document.segments))


def status_row(
    memory: TranslationMemory, text_name: str, sentences: list[str], source: str, target: str
) -> StatusRow:
    """Counts and post-edit figures for a list of distinct sentences."""
    from sacrebleu.metrics import CHRF, TER

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
    if machine:
        ter = round(TER().corpus_score(machine, [final]).score, 2)
        chrf = round(CHRF().corpus_score(machine, [final]).score, 2)
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
        reviewers=sorted(r for r in reviewers if r),
    )


def review_status(
    memory: TranslationMemory, texts: list[SourceText], languages_: list[str]
) -> list[StatusRow]:
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
    row = status_row(memory, name, sentences, source_language, language)
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
