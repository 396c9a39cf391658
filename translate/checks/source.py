"""Source checks for the organizer: slips in texts/ that every language inherits.

A typo or a doubled word in the source reaches all thirteen translations
("uncounscious", "ressource", "the the" and "i am" in the essays), a space
before ';' or ',' survives into every output, and a hyphenated coinage
("cyber-proletarians") is split by every engine. `check_texts` reports them per
file, line and column; it reads the files and never writes one: the author
decides what to change.

Typos are words neither the American nor the British English hunspell
dictionary knows; names (capitalised inside a sentence), words with digits
and words in code or links are left alone. Without an English dictionary
only the other checks run, and the report says so.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from translate.checks.dictionaries import Dictionary, dictionary, find_dictionary
from translate.texts import SourceText

_WORD = re.compile(r"(?<![\w/@.#-])[^\W\d_]+(?:['’-][^\W\d_]+)*(?![\w/@-])")
_DOUBLED = re.compile(r"\b([^\W\d_]+)\s+(\1)\b", re.IGNORECASE)
_SPACE_BEFORE = re.compile(r"(?<=[^\s«‹])[ \t\u00a0]+([,;.:!?])(?=\s|$)")
_LOWER_I = re.compile(r"(?<![\w’'-])i(?=\s|’|'(?:m|ll|ve|d)\b)")
_LINK = re.compile(r"https?://\S+|www\.\S+|`[^`]*`")
_NOTE_INSIDE = re.compile(r"\[\d+\](?=\s*\w)")


@dataclass(frozen=True)
class SourceFinding:
    """One thing in a source text an author may want to fix."""

    file: str
    line: int  # 1-based
    column: int  # 1-based
    kind: str  # typo | doubled word | space before punctuation | lower-case i | hyphenated compound | note marker
    text: str  # what was found, as written
    suggestion: str = ""  # a likely fix, when one is known

    def __str__(self) -> str:
        hint = f" (perhaps: {self.suggestion})" if self.suggestion else ""
        return f"{self.file}:{self.line}:{self.column}: {self.kind}: {self.text}{hint}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _English:
    """The English dictionaries here (American and British), or none."""

    dictionaries: list[Dictionary]

    def knows(self, word: str) -> bool:
        return any(d.knows(word) for d in self.dictionaries)

    def knows_whole(self, word: str) -> bool:
        """The hyphenated word as one entry of a dictionary's word list (hunspell itself
        accepts any hyphenated pair of words: 'cyber-proletarians')."""
        lower = word.lower().replace("’", "'")
        entries = self.hyphenated
        return any(form in entries for form in (lower, lower[:-1], lower[:-2], lower[:-3] + "y"))

    @property
    def hyphenated(self) -> set[str]:
        if not hasattr(self, "_hyphenated"):
            self._hyphenated = {e for d in self.dictionaries for e in d.entries() if "-" in e}
        return self._hyphenated

    def suggest(self, word: str) -> str:
        for d in self.dictionaries:
            found = d.suggest(word)
            if found:
                return found[0]
        return ""


def english() -> _English:
    found = [d for d in (dictionary("en"), dictionary("en_GB")) if d is not None]
    return _English(list({d.path: d for d in found}.values()))


def english_dictionary_available() -> bool:
    return find_dictionary("en") is not None or find_dictionary("en_GB") is not None


def check_text(text: SourceText, root_name: str | None = None) -> list[SourceFinding]:
    """Every finding in one source text, in reading order."""
    name = root_name or text.path.name
    words = english()
    findings: list[SourceFinding] = []
    for number, line in enumerate(text.path.read_text(encoding="utf-8").splitlines(), 1):
        masked = _LINK.sub(lambda m: " " * len(m.group()), line)

        def add(kind: str, match: re.Match[str], found: str | None = None, suggestion: str = "", number: int = number) -> None:
            findings.append(SourceFinding(name, number, match.start() + 1, kind, found or match.group(), suggestion))

        for match in _DOUBLED.finditer(masked):
            add("doubled word", match)
        for match in _SPACE_BEFORE.finditer(masked):
            add("space before punctuation", match, repr(match.group())[1:-1].replace("\\xa0", "\u00a0"))
        for match in _LOWER_I.finditer(masked):
            add("lower-case i", match, masked[match.start() : match.start() + 4].strip(), "I")
        for match in _NOTE_INSIDE.finditer(masked):
            add("note marker inside a sentence", match)
        if not words.dictionaries:
            continue
        for match in _WORD.finditer(masked):
            word = match.group()
            if _is_name(masked, match) or any(c.isupper() for c in word[1:]):  # names, uBlock, GameStop
                continue
            if "-" in word and not words.knows_whole(word):
                add("hyphenated compound", match)
            parts = word.split("-")
            for part in parts:
                if part and len(part) > 1 and not words.knows(part):
                    column = match.start() + word.index(part)
                    findings.append(SourceFinding(name, number, column + 1, "typo", part, words.suggest(part)))
    findings.sort(key=lambda f: (f.line, f.column))
    return findings


def _is_name(line: str, match: re.Match[str]) -> bool:
    """Capitalised and not at a sentence start: a name (Debord, GameStop), not a typo."""
    word = match.group()
    if not word[:1].isupper():
        return False
    before = line[: match.start()].rstrip(" \t\u00a0«“\"‘'(*_[")
    return bool(before) and before[-1] not in ".!?:#>"


def check_texts(texts: list[SourceText]) -> list[SourceFinding]:
    """Every finding in every text, file by file."""
    return [finding for text in texts for finding in check_text(text)]
