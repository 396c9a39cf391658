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
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polib

from translate import __version__, languages
from translate.fileio import atomic_write_text
from translate.memory import MemoryEntry, TranslationMemory
from translate.segment import Block, Document, Segment

if TYPE_CHECKING:
    from translate.config import Config
    from translate.pipeline import SourceText

FUZZY = "fuzzy"
DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
SHORT_SENTENCE_WORDS = 8
"""Sentences shorter than this get their neighbour as context ('Yes.', 'He goes on:')."""
CONTEXT_CHARS = 160


# ---------------------------------------------------------------- identities


def segment_id(stem: str, source_hash: str) -> str:
    """The msgctxt of a sentence: stable as long as the text's name and the sentence are."""
    return f"{stem}:{source_hash}"


def source_digest(document: Document) -> str:
    """sha256 of the whole source text, so an import can tell which version a PO was made for."""
    return hashlib.sha256(document.source().encode("utf-8")).hexdigest()


def plural_forms(language: str) -> str:
    """The Plural-Forms header from CLDR (through Babel), e.g. 'nplurals=2; plural=(n != 1);'."""
    from babel.messages.plurals import get_plural

    try:
        return str(get_plural(languages.normalize(language)))
    except Exception:  # a code CLDR does not know (hbs, zt): the common two-form rule
        return DEFAULT_PLURAL_FORMS


def _language_team(language: str) -> str:
    try:
        return languages.language_name(language)
    except Exception:
        return language


def po_date(moment: datetime | None = None) -> str:
    """Gettext's date format: '2024-05-01 09:30+0000'."""
    return (moment or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M+0000")


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


def glossary_comments(sentence: str, glossary: Any, source: str, target: str) -> list[str]:
    """'glossary: surplus value → plusvalía' for each glossary term in the sentence.

    Without a glossary there is simply nothing to say.
    """
    if glossary is None:
        return []
    from translate.glossary import matcher
    from translate.mask import pinned_target

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


def notes_comments(notes: dict[str, Any]) -> list[str]:
    """Glossary violations and the 'flagged' mark the pipeline stored with the machine draft."""
    lines = []
    for violation in notes.get("violations") or []:
        if isinstance(violation, dict):
            text = violation.get("message") or str(violation)
            concept, expected = violation.get("concept"), violation.get("expected")
            if concept:
                text = f"{concept}: {text}"
            if expected:
                text += f" (expected “{expected}”)"
        else:
            text = str(violation)
        lines.append(f"glossary violation: {_one_line(text)}")
    if notes.get("flagged"):
        lines.append("flagged: please check the glossary terms in this sentence")
    return lines


def engine_comments(signature: str) -> list[str]:
    """Which engine drafted the sentence; the full signatures are in the header (X-Engine-Signatures)."""
    from translate.signature import Signature

    sig = Signature.parse(signature)
    return [f"engine: {sig.engine} {sig.engine_version}, {sig.route}, {sig.models}"]


# ---------------------------------------------------------------- reading what a reviewer did


@dataclass(frozen=True)
class Action:
    """What a reviewer did to one PO entry: a decision status, or none ('' = pending / known)."""

    status: str  # 'approved' | 'edited' | 'draft' | ''
    text: str
    warning: str = ""


def reviewer_action(po_entry: polib.POEntry, entry: MemoryEntry, suggestion: str | None = None) -> Action:
    """Compare a PO entry with the memory entry's current state.

    Not fuzzy: approved ('approved' if the machine text was kept, else
    'edited'). Fuzzy with a changed text: a 'draft'. Anything the memory already
    holds (the machine text, the suggestion we offered, the recorded draft or
    approval) is no new decision, which makes re-importing a file a no-op.
    """
    text = po_entry.msgstr
    if not text.strip():
        return Action("", text)
    if FUZZY not in po_entry.flags:
        if entry.status == "approved" and entry.final_text == text:
            return Action("", text)
        return Action("approved" if text == entry.machine_text else "edited", text)
    earlier = entry.notes.get("earlier_machine", [])  # a PO exported before the engine changed
    if text in (entry.machine_text, suggestion, *earlier) or (entry.status != "machine" and text == entry.final_text):
        return Action("", text)
    if entry.status == "approved":
        return Action("", text, "a fuzzy edit of an approved translation is not applied; "
                                "remove the fuzzy flag to replace the approved text")
    return Action("draft", text)


def read_po(path: Path | str) -> polib.POFile:
    """Parse a PO file (polib raises OSError/ValueError with the line on bad syntax)."""
    return polib.pofile(str(path), wrapwidth=78)


def suggestion_for(
    memory: TranslationMemory, previous_msgid: str | None, source: str, target: str
) -> str | None:
    """The reviewed translation of a sentence's old wording, offered for the new one."""
    if not previous_msgid:
        return None
    old = memory.get(previous_msgid, source, target)
    if old is not None and old.status in ("approved", "draft") and old.final_text:
        return old.final_text
    return None


def unimported_changes(path: Path | polib.POFile, memory: TranslationMemory, source: str, target: str) -> int:
    """How many entries of an existing PO file hold a human decision the memory has not recorded."""
    if isinstance(path, polib.POFile):
        po = path
    else:
        try:
            po = read_po(path)
        except (OSError, ValueError):
            return 0
    known = memory.lookup([e.msgid for e in po if e.msgid], source, target)
    count = 0
    for po_entry in po:
        entry = known.get(po_entry.msgid)
        if entry is None:
            continue
        suggestion = suggestion_for(memory, po_entry.previous_msgid, source, target)
        if reviewer_action(po_entry, entry, suggestion).status:
            count += 1
    return count


# ---------------------------------------------------------------- building and writing


def build_po(
    text: SourceText,
    language: str,
    memory: TranslationMemory,
    config: Config,
    glossary: Any = None,
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
        f"{_language_team(language)} translation of “{document.title}” ({text.path.name}).\n"
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
                old_ctxt = segment_id(stem, _hash(old_wording))
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


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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
        "Language-Team": _language_team(language),
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(language),
        "X-Generator": f"translate {__version__}",
        "X-Source-Language": text.document.language,
        "X-Source-File": text.path.name,
        "X-Source-Hash": source_digest(text.document),
    }


def render_po(po: polib.POFile) -> str:
    rendered = str(po)
    return rendered if rendered.endswith("\n") else rendered + "\n"


def _msgids(po: polib.POFile) -> list[tuple[str, str]]:
    return [(e.msgctxt or "", e.msgid) for e in po]


def export_po(
    path: Path,
    text: SourceText,
    language: str,
    memory: TranslationMemory,
    config: Config,
    glossary: Any = None,
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
