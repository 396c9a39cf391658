"""format=html: the text between tags is translated, every byte of markup is kept.

The standard library's HTMLParser reads the text (it is the tokenizer of the
HTML standard's shape, tolerant of broken markup); each event is located by
its position in the source, so tags, attributes, comments and entities in
attributes come back exactly as sent, and only text nodes are handed on,
unescaped ('AT&amp;T' becomes 'AT&T'), to be split into sentences. A
translated text node is escaped again (&, <, >). Text stays untranslated
inside script, style, pre, code, kbd, samp and var, inside an element marked
translate="no" or class="notranslate", and inside Mastodon's mention and
hashtag links (a person's handle is not a word to translate).

For an engine that carries inline markup (Apertium), `runs` groups the text
between block-level tags (a paragraph, a list item, a heading) into one `Run`:
its inline tags become tokens (translate/markup.py) that travel with their
words, so a sentence cut by inline markup is translated whole ("The <b>surplus
value</b>" → "La <b>plusvalía</b>", the article agreeing across the tag), and
every tag and attribute comes back byte for byte. For other engines a sentence
cut by inline markup is translated in pieces, one per text node (`split`):
tags are never moved or dropped, at some cost to those sentences.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from translate.markup import Protected, html_tokens

KEEP_TEXT_ELEMENTS = {"script", "style", "pre", "code", "kbd", "samp", "var", "textarea", "template"}
KEEP_TEXT_CLASSES = {"notranslate", "mention", "hashtag"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}


@dataclass(frozen=True)
class TextNode:
    raw: str  # as in the source, entities and all
    text: str  # what a reader sees: entities resolved


Piece = str | TextNode


def _keeps_text(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    if tag in KEEP_TEXT_ELEMENTS:
        return True
    for name, value in attrs:
        if name == "translate" and (value or "").strip().lower() == "no":
            return True
        if name == "class" and KEEP_TEXT_CLASSES & set((value or "").split()):
            return True
    return False


class _Splitter(HTMLParser):
    """Records where each token starts and whether it is translatable text."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0]
        self.line_starts += [i + 1 for i, c in enumerate(source) if c == "\n"]
        self.events: list[tuple[int, bool]] = []
        self.kept: list[str] = []  # open elements inside one whose text stays as is

    def _mark(self, translatable: bool) -> None:
        line, column = self.getpos()
        self.events.append((self.line_starts[line - 1] + column, translatable))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._mark(False)
        if tag not in VOID_ELEMENTS and (self.kept or _keeps_text(tag, attrs)):
            self.kept.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._mark(False)

    def handle_endtag(self, tag: str) -> None:
        self._mark(False)
        if tag in self.kept:
            while self.kept.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self._mark(not self.kept and self.cdata_elem is None)

    def handle_comment(self, data: str) -> None:
        self._mark(False)

    def handle_decl(self, decl: str) -> None:
        self._mark(False)

    def handle_pi(self, data: str) -> None:
        self._mark(False)

    def unknown_decl(self, data: str) -> None:
        self._mark(False)


def split(source: str) -> list[Piece]:
    """Markup (kept as is) and text nodes (to translate), in order; joined raw they are the source."""
    parser = _Splitter(source)
    parser.feed(source)
    parser.close()
    events = sorted(set(parser.events))
    pieces: list[Piece] = []
    for n, (start, translatable) in enumerate(events):
        end = events[n + 1][0] if n + 1 < len(events) else len(source)
        raw = source[start:end]
        if not raw:
            continue
        previous = pieces[-1] if pieces else None
        if translatable and isinstance(previous, TextNode):
            pieces[-1] = TextNode(previous.raw + raw, "")
        elif not translatable and isinstance(previous, str):
            pieces[-1] = previous + raw
        else:
            pieces.append(TextNode(raw, "") if translatable else raw)
    pieces = [TextNode(p.raw, html.unescape(p.raw)) if isinstance(p, TextNode) else p for p in pieces]
    if "".join(p.raw if isinstance(p, TextNode) else p for p in pieces) != source:
        return [source]  # never expected; rather send markup back untouched than break it
    return pieces


def join(pieces: Sequence[Piece | Run], translate: Callable[[int], str | None]) -> str:
    """The markup with each text node (by its index in `pieces`) replaced by its translation
    (None: keep the node as sent)."""
    out = []
    for n, piece in enumerate(pieces):
        if isinstance(piece, str):
            out.append(piece)
            continue
        translated = translate(n)
        out.append(piece.raw if translated is None else html.escape(translated, quote=False))
    return "".join(out)


def visible_text(pieces: Sequence[Piece | Run]) -> str:
    """The text a reader sees (for language detection)."""
    return " ".join(p.text for p in pieces if isinstance(p, TextNode))


BLOCK_ELEMENTS = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head",
    "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "title", "tr", "ul", "script", "style", "template", "textarea",
}  # fmt: skip
_ANY_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)\b[^<>]*>")


@dataclass(frozen=True)
class Run:
    """The text between two block-level tags, with its inline tags as tokens (`protected`), and its source."""

    raw: str
    protected: Protected


def _inline(markup_piece: str) -> bool:
    """Whether a piece of markup is only inline tags (and inline elements kept whole: <code>...</code>)."""
    names = [m.group(1).lower() for m in _ANY_TAG.finditer(markup_piece)]
    return bool(names) and not set(names) & BLOCK_ELEMENTS and "<!" not in markup_piece and "<?" not in markup_piece


def runs(source: str) -> list[str | Run]:
    """Block-level markup (kept as is) and runs of inline text, in order; joined raw they are the source."""
    out: list[str | Run] = []
    group: list[Piece] = []

    def flush() -> None:
        if not group:
            return
        raw = "".join(p.raw if isinstance(p, TextNode) else p for p in group)
        if any(isinstance(p, TextNode) and p.text.strip() for p in group):
            protected = Protected("", escape=lambda text: html.escape(text, quote=False))
            protected.text = html_tokens(raw, protected, html.unescape)
            out.append(Run(raw, protected))
        else:
            out.append(raw)
        group.clear()

    for piece in split(source):
        if isinstance(piece, TextNode) or _inline(piece):
            group.append(piece)
        else:
            flush()
            out.append(piece)
    flush()
    return out
