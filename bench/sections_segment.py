"""Benchmark section "segment": segmentation time at 0.25, 1 and 4 MB.

Scheduled runs meet whatever lands in texts/, so parsing must cost in proportion
to a text's size. The texts are both essays repeated to each size (headings,
lists, dialogue, quotes, note markers: every rule the segmenter has), parsed in
this process; the ratio column compares each time with the 0.25 MB one, and a
linear segmenter shows ratios near the size ratios (4 and 16). The segmenter
before this section existed took 0.2 s for 0.25 MB and 2.1 s for 1 MB.
"""

from __future__ import annotations

import statistics
import time

from common import Context, Row, section

from translate.segment import parse

SIZES_MB = (0.25, 1.0, 4.0)
ESSAYS = ("the-virtual-factory.txt", "the-virtual-factory-spectacle.md")


def sample_text(ctx: Context, size: int) -> str:
    """The essays, one after the other, repeated and cut to `size` characters."""
    essays = "\n\n".join((ctx.repo / "texts" / name).read_text(encoding="utf-8") for name in ESSAYS) + "\n\n"
    return (essays * (size // len(essays) + 1))[:size]


@section("segment")
def segment(ctx: Context) -> list[Row]:
    """Parse time per size (median of --repeat runs), per MB, and against the smallest size."""
    rows: list[Row] = []
    first = None
    for megabytes in SIZES_MB:
        text = sample_text(ctx, int(megabytes * 1_000_000))
        times = []
        for _ in range(max(ctx.repeat, 1)):
            started = time.perf_counter()
            document = parse(text, "sample.md")
            times.append(time.perf_counter() - started)
        seconds = statistics.median(times)
        first = first or seconds
        rows.append(
            {
                "size_mb": megabytes,
                "sentences": len(document.segments),
                "seconds": round(seconds, 3),
                "seconds_per_mb": round(seconds / megabytes, 3),
                "time_ratio": round(seconds / first, 1),
                "size_ratio": round(megabytes / SIZES_MB[0], 1),
            }
        )
    return rows
