"""A translated document as the handout template's items: blocks and inline markup.

The handout shows the structure of the source (headings, block quotes, the
dialogue, numbered lists, note markers) with the translated text in it, so the
translation is laid out along the source's blocks: each block gets the
translation of its sentences, without the Markdown marks around them. Inline
Markdown (emphasis, strong, links, inline code) is rendered by markdown-it-py,
CommonMark's reference rules, with raw HTML escaped and unsafe link targets
(javascript:, data:) refused; a plain-text source gets no Markdown reading.

No soft hyphens: Chromium keeps U+00AD in the PDF's text, so a hyphenated word
could not be found or copied (`pdftotext | grep cualquier` found nothing in
1,899 of them). The Debian Chromium here has no hyphenation dictionaries
(`hyphens: auto` breaks no word offline, measured), so paragraphs are set
ragged-right without hyphenation: every word is whole in the PDF's text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from functools import cache

from markupsafe import Markup, escape

from translate.languages import is_unspaced
from translate.segment import Block, Document, Segment

_NOTE_MARK = re.compile(r"[ \t\u00a0]*\[(\d{1,3})\]")
_QUOTE_MARK = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)
_LIST_NUMBER = re.compile(r"\d+")
_CJK = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[ \t\n]+(?=[{_CJK}])")

DOUBT_START, DOUBT_END = "\ue000", "\ue001"
"""Private-use characters around a sentence to mark in the margin; `inline_html` makes them a span."""
QUOTED_START, QUOTED_END = "\ue002", "\ue003"
"""The same around a published translation of a quotation (glossary [[quotation]])."""


def translated_blocks(doc: Document, translations: Mapping[int, str]) -> Iterator[tuple[Block, str]]:
    """Each block with its translated text (prefix removed, surrounding blank lines dropped).

    Fixed pieces may straddle blocks ('[3]\\n\\n' ends one, '\\n  2. ' starts the
    next), so pieces are placed by their offset in the source, and a fixed piece
    is cut where the next block's first line starts.
    """
    source = doc.source()
    line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
    starts = [line_starts[block.line - 1] for block in doc.blocks]
    parts: list[list[str]] = [[] for _ in doc.blocks]
    pos = 0
    for piece in doc.pieces:
        if isinstance(piece, Segment):
            parts[piece.block].append(translations.get(piece.index, piece.text))
            pos += len(piece.text)
            continue
        end = pos + len(piece)
        cut, k = pos, bisect_right(starts, pos) - 1
        while cut < end:
            stop = min(end, starts[k + 1]) if k + 1 < len(starts) else end
            if k >= 0:
                parts[k].append(source[cut:stop])
            cut, k = stop, k + 1
        pos = end
    for block, pieces in zip(doc.blocks, parts, strict=True):
        text = "".join(pieces)
        if block.prefix and text.startswith(block.prefix):
            text = text[len(block.prefix) :]
        if block.kind == "quote" and doc.format == "md":
            text = _QUOTE_MARK.sub("", text)
        yield block, text.strip()


def inline_html(text: str, markdown: bool = True) -> Markup:
    """Escaped text with its inline Markdown as HTML (when `markdown`) and note markers [4] as superscripts."""
    text = re.sub(r"\s*\n\s*", " ", text)
    out = _markdown().renderInline(text) if markdown else str(escape(text))
    out = _NOTE_MARK.sub(r'<sup class="note">\1</sup>', out)
    out = out.replace(DOUBT_START, '<span class="doubt">').replace(DOUBT_END, "</span>")
    out = out.replace(QUOTED_START, '<span class="quoted">').replace(QUOTED_END, "</span>")
    return Markup(out)


@cache
def _markdown():
    from markdown_it import MarkdownIt  # the Markdown parser: only when a handout is rendered

    return MarkdownIt("commonmark", {"html": False}).disable(["image"])


def body_items(
    doc: Document, translations: Mapping[int, str], language: str, speakers: Mapping[str, str] | None = None
) -> tuple[Markup | None, list]:
    """The translated title (first block, if a heading) and the template's items.

    Consecutive list items become one list, keeping the source's numbers. In
    Chinese and Japanese the spaces the source had between sentences are dropped.
    """
    title: Markup | None = None
    items: list[dict] = []
    unspaced = is_unspaced(language)
    markdown = doc.format == "md"
    for n, (block, text) in enumerate(translated_blocks(doc, translations)):
        if block.kind in ("code", "rule"):  # structure, never translated: shown as the source has it
            items.append({"kind": block.kind, "text": _code_text(block.text)})
            continue
        if not text and block.kind != "list_item":
            continue
        if unspaced:
            text = _CJK_GAP.sub("", text)
        content = inline_html(text, markdown)
        if block.kind == "heading":
            level = block.prefix.count("#") or 1
            if n == 0 and title is None:
                title = inline_html(text, markdown)
                continue
            items.append({"kind": "heading", "level": min(max(level, 2), 6), "html": inline_html(text, markdown)})
        elif block.kind == "list_item":
            number = _LIST_NUMBER.search(block.prefix)
            tag = "ol" if number else "ul"
            entry = {"number": int(number.group()) if number else None, "html": content}
            if items and items[-1]["kind"] == "list" and items[-1]["tag"] == tag:
                items[-1]["entries"].append(entry)
            else:
                items.append({"kind": "list", "tag": tag, "entries": [entry]})
        elif block.kind == "dialogue":  # the label as the language writes it ("Staline\u00a0:"), else the source's
            written = (speakers or {}).get(block.prefix.strip(), block.prefix.strip())
            speaker = written.rstrip(":\u00a0\u202f ").strip()
            items.append({"kind": "dialogue", "speaker": speaker, "colon": written[len(speaker) :] or ":", "html": content})
        else:
            items.append({"kind": block.kind, "html": content})
    return title, items


_FENCE = re.compile(r"^[ \t]*(```+|~~~+)[^\n]*\n?|\n?[ \t]*(```+|~~~+)[ \t]*\n*$")


def _code_text(source: str) -> str:
    """A code block's text without its fences (indented code keeps its indentation, less four spaces)."""
    text = source.rstrip("\n")
    if text.lstrip().startswith(("```", "~~~")):
        return _FENCE.sub("", text)
    return "\n".join(line[4:] if line.startswith("    ") else line.lstrip("\t") for line in text.split("\n"))


_ISOLATES = re.compile("[\u2066-\u2069]")


def isolated(text: str) -> str:
    """User text as a bidi isolate (FSI ... PDI) for plain-text places where <bdi> cannot go (page footer, <title>).

    Whatever direction marks or overrides the text holds (a U+202E in a title)
    then end with it, instead of reversing the review status printed after it.
    Isolate marks inside are dropped first, so that none can close the isolate early.
    """
    return "\u2068" + _ISOLATES.sub("", text) + "\u2069"
