"""PO files: reading, writing, and how an entry names its sentence.

An entry is named by its msgid, the sentence itself: every distinct sentence of
a text is one entry (a sentence that occurs twice has two `#:` references), so
no msgctxt is needed and none is written; the review log records
`<text-stem>:<sentence-hash>` as the segment id. The header's X-Source-Hash
names the exact source a file was made for. Export (po_export.py) and import
(po_import.py) agree on these through this module; po_format.py writes the
text exactly as gettext would.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import polib

from translate.fileio import read_bytes
from translate.review.po_format import format_po
from translate.segment import Document

FUZZY = "fuzzy"


def segment_id(stem: str, source_hash: str) -> str:
    """The id of a sentence in a text, as the review log records it (older PO files used it as msgctxt)."""
    return f"{stem}:{source_hash}"


def source_digest(document: Document) -> str:
    """sha256 of the whole source text, so an import can tell which version a PO was made for."""
    return hashlib.sha256(document.source().encode("utf-8")).hexdigest()


MAX_PO_BYTES = 200_000_000
"""Largest PO file read: a PO holds each sentence twice with its comments, so a text at limits.max_text_bytes'
default (10 MB) makes one of well under this; a larger file is refused before it fills the memory."""

_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")


def read_po_bytes(path: Path | str) -> bytes:
    """A PO file's bytes: only a regular file (a named pipe would block the import, holding the run lock),
    at most MAX_PO_BYTES; InputFileError saying what it is otherwise."""
    return read_bytes(path, MAX_PO_BYTES)


def parse_po(data: bytes) -> polib.POFile:
    """Parse a PO file's bytes in the charset its header names (polib raises OSError/ValueError with the line
    on bad syntax; a wrong charset is a UnicodeDecodeError or LookupError)."""
    found = _CHARSET.search(data[:4096])
    charset = found.group(1).decode("ascii") if found and found.group(1).upper() != b"CHARSET" else "utf-8"
    text = data.decode(charset)
    if "\n" not in text:
        text += "\n"  # polib reads a string without a line break as a file name
    return polib.pofile(text, wrapwidth=78)


def read_po(path: Path | str) -> polib.POFile:
    """Read and parse a PO file (see read_po_bytes and parse_po)."""
    return parse_po(read_po_bytes(path))


def render_po(po: polib.POFile) -> str:
    """The file's text as gettext's msgcat would write it."""
    return format_po(po)


def msgfmt_errors(path: Path | str, data: bytes | None = None) -> str | None:
    """What gettext's msgfmt finds fatal in a PO file (its first lines), or None if it compiles.

    polib reads some broken files anyway (an unterminated string loses its last
    character), so a reviewer's file is checked by gettext itself before
    anything in it is believed. Without msgfmt installed, polib's reading decides.
    With `data` (the bytes already read), msgfmt reads them from its input, so the
    file is read once and never opened by a program that could block on it.
    """
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return None
    source = str(path) if data is None else "-"
    done = subprocess.run(
        [msgfmt, "-o", os.devnull, source], input=data, capture_output=True, env={**os.environ, "LC_ALL": "C.UTF-8"}
    )
    if done.returncode == 0:
        return None
    stderr = done.stderr.decode("utf-8", "replace").replace("<stdin>", str(path))
    lines = [line for line in stderr.splitlines() if line.strip()]
    return "; ".join(lines[:2])[:300] or f"msgfmt exited {done.returncode}"
