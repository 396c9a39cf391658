"""A translated document as the handout template's items: blocks, inline markup, hyphens.

The handout shows the structure of the source (headings, block quotes, the
dialogue, numbered lists, note markers) with the translated text in it, so the
translation is laid out along the source's blocks: each block gets the
translation of its sentences, without the Markdown marks around them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from functools import cache

from markupsafe import Markup, escape

from translate.languages import base_language, is_unspaced, normalize
from translate.segment import Block, Document, Segment

_NOTE_MARK = re.compile(r"[ \t\u00a0]*\[(\d{1,3})\]")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<!\*)\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)")
_QUOTE_MARK = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)
_LIST_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"\w{7,}")
_CJK = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[ \t\n]+(?=[{_CJK}])")

DOUBT_START, DOUBT_END = "\ue000", "\ue001"
"""Private-use characters around a sentence to mark in the margin; `inline_html` makes them a span."""


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


def inline_html(text: str, language: str = "en") -> Markup:
    """Escaped text with *emphasis*, **strong**, note markers [4] as superscripts, soft hyphens."""
    text = re.sub(r"\s*\n\s*", " ", text)
    out = str(escape(hyphenate(text, language)))
    out = _STRONG.sub(r"<strong>\1</strong>", out)
    out = _EMPHASIS.sub(r"<em>\1</em>", out)
    out = _NOTE_MARK.sub(r'<sup class="note">\1</sup>', out)
    out = out.replace(DOUBT_START, '<span class="doubt">').replace(DOUBT_END, "</span>")
    return Markup(out.replace("\u00ad", "&shy;"))


def hyphenate(text: str, language: str) -> str:
    """Insert soft hyphens into long words.

    Chromium only hyphenates with dictionaries it downloads at run time, which an
    offline machine never has, so hyphenation points come from Pyphen (the
    LibreOffice patterns); the browser breaks at them where a line needs it.
    """
    dictionary = _hyphenator(normalize(language))
    if dictionary is None:
        return text
    return _WORD.sub(lambda m: dictionary.inserted(m.group(0), hyphen="\u00ad"), text)


@cache
def _hyphenator(language: str):
    import pyphen  # loads hyphenation dictionaries: only when a handout is hyphenated

    code = pyphen.language_fallback(language) or pyphen.language_fallback(base_language(language))
    return pyphen.Pyphen(lang=code, left=2, right=3) if code else None


def body_items(
    doc: Document, translations: Mapping[int, str], language: str, *, hyphenate: bool = True
) -> tuple[Markup | None, list]:
    """The translated title (first block, if a heading) and the template's items.

    Consecutive list items become one list, keeping the source's numbers. In
    Chinese and Japanese the spaces the source had between sentences are dropped.
    """
    title: Markup | None = None
    items: list[dict] = []
    unspaced = is_unspaced(language)
    for n, (block, text) in enumerate(translated_blocks(doc, translations)):
        if not text and block.kind != "list_item":
            continue
        if unspaced:
            text = _CJK_GAP.sub("", text)
        content = inline_html(text, language if hyphenate else "zxx")
        if block.kind == "heading":
            level = block.prefix.count("#") or 1
            if n == 0 and title is None:
                title = inline_html(text, "zxx")
                continue
            items.append({"kind": "heading", "level": min(max(level, 2), 6), "html": inline_html(text, "zxx")})
        elif block.kind == "list_item":
            number = _LIST_NUMBER.search(block.prefix)
            tag = "ol" if number else "ul"
            entry = {"number": int(number.group()) if number else None, "html": content}
            if items and items[-1]["kind"] == "list" and items[-1]["tag"] == tag:
                items[-1]["entries"].append(entry)
            else:
                items.append({"kind": "list", "tag": tag, "entries": [entry]})
        elif block.kind == "dialogue":
            speaker = block.prefix.strip().rstrip(":").strip()
            items.append({"kind": "dialogue", "speaker": speaker, "html": content})
        else:
            items.append({"kind": block.kind, "html": content})
    return title, items
