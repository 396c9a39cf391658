"""The order in which the review pages offer a text's sentences.

Reading order for now: each distinct sentence where it first occurs. The
quality checks will rank sentences by how much they need a person (flagged
first); `order` is the one place the pages ask, so that ranking replaces the
body of this function and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from translate.memory.records import MemoryEntry
from translate.segment import Segment
from translate.texts import SourceText


def order(text: SourceText, segments: Sequence[Segment], entries: Mapping[str, MemoryEntry]) -> list[str]:
    """Source hashes of the text's distinct sentences, the one most in need of a person first."""
    del text, entries  # the ranking by quality signals will read them
    return [s.source_hash for s in segments]
