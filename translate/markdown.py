"""Markdown blocks by markdown-it-py: where a Markdown source's translatable text is, line by line.

The segmenter needs, for a Markdown text, the blocks a reader sees (headings,
paragraphs, block quotes, list items) and, on each of their lines, which
characters are text and which are structure: "> ", "  3. ", "# ", a setext
underline, the indentation of a list item's next line. markdown-it-py parses
CommonMark as the reference implementation does; its tokens give each block's
lines and its text with the structure removed, and this module finds that text
on each source line, so the segmenter can cut the source into fixed pieces and
sentences with every byte where it was (`parse(t).source() == t`).

Code (fenced or indented), raw HTML blocks and thematic breaks are structure:
their lines are never sent to an engine. Inline structure (links, inline code,
emphasis) stays inside the sentence it belongs to; the glossary layer protects
link targets and code from the engine (glossary/pinning.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

MarkdownKind = Literal["heading", "paragraph", "list_item", "quote", "code", "rule"]

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


@dataclass(frozen=True)
class LineText:
    """Where a block's text sits on one source line: line[start:end] is text, the rest structure."""

    line: int  # 0-based
    start: int
    end: int


@dataclass(frozen=True)
class MarkdownBlock:
    kind: MarkdownKind
    first: int  # 0-based first line
    last: int  # 0-based line after the block
    text: tuple[LineText, ...]  # the text on each line (empty for code, rules)


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split where CommonMark splits them (\\r\\n, \\r, \\n; nothing else)."""
    return _LINE.findall(text)


@cache
def _parser():
    from markdown_it import MarkdownIt  # the Markdown parser: only for Markdown sources

    return MarkdownIt("commonmark")


def markdown_blocks(text: str, lines: list[str]) -> list[MarkdownBlock] | None:
    """The blocks of a Markdown text in source order; None when the parse cannot be laid on the
    source line by line (the caller then falls back to its line rules)."""
    tokens = _parser().parse(text)
    blocks: list[MarkdownBlock] = []
    containers: list[str] = []
    for n, token in enumerate(tokens):
        if token.type in ("blockquote_open", "list_item_open"):
            containers.append(token.type)
        elif token.type in ("blockquote_close", "list_item_close"):
            containers.pop()
        elif token.type in ("fence", "code_block", "html_block", "hr") and token.map:
            blocks.append(MarkdownBlock("rule" if token.type == "hr" else "code", token.map[0], token.map[1], ()))
        elif token.type == "inline" and token.map:
            parent = tokens[n - 1].type if n else ""
            kind: MarkdownKind = (
                "heading"
                if parent == "heading_open"
                else (
                    "quote" if containers and containers[-1] == "blockquote_open" else "list_item" if containers else "paragraph"
                )
            )
            placed = _place(token.content, lines, token.map[0], token.map[1])
            if placed is None:
                return None
            blocks.append(MarkdownBlock(kind, token.map[0], token.map[1], placed))
    blocks.sort(key=lambda b: b.first)
    for before, after in zip(blocks, blocks[1:]):
        if after.first < before.last:  # nested blocks overlapping: not a layout this reading handles
            return None
    return blocks


def _place(content: str, lines: list[str], first: int, last: int) -> tuple[LineText, ...] | None:
    """Each line of a block's text found on its source line, left to right."""
    placed = []
    parts = content.split("\n")
    if len(parts) > last - first:
        return None
    for k, part in enumerate(parts):
        line = lines[first + k].rstrip("\r\n")
        if not part:
            continue
        start = line.rfind(part)  # the text ends its line (but for spaces or a heading's closing marks)
        if start < 0:
            return None
        placed.append(LineText(first + k, start, start + len(part)))
    return tuple(placed) if placed else None
