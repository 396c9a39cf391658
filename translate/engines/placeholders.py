"""Inline markup through an engine that cannot carry it: as numbered placeholders it carries.

The markup layer (translate/markup.py) turns code, URLs, autolinks, addresses and lone
tags into one private-use character each, and formatting (a link's text, <b>, emphasis)
into a pair around its words. Apertium keeps those characters as blanks; a neural model
given them, or the raw Markdown, mangles both ("Ejecute la configuración «make»",
"https://example.org/the-fábrica virtual", "workers-example.org"). This wrapper hands
such an engine each character as a placeholder of the shape it carries best
(`Engine.placeholder_shapes`: ZX1Z for the en→pt_BR model), numbered past any such
placeholder already in the text (the glossary layer's ZX1Z, ZX2Z for its terms), and
turns the placeholders of the output back into the characters, so the pipeline puts
the markup back byte for byte.

Measured on the en→pt_BR model, alone and through Apertium to es and fr (`bench/markup_neural.py`, 40
essay sentences with a link, emphasis or an autolink added): every link target, emphasis and autolink
comes back byte for byte (as raw Markdown: 12/40 link targets, 0/40 autolinks); the pair comes back
around words in 34/40 links and 29/40 emphases ("Leia ZX4Z a fábrica virtual ZX5Z ou escreva para ZX3Z",
"entre as linhas de ZX4Z O Capital ZX5Z"). Where the model empties a pair or turns it round (it moves an
emphasised adjective: "The ZX1Z old ZX2Z modes" → "Os antigos modos de produção ZX1Z ZX2Z"), the
sentence is asked again without its formatting, with the formatting's words alone, and with the
formatting as one opaque placeholder: the formatting goes around its words where they are found in the
sentence's translation ("Los **viejos** modos"), else the placeholder gets the words translated alone.
Apart first was measured too: the words alone were found in only 47 of 80 sentences' translations. An
opaque placeholder the engine lost is put back by `Protected.restore` at the sentence's end, never
translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from translate.engines.base import Engine, EngineMark, Progress, Route
from translate.glossary.model import Glossary
from translate.glossary.pinning import DEFAULT_SHAPES, Shape
from translate.markup import CLOSE, LIMIT, MARKERS, OPAQUE, OPEN

REMEMBERED = 200_000
"""Outputs whose engine form is remembered during one run (for the engine's marks)."""


@dataclass(frozen=True)
class Marked:
    """One text as the engine gets it: the marker character behind each placeholder number."""

    text: str
    numbers: dict[int, str]  # placeholder number -> marker character
    glued: frozenset[str]  # opaque markers written against a word ('`x`s'): no space around on the way back


def _kind(marker: str) -> str:
    code = ord(marker)
    return "open" if OPEN <= code < CLOSE else "close" if CLOSE <= code < CLOSE + LIMIT else "opaque"


class MarkupPlaceholders(Engine):
    """An engine without `carries_markup`, given the markup's characters as placeholders it carries."""

    carries_markup = True

    def __init__(self, inner: Engine, shape: str | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.neural = inner.neural
        self.shape = Shape.parse(shape or (inner.placeholder_shapes() or DEFAULT_SHAPES)[0])
        self._wrote: dict[str, str] = {}  # output with markers -> what the engine wrote

    # -- delegated -------------------------------------------------------------
    def version(self) -> str:
        return self.inner.version()

    def options(self) -> str:
        return self.inner.options()

    def routes(self, source: str) -> dict[str, Route]:
        return self.inner.routes(source)

    def sources(self) -> set[str]:
        return self.inner.sources()

    def max_hypotheses(self) -> int:
        return self.inner.max_hypotheses()

    def placeholder_shapes(self) -> tuple[str, ...] | None:
        return self.inner.placeholder_shapes()

    def masked_attempts(self) -> int | None:
        return self.inner.masked_attempts()

    def with_glossary(self, glossary: Glossary) -> Engine:
        native = self.inner.with_glossary(glossary)
        return self if native is self.inner else MarkupPlaceholders(native, str(self.shape))

    def without_glossary(self) -> Engine:
        raw = self.inner.without_glossary()
        return self if raw is self.inner else MarkupPlaceholders(raw, str(self.shape))

    def marks(self, route: Route, output: str) -> tuple[EngineMark, ...]:
        return self.inner.marks(route, self.engine_wrote(output))

    def engine_wrote(self, output: str) -> str:
        """What the engine wrote for an output of this wrapper (its marks are kept under that text)."""
        return self._wrote.get(output, output)

    def close(self) -> None:
        self._wrote.clear()  # the inner engine belongs to the run's Engines, which closes it

    # -- translation -----------------------------------------------------------
    def translate(self, sentences: Sequence[str], route: Route, progress: Progress | None = None) -> list[str]:
        marked = [self.to_engine(s) for s in sentences]
        outputs = self.inner.translate([m.text for m in marked], route, progress)
        return self._back_all(sentences, marked, outputs, route)

    def translate_safely(self, sentences: Sequence[str], route: Route) -> list[str]:
        marked = [self.to_engine(s) for s in sentences]
        outputs = self.inner.translate_safely([m.text for m in marked], route)
        return self._back_all(sentences, marked, outputs, route)

    def translate_nbest(
        self, sentences: Sequence[str], route: Route, n: int, progress: Progress | None = None, retry: bool = False
    ) -> list[list[str]]:
        """Each hypothesis with its markers back; hypotheses that lost a formatting pair are dropped, and a
        sentence left with none is translated as `translate` does it."""
        marked = [self.to_engine(s) for s in sentences]
        lists = self.inner.translate_nbest([m.text for m in marked], route, n, progress, retry)
        out: list[list[str]] = []
        again: list[int] = []
        for i, (m, hypotheses) in enumerate(zip(marked, lists, strict=True)):
            kept = [text for h in hypotheses if (text := self.back(m, h)) is not None]
            out.append(kept)
            if not kept:
                again.append(i)
        for i, text in zip(again, self.translate([sentences[i] for i in again], route), strict=True):
            out[i] = [text]
        return out

    def _back_all(self, sentences: Sequence[str], marked: list[Marked], outputs: list[str], route: Route) -> list[str]:
        """The outputs with their markers back; a sentence whose formatting did not come back around words,
        in order, is asked again (`spans_again`)."""
        results: list[str | None] = [self.back(m, out) for m, out in zip(marked, outputs, strict=True)]
        lost = [i for i, r in enumerate(results) if r is None]
        if lost:
            for i, text in zip(lost, self.spans_again([sentences[i] for i in lost], route), strict=True):
                results[i] = text
        return [r if r is not None else "" for r in results]

    def spans_again(self, sentences: list[str], route: Route) -> list[str]:
        """Sentences whose formatting the engine lost, emptied or turned round, in one more call: the sentence
        without its formatting, each formatting's words alone, and the sentence with each formatting as one
        opaque placeholder. The formatting goes around its words where their own translation is found in the
        sentence's ("Os velhos modos" and "velho": "Os **velhos** modos"); else the sentence with the
        placeholder is kept, the words translated alone inside the formatting."""
        plain: list[str] = []
        opaque: list[str] = []
        words: list[str] = []
        spans: list[list[tuple[str, str, int]]] = []  # per sentence: (opening, closing, index in words)
        for sentence in sentences:
            found: list[tuple[str, str, int]] = []

            def take(m: re.Match[str], found: list[tuple[str, str, int]] = found) -> str:
                words.append(m.group(2))
                found.append((m.group(1), m.group(3), len(words) - 1))
                return m.group(2)

            plain.append(_outermost_spans(sentence, take))
            opaque.append(_outermost_spans(sentence, _numbered_stand_ins()))
            spans.append(found)
        marked = [self.to_engine(s) for s in plain + opaque + words]
        outputs = self.inner.translate([m.text for m in marked], route)
        backs = [self.back(m, out, strict=False) or "" for m, out in zip(marked, outputs, strict=True)]
        n = len(sentences)
        done = []
        for i, found in enumerate(spans):
            text: str | None = backs[i]
            cursor = 0  # formattings follow one another as in the source
            for opening, closing, at in found:
                where = locate(text, backs[2 * n + at], cursor) if text is not None else None
                cursor = where[1] + 2 if where else cursor
                text = (
                    None
                    if where is None or text is None
                    else (text[: where[0]] + opening + text[where[0] : where[1]] + closing + text[where[1] :])
                )
            if text is None:
                text = backs[n + i]
                for k, (opening, closing, at) in enumerate(found, 1):
                    whole = opening + backs[2 * n + at].strip() + closing
                    text = text.replace(_stand_in(k), whole, 1) if _stand_in(k) in text else f"{text} {whole}"
            done.append(text)
        return done

    def to_engine(self, text: str) -> Marked:
        """Each marker as a placeholder numbered past those already in the text, with a space between it
        and a word or another placeholder (the model reads 'ZX4Zthe' as one word)."""
        taken = [int(d) for m in self.shape.pattern().finditer(text) for d in re.findall(r"\d+", m.group())]
        number = max(taken, default=0)
        numbers: dict[int, str] = {}
        glued: set[str] = set()

        def place(m: re.Match[str]) -> str:
            nonlocal number
            number += 1
            marker, at = m.group(), m.start()
            numbers[number] = marker
            before, after = text[at - 1 : at], text[at + 1 : at + 2]
            if _kind(marker) == "opaque" and (before.isalnum() or after.isalnum()):
                glued.add(marker)
            left = " " if before.isalnum() else ""
            right = " " if after.isalnum() or MARKERS.match(after) else ""
            return left + self.shape.render(number) + right

        return Marked(MARKERS.sub(place, text), numbers, frozenset(glued))

    def back(self, marked: Marked, output: str, strict: bool = True) -> str | None:
        """The engine's output with its placeholders as markers again; None (with `strict`) when a
        formatting pair is missing or turned round."""
        if not marked.numbers:
            return output
        seen: set[int] = set()

        def marker(m: re.Match[str]) -> str:
            digits = re.search(r"\d+", m.group())
            number = int(digits.group()) if digits else 0
            if number not in marked.numbers or number in seen:
                return m.group() if number not in marked.numbers else ""  # a copy the engine repeated: dropped
            seen.add(number)
            return marked.numbers[number]

        text = self.shape.pattern().sub(marker, output)
        if strict and not _pairs_around_words(marked, text):
            return None
        text = _tidy(text, marked.glued)
        if len(self._wrote) < REMEMBERED:
            self._wrote[text] = output
        return text


def _pairs_around_words(marked: Marked, text: str) -> bool:
    """Every formatting pair of the text back, its opening before its closing, words between them (the
    model moved "The ZX1Z old ZX2Z modes" to "Os antigos modos de produção ZX1Z ZX2Z")."""
    for marker in marked.numbers.values():
        if _kind(marker) != "open":
            continue
        closing = chr(ord(marker) - OPEN + CLOSE)
        opening_at, closing_at = text.find(marker), text.find(closing)
        if opening_at < 0 or closing_at < opening_at or not _WORD.search(text[opening_at:closing_at]):
            return False
    return True


_WORD = re.compile(r"[^\W_]")


def _stand_in(n: int) -> str:
    """An opaque marker no token of a text uses (they are numbered from the bottom), for a formatting held whole."""
    return chr(OPAQUE + LIMIT - 1 - n)


def _numbered_stand_ins() -> Callable[[re.Match[str]], str]:
    """Stand-ins numbered 1, 2... as the formattings they replace come."""
    count = iter(range(1, LIMIT))
    return lambda m: _stand_in(next(count))


def locate(text: str, words: str, start: int = 0) -> tuple[int, int] | None:
    """Where the translation of a formatting's words alone stands in its sentence's translation: from a word
    starting as its first word does to one starting as its last does (a stem: 'velho' finds 'velhos'), no
    further apart than its words and three more; None when not found."""
    wanted = [w.lower() for w in re.findall(r"[^\W_]+", MARKERS.sub(" ", words))]
    if not wanted:
        return None
    found = [m for m in re.finditer(r"[^\W_]+", text) if m.start() >= start]

    def same(word: str, target: str) -> bool:
        return word == target if len(target) < 5 else word.startswith(target[: max(4, len(target) - 2)])

    for i, first in enumerate(found):
        if not same(first.group().lower(), wanted[0]):
            continue
        for last in found[i : i + len(wanted) + 3]:
            if same(last.group().lower(), wanted[-1]):
                return first.start(), last.end()
    return None


_SPAN = re.compile("([\ue400-\ue7ff])(.*?)([\ue800-\uebff])", re.DOTALL)


def _outermost_spans(text: str, collapse: Callable[[re.Match[str]], str]) -> str:
    """`text` with each outermost formatting (opening, words, its own closing) replaced by `collapse(match)`."""
    out: list[str] = []
    at = 0
    while at < len(text):
        code = ord(text[at])
        if OPEN <= code < CLOSE:
            end = text.find(chr(code - OPEN + CLOSE), at + 1)
            if end > at:
                match = _SPAN.fullmatch(text[at] + text[at + 1 : end] + text[end])
                if match is not None:
                    out.append(collapse(match))
                    at = end + 1
                    continue
        out.append(text[at])
        at += 1
    return "".join(out)


def _tidy(text: str, glued: frozenset[str]) -> str:
    """No space inside a formatting ('[ a fábrica virtual ]'), none around an opaque marker that was
    written against a word, and none before punctuation that follows a marker."""
    text = re.sub("([\ue400-\ue7ff])\\s+", r"\1", text)
    text = re.sub("\\s+([\ue800-\uebff])", r"\1", text)
    for marker in glued:
        text = re.sub(rf"\s*{re.escape(marker)}\s*", marker, text)
    return re.sub("([\ue000-\uebff]) +([.,;:!?])", r"\1\2", text)


def carrying_markup(engine: Engine) -> Engine:
    """The engine itself when it carries markup (Apertium), else wrapped in placeholders it carries."""
    return engine if engine.carries_markup else MarkupPlaceholders(engine)
