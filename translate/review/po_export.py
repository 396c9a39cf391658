"""PO files for volunteer reviewers: one per text and language, beside the translated text.

A reviewer opens outputs/<lang>/<text>.po in Poedit, Lokalize or a text editor,
reads each machine draft (marked fuzzy), fixes it if needed and removes the
fuzzy flag to approve it. Every entry is one distinct sentence of the text
(the memory keys by sentence, so a sentence that occurs twice is one decision
with two `#:` references); its msgctxt `<text-stem>:<source-hash>` is stable
across runs. Extracted comments (`#.`) give the reviewer the context: where the
sentence sits, the glossary terms it contains and any glossary problem, and the
engine that drafted it. When a source sentence is rewritten, the translation a
human approved for the old wording comes back as a fuzzy suggestion with the old
msgid (`#|`), as msgmerge does; reviewers' own comments (`# `) are carried over.

Export never destroys work that was not imported yet: if the file on disk holds
human changes the memory does not know (see `unimported_changes`), it is left
alone. The dates in the header are functions of the content (`content_dates`):
a re-export with nothing new rewrites no file, and two clones (or two branches)
holding the same decisions write the same bytes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polib

from translate import __version__, languages
from translate.clock import po_date
from translate.errors import InputFileError
from translate.fileio import atomic_write_text
from translate.glossary.matching import matcher
from translate.glossary.model import Glossary
from translate.glossary.pinning import pinned_target
from translate.memory.history import open_suggestions
from translate.memory.notes import Notes
from translate.memory.records import MemoryEntry, ReviewDecision
from translate.memory.store import TranslationMemory
from translate.review.decisions import REVISION_LABEL, reviewed_text, shown_revision, unimported_changes
from translate.review.po_file import FUZZY, msgfmt_errors, parse_po, read_po_bytes, render_po, source_digest
from translate.run.signature import Signature
from translate.run.text_in_language import TextInLanguage
from translate.segment import Block, Document, Segment
from translate.texts import SourceText

SHORT_SENTENCE_WORDS = 8
"""Sentences shorter than this get their neighbour as context ('Yes.', 'He goes on:')."""
SUGGESTIONS_SHOWN = 3
"""Texts offered but not applied (conflicts, fuzzy edits of approvals) shown per entry, newest last."""
NOTES_SHOWN = 5
"""Comments of a sentence's thread (the review pages) shown per entry, newest last."""


# ---------------------------------------------------------------- context comments


def block_label(document: Document, block_index: int) -> str:
    """Where a block sits, as a reviewer would say it: 'heading', 'list item 3', 'dialogue: Stalin'."""
    blocks = document.blocks
    block: Block = blocks[block_index]
    if block.kind == "heading":
        return "heading"
    if block.kind == "dialogue":
        return f"dialogue: {block.prefix.strip().rstrip(':').strip()}"
    if block.kind == "list_item":
        number = re.match(r"\s*(\d+)", block.prefix)
        if number:
            return f"list item {int(number.group(1))}"
        ordinal = 1
        for earlier in reversed(blocks[:block_index]):
            if earlier.kind != "list_item":
                break
            ordinal += 1
        return f"list item {ordinal}"
    ordinal = sum(1 for b in blocks[: block_index + 1] if b.kind == block.kind)
    return f"{block.kind} {ordinal}"


def _one_line(text: str) -> str:
    """A text as one comment line, whole: PO editors wrap long lines themselves."""
    return " ".join(text.split())


def context_comments(document: Document, segment: Segment) -> list[str]:
    """Block kind and position, and for a short sentence its neighbour in the same block."""
    in_block = [s for s in document.segments if s.block == segment.block]
    position = next(k for k, s in enumerate(in_block) if s.index == segment.index)
    label = block_label(document, segment.block)
    if len(in_block) > 1:
        label += f", sentence {position + 1} of {len(in_block)}"
    lines = [label]
    if len(segment.text.split()) < SHORT_SENTENCE_WORDS and len(in_block) > 1:
        if position > 0:
            lines.append(f"previous sentence: {_one_line(in_block[position - 1].text)}")
        else:
            lines.append(f"next sentence: {_one_line(in_block[position + 1].text)}")
    return lines


def glossary_comments(sentence: str, glossary: Glossary | None, source: str, target: str) -> list[str]:
    """'glossary: surplus value → plusvalía' for each glossary term in the sentence.

    Without a glossary there is simply nothing to say.
    """
    if glossary is None:
        return []
    lines = []
    seen = set()
    for match in matcher(glossary, source).find(sentence):
        key = (match.concept.id, match.text.lower())
        if key in seen:
            continue
        seen.add(key)
        rendering = pinned_target(match.concept, match.text, target)
        if rendering is None:
            lines.append(f"glossary: {match.text} (no {target} term yet: {match.concept.id})")
        elif not match.concept.translate and rendering == match.text:
            lines.append(f"glossary: {match.text} (keep as written)")
        else:
            lines.append(f"glossary: {match.text} → {rendering}")
    return lines


def notes_comments(notes: Notes) -> list[str]:
    """Glossary violations and the 'flagged' mark the run stage stored with the machine draft."""
    lines = []
    for violation in notes.violations or []:
        text = f"{violation.concept}: {violation.message}" if violation.concept else violation.message
        if violation.expected:
            text += f" (expected “{violation.expected}”)"
        lines.append(f"glossary violation: {_one_line(text)}")
    if notes.left_untranslated:
        lines.append(f"left untranslated: {notes.left_untranslated}; please translate it")
    if notes.quotation:
        lines.append(f"quotation: the published translation, {_one_line(notes.quotation)}; keep its wording")
    return lines


# ---------------------------------------------------------------- quality checks (issue 13)


def check_comments(notes: Notes) -> list[str]:
    """What the quality checks found in the machine draft, one `check:` line each, heaviest
    first ('check: unknown words: exploitative, panopticon'), and the flag when they add up."""
    lines = [f"check: {_one_line(reason)}" for reason in notes.reasons]
    if notes.signals is None and notes.needs_review:  # stored before the checks existed
        lines.append("flagged: please check the glossary terms in this sentence")
    elif notes.flagged:
        lines.append(f"flagged: among the first sentences to review (score {notes.score:g})")
    return lines


def engine_comments(signature: str, notes: Notes | None = None) -> list[str]:
    """Which engine drafted the sentence; the full signatures are in the header (X-Engine-Signatures)."""
    sig = Signature.parse(signature)
    origin = f" ({notes.origin})" if notes is not None and notes.origin else ""
    return [f"engine: {sig.engine} {sig.engine_version}, {sig.route}, {sig.models}{origin}"]


# ---------------------------------------------------------------- building and writing


def build_po(unit: TextInLanguage, existing: polib.POFile | None = None) -> polib.POFile:
    """The PO file of one text in one language, from the memory's current state."""
    text, language, memory, glossary = unit.text, unit.language, unit.memory, unit.glossary
    document = text.document
    source = unit.source
    segments = document.segments
    previous = memory.previous_sources(text.path.name)
    previous_texts = {row.source_text for row in memory.previous_layout(text.path.name)}
    old_entries = {e.msgid: e for e in existing if not e.obsolete} if existing is not None else {}
    if not previous_texts and existing is not None:  # a fresh clone: the file on disk has the last layout
        previous_texts = set(old_entries)
    known = memory.lookup([s.text for s in segments] + _old_wordings(previous, old_entries), source, language)
    entries = {s.text: known[s.text] for s in segments if s.text in known}
    logs = _logs(memory, source, language)

    po = polib.POFile(wrapwidth=78)
    po.header = (
        f"{languages.name_or_code(language)} translation of “{document.title}” ({text.path.name}).\n"
        "Machine drafts are marked fuzzy: correct a draft if needed, then remove the fuzzy\n"
        "flag to approve it. Comments starting with '#.' are context for you."
    )
    po.metadata = header_metadata(text, language, existing, entries.values())
    signatures = sorted({e.signature for e in entries.values() if e.signature})
    if signatures:
        po.metadata["X-Engine-Signatures"] = " ; ".join(signatures)

    by_sentence: dict[str, polib.POEntry] = {}
    for segment in segments:
        reference = (text.path.name, str(segment.line))
        if segment.text in by_sentence:
            by_sentence[segment.text].occurrences.append(reference)
            continue
        entry = entries.get(segment.text)
        po_entry = polib.POEntry(msgid=segment.text, msgstr="", occurrences=[reference])
        comments = context_comments(document, segment)
        comments += glossary_comments(segment.text, glossary, source, language)
        old_po = old_entries.get(segment.text)
        comment = entry.comment if entry is not None else ""
        if entry is not None:
            comments += notes_comments(entry.notes)
            if entry.status == "machine":
                comments += check_comments(entry.notes)
            _fill(po_entry, entry)
        if entry is None or entry.status == "machine":
            old_wording = previous.get(segment.source_hash) or (old_po.previous_msgid if old_po else None)
            if not old_wording and not previous:
                old_wording = _reworded_from(segment.text, old_entries, {s.text for s in segments})
            if not _rewording(segment.text, old_wording, previous_texts):
                old_wording = None
            old = known.get(old_wording) if old_wording else None
            if old_wording and not comment:  # translator comments follow a reworded sentence, as in msgmerge
                old_file = old_entries.get(old_wording)
                comment = (old.comment if old is not None else "") or (old_file.tcomment if old_file else "")
            suggestion = reviewed_text(old)
            if suggestion is not None:
                po_entry.msgstr = suggestion
                po_entry.flags = [FUZZY]
                po_entry.previous_msgid = old_wording
                comments.append("the source sentence changed: this is the reviewed translation of its old wording")
        if entry is not None and entry.signature:
            comments += engine_comments(entry.signature, entry.notes)
        comments += suggestion_comments(logs.get(segment.source_hash, []), entry)
        po_entry.tcomment = comment or (old_po.tcomment if old_po is not None else "")
        comments.append(REVISION_LABEL + shown_revision(po_entry))
        po_entry.comment = "\n".join(comments)
        by_sentence[segment.text] = po_entry
        po.append(po_entry)
    _keep_obsolete(po, existing)
    return po


def _old_wordings(previous: dict[str, str], old_entries: dict[str, polib.POEntry]) -> list[str]:
    """Every sentence a sentence of the text may be a rewording of: the old layout's, the `#|` of the file
    on disk and, without a layout history, the file's own msgids. Looked up with the text's sentences in
    one query, so no entry calls back into the memory."""
    candidates = list(previous.values()) + [e.previous_msgid for e in old_entries.values() if e.previous_msgid]
    return candidates if previous else candidates + list(old_entries)


def _logs(memory: TranslationMemory, source: str, target: str) -> dict[str, list[ReviewDecision]]:
    """Every decision of a language pair, per sentence, oldest first."""
    found: dict[str, list[ReviewDecision]] = {}
    for decision in memory.review_log(source, target):
        found.setdefault(decision.source_hash, []).append(decision)
    return found


def suggestion_comments(log: list[ReviewDecision], entry: MemoryEntry | None) -> list[str]:
    """'not applied, from Ana: ...' for each suggestion still open (translate.memory.history.open_suggestions:
    refused in a conflict, kept, or a draft an approval replaced; until it is accepted or dismissed, whatever
    decision came after it), the last three; and the last comments of the sentence's thread."""
    lines = [f"not applied, from {d.reviewer} ({d.time[:10]}): {d.final_text}" for d in open_suggestions(log, entry)]
    notes = [f"comment from {d.reviewer} ({d.time[:10]}): {_one_line(d.comment or '')}" for d in log if d.status == "note"]
    return lines[-SUGGESTIONS_SHOWN:] + notes[-NOTES_SHOWN:]


def _reworded_from(sentence: str, old_entries: dict[str, polib.POEntry], current: set[str]) -> str | None:
    """Without a layout history, the old sentence of the file on disk this one most resembles (as msgmerge)."""
    gone = [msgid for msgid in old_entries if msgid and msgid not in current]
    best = max(gone, key=lambda old: difflib.SequenceMatcher(None, sentence, old).ratio(), default=None)
    return best


def _rewording(sentence: str, old_wording: str | None, previous_texts: set[str]) -> bool:
    """Whether a sentence is an edit of the old one in its place, as msgmerge's fuzzy match judges.

    A sentence that was already in the text is not a rewording (a neighbour was
    deleted or moved), nor is one too different from the old wording.
    """
    if not old_wording or sentence in previous_texts:
        return False
    return difflib.SequenceMatcher(None, sentence, old_wording).ratio() >= 0.5


def _keep_obsolete(po: polib.POFile, existing: polib.POFile | None) -> None:
    """Human work on sentences the source no longer has stays, as `#~` entries (as msgmerge does).

    An entry is kept when a person approved it (not fuzzy) or commented on it, and
    its translation was not carried over as a suggestion for a changed sentence.
    """
    if existing is None:
        return
    current = {e.msgid for e in po}
    carried = {e.previous_msgid for e in po if e.previous_msgid}
    for old in existing:
        if old.msgid in current or old.msgid in carried or not old.msgid or old.msgid_plural:
            continue
        human = old.obsolete or (old.msgstr and not old.fuzzy) or old.tcomment
        if human:
            po.append(
                polib.POEntry(msgid=old.msgid, msgstr=old.msgstr, tcomment=old.tcomment, flags=list(old.flags), obsolete=True)
            )


def _fill(po_entry: polib.POEntry, entry: MemoryEntry) -> None:
    if entry.status == "approved" and entry.final_text is not None:
        po_entry.msgstr = entry.final_text
        po_entry.flags = []
    elif entry.status == "draft" and entry.final_text is not None:
        po_entry.msgstr = entry.final_text
        po_entry.flags = [FUZZY]
    elif entry.machine_text:
        po_entry.msgstr = entry.machine_text
        po_entry.flags = [FUZZY]


def content_dates(entries: Iterable[MemoryEntry]) -> tuple[str, str] | None:
    """(POT-Creation-Date, PO-Revision-Date) as functions of the file's content: when its newest sentence was
    first translated, and when any of its sentences last changed (a draft, a decision), from the memory's
    own times. Two clones holding the same decisions write the same dates, so the dates never make two
    branches' PO files differ (or conflict in a merge) for the same content; None without any entry."""
    created = [e.created for e in entries if e.created]
    updated = [e.updated for e in entries if e.updated]
    if not created or not updated:
        return None
    return _po_time(max(created)), _po_time(max(updated))


def _po_time(stamp: str) -> str:
    """'2026-11-22T03:31:16Z' (the memory's UTC times) -> gettext's '2026-11-22 03:31+0000'."""
    try:
        return po_date(datetime.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC))
    except ValueError:
        return po_date()


def header_metadata(
    text: SourceText, language: str, existing: polib.POFile | None, entries: Iterable[MemoryEntry] = ()
) -> dict[str, str]:
    """The PO header; its dates are functions of the content (`content_dates`), else the existing file's."""
    old = existing.metadata if existing is not None else {}
    now = po_date()
    dates = content_dates(entries)
    created, revised = dates if dates is not None else (old.get("POT-Creation-Date", now), old.get("PO-Revision-Date", now))
    return {
        "Project-Id-Version": f"translate {text.stem}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": created,
        "PO-Revision-Date": revised,
        "Last-Translator": "",
        "Language-Team": languages.name_or_code(language),
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": languages.plural_forms(language),
        "X-Generator": f"translate {__version__}",
        "X-Source-Language": text.document.language,
        "X-Source-File": text.path.name,
        "X-Source-Hash": source_digest(text.document),
    }


def move_aside(path: Path) -> Path:
    """Rename an unreadable PO file to <name>.broken (or .broken-2...), never to be overwritten."""
    target = path.with_name(path.name + ".broken")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.broken-{number}")
    path.rename(target)
    return target


@dataclass(frozen=True)
class PoWrite:
    """What `export_po` did to one PO file: whether its bytes changed, whether it was left as it is
    for reviewer edits not imported yet, and a warning line for each (and for a broken file moved aside)."""

    changed: bool
    kept: bool = False
    warnings: tuple[str, ...] = ()


def export_po(path: Path, unit: TextInLanguage) -> PoWrite:
    """Write outputs/<lang>/<text>.po for review; say whether the file changed.

    An existing file with human changes not imported yet is left as it is
    (import it with `translate review import` first; `kept`, with a warning saying
    so). A file that cannot be read is never overwritten: it is moved aside to
    <name>.po.broken, with a warning naming it, and a fresh file is written.
    """
    path = Path(path)
    warnings: tuple[str, ...] = ()
    existing = None
    if path.exists():
        on_disk, data, error = None, None, None
        try:
            data = read_po_bytes(path)  # a named pipe there is refused, never waited on
            on_disk = data.decode("utf-8")
            existing = parse_po(data)
        except (InputFileError, OSError, ValueError, UnicodeDecodeError, LookupError) as err:
            error = " ".join(str(err).split())[:200]
        if existing is not None and render_po(build_po(unit, existing)) == on_disk:
            return PoWrite(changed=False)  # the file is what we would write: nothing to check, nothing to do
        # The file is about to change: believe it only if gettext can read it (polib reads some broken files).
        error = error or msgfmt_errors(path, data)
        if error is not None:
            kept_as = move_aside(path)
            warnings = (
                f"{path.name} could not be read ({error}); it was kept as {kept_as.name} and a new "
                f"file written: fix it, rename it back and `translate review import` it",
            )
            existing = None
        elif existing is not None and unimported_changes(existing, unit.memory, unit.source, unit.language):
            warning = f"{path.name}: has reviewer edits not imported yet, left as it is; run `translate review import` first"
            return PoWrite(changed=False, kept=True, warnings=(warning,))
    po = build_po(unit, existing)
    return PoWrite(atomic_write_text(path, render_po(po)), warnings=warnings)
