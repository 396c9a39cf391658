"""Inline markup as opaque tokens: what an engine must neither translate nor move apart from its words.

A sentence of a Markdown text may hold inline code (`make setup`), a link or
an image whose target is a URL, an autolink (<https://…>), an e-mail address,
an inline HTML tag; a plain text may hold a bare URL or e-mail address; an HTML
fragment sent to the API holds tags and attributes. An engine given these as
text translates them ("Marca `corrida setup`", "https://example.org/the-fábrica
virtual", "workers@example.¿org") and moves words across them. So before the
engine each is replaced by a character of Unicode's private use area, which
no engine sees as a word:

- an opaque token (code, a URL, an address, a lone tag) by one character
  (U+E000 + its number): Apertium gets it as a superblank, which it keeps
  where it was between the words and never translates; the original is put
  back byte for byte after;
- formatting around words (a link's text, <b>…</b>, *emphasis*, an image's alt text) by a
  pair of characters around them (U+E400 + n before, U+E800 + n after): Apertium
  gets them as wordbound blanks, which travel with the words they are attached
  to when the engine reorders them ("the <i>old</i> modes" → "los modos
  <i>viejos</i>"), so the words inside are translated in their sentence
  ("The <b>surplus value</b>" → "La <b>plusvalía</b>": the article agrees).

A glossary term cut by formatting ("the <b>surplus</b> value") is one word to
the engine: the formatting is widened to the whole term, so the term is still
pinned. `Protected.restore` puts every original back: the engine's copies of
one formatting around neighbouring words ("<b>la</b> <b>plusvalía</b>") become
one, a formatting the engine dropped keeps its markup, empty, where its words
were (a link target is never lost).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

OPAQUE = 0xE000
OPEN = 0xE400
CLOSE = 0xE800
LIMIT = 0x400  # tokens of each kind in one text
MARKERS = re.compile("[\ue000-\uebff]")

_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)>")
_LINK = re.compile(
    r"(!?)\[((?:[^\[\]`]|`[^`]*`)*)\]"  # [text] or ![alt]
    r"(\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)|\[[^\]]*\])"  # (target "title") or [ref]
)
_EMPHASIS = re.compile(
    r"(?<![*\\])(\*\*|\*)(?![\s*])(.+?)(?<![\s*\\])\1(?!\*)"  # * may sit inside a word (这是*资本论*里)
    r"|(?<![\w\\])(__|_)(?![\s_])(.+?)(?<![\s_\\])\3(?!\w)",  # _ never does (snake_case)
    re.DOTALL,
)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s+[^<>]*?)?\s*(/?)>")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?'»”’)\]]")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?<![.])")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_KEEP_CONTENT = {"code", "kbd", "samp", "var", "script", "style", "pre", "textarea", "template", "math", "svg"}


def has_markers(text: str) -> bool:
    return bool(MARKERS.search(text))


def strip_markers(text: str) -> str:
    """The text an engine's words are in, without the tokens (for judging a translation's grammar)."""
    return re.sub(r"\s{2,}", " ", MARKERS.sub("", text)).strip()


@dataclass
class Protected:
    """A text with its markup replaced by private-use characters, and what each stands for.

    `opaque[n]` is the original of U+E000+n; `spans[n]` the (opening, closing) markup of the
    formatting whose words sit between U+E400+n and U+E800+n. `escape` is applied to the words
    when the markup is put back (HTML escapes them; Markdown does not)."""

    text: str
    opaque: list[str] = field(default_factory=list)
    spans: list[tuple[str, str]] = field(default_factory=list)
    escape: Callable[[str], str] = field(default=lambda text: text, repr=False)

    def opaque_token(self, original: str) -> str:
        if len(self.opaque) >= LIMIT:
            raise ValueError("too many inline tokens in one text")
        self.opaque.append(original)
        return chr(OPAQUE + len(self.opaque) - 1)

    def span(self, opening: str, closing: str) -> tuple[str, str]:
        if len(self.spans) >= LIMIT:
            raise ValueError("too much inline formatting in one text")
        self.spans.append((opening, closing))
        n = len(self.spans) - 1
        return chr(OPEN + n), chr(CLOSE + n)

    @property
    def plain(self) -> bool:
        return not self.opaque and not self.spans

    def lost(self, seen_opaque: set[int], seen_spans: set[int]) -> list[str]:
        """The markup of the tokens not seen, as `restore` puts it back at the end."""
        lost = [self.opaque[n] for n in range(len(self.opaque)) if n not in seen_opaque]
        spans = [self.spans[n][0] + self.spans[n][1] for n in range(len(self.spans)) if n not in seen_spans]
        return lost + [s for s in spans if s]  # a span emptied by `fence_terms` went out as opaque tokens

    def lost_in(self, translated: str) -> list[str]:
        """The markup a translation lost (put back at its end by `restore`): what a reviewer should place."""
        codes = {ord(c) for c in MARKERS.findall(translated)}
        return self.lost(
            {n for n in range(len(self.opaque)) if OPAQUE + n in codes}, {n for n in range(len(self.spans)) if OPEN + n in codes}
        )

    def restore(self, translated: str) -> str:
        """The translation with every token's original back (see the module's docstring)."""
        if self.plain:
            return self.escape(translated)
        text = _merge_spans(translated)
        out: list[str] = []
        seen_opaque: set[int] = set()
        seen_spans: set[int] = set()
        for piece in re.split("([\ue000-\uebff])", text):
            if not piece:
                continue
            code = ord(piece) if len(piece) == 1 else 0
            if OPAQUE <= code < OPEN and code - OPAQUE < len(self.opaque):
                seen_opaque.add(code - OPAQUE)
                out.append(self.opaque[code - OPAQUE])
            elif OPEN <= code < CLOSE and code - OPEN < len(self.spans):
                seen_spans.add(code - OPEN)
                out.append(self.spans[code - OPEN][0])
            elif CLOSE <= code < CLOSE + LIMIT and code - CLOSE < len(self.spans):
                out.append(self.spans[code - CLOSE][1])
            elif MARKERS.fullmatch(piece):
                continue  # a marker of no token: never expected
            else:
                out.append(self.escape(piece))
        # tokens the engine dropped: kept, at the end, so no link target or code is ever lost
        lost = self.lost(seen_opaque, seen_spans)
        if lost:
            trail = len(out[-1]) - len(out[-1].rstrip(" .!?…:;»”\"'")) if out else 0
            tail = out[-1][len(out[-1]) - trail :] if trail else ""
            if trail:
                out[-1] = out[-1][: len(out[-1]) - trail]
            out.append(" " + " ".join(lost) + tail)
        return "".join(out)


_ADJACENT = re.compile("([\ue800-\uebff])(\\s*)([\ue400-\ue7ff])")
_UNTRANSLATED = re.compile(r"""translate\s*=\s*["']?no\b|class\s*=\s*["'][^"']*\b(?:notranslate|mention|hashtag)\b""", re.I)


def _merge_spans(text: str) -> str:
    """One formatting the engine copied around neighbouring words, joined: 'O la C O plusvalía C' → 'O la plusvalía C';
    an opening or closing marker left alone gets its partner around its word."""
    previous = None
    while previous != text:
        previous = text
        text = _ADJACENT.sub(lambda m: m.group(2) if ord(m.group(3)) - OPEN == ord(m.group(1)) - CLOSE else m.group(), text)
    return text


def protect(text: str, fmt: str) -> Protected:
    """A sentence of a text in `fmt` (md: Markdown; txt: plain text; anything else: left as is) with its
    inline markup replaced by tokens. Private-use characters already in the text are opaque themselves."""
    found = Protected("")
    text = MARKERS.sub(lambda m: found.opaque_token(m.group()), text)
    if fmt == "md":
        found.text = _markdown(text, found)
    elif fmt == "txt":
        found.text = _addresses(text, found)
    else:
        found.text = text
    return found


def _addresses(text: str, found: Protected) -> str:
    """Bare URLs and e-mail addresses as opaque tokens."""
    text = _URL.sub(lambda m: found.opaque_token(m.group()), text)
    return _EMAIL.sub(lambda m: found.opaque_token(m.group()), text)


def _markdown(text: str, found: Protected) -> str:
    """Markdown inline markup as tokens: code spans and autolinks first (their text is literal), then links and
    images (their text stays words, their target a token), inline HTML, then bare URLs and addresses."""
    text = _CODE.sub(lambda m: found.opaque_token(m.group()), text)
    text = _AUTOLINK.sub(lambda m: found.opaque_token(m.group()), text)

    def link(m: re.Match[str]) -> str:
        bang, words, target = m.group(1), m.group(2), m.group(3)
        if not words.strip():
            return found.opaque_token(m.group())
        opening, closing = found.span(f"{bang}[", f"]{target}")
        inner = _emphasis(_markdown_html(words, found), found)
        return opening + inner + closing

    text = _LINK.sub(link, text)
    text = _emphasis(_markdown_html(text, found), found)
    return _addresses(text, found)


def _emphasis(text: str, found: Protected) -> str:
    """Emphasis (*…*, _…_, **…**, __…__) as formatting around its words, as CommonMark reads it where it
    matters here: the delimiters touch their words; an asterisk may stand inside a word (Chinese has no
    spaces), an underscore never (snake_case)."""

    def span(m: re.Match[str]) -> str:
        delimiter, words = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        opening, closing = found.span(delimiter, delimiter)
        return opening + _emphasis(words, found) + closing

    return _EMPHASIS.sub(span, text)


def _markdown_html(text: str, found: Protected) -> str:
    """Inline HTML tags in Markdown: an element's tags around its words, a lone tag opaque."""
    return html_tokens(text, found, lambda words: words)


def html_tokens(text: str, found: Protected, words: Callable[[str], str]) -> str:
    """Tags as tokens: an element with its closing tag in the same text becomes formatting around its
    (translated) words, or one opaque token with its content when that content is not to be translated
    (code, pre, translate="no"...); any other tag is opaque. `words` turns the text between tags into
    what the engine gets (HTML: entities resolved)."""
    out: list[str] = []
    cursor = 0
    stack: list[tuple[str, int, int]] = []  # (tag name, index in out of its opening marker, start in text)
    tags = list(_TAG.finditer(text))
    closes = _closing_positions(tags)
    n = 0
    while n < len(tags):
        tag = tags[n]
        out.append(words(text[cursor : tag.start()]))
        cursor = tag.end()
        closing, name, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3)
        if closing or self_closing or name in _VOID or n not in closes:
            if closing and stack and stack[-1][0] == name:
                _, at, _ = stack.pop()
                opening, close_marker = found.span(out[at], tag.group())
                out[at] = opening
                out.append(close_marker)
            else:
                out.append(found.opaque_token(tag.group()))
            n += 1
            continue
        if name in _KEEP_CONTENT or _UNTRANSLATED.search(tag.group()):
            end = tags[closes[n]]
            out.append(found.opaque_token(text[tag.start() : end.end()]))
            cursor = end.end()
            n = closes[n] + 1
            continue
        stack.append((name, len(out), tag.start()))
        out.append(tag.group())  # replaced by its marker when its closing tag comes
        n += 1
    out.append(words(text[cursor:]))
    for _, at, _ in stack:  # an opening tag never closed: opaque
        out[at] = found.opaque_token(out[at])
    return "".join(out)


def _closing_positions(tags: Sequence[re.Match[str]]) -> dict[int, int]:
    """Index of each opening tag -> index of its closing tag (same name, properly nested)."""
    closes: dict[int, int] = {}
    stack: list[tuple[str, int]] = []
    for n, tag in enumerate(tags):
        name = tag.group(2).lower()
        if tag.group(3) or name in _VOID:
            continue
        if not tag.group(1):
            stack.append((name, n))
            continue
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == name:
                closes[stack[k][1]] = n
                del stack[k:]
                break
    return closes


def widen_to_terms(protected: Protected, spans: Sequence[tuple[int, int]]) -> Protected:
    """Formatting that cuts a term ('the <b>surplus</b> value') widened to the whole term, so that the
    engine reads the term as one: `spans` are the terms' (start, end) in the text without markers."""
    if not spans or not protected.spans:
        return protected
    text = protected.text
    plain_at = [i for i, c in enumerate(text) if not MARKERS.match(c)]  # marker-free index -> index in text
    plain_at.append(len(text))
    chars = list(text)
    for start, end in spans:
        if end > len(plain_at) - 1 or start >= end:
            continue
        first, last = plain_at[start], plain_at[end - 1] + 1
        inside = [i for i in range(first, last) if MARKERS.match(chars[i]) and ord(chars[i]) >= OPEN]
        for i in inside:
            marker = chars[i]
            chars[i] = ""
            if ord(marker) < CLOSE:
                chars[first] = marker + chars[first]  # the opening moves to the term's start
            else:
                chars[last - 1] = chars[last - 1] + marker  # the closing to its end
    protected.text = "".join(chars)
    return protected


def fence_terms(protected: Protected, spans: Sequence[tuple[int, int]]) -> Protected:
    """Formatting around exactly one term ('of *The Capital*') sent as two opaque tokens instead of a span.

    Apertium copies a span's wordbound blank onto every word the term's chunk becomes, the preposition
    before it included: 'of <em>The Capital</em>' came back as '*de el Capital*' and the title was no longer
    one piece the glossary could pin. As superblanks the delimiters stay where they were, between the words,
    and the term inside them is pinned as in a sentence without markup ('de *El capital*'). `spans` are the
    terms' (start, end) in the text without markers; a span covering anything but one whole term stays a
    span (its words move with the engine's word order: 'the **old** modes' → 'los modos **viejos**')."""
    if not spans or not protected.spans:
        return protected
    text = protected.text
    plain_at = [i for i, c in enumerate(text) if not MARKERS.match(c)]
    plain_at.append(len(text))
    chars = list(text)
    for start, end in spans:
        if end > len(plain_at) - 1 or start >= end:
            continue
        before, after = plain_at[start] - 1, plain_at[end - 1] + 1
        if before < 0 or after >= len(chars) or not (OPEN <= ord(chars[before][-1]) < CLOSE):
            continue
        n = ord(chars[before][-1]) - OPEN
        if n >= len(protected.spans) or chars[after][:1] != chr(CLOSE + n):
            continue
        opening, closing = protected.spans[n]
        chars[before] = chars[before][:-1] + protected.opaque_token(opening)
        chars[after] = protected.opaque_token(closing) + chars[after][1:]
        protected.spans[n] = ("", "")
    protected.text = "".join(chars)
    return protected
