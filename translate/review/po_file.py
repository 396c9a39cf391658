"""PO files: reading, writing, and how an entry names its sentence.

Every entry's msgctxt is `<text-stem>:<sentence-hash>`, stable as long as the
text's name and the sentence are; the header's X-Source-Hash names the exact
source a file was made for. Export (po_export.py) and import (po_import.py)
agree on these through this module.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import polib

from translate.segment import Document

FUZZY = "fuzzy"


def segment_id(stem: str, source_hash: str) -> str:
    """The msgctxt of a sentence: stable as long as the text's name and the sentence are."""
    return f"{stem}:{source_hash}"


def source_digest(document: Document) -> str:
    """sha256 of the whole source text, so an import can tell which version a PO was made for."""
    return hashlib.sha256(document.source().encode("utf-8")).hexdigest()


def read_po(path: Path | str) -> polib.POFile:
    """Parse a PO file (polib raises OSError/ValueError with the line on bad syntax)."""
    return polib.pofile(str(path), wrapwidth=78)


def render_po(po: polib.POFile) -> str:
    rendered = str(po)
    return rendered if rendered.endswith("\n") else rendered + "\n"
