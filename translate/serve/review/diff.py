"""What a person changed in a machine draft: a word diff and the share left as the machine wrote it.

The share follows Wikimedia's Content Translation (`mw.cx.calculateUnmodifiedContent`):
the text is cut into words (into characters for scripts written without spaces),
the longest common subsequence of the draft's and the edit's words is counted,
and divided by the longer of the two. Content Translation warns when a
paragraph keeps more than 85 % of its machine text; the review page does the
same, since a draft approved untouched is the one a reader most needs a person
to have read. Sentences under ten words are exempt there and here: "Yes." left
as is says nothing about care.

difflib's SequenceMatcher (with autojunk off) gives the matching blocks; on
sentences of a few dozen words its blocks are the longest common subsequence
in practice, and it is in the standard library. Its cost grows with the cube
of the words where they repeat: two 5,000-character edits of one repeated word
took it 86 s (0.05 s at 200 words a side). So the common beginning and end are
matched first, and a middle larger than `MAX_DIFF_CELLS` is shown as replaced
whole: a page shows at once, whatever someone typed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from translate.languages import is_unspaced

UNMODIFIED_WARNING = 0.85
"""Above this share of unmodified machine text the page asks for a second look (Content Translation's mt threshold)."""

MIN_WORDS_FOR_WARNING = 10
"""Content Translation exempts sections with fewer source tokens than this."""

MAX_DIFF_CELLS = 40_000
"""Largest (draft words × edit words) compared word by word after the common ends: ~0.05 s at worst."""

_WORD = re.compile(r"\S+")
_PIECE = re.compile(r"\s+|\S+")


def tokens(text: str, language: str) -> list[str]:
    """Words, or characters for Chinese, Japanese, Thai... (as Content Translation counts them)."""
    if is_unspaced(language):
        return [c for c in text if not c.isspace()]
    return _WORD.findall(text)


def unmodified_share(machine: str | None, edited: str, language: str) -> float:
    """0..1: how much of the edit is the machine draft unchanged (1 = identical, 0 = no draft)."""
    if not machine or not edited:
        return 0.0
    if machine == edited:
        return 1.0
    a, b = tokens(machine, language), tokens(edited, language)
    if not a or not b:
        return 0.0
    same = sum(i2 - i1 for op, i1, i2, _, _ in _opcodes(a, b) if op == "equal")
    return same / max(len(a), len(b))


Opcode = tuple[str, int, int, int, int]


def _opcodes(a: list[str], b: list[str]) -> list[Opcode]:
    """SequenceMatcher's opcodes, its cost bounded: the common ends first, a middle too large replaced whole."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    ops: list[Opcode] = [("equal", 0, start, 0, start)] if start else []
    if len(middle_a) * len(middle_b) <= MAX_DIFF_CELLS:
        matcher = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=False)
        ops += [(op, i1 + start, i2 + start, j1 + start, j2 + start) for op, i1, i2, j1, j2 in matcher.get_opcodes()]
    else:
        ops.append(("replace", start, len(a) - end, start, len(b) - end))
    if end:
        ops.append(("equal", len(a) - end, len(a), len(b) - end, len(b)))
    return ops


@dataclass(frozen=True)
class DiffPiece:
    """A run of text that is kept ('same'), taken out ('del') or put in ('ins')."""

    kind: str
    text: str


def word_diff(machine: str | None, edited: str, language: str) -> list[DiffPiece]:
    """The edit against the draft, word by word (character by character for unspaced scripts)."""
    machine = machine or ""
    if is_unspaced(language):
        a, b = list(machine), list(edited)
    else:
        a, b = _PIECE.findall(machine), _PIECE.findall(edited)
    pieces: list[DiffPiece] = []

    def add(kind: str, parts: list[str]) -> None:
        text = "".join(parts)
        if not text:
            return
        if pieces and pieces[-1].kind == kind:
            pieces[-1] = DiffPiece(kind, pieces[-1].text + text)
        else:
            pieces.append(DiffPiece(kind, text))

    for op, i1, i2, j1, j2 in _opcodes(a, b):
        if op == "equal":
            add("same", a[i1:i2])
        else:
            add("del", a[i1:i2])
            add("ins", b[j1:j2])
    return pieces


@dataclass(frozen=True)
class EditSummary:
    """What the page shows under the editor."""

    pieces: list[DiffPiece]
    unmodified: float  # 0..1
    warn: bool  # more than UNMODIFIED_WARNING left unmodified in a long enough sentence
    changed: bool
    has_draft: bool  # there is a machine draft to compare with

    @property
    def percent(self) -> int:
        return round(self.unmodified * 100)


def summarize(machine: str | None, edited: str, language: str) -> EditSummary:
    share = unmodified_share(machine, edited, language)
    long_enough = len(tokens(machine or "", language)) >= MIN_WORDS_FOR_WARNING
    return EditSummary(
        pieces=word_diff(machine, edited, language),
        unmodified=share,
        warn=bool(machine) and long_enough and share > UNMODIFIED_WARNING,
        changed=(machine or "") != edited,
        has_draft=bool(machine),
    )
