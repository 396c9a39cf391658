"""Importing reviewers' PO files: their decisions go to the memory, judged against newer work.

`import_po` turns what a reviewer did in a PO file (see decisions.py) into
decisions the memory judges (translate.memory.history): a decision made on
an older revision of a sentence that another person has decided since is a
*conflict*, listed with both texts and both names; the newer text stays and
the incoming one is kept in the log as a suggestion. Nothing is applied or
refused in silence:

- a file msgfmt rejects is rejected whole (a truncated string is not an edit);
- a file whose language disagrees with its own evidence (its folder, its
  Language and Language-Team headers, and the translations it holds compared
  with the memory's drafts in each language) is rejected whole;
- a file nobody touched (every entry as exported) is skipped, and needs no
  reviewer name; a touched file needs one (`--reviewer`, per file when a
  folder is imported, else the name in Last-Translator, never its e-mail);
- an edit of a sentence the source no longer has is recorded for that
  sentence, so it comes back as a fuzzy suggestion for its new wording, and
  the file is free again for the next run;
- obsolete (`#~`) and plural entries are listed as skipped.

Each file gets one line of figures (`FileResult.describe`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import polib

from translate import languages
from translate.clock import utc_now
from translate.config import Config
from translate.errors import InputFileError, LanguageError, UsageError
from translate.fileio import check_link
from translate.human_input import unfit_text, unfit_translation
from translate.memory.history import person_name
from translate.memory.notes import Notes
from translate.memory.records import NAME_FROM_HEADER, MemoryEntry, ReviewDecision
from translate.memory.store import TranslationMemory
from translate.review.decisions import (
    comment_action,
    earlier_comments,
    new_action,
    po_revision,
    reviewer_action,
    suggestion_for,
    untouched,
)
from translate.review.po_file import msgfmt_errors, parse_po, read_po_bytes, segment_id, source_digest
from translate.segment import sentence_hash
from translate.texts import SourceText, load_batch

COUNTED = ("approved", "edited", "draft", "comment", "suggested")
LANGUAGE_EVIDENCE_MIN = 3
"""Translations that must match another language's drafts before a file's Language header is doubted."""


@dataclass
class Skipped:
    """A PO entry (or a whole file, msgid '') that was not applied, and why."""

    file: str
    msgctxt: str
    msgid: str
    reason: str
    refused: bool = False  # a translation over the import limits: the exit code says so


@dataclass
class Conflict:
    """A decision refused because another person decided the sentence after the file was written."""

    file: str
    sentence: str
    language: str
    incoming_text: str
    incoming_reviewer: str
    current_text: str
    current_reviewer: str


@dataclass
class FileResult:
    """What the import of one file did."""

    file: str
    language: str = ""
    reviewer: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTED, 0))
    conflicts: int = 0
    pending: int = 0
    skipped: int = 0  # entries listed in ImportResult.skipped
    status: str = "imported"  # imported | untouched | rejected

    def describe(self) -> str:
        if self.status != "imported":
            return f"{self.file}: {self.status}"
        c = self.counts
        return (
            f"{self.file}: {c['approved']} approved, {c['edited']} edited, {c['draft']} drafts, "
            f"{c['comment']} comments, {c['suggested']} suggestions, {self.conflicts} conflicts, "
            f"{self.skipped} skipped, {self.pending} pending" + (f" (reviewer {self.reviewer})" if self.reviewer else "")
        )


@dataclass
class ImportResult:
    """What one or more imports recorded, skipped and warned about."""

    decisions: list[ReviewDecision] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pending: int = 0  # entries with no human decision yet
    files: list[str] = field(default_factory=list)
    rejected_files: list[str] = field(default_factory=list)  # skipped as a whole
    per_file: list[FileResult] = field(default_factory=list)

    def extend(self, other: ImportResult) -> None:
        for name in ("decisions", "skipped", "conflicts", "warnings", "files", "rejected_files", "per_file"):
            getattr(self, name).extend(getattr(other, name))
        self.pending += other.pending

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(COUNTED, 0)
        for decision in self.decisions:
            if decision.outcome != "conflict":
                counts[decision.status] = counts.get(decision.status, 0) + 1
        return counts

    @property
    def exit_code(self) -> int:
        return 1 if self.rejected_files or self.conflicts or any(s.refused for s in self.skipped) else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": [asdict(f) | {"summary": f.describe()} for f in self.per_file],
            "rejected_files": self.rejected_files,
            "recorded": self.counts(),
            "pending": self.pending,
            "conflicts": [asdict(c) for c in self.conflicts],
            "decisions": [asdict(d) for d in self.decisions],
            "skipped": [asdict(s) for s in self.skipped],
            "warnings": self.warnings,
            "exit_code": self.exit_code,
        }


def _language_of(code: str) -> str | None:
    try:
        return languages.validate(code)
    except LanguageError:
        return None


def _evidence_language(po: polib.POFile, memory: TranslationMemory, config: Config) -> tuple[str, int] | None:
    """The target language whose drafts or reviewed texts the file's translations are, with how many match."""
    texts = {e.msgid: e.msgstr for e in po if e.msgid and e.msgstr and not e.obsolete}
    best: tuple[str, int] | None = None
    for target in config.targets:
        known = memory.lookup(list(texts), config.source_language, target)
        matches = sum(1 for msgid, entry in known.items() if texts[msgid] in (entry.machine_text, entry.final_text))
        if matches and (best is None or matches > best[1]):
            best = (target, matches)
    return best


def _file_language(
    po: polib.POFile, po_path: Path, memory: TranslationMemory, config: Config, result: ImportResult
) -> str | None:
    """The language the file is in, or None after rejecting it (the reason is in result.skipped)."""
    name = str(po_path)
    header = po.metadata
    declared = header.get("Language", "")
    language = _language_of(declared)
    if language is None:
        _reject(result, name, f"the header's Language '{declared}' is not a language code")
        return None
    if language not in config.targets and languages.base_language(language) in config.targets:
        # Poedit may write es_ES for a file made for es: the same language here.
        result.warnings.append(f"{name}: Language {language} read as {languages.base_language(language)}")
        language = languages.base_language(language)
    folder = _language_of(po_path.parent.name)
    if folder is not None and folder != language and folder in config.targets:
        _reject(result, name, f"the header says Language {language} but the file is in the {folder} folder")
        return None
    team = header.get("Language-Team", "")
    team_language = _language_by_name(team, config.targets)
    if team_language is not None and team_language != language and team_language in config.targets:
        _reject(result, name, f"the header says Language {language} but Language-Team '{team}'; correct the one that is wrong")
        return None
    evidence = _evidence_language(po, memory, config)
    if evidence is not None and evidence[0] != language and evidence[1] >= LANGUAGE_EVIDENCE_MIN:
        own = _evidence_language_for(po, memory, config, language)
        if own < evidence[1]:
            _reject(
                result,
                name,
                f"the header says Language {language}, but {evidence[1]} of its "
                f"translations are the {evidence[0]} texts of this project; correct "
                "the Language header",
            )
            return None
    if language not in config.targets and (config.source_language, language) not in memory.pairs():
        _reject(result, name, f"{language} is not a target language of this project")
        return None
    return language


def _evidence_language_for(po: polib.POFile, memory: TranslationMemory, config: Config, language: str) -> int:
    texts = {e.msgid: e.msgstr for e in po if e.msgid and e.msgstr and not e.obsolete}
    known = memory.lookup(list(texts), config.source_language, language)
    return sum(1 for msgid, entry in known.items() if texts[msgid] in (entry.machine_text, entry.final_text))


def _language_by_name(team: str, candidates: Iterable[str]) -> str | None:
    """The language a Language-Team header names ('Spanish', 'Spanish <es@li.org>', 'es'), among candidates."""
    name = person_name(team).strip().casefold()
    for code in candidates:
        if name in (code.casefold(), languages.language_name(code).casefold()):
            return code
    return None


def _reject(result: ImportResult, name: str, reason: str) -> None:
    result.rejected_files.append(name)
    result.skipped.append(Skipped(name, "", "", reason))


def reviewer_for(path: Path, reviewer: str | None, reviewers: Mapping[str, str] | None, po: polib.POFile) -> tuple[str, str]:
    """Who reviewed a file, and where the name comes from: `--reviewer PATH=NAME` for it, else `--reviewer
    NAME` (from the organizer: ''), else Last-Translator's name (NAME_FROM_HEADER: it never overrides the
    revision check, see translate.memory.history)."""
    for pattern, name in (reviewers or {}).items():
        if str(path) == pattern or str(path).endswith("/" + pattern.lstrip("/")) or path.name == pattern:
            return person_name(name), ""
    if reviewer:
        return person_name(reviewer), ""
    return person_name(po.metadata.get("Last-Translator", "")), NAME_FROM_HEADER


def _read_reviewed(po_path: Path, result: ImportResult, summary: FileResult) -> polib.POFile | None:
    """A reviewer's PO file, read once and checked by gettext; None (the file rejected, saying why) otherwise."""
    name = str(po_path)
    try:
        data = read_po_bytes(po_path)
    except InputFileError as err:  # a named pipe, a device, a folder: said, never waited on
        summary.status = "rejected: cannot be read"
        _reject(result, name, str(err).removeprefix(f"{name}: "))
        return None
    error = msgfmt_errors(po_path, data)
    if error is None:
        try:
            return parse_po(data)
        except (OSError, ValueError, UnicodeDecodeError, LookupError) as err:
            error = " ".join(str(err).split())
    summary.status = "rejected: not a valid PO file"
    _reject(result, name, f"not a valid PO file, nothing imported from it: {error}")
    return None


def import_po(
    memory: TranslationMemory,
    po_path: Path | str,
    config: Config,
    reviewer: str | None = None,
    texts: list[SourceText] | None = None,
    reviewers: Mapping[str, str] | None = None,
) -> ImportResult:
    """Record the decisions a reviewer made in one PO file (see the module docstring)."""
    po_path = Path(po_path)
    name = str(po_path)
    result = ImportResult(files=[name])
    summary = FileResult(name)
    result.per_file.append(summary)
    po = _read_reviewed(po_path, result, summary)
    if po is None:
        return result
    language = _file_language(po, po_path, memory, config, result)
    if language is None:
        summary.status = "rejected: " + result.skipped[-1].reason
        return result
    summary.language = language

    if texts is None:
        texts = load_batch(config).texts  # a text that cannot be read is not this file's text
    source_file = po.metadata.get("X-Source-File", "")
    text = next((t for t in texts if t.path.name == source_file), None)
    if text is None:
        known_names = ", ".join(t.path.name for t in texts)
        summary.status = f"rejected: X-Source-File '{source_file}' is not one of the texts"
        _reject(result, name, f"X-Source-File '{source_file}' is not one of the texts ({known_names})")
        return result
    live = [e for e in po if not e.obsolete and e.msgid]
    if all(untouched(e) for e in live) and not po.obsolete_entries():
        summary.status = "untouched (every entry as exported): skipped"
        return result
    reviewer_name, name_from = reviewer_for(po_path, reviewer, reviewers, po)
    if not reviewer_name:
        summary.status = "rejected: no reviewer name"
        _reject(
            result,
            name,
            "no reviewer name: give --reviewer NAME (or --reviewer FILE=NAME); the header's Last-Translator has none",
        )
        return result
    summary.reviewer = reviewer_name
    current = {s.text for s in text.document.segments}
    if po.metadata.get("X-Source-Hash") != source_digest(text.document):
        result.warnings.append(
            f"{name}: made for another version of {source_file}; edits of sentences the "
            "source no longer has are kept for their new wording"
        )

    source = config.source_language
    for obsolete in po.obsolete_entries():
        result.skipped.append(Skipped(name, obsolete.msgctxt or "", obsolete.msgid, "obsolete entry (#~)"))
    for plural in (e for e in live if e.msgid_plural):
        result.skipped.append(
            Skipped(
                name, plural.msgctxt or "", plural.msgid, "plural entry: this project's texts have none, so it was not imported"
            )
        )
    live = [e for e in live if not e.msgid_plural]
    known = memory.lookup([e.msgid for e in live], source, language)
    now = utc_now()
    decisions = []
    for po_entry in live:
        problem = _unfit_entry(po_entry, config)
        if problem:  # the rest of the file is imported; this entry stays as the memory has it
            result.skipped.append(Skipped(name, po_entry.msgctxt or "", po_entry.msgid, problem, refused=True))
            continue
        entry = known.get(po_entry.msgid)
        if entry is None:
            entry = _new_entry(po_entry, source, language, now)
        suggestion = suggestion_for(memory, po_entry.previous_msgid, source, language)
        action = (
            new_action(memory, po_entry, entry, suggestion) if entry.created else reviewer_action(po_entry, entry, suggestion)
        )
        where = segment_id(text.stem, entry.source_hash)
        note = f"imported from {po_path.name}"
        if po_entry.msgid not in current:
            note += f"; the sentence is no longer in {source_file}"
            if action.status or po_entry.tcomment:
                result.warnings.append(
                    f"{name}: an edit of a sentence {source_file} no longer has was recorded "
                    f"for it, and is offered for its new wording: {po_entry.msgid[:60]!r}"
                )
        if action.warning:
            result.warnings.append(f"{name}: {po_entry.msgid[:60]!r}: {action.warning}")
        base = po_revision(po_entry)
        common = ReviewDecision(
            source_hash=entry.source_hash,
            source_lang=source,
            target_lang=language,
            reviewer=reviewer_name,
            time=now,
            machine_text=entry.machine_text,
            final_text=None,
            status="",
            document=text.path.name,
            segment_id=where,
            note=note,
            source_text=entry.source_text,
            via="po",
            base=base,
            name_from=name_from,
        )
        if action.status:
            decisions.append(replace(common, final_text=action.text, status=action.status))
        elif entry.status != "approved" and po_entry.msgid in current:
            summary.pending += 1
        comment = comment_action(po_entry, entry, earlier_comments(memory, entry) if entry.created else set())
        if comment is not None:
            decisions.append(replace(common, status="comment", comment=comment))
    recorded = memory.decide(decisions)
    result.decisions = recorded
    for decision in recorded:
        if decision.outcome == "conflict":
            summary.conflicts += 1
            held = memory.get(decision.source_text, source, language)
            result.conflicts.append(
                Conflict(
                    name,
                    decision.source_text,
                    language,
                    decision.final_text or decision.comment or "",
                    decision.reviewer,
                    held.review_text if held else "",
                    (held.comment_by if decision.status == "comment" else held.reviewer) if held else "",
                )
            )
        else:
            summary.counts[decision.status] += 1
    summary.skipped = sum(1 for s in result.skipped if s.file == name and s.msgid)
    result.pending = summary.pending
    return result


def _unfit_entry(po_entry: polib.POEntry, config: Config) -> str | None:
    """Why an entry's text or translator comment is not taken (translate/human_input.py), or None."""
    limits = config.limits
    comment = unfit_text(po_entry.tcomment or "", limits.max_comment_chars, "comment", "limits.max_comment_chars")
    return unfit_translation(po_entry.msgstr, limits.max_import_chars) or (
        f"refused: the translator comment: {comment}" if comment else None
    )


def _new_entry(po_entry: polib.POEntry, source: str, target: str, now: str) -> MemoryEntry:
    """A sentence the memory has never seen (a PO file from elsewhere): what a decision on it starts from."""
    return MemoryEntry(
        sentence_hash(po_entry.msgid), source, target, po_entry.msgid, None, "", "machine", None, "", Notes(), "", now
    )


def po_files(paths: Iterable[Path | str]) -> list[Path]:
    """The PO files named, with folders searched recursively (links to folders not followed), in a stable order.

    Every *.po name found is listed, whatever it is (a named pipe, a link): reading it
    refuses what is no file, by name; a link found in a folder must lead inside that
    folder or the project (`check_link`), or it is refused too.
    """
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            for folder, folders, names in os.walk(path):
                folders.sort()
                found += [Path(folder) / n for n in sorted(names) if n.endswith(".po") and not n.startswith(".")]
        elif os.path.lexists(path):
            found.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    if not found:
        raise UsageError("no .po files found")
    return list(dict.fromkeys(found))


def _outside(path: Path, named: list[Path], project: Path) -> str | None:
    """Why a PO file found in a folder is not read: a link leading out of it and the project (None: read it)."""
    folders = [folder for folder in named if folder.is_dir() and path.is_relative_to(folder)]
    if not folders:
        return None
    try:
        check_link(path, project, *folders)
    except InputFileError as err:
        return str(err).removeprefix(f"{path}: ")
    return None


def import_paths(
    memory: TranslationMemory,
    paths: Iterable[Path | str],
    config: Config,
    reviewer: str | None = None,
    texts: list[SourceText] | None = None,
    reviewers: Mapping[str, str] | None = None,
) -> ImportResult:
    """Import PO files and folders of them (what `translate review import` does); one result per file."""
    named = [Path(p) for p in paths]
    files = po_files(named)
    total = ImportResult()
    if texts is None:
        batch = load_batch(config)
        texts = batch.texts
        total.warnings += [f"{p.error} (left out: a PO file of that text cannot be imported)" for p in batch.problems]
    for path in files:
        refused = _outside(path, named, config.root)
        if refused is not None:
            one = ImportResult(files=[str(path)], per_file=[FileResult(str(path), status="rejected: " + refused)])
            _reject(one, str(path), refused)
            total.extend(one)
            continue
        total.extend(import_po(memory, path, config, reviewer, texts, reviewers))
    total.pending = sum(f.pending for f in total.per_file)
    return total
