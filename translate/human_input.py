"""The one rule for what people bring in: translations, comments and names, by every path.

A translation or a comment reaches the memory from a browser form, a PO file,
a TMX file, or (as a text to translate) the HTTP API; a name from `translate
review invite`. Every path asks this module, so the same text is accepted or
refused the same way everywhere, with the same words, and nothing refused is
ever stored:

- a text may hold only what every export can carry (XML 1.0's characters: no
  NUL, ESC, BEL, vertical tab or other control character but tab and line
  breaks, no U+FFFE or U+FFFF, no lone surrogate). The browser once took NUL,
  ESC, BEL, VT and U+FFFE, a run wrote them raw into `.md`, `.po` and `.html`,
  and the project's own untouched PO file then failed to import (9 entries
  refused);
- a translation of one sentence may be at most `limits.max_import_chars` long,
  a comment at most `limits.max_comment_chars`: refused beyond, never cut;
- a person's name is a name: no e-mail address, no angle brackets (the memory
  strips e-mail addresses from what it stores, so an invitation named
  "ana@example.org" signed in a person whose every save then failed).
"""

from __future__ import annotations

import re
import unicodedata

NOT_CARRIED = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""What XML 1.0 (TMX, TBX, HTML) cannot carry; PO and Markdown would carry it, but badly."""

MAX_NAME_CHARS = 80
"""Longest name an invitation takes (the credits of a handout print it)."""

_CONTROL_NAMES = {
    "\t": "TAB",
    "\n": "LINE FEED",
    "\r": "CARRIAGE RETURN",
    "\x00": "NUL",
    "\x07": "BELL",
    "\x08": "BACKSPACE",
    "\x0b": "LINE TABULATION",
    "\x0c": "FORM FEED",
    "\x1b": "ESCAPE",
}
_EMAIL = re.compile(r"\S+@\S+\.\S+|\S+@\S+")


def describe_character(char: str) -> str:
    """'the control character U+001B (ESCAPE)' for an error message."""
    label = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "")
    kind = "the control character" if unicodedata.category(char) == "Cc" else "the character"
    return f"{kind} U+{ord(char):04X}" + (f" ({label})" if label else "")


def bad_character(text: str) -> str | None:
    """Where the first character no export can carry sits: 'line 2 holds the control character U+0007 (BELL)'."""
    bad = NOT_CARRIED.search(text)
    if bad is None:
        return None
    line = text.count("\n", 0, bad.start()) + 1
    return f"line {line} holds {describe_character(bad.group())}"


ALLOWS = {"translation": "the translation of one sentence", "comment": "one comment"}


def unfit_text(text: str, max_chars: int, what: str = "translation", limit_name: str = "limits.max_import_chars") -> str | None:
    """Why a person's text is not taken, or None: the same words for every path.

    '27,000 characters, more than limits.max_import_chars (20,000) allows for the
    translation of one sentence'; 'line 1 holds the control character U+0000 (NUL),
    which PO, TMX and handouts cannot carry'.
    """
    if len(text) > max_chars:
        return f"{len(text):,} characters, more than {limit_name} ({max_chars:,}) allows for {ALLOWS.get(what, what)}"
    where = bad_character(text)
    if where is not None:
        return f"{where}, which PO, TMX and handouts cannot carry"
    return None


def unfit_translation(text: str, max_chars: int) -> str | None:
    """Why a translation from outside (a PO msgstr, a TMX segment, a browser form) is not taken into the memory.

    The memory is append-only and every run reads it: one 20 MB msgstr grew it from
    1.5 to 81 MB for good and made every later run take 64 s. Over `max_chars`
    (limits.max_import_chars), or holding a character no export can carry, it is refused.
    """
    problem = unfit_text(text, max_chars)
    return f"refused: {problem}" if problem else None


def name_problem(name: str) -> str | None:
    """Why a person's name cannot be used for an invitation or a credit, or None."""
    name = " ".join(name.split())
    if not name:
        return "give the person's name"
    if "<" in name or ">" in name:
        return f"'{name}': give a name without angle brackets (an e-mail address is never stored)"
    if _EMAIL.search(name):
        return f"'{name}' holds an e-mail address: give the person's name instead (an e-mail address is never stored)"
    if len(name) > MAX_NAME_CHARS:
        return f"a name of at most {MAX_NAME_CHARS} characters, not {len(name)}"
    bad = NOT_CARRIED.search(name)
    if bad is not None:
        return f"the name holds {describe_character(bad.group())}; remove it"
    return None
