"""PO files written exactly as gettext's own tools write them, so that `msgcat FILE` changes no line.

A reviewer's PO editor re-wraps what it saves the way gettext does (Poedit runs
gettext's wrapping, at 79 columns): a file wrapped any other way (polib breaks
before spaces, gettext after them, and gettext also breaks after dashes and
slashes as Unicode's line-breaking rules allow) comes back with hundreds of
changed lines that no person changed, and a diff of a review shows noise
instead of the review. So this module writes entries in gettext's order and
wraps strings where gettext would:

- a string goes on its keyword's line when it fits in 79 columns and holds no
  line break; otherwise the keyword gets `""` and the text follows, one line
  per piece, each piece ending where gettext's wrapping ends it;
- the break opportunities and column widths are those of GNU libunistring's
  `ulc_width_linebreaks_v2`, the very function gettext 0.21 calls, loaded from
  the system library (Debian `libunistring2`, a dependency of gettext itself);
  without it, lines break after spaces only, which gives the same result for
  text without dashes, slashes or CJK characters;
- comments are never wrapped (`#.` lines are written whole), references
  (`#:`) are wrapped at 79 columns as gettext does, `#, fuzzy` is left out of
  an entry whose translation is empty, and obsolete entries without a
  translation are dropped, as msgcat does.

`tests/test_review_po_format.py` runs the real msgcat over every PO file a run
writes and over hostile strings (quotes, backslashes, tabs, dashes, CJK).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Iterator
from functools import lru_cache

import polib

PAGE_WIDTH = 79
_UNDEFINED, _PROHIBITED, _POSSIBLE = 0, 1, 2  # libunistring's UC_BREAK_* values
_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v", "\\": "\\", '"': '"'}


@lru_cache(maxsize=1)
def _linebreaker():
    """libunistring's ulc_width_linebreaks_v2, or None where the library is missing."""
    name = ctypes.util.find_library("unistring")
    if not name:
        return None
    try:
        library = ctypes.CDLL(name)
        function = library.ulc_width_linebreaks_v2
    except (OSError, AttributeError):
        return None
    function.restype = ctypes.c_int
    function.argtypes = [
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_char_p,
    ]
    return function


def _escaped(portion: str) -> tuple[bytes, bytearray]:
    """The portion as it appears between quotes (UTF-8), and per byte: may a line break go before it?"""
    data = bytearray()
    overrides = bytearray()
    for char in portion:
        if char in _ESCAPES:
            data += b"\\" + _ESCAPES[char].encode()
            overrides += bytes([_UNDEFINED, _PROHIBITED])
        else:
            encoded = char.encode("utf-8")
            data += encoded
            overrides += bytes([_UNDEFINED]) + bytes([_PROHIBITED]) * (len(encoded) - 1)
    if portion.endswith("\n"):
        overrides[-2] = _PROHIBITED  # never break just before the final "\n"
    return bytes(data), overrides


def _breaks(data: bytes, overrides: bytearray, width: int, start: int) -> list[int]:
    """Byte offsets where gettext starts a new line."""
    if not data:
        return []
    function = _linebreaker()
    if function is None:
        return _space_breaks(data, width, start)
    result = ctypes.create_string_buffer(len(data))
    function(data, len(data), width, start, 0, bytes(overrides), b"UTF-8", result)
    return [i for i, flag in enumerate(result.raw) if flag == _POSSIBLE]


def _space_breaks(data: bytes, width: int, start: int) -> list[int]:
    """Greedy breaks after spaces, counting characters as columns (the fallback without libunistring)."""
    text = data.decode("utf-8")
    breaks, column, piece_start, last_break = [], start, 0, None
    offsets = [len(text[:i].encode("utf-8")) for i in range(len(text) + 1)]
    for i in range(1, len(text) + 1):
        if i == len(text) or (text[i - 1] == " " and text[i] != " "):
            piece = i - piece_start
            if last_break is not None and column + piece > width:
                breaks.append(offsets[last_break])
                column = 0
            column += piece
            last_break, piece_start = i, i
    return breaks


def string_lines(keyword: str, value: str, prefix: str = "") -> list[str]:
    """`keyword "value"` as gettext writes it: one line if it fits, else `keyword ""` and wrapped pieces."""
    lines: list[str] = []
    first = True
    after_break = len(prefix) + 1  # a continuation line starts with the prefix and a quote
    width = PAGE_WIDTH - 1 - after_break  # room for the closing quote
    portions = value.splitlines(keepends=True) if value else [""]
    for number, portion in enumerate(portions):
        data, overrides = _escaped(portion)
        more = number < len(portions) - 1

        def start(first_line: bool) -> int:
            return len(prefix) + (len(keyword) + 1 if first_line else 0) + 1 - after_break

        breaks = _breaks(data, overrides, width, start(first))
        if first and data and (more or start(first) > width or breaks):
            lines.append(f'{prefix}{keyword} ""')
            first = False
            breaks = _breaks(data, overrides, width, start(first))
        head = f"{prefix}{keyword} " if first else prefix
        first = False
        cuts = [0, *breaks, len(data)]
        pieces = [data[a:b].decode("utf-8") for a, b in zip(cuts, cuts[1:])]
        lines.append(f'{head}"{pieces[0]}"')
        lines += [f'{prefix}"{piece}"' for piece in pieces[1:]]
    return lines


def _reference_lines(occurrences: list[tuple[str, str]]) -> list[str]:
    if not occurrences:
        return []
    lines, line, column = [], "#:", 2
    for name, number in occurrences:
        reference = f"{name}:{number}" if number else name
        if column > 2 and column + len(reference) + 1 > PAGE_WIDTH:
            lines.append(line)
            line, column = "#:", 2
        line += " " + reference
        column += len(reference) + 1
    return [*lines, line]


def _comment_lines(mark: str, text: str) -> Iterator[str]:
    if not text:
        return
    for line in text.split("\n"):
        if line.endswith("\\"):
            line += " "  # gettext's reader would join a comment ending in a backslash with the next line
        yield f"{mark} {line}" if line else mark


def entry_lines(entry: polib.POEntry) -> list[str]:
    """One entry (without the blank line before it), as msgcat writes it."""
    obsolete = entry.obsolete
    if obsolete and not (entry.msgstr or any(entry.msgstr_plural.values())):
        return []
    lines = [*_comment_lines("#", entry.tcomment), *_comment_lines("#.", entry.comment)]
    lines += _reference_lines(entry.occurrences)
    translated = bool(entry.msgstr) or any(entry.msgstr_plural.values())
    if "fuzzy" in entry.flags and (translated or obsolete):
        lines.append("#, fuzzy")
    previous = "#~| " if obsolete else "#| "
    if entry.previous_msgctxt is not None:
        lines += string_lines("msgctxt", entry.previous_msgctxt, previous)
    if entry.previous_msgid is not None:
        lines += string_lines("msgid", entry.previous_msgid, previous)
    prefix = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        lines += string_lines("msgctxt", entry.msgctxt, prefix)
    lines += string_lines("msgid", entry.msgid, prefix)
    if entry.msgid_plural:
        lines += string_lines("msgid_plural", entry.msgid_plural, prefix)
        for index in sorted(entry.msgstr_plural):
            lines += string_lines(f"msgstr[{index}]", entry.msgstr_plural[index], prefix)
    else:
        lines += string_lines("msgstr", entry.msgstr, prefix)
    return lines


def format_po(po: polib.POFile) -> str:
    """The whole file: header comment, header entry, then every entry, obsolete ones last."""
    header = polib.POEntry(
        msgid="", msgstr="".join(f"{key}: {value}\n" for key, value in po.ordered_metadata()), tcomment=po.header
    )
    if po.metadata_is_fuzzy:
        header.flags = ["fuzzy"]
    blocks = [entry_lines(header)]
    live = [e for e in po if not e.obsolete]
    blocks += [entry_lines(e) for e in live] + [entry_lines(e) for e in po if e.obsolete]
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"
