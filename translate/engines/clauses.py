"""Cutting a sentence at its clause boundaries, and joining the translated pieces again.

Two users: the run's guard on over-long sentences (`run.guards`: a sentence over
`limits.max_sentence_words` is cut, or refused when a clause alone is longer),
and engines whose models read only so much at a time (`engines.bergamot`: a
Firefox Translations model silently drops what is past its context, so a long
sentence goes to it clause by clause, a clause longer than the preference whole).
A clause ends after a comma, semicolon, colon or dash followed by a space, or
after a CJK comma, enumeration comma, semicolon or colon (no space follows those).
"""

from __future__ import annotations

import re

from translate.engines.degeneration import words
from translate.languages import is_unspaced

_CLAUSE_END = re.compile(r"(?<=[,;:—–])\s+|(?<=[，、；：])\s*")
_FIRST_LETTER = re.compile(r"[^\W\d_]")


def clause_pieces(sentence: str, language: str, max_words: int, strict: bool = True) -> list[str] | None:
    """The sentence cut at clause boundaries into pieces of at most `max_words` words.

    A sentence within the limit is one piece. A clause longer than the limit makes
    the answer None when `strict`, else it is a piece of its own. Pieces keep their
    text exactly; the spaces between them are dropped (`join_pieces` puts the
    target's own back).
    """
    if len(words(sentence, language)) <= max_words:
        return [sentence]
    clauses = [c for c in _CLAUSE_END.split(sentence) if c]
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    joiner = "" if is_unspaced(language) else " "
    for clause in clauses:
        count = len(words(clause, language))
        if count > max_words and strict:
            return None
        if current and size + count > max_words:
            pieces.append(joiner.join(current))
            current, size = [], 0
        current.append(clause)
        size += count
    if current:
        pieces.append(joiner.join(current))
    return pieces


def follow_initial_case(source: str, text: str) -> str:
    """A piece whose source starts in lower case starts so in the translation too.

    Engines capitalise whatever they are given first ('before proletarians were...' →
    'Antes os proletários...'); in the middle of a sentence that capital is wrong.
    A word the engine writes in capitals throughout (an acronym) is left alone.
    """
    first = _FIRST_LETTER.search(source)
    start = _FIRST_LETTER.search(text)
    if not first or not start or not first.group().islower():
        return text
    head = text[start.start() : start.start() + 2]
    if head[:1].isupper() and not head[1:].isupper():
        return text[: start.start()] + head[:1].lower() + text[start.start() + 1 :]
    return text


def keep_closing_mark(piece: str, text: str) -> str:
    """The mark a clause ended with (a comma, a dash...), put back when the engine dropped it: a model
    given 'the less celebrated critics —' writes no dash, and the sentence would lose its aside."""
    found = _CLOSING.search(piece)
    if not found or _CLOSING.search(text.rstrip()):
        return text
    return text.rstrip() + found.group()


_CLOSING = re.compile(r"\s?[,;:—–，、；：]$")


def join_pieces(pieces: list[str], translations: list[str], target: str) -> str:
    """Translated pieces as one sentence: the target's spacing between them, each piece's initial case and
    closing mark kept."""
    joiner = "" if is_unspaced(target) else " "
    fixed = []
    for n, (piece, text) in enumerate(zip(pieces, translations)):
        text = text if n == 0 else follow_initial_case(piece, text)
        fixed.append(keep_closing_mark(piece, text) if n < len(pieces) - 1 else text)
    return joiner.join(t.strip() for t in fixed if t.strip())
