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
alone. Dates in the header only move when the content does, so a re-export with
nothing new rewrites no file.
"""


from __future__ import annotations

import difflib
import re
from pathlib import Path

import polib

from translate import __version__, languages
from translate.clock import po_date
from translate.config import Config
from translate.fileio import atomic_write_text
from translate.glossary.matching import matcher
from translate.glossary.model import Glossary
from translate.glossary.pinning import pinned_target
from translate.memory.notes import Notes
from translate.memory.records import MemoryEntry
from translate.memory.store import TranslationMemory
from translate.review.decisions import suggestion_for, unimported_changes
from translate.review.po_file import FUZZY, read_po, render_po, segment_id, source_digest
from translate.run.signature import Signature
from translate.segment import Block, Document, Segment, sentence_hash
from translate.texts import SourceText

SHORT_SENTENCE_WORDS = 8
"""Sentences shorter than this get their neighbour as context ('Yes.', 'He goes on:')."""
CONTEXT_CHARS = 160


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


def _one_line(text: str, limit: int = CONTEXT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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


def engine_comments(signature: str) -> list[str]:
    """Which engine drafted the sentence; the full signatures are in the header (X-Engine-Signatures)."""
    sig = Signature.parse(signature)
    return [f"engine: {sig.engine} {sig.engine_version}, {sig.route}, {sig.models}"]


# ---------------------------------------------------------------- building and writing


def build_po(
    text: SourceText,
    language: str,
    memory: TranslationMemory,
    config: Config,
    glossary: Glossary | None = None,
    existing: polib.POFile | None = None,
) -> polib.POFile:
    """The PO file of one text in one language, from the memory's current state."""
    document = text.document
    source = config.source_language
    stem = text.stem
    segments = document.segments
    entries = memory.lookup([s.text for s in segments], source, language)
    previous = memory.previous_sources(text.path.name)
    previous_texts = {row.source_text for row in memory.previous_layout(text.path.name)}
    old_entries = {e.msgctxt: e for e in existing} if existing is not None else {}

    po = polib.POFile(wrapwidth=78)
    po.header = (
        f"{languages.name_or_code(language)} translation of “{document.title}” ({text.path.name}).\n"
        "Machine drafts are marked fuzzy: correct a draft if needed, then remove the fuzzy\n"
        "flag to approve it. Comments starting with '#.' are context for you."
    )
    po.metadata = header_metadata(text, language, existing)
    signatures = sorted({e.signature for e in entries.values() if e.signature})
    if signatures:
        po.metadata["X-Engine-Signatures"] = " ; ".join(signatures)

    by_sentence: dict[str, polib.POEntry] = {}
    for segment in segments:
        reference = (text.path.name, str(segment.line))
        if segment.text in by_sentence:
            by_sentence[segment.text].occurrences.append(reference)
            continue
        ctxt = segment_id(stem, segment.source_hash)
        entry = entries.get(segment.text)
        po_entry = polib.POEntry(msgctxt=ctxt, msgid=segment.text, msgstr="", occurrences=[reference])
        comments = context_comments(document, segment)
        comments += glossary_comments(segment.text, glossary, source, language)
        old_po = old_entries.get(ctxt)
        if entry is not None:
            comments += notes_comments(entry.notes)
            if entry.status == "machine":
                comments += check_comments(entry.notes)
            _fill(po_entry, entry)
        if entry is None or entry.status == "machine":
            old_wording = previous.get(segment.source_hash) or (old_po.previous_msgid if old_po else None)
            if not _rewording(segment.text, old_wording, previous_texts):
                old_wording = None
            suggestion = suggestion_for(memory, old_wording, source, language)
            if suggestion is not None:
                po_entry.msgstr = suggestion
                po_entry.flags = [FUZZY]
                po_entry.previous_msgid = old_wording
                old_ctxt = segment_id(stem, sentence_hash(old_wording))
                po_entry.previous_msgctxt = old_ctxt
                comments.append("the source sentence changed: this is the reviewed translation of its old "
                                "wording")
                if old_po is None and old_ctxt in old_entries:
                    old_po = old_entries[old_ctxt]
        if entry is not None and entry.signature:
            comments += engine_comments(entry.signature)
        po_entry.comment = "\n".join(comments)
        if old_po is not None and old_po.tcomment:
            po_entry.tcomment = old_po.tcomment
        by_sentence[segment.text] = po_entry
        po.append(po_entry)
    _keep_obsolete(po, existing)
    return po


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
    current = {e.msgctxt for e in po}
    carried = {e.previous_msgctxt for e in po if e.previous_msgctxt}
    for old in existing:
        if old.msgctxt in current or old.msgctxt in carried or not old.msgid:
            continue
        human = old.obsolete or (old.msgstr and not old.fuzzy) or old.tcomment
        if human:
            po.append(
                polib.POEntry(
                    msgctxt=old.msgctxt,
                    msgid=old.msgid,
                    msgstr=old.msgstr,
                    tcomment=old.tcomment,
                    flags=list(old.flags),
                    obsolete=True,
                )
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


def header_metadata(text: SourceText, language: str, existing: polib.POFile | None) -> dict[str, str]:
    """The PO header; dates come from the existing file and are refreshed by `export_po` on change."""
    old = existing.metadata if existing is not None else {}
    now = po_date()
    return {
        "Project-Id-Version": f"translate {text.stem}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": old.get("POT-Creation-Date", now),
        "PO-Revision-Date": old.get("PO-Revision-Date", now),
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


def _msgids(po: polib.POFile) -> list[tuple[str, str]]:
    return [(e.msgctxt or "", e.msgid) for e in po]


def export_po(
    path: Path,
    text: SourceText,
    language: str,
    memory: TranslationMemory,
    config: Config,
    glossary: Glossary | None = None,
    warnings: list[str] | None = None,
) -> bool:
    """Write outputs/<lang>/<text>.po for review; return whether the file changed.

    An existing file with human changes not imported yet is left as it is
    (import it with `translate review import` first; a warning saying so is
    appended to `warnings`); its translator comments are carried over otherwise.
    """
    path = Path(path)
    existing = None
    if path.exists():
        try:
            existing = read_po(path)
        except (OSError, ValueError):
            existing = None  # not a PO file we can read: replaced by a good one
        if existing is not None and unimported_changes(existing, memory, config.source_language, language):
            if warnings is not None:
                warnings.append(f"{path.name}: has reviewer edits not imported yet; run `translate review import` first")
            return False
    po = build_po(text, language, memory, config, glossary, existing)
    rendered = render_po(po)
    if existing is not None and path.read_text(encoding="utf-8") == rendered:
        return False
    now = po_date()
    po.metadata["PO-Revision-Date"] = now
    if existing is None or _msgids(existing) != _msgids(po) or (
        existing.metadata.get("X-Source-Hash") != po.metadata["X-Source-Hash"]
    ):
        po.metadata["POT-Creation-Date"] = now
    return atomic_write_text(path, render_po(po))
