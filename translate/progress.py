"""Progress reporting, the one shape every long step uses.

The library never draws anything: a caller hands it a `StartTask`, and each
long step (an engine pass, a batch of handouts) calls it once with a
description and a total, then calls the returned `Progress` with the number of
items just finished. The command line turns this into progress bars on a
terminal (`translate.cli.common.progress_bars`); everything else passes
`no_progress`.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int], None]
"""Called with the number of items just finished."""

StartTask = Callable[[str, int], Progress]
"""start_task(description, total) returns the task's Progress."""


def no_progress(description: str, total: int) -> Progress:
    """A StartTask that reports nothing."""
    return lambda n: None
