"""One run at a time: an advisory lock beside the translation memory.

Scheduled runs can overlap (a slow run, a manual run during a cron run). The
second one either waits for the lock or exits with a clear message. The lock is
an flock on a file, so the kernel releases it when a process dies, even by
SIGKILL: a killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from translate.errors import TranslateError, WriteError


class RunLocked(TranslateError):
    """Another run holds the lock."""


@contextmanager
def run_lock(memory_path: Path, wait: bool = False) -> Iterator[Path]:
    """Hold `<memory>.lock` for the duration of a run."""
    lock_path = Path(f"{memory_path}.lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)  # less the umask, as every file
    except OSError as err:
        raise WriteError(
            f"cannot take the run lock {lock_path} ({err.strerror or err}): this command writes the memory, "
            f"so {lock_path.parent} must be writable (reading commands and --dry-run work without)"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
            raise RunLocked(
                f"another translate run holds {lock_path.name} (pid {holder}); try again later or use --wait"
            ) from None
        try:  # who holds it, for the message of a run refused meanwhile: nice to have, not needed on a full disk
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        except OSError:
            pass
        yield lock_path
    finally:
        os.close(fd)
