"""Segmentation: a source file becomes blocks and sentences, and back again.

A `Document` is a flat list of pieces: fixed strings (blank lines, list numbers,
heading marks, speaker names, note markers, spaces between sentences) and
`Segment`s, the sentences an engine translates. Joining the pieces gives the
source file byte for byte; joining them with translated segments gives the
translation with every bit of structure where the source had it.

Sentences are split with sentencex (Wikimedia's rule-based splitter for many
languages, no downloads at run time), inside blocks found by line rules.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from translate.languages import is_unspaced

SEGMENTER_VERSION = "translate-seg-1"

BlockKind = Literal["heading", "paragraph", "list_item", "quote", "dialogue"]
TextFormat = Literal["md", "txt"]

_HEADING = re.compile(r"^(#{1,6}[ \t]+)")
_LIST_ITEM = re.compile(r"^([ \t]*(?:\d{1,3}[.)]|[-*+])[ \t]+)")
_QUOTE = re.compile(r"^([ \t]*>[ \t]?)")
_SPEAKER = re.compile(r"^((?:[A-Z][\w’'.-]*)(?: [A-Z][\w’'.-]*){0,2}:[ \t]+)(?=\S)")
_NOTE_TAIL = re.compile(r"\s*(?:\[\d{1,3}\])+$")
# A note marker after a sentence's end and before a new sentence: "it.” [2] He goes on"
_AFTER_NOTE = re.compile(r"[.!?…][\"”’»)]?\s?\[\d{1,3}\](?=\s+[A-ZÀ-ÖØ-Þ«“\"‘])")
_HAS_WORD = re.compile(r"\w")


def sentence_hash(text: str) -> str:
    """Stable id of a sentence's text: the translation memory's key and the PO msgctxt's tail."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Segment:
    """One translatable sentence and where it sits in its document."""

    text: str
    index: int  # ordinal among the document's segments
    block: int  # index of the block it belongs to
    kind: BlockKind
    line: int  # 1-based line of the source where it starts

    @property
    def source_hash(self) -> str:
        """Stable id of the sentence text (the translation memory key)."""
        return sentence_hash(self.text)


@dataclass(frozen=True)
class Block:
    """A structural unit: heading, paragraph, list item, quote or dialogue turn."""

    kind: BlockKind
    line: int
    prefix: str  # markup before the text: '# ', '  1. ', '> ', 'Stalin: '
    text: str  # the block without its prefix, as in the source


Piece = str | Segment


@dataclass
class Document:
    """A source text as pieces; `source()` is the file, `render()` a translation."""

    name: str
    format: TextFormat
    language: str
    pieces: list[Piece] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    _segments: list[Segment] = field(default_factory=list, init=False, repr=False, compare=False)
    _counted: int = field(default=-1, init=False, repr=False, compare=False)

    @property
    def segments(self) -> list[Segment]:
        """The translatable sentences, in order (cached; recomputed only if pieces were added since)."""
        if self._counted != len(self.pieces):
            self._segments = [p for p in self.pieces if isinstance(p, Segment)]
            self._counted = len(self.pieces)
        return self._segments

    def source(self) -> str:
        """The exact source text (the round-trip guarantee)."""
        return "".join(p if isinstance(p, str) else p.text for p in self.pieces)

    def layout(self) -> list[tuple[int, int, int, str, str]]:
        """Where each sentence sits: (index, block, position in block, hash, text), as the memory records it."""
        rows, position, block = [], 0, -1
        for segment in self.segments:
            position = position + 1 if segment.block == block else 0
            block = segment.block
            rows.append((segment.index, segment.block, position, segment.source_hash, segment.text))
        return rows

    def render(self, translations: Mapping[int, str], language: str | None = None) -> str:
        """The document with each segment replaced by translations[segment.index].

        Segments missing from the mapping keep their source text, so a partial
        translation is still a whole document. Between two sentences of a block,
        Chinese or Japanese sources have no space and spaced languages need one
        (and the other way round), so the gap follows the target `language`.
        """
        gap = _sentence_gap(self.language, language)
        out: list[str] = []
        previous_was_segment = False
        for piece in self.pieces:
            if isinstance(piece, str):
                if gap is not None and previous_was_segment and not piece.strip(" \t\u3000") and "\n" not in piece:
                    piece = gap
                out.append(piece)
                previous_was_segment = False
            else:
                if gap is not None and previous_was_segment:
                    out.append(gap)
                out.append(translations.get(piece.index, piece.text))
                previous_was_segment = True
        return "".join(out)

    @property
    def title(self) -> str:
        """The first heading's text, else the first block's, else the name."""
        for block in self.blocks:
            if block.kind == "heading":
                return block.text.strip()
        return self.blocks[0].text.strip() if self.blocks else self.name


def _sentence_gap(source: str, target: str | None) -> str | None:
    """The gap between sentences when source and target scripts space them differently."""
    if target is None:
        return None
    source_unspaced = is_unspaced(source)
    target_unspaced = is_unspaced(target)
    if source_unspaced == target_unspaced:
        return None
    return "" if target_unspaced else " "


MARKDOWN_SUFFIXES = (".md", ".markdown")


def detect_format(name: str) -> TextFormat:
    """Markdown for .md/.markdown files, plain text otherwise."""
    return "md" if name.lower().endswith(MARKDOWN_SUFFIXES) else "txt"


def parse(text: str, name: str = "-", language: str = "en", fmt: TextFormat | None = None) -> Document:
    """Split a text into blocks and sentences; `parse(t).source() == t` always.

    Linear in the text's size: every step looks at a line, a block or a sentence
    a bounded number of times (`make bench` prints the time for 0.25, 1 and 4 MB).
    """
    fmt = fmt or detect_format(name)
    doc = Document(name=name, format=fmt, language=language)
    builder = _Builder(doc)
    lines = text.splitlines(keepends=True)
    groups = _group_lines(lines)
    context = _BlockContext(groups)
    blank_run_before = 0
    for n, (start, group) in enumerate(groups):
        if group is None:
            builder.fixed("".join(lines[start[0] : start[1]]))
            blank_run_before = start[1] - start[0]
            continue
        kind, prefix = _classify(group, fmt, n, context, blank_run_before)
        builder.block(kind, start[0] + 1, prefix, "".join(group), fmt)
        blank_run_before = 0
    builder.finish()
    return doc


Group = tuple[tuple[int, int], list[str] | None]


def _group_lines(lines: list[str]) -> list[Group]:
    """Runs of blank lines (None) and of block lines; list items start new blocks."""
    groups: list[Group] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            groups.append(((i, j), None))
            i = j
            continue
        j = i + 1
        starts_item = bool(_LIST_ITEM.match(lines[i])) and not _is_rule(lines[i])
        first_is_heading = bool(_HEADING.match(lines[i]))
        first_is_quote = bool(_QUOTE.match(lines[i]))
        first_is_speaker = bool(_SPEAKER.match(lines[i]))
        while j < len(lines) and lines[j].strip():
            line = lines[j]
            if first_is_heading or _HEADING.match(line):
                break
            if _LIST_ITEM.match(line) and not _is_rule(line):
                break
            if _QUOTE.match(line) and not first_is_quote:
                break
            if not starts_item and first_is_speaker and _SPEAKER.match(line):
                break
            j += 1
        groups.append(((i, j), lines[i:j]))
        i = j
    return groups


def _is_rule(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= 3 and set(stripped) <= {"-", "*", "_", " "}


class _BlockContext:
    """What classifying a block needs from its neighbours, computed once for all groups.

    For each content group: the content group before it, and whether a content
    neighbour (before or after) starts with a speaker name. Looking these up per
    block instead of scanning all groups keeps parsing linear.
    """

    def __init__(self, groups: list[Group]) -> None:
        content = [n for n, (_, group) in enumerate(groups) if group is not None]
        speaker = {n: bool(_SPEAKER.match(groups[n][1][0])) for n in content}  # type: ignore[index]
        self.previous: dict[int, list[str] | None] = {}
        self.speaker_nearby: dict[int, bool] = {}
        for order, n in enumerate(content):
            before = content[order - 1] if order else None
            after = content[order + 1] if order + 1 < len(content) else None
            self.previous[n] = groups[before][1] if before is not None else None
            self.speaker_nearby[n] = any(speaker[k] for k in (before, after) if k is not None)


def _classify(
    group: list[str], fmt: TextFormat, n: int, context: _BlockContext, blank_run_before: int
) -> tuple[BlockKind, str]:
    first = group[0]
    if fmt == "md":
        if m := _HEADING.match(first):
            return "heading", m.group(1)
        if m := _QUOTE.match(first):
            return "quote", m.group(1)
    if (m := _LIST_ITEM.match(first)) and not _is_rule(first):
        return "list_item", m.group(1)
    if (m := _SPEAKER.match(first)) and context.speaker_nearby[n]:
        return "dialogue", m.group(1)
    if fmt == "txt":
        previous = context.previous[n]
        if previous is None and len(group) == 1 and not first.rstrip().endswith((".", "!", "?", ":")):
            return "heading", ""
        if previous and previous[-1].rstrip().endswith(":") and previous[0][:1] != " ":
            return "quote", ""
        if blank_run_before >= 2:
            return "quote", ""
    return "paragraph", ""


class _Builder:
    """Appends pieces to a document, merging adjacent fixed strings.

    Fixed strings wait in a list until the next segment (joining them once), and
    segments are counted as they come: both keep building linear.
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.pending: list[str] = []
        self.count = 0

    def fixed(self, text: str) -> None:
        if text:
            self.pending.append(text)

    def flush(self) -> None:
        if self.pending:
            self.doc.pieces.append("".join(self.pending))
            self.pending = []

    def finish(self) -> None:
        self.flush()

    def segment(self, text: str, kind: BlockKind, line: int) -> None:
        self.flush()
        block = len(self.doc.blocks) - 1
        self.doc.pieces.append(Segment(text=text, index=self.count, block=block, kind=kind, line=line))
        self.count += 1
    def block(self, kind: BlockKind, line: int, prefix: str, raw: str, fmt: TextFormat) -> None:
        body = raw[len(prefix) :]
        self.doc.blocks.append(Block(kind=kind, line=line, prefix=prefix, text=body))
        self.fixed(prefix)
        if kind == "quote" and fmt == "md":
            # Each quoted line keeps its own '>' mark; sentences stay within a line.
            for k, part in enumerate(body.splitlines(keepends=True)):
                if k:
                    mark = _QUOTE.match(part)
                    if mark:
                        self.fixed(mark.group(1))
                        part = part[mark.end() :]
                self.sentences(part, kind, line + k)
            return
        self.sentences(body, kind, line)

    def sentences(self, text: str, kind: BlockKind, line: int) -> None:
        """Split a block's text into fixed whitespace/markers and sentence segments."""
        cursor = 0
        newlines = 0  # newlines in text[:cursor], counted as the cursor moves (never from the start again)
        for sentence in _split(text, self.doc.language):
            core = sentence.strip()
            if not core:
                continue
            start = text.find(core, cursor)
            if start < 0:  # the splitter changed the text: keep the rest whole
                break
            self.fixed(text[cursor:start])
            newlines += text.count("\n", cursor, start)
            end = start + len(core)
            self.sentence(text[start:end], kind, line + newlines)
            newlines += text.count("\n", start, end)
            cursor = end
        rest = text[cursor:]
        if rest.strip():
            lead = len(rest) - len(rest.lstrip())
            self.fixed(rest[:lead])
            body = rest[lead:]
            trail = len(body) - len(body.rstrip())
            self.sentence(body[: len(body) - trail], kind, line + newlines + rest.count("\n", 0, lead))
            self.fixed(body[len(body) - trail :])
        else:
            self.fixed(rest)

    def sentence(self, text: str, kind: BlockKind, line: int) -> None:
        """One sentence: note markers at its end and word-less runs stay fixed."""
        tail = _NOTE_TAIL.search(text)
        core = text[: tail.start()].rstrip() if tail else text
        if core.strip() and _HAS_WORD.search(core):
            self.segment(core, kind, line)
            self.fixed(text[len(core) :])
        else:
            self.fixed(text)


def _split(text: str, language: str) -> list[str]:
    """Sentences of one block, also cut after a note marker that ends a sentence."""
    from sentencex import segment as split_sentences  # only when a text is parsed: a run with nothing to do parses none

    try:
        sentences = list(split_sentences(language.split("_")[0], text))
    except Exception:  # an unknown language code falls back to English rules
        sentences = list(split_sentences("en", text))
    out: list[str] = []
    for sentence in sentences:
        cut = 0
        for match in _AFTER_NOTE.finditer(sentence):
            out.append(sentence[cut : match.end()])
            cut = match.end()
        out.append(sentence[cut:])
    return out
