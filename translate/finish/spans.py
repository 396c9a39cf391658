"""Quotation marks that travel with their words.

An engine reorders words but copies quotation marks where they were, so scare
quotes land on the wrong words: "make the virtual factory « socialist »" became
"hacer el socialista de « fábrica virtual »", and an Esperanto draft gave empty
quotes "« »". The run stage translates each short quoted span of the source on
its own (one batched engine call for all of them, `quoted_spans` says which)
and `place_quotes` checks every pair of the draft against it: a pair around
other words, or around nothing, is moved to the words that translate the
quoted ones when they occur once in the draft; otherwise, unless the pair is
around words of the quotation all the same (the engine translated them in
context a little differently: "tomar sobre la fábrica" for "toma sobre la
fábrica"), the sentence is reported (`unplaced`) so that a person looks at it.
"""

from __future__ import annotations

import re

from translate.finish.typography import quote_pairs

MAX_QUOTED_WORDS = 5
"""Longer quotations are whole sentences or clauses the engine keeps together."""


def _inner(text: str, pair) -> str:
    return text[pair.start + 1 : pair.end]


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def quoted_spans(source: str) -> list[str]:
    """The short quoted spans of a source sentence, in order (what to translate on its own)."""
    spans = []
    for pair in quote_pairs(source):
        inner = _inner(source, pair).strip()
        if pair.depth == 0 and inner and len(inner.split()) <= MAX_QUOTED_WORDS:
            spans.append(inner)
    return spans


def place_quotes(source: str, target: str, renderings: list[str]) -> tuple[str, list[str]]:
    """The draft with each short quotation around the words that translate it, and the spans
    that could not be placed. `renderings` are the quoted_spans(source) translated alone."""
    spans = quoted_spans(source)
    if not spans or len(renderings) != len(spans):
        return target, []
    every = [p for p in quote_pairs(source) if p.depth == 0]
    short = [n for n, p in enumerate(every) if _inner(source, p).strip() and len(_inner(source, p).split()) <= MAX_QUOTED_WORDS]

    def top(text: str) -> list:
        return [p for p in quote_pairs(text) if p.depth == 0]

    if len(top(target)) != len(every):  # marks lost or added: nothing to align them with
        return target, [s for s, r in zip(spans, renderings, strict=True) if _norm(r) not in _norm(target)]
    text, unplaced = target, []
    for n, rendering, span in zip(short, renderings, spans, strict=True):
        pair = top(text)[n]
        inner, wanted = _norm(_inner(text, pair)), _norm(rendering)
        if not wanted or wanted in inner or (inner and inner in wanted):
            continue
        moved = _move(text, pair, rendering)
        if moved is not None and len(top(moved)) == len(every):
            text = moved
        elif not _share_a_word(inner, wanted):  # around words of the quotation, only not as translated alone
            unplaced.append(span)
    return text, unplaced


def _share_a_word(inner: str, wanted: str) -> bool:
    """Do the quoted words in the draft and the quotation translated alone share a word of four letters or
    more ("tomar sobre la fábrica", "toma sobre la fábrica")? Then the marks are around the quotation."""
    return bool({w for w in inner.split() if len(w) >= 4} & {w for w in wanted.split() if len(w) >= 4})


def _move(text: str, pair, rendering: str) -> str | None:
    """Take the marks of `pair` off and put them around the one occurrence of `rendering` (None: not found once)."""
    opening, closing = text[pair.start], text[pair.end]
    inner = text[pair.start + 1 : pair.end]
    # The text without this pair's marks (and the spaces that padded them inside).
    lead = len(inner) - len(inner.lstrip())
    trail = len(inner) - len(inner.rstrip())
    pad_in, pad_out = inner[:lead], inner[len(inner) - trail :] if trail else ""
    bare = text[: pair.start] + inner.strip() + text[pair.end + 1 :]
    bare = re.sub(r"[ \u00a0\u202f]{2,}", " ", bare)
    # the words as translated alone, or with an ending the sentence gave them (eo -n, -j; plural -s)
    found = list(re.finditer(r"(?<!\w)" + re.escape(rendering.strip(" .,;:")) + r"\w{0,2}(?!\w)", bare, re.IGNORECASE))
    if len(found) != 1:
        return None
    m = found[0]
    return bare[: m.start()] + opening + pad_in + m.group() + pad_out + closing + bare[m.end() :]
