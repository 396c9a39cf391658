"""Segmentation: a source file becomes blocks and sentences, and back again.

A `Document` is a flat list of pieces: fixed strings (blank lines, list numbers,
heading marks, speaker names, note markers, spaces between sentences) and
`Segment`s, the sentences an engine translates. Joining the pieces gives the
source file byte for byte; joining them with translated segments gives the
translation with every bit of structure where the source had it.

Blocks of a Markdown text are found by markdown-it-py (translate/markdown.py:
CommonMark's own rules, so code blocks, raw HTML and rules are never sent to an
engine), those of a plain text by line rules (headings, quotations, lists and
dialogue as the essays write them). Sentences are split with sentencex
(Wikimedia's rule-based splitter for many languages, no downloads at run time).
The segmenter's version stays "translate-seg-1": on the essays the parser cuts
exactly the sentences the line rules cut (tests/test_segment.py), so no stored
translation goes stale; a text whose sentences change gets new sentence hashes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from translate.languages import is_unspaced
from translate.markdown import markdown_blocks, split_lines
from translate.plaintext import QUOTE, SPEAKER, BlockContext, classify, group_lines

SEGMENTER_VERSION = "translate-seg-1"

BlockKind = Literal["heading", "paragraph", "list_item", "quote", "dialogue", "code", "rule"]
TextFormat = Literal["md", "txt"]

_SPEAKER_AT_END = re.compile(r"(^|\n|>\s?|[*_]+)((?:[A-Z][\w’'.-]*)(?: [A-Z][\w’'.-]*){0,2}:)([ \t]+)$")
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

    def render(
        self, translations: Mapping[int, str], language: str | None = None, label: Callable[[str], str] | None = None
    ) -> str:
        """The document with each segment replaced by translations[segment.index].

        Segments missing from the mapping keep their source text, so a partial
        translation is still a whole document. Between two sentences of a block,
        Chinese or Japanese sources have no space and spaced languages need one
        (and the other way round), so the gap follows the target `language`.
        `label`, when given, writes a dialogue's speaker label in the target
        language ("Stalin: " → "Staline\u00a0: ").
        """
        gap = _sentence_gap(self.language, language)
        out: list[str] = []
        previous_was_segment = False
        for n, piece in enumerate(self.pieces):
            if isinstance(piece, str):
                if gap is not None and previous_was_segment and not piece.strip(" \t\u3000") and "\n" not in piece:
                    piece = gap
                following = self.pieces[n + 1] if n + 1 < len(self.pieces) else None
                if label is not None and isinstance(following, Segment) and following.kind == "dialogue":
                    piece = _SPEAKER_AT_END.sub(lambda m: m.group(1) + label(m.group(2)) + m.group(3), piece)
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
    if fmt == "md":
        doc = _parse_markdown(text, name, language)
        if doc is not None:
            return doc
    doc = Document(name=name, format=fmt, language=language)
    builder = _Builder(doc)
    lines = text.splitlines(keepends=True)
    groups = group_lines(lines)
    context = BlockContext(groups)
    blank_run_before = 0
    for n, (start, group) in enumerate(groups):
        if group is None:
            builder.fixed("".join(lines[start[0] : start[1]]))
            blank_run_before = start[1] - start[0]
            continue
        kind, prefix = classify(group, fmt, n, context, blank_run_before)
        builder.block(kind, start[0] + 1, prefix, "".join(group), fmt)
        blank_run_before = 0
    builder.finish()
    return doc


def _parse_markdown(text: str, name: str, language: str) -> Document | None:
    """A Markdown text cut along markdown-it-py's blocks; None when they cannot be laid on its lines."""
    lines = split_lines(text)
    blocks = markdown_blocks(text, lines)
    if blocks is None:
        return None
    doc = Document(name=name, format="md", language=language)
    builder = _Builder(doc)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    blocks = _dialogue_turns(blocks, text, starts)
    text_blocks = [b for b in blocks if b.text]
    speaker = {id(b): b.kind == "paragraph" and bool(SPEAKER.match(_at(text, starts, b.text[0]))) for b in text_blocks}
    neighbours = {
        id(b): [speaker[id(o)] for o in text_blocks[max(i - 1, 0) : i + 2] if o is not b] for i, b in enumerate(text_blocks)
    }
    cursor = 0
    for block in blocks:
        begin = starts[block.first]
        builder.fixed(text[cursor:begin])
        if not block.text:  # code, raw HTML, a rule: structure, shown as it is
            end = starts[min(block.last, len(lines))]
            doc.blocks.append(Block(kind=block.kind, line=block.first + 1, prefix="", text=text[begin:end]))
            builder.fixed(text[begin:end])
            cursor = end
            continue
        a = starts[block.text[0].line] + block.text[0].start
        z = starts[block.text[-1].line] + block.text[-1].end
        kind: BlockKind = block.kind
        if speaker[id(block)] and any(neighbours[id(block)]):
            kind = "dialogue"
            named = SPEAKER.match(text[a:z])
            a += len(named.group(1)) if named else 0
        end = starts[min(block.last, len(lines))]
        doc.blocks.append(Block(kind=kind, line=block.first + 1, prefix=text[begin:a], text=text[a:end]))
        builder.fixed(text[begin:a])
        if kind == "quote":  # each quoted line keeps its own '>' mark: sentences stay within a line
            previous = a
            for part in block.text:
                start, stop = starts[part.line] + part.start, starts[part.line] + part.end
                builder.fixed(text[previous:start])
                builder.sentences(text[max(start, a) : stop], kind, part.line + 1)
                previous = stop
        else:
            builder.sentences(text[a:z], kind, block.text[0].line + 1)
        cursor = z
    builder.fixed(text[cursor:])
    builder.finish()
    return doc


def _dialogue_turns(blocks: list, text: str, starts: list[int]) -> list:
    """A paragraph whose lines open with speakers' names ("Stalin: ...", "Ludwig: ...") is a dialogue:
    one block per turn, as the line rules read a plain text (CommonMark joins the lines)."""
    out = []
    for block in blocks:
        turns = [k for k, part in enumerate(block.text) if SPEAKER.match(_at(text, starts, part))]
        if block.kind != "paragraph" or len(turns) < 2 or turns[0] != 0:
            out.append(block)
            continue
        for n, k in enumerate(turns):
            end = turns[n + 1] if n + 1 < len(turns) else len(block.text)
            parts = block.text[k:end]
            last = parts[-1].line + 1 if n + 1 < len(turns) else block.last
            out.append(replace(block, first=parts[0].line, last=last, text=parts))
    return out


def _at(text: str, starts: list[int], part) -> str:
    return text[starts[part.line] + part.start : starts[part.line] + part.end]


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
                    mark = QUOTE.match(part)
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
    """Sentences of one block, also cut after a note marker that ends a sentence.

    sentencex itself falls back to its generic rules for a language it has none
    for ('xx', 'ast', '' are cut as English is), so nothing here can fail on a code.
    """
    from sentencex import segment as split_sentences  # only when a text is parsed: a run with nothing to do parses none

    sentences = list(split_sentences(language.split("_")[0], text))
    out: list[str] = []
    for sentence in sentences:
        cut = 0
        for match in _AFTER_NOTE.finditer(sentence):
            out.append(sentence[cut : match.end()])
            cut = match.end()
        out.append(sentence[cut:])
    return out
