"""Importing reviewers' PO files: their decisions go to the memory's review log.

`import_po` turns what a reviewer did in a PO file (see decisions.py) into
decisions in the memory's append-only review log. Decisions the memory already
holds are not recorded again, so importing a file twice is harmless. Nothing
doubtful is applied silently:

- a file whose Language header or folder is not a language of this project, or
  whose source text is unknown, is skipped as a whole;
- a file made for another version of the source (X-Source-Hash differs) is
  applied only for sentences still in the current source; the others are
  listed as skipped, as are obsolete (`#~`) entries and sentences the memory
  does not know.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import polib

from translate import languages
from translate.clock import utc_now
from translate.config import Config
from translate.errors import LanguageError, UsageError
from translate.memory.records import ReviewDecision
from translate.memory.store import TranslationMemory
from translate.review.decisions import reviewer_action, suggestion_for
from translate.review.po_file import read_po, segment_id, source_digest
from translate.texts import SourceText, load_texts


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
    result.decisions = memory.decide(result.decisions)
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
        texts = load_texts(config)
    total = ImportResult()
    for path in files:
        total.extend(import_po(memory, path, config, reviewer, texts))
    return total
