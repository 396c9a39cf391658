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
import shutil
import subprocess
from pathlib import Path

import polib

from translate.review.po_format import format_po
from translate.segment import Document

FUZZY = "fuzzy"


def segment_id(stem: str, source_hash: str) -> str:
    """The id of a sentence in a text, as the review log records it (older PO files used it as msgctxt)."""
    return f"{stem}:{source_hash}"


def source_digest(document: Document) -> str:
    """sha256 of the whole source text, so an import can tell which version a PO was made for."""
    return hashlib.sha256(document.source().encode("utf-8")).hexdigest()


def read_po(path: Path | str) -> polib.POFile:
    """Parse a PO file (polib raises OSError/ValueError with the line on bad syntax)."""
    return polib.pofile(str(path), wrapwidth=78)


def render_po(po: polib.POFile) -> str:
    """The file's text as gettext's msgcat would write it."""
    return format_po(po)


def msgfmt_errors(path: Path | str) -> str | None:
    """What gettext's msgfmt finds fatal in a PO file (its first lines), or None if it compiles.

    polib reads some broken files anyway (an unterminated string loses its last
    character), so a reviewer's file is checked by gettext itself before
    anything in it is believed. Without msgfmt installed, polib's reading decides.
    """
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return None
    done = subprocess.run(
        [msgfmt, "-o", os.devnull, str(path)], capture_output=True, text=True, env={**os.environ, "LC_ALL": "C.UTF-8"}
    )
    if done.returncode == 0:
        return None
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    return "; ".join(lines[:2])[:300] or f"msgfmt exited {done.returncode}"
