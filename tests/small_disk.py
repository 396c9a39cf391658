"""A real full disk for tests: a small tmpfs mounted on a folder, filled to its last byte.

`small_disk(folder)` mounts a 3 MB tmpfs there (root only: where mounting is not
permitted the test is skipped, saying so) and unmounts it afterwards. `fill(folder)`
writes a filler file until the kernel answers ENOSPC; `leave(filler, n)` gives
back `n` bytes, so a test puts the disk at exactly the point it wants. Nothing is
simulated: SQLite, the text record and the outputs meet the kernel's own errors.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PAGE = 4096


@contextmanager
def small_disk(folder: Path, size: str = "3m") -> Iterator[Path]:
    """`folder` (made if missing, emptied) as the root of a tmpfs of `size` for the duration."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a full-disk test mounts a small tmpfs, which needs root (CI runs as root)")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)  # a connection left open in a failing test


def fill(folder: Path) -> Path:
    """Fill the disk holding `folder` to its last byte; the filler file, to give space back with `leave`."""
    filler = folder / f"filler-{uuid.uuid4().hex[:8]}"
    block = b"\0" * PAGE
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(block)
        except OSError as err:
            assert err.errno == 28, err  # ENOSPC: full
    return filler


def leave(filler: Path, free: int) -> None:
    """Give back about `free` bytes (whole pages) of the filled disk."""
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - free))


def free_bytes(folder: Path) -> int:
    stat = os.statvfs(folder)
    return stat.f_bavail * stat.f_frsize


def copy_folder(source: Path, target: Path) -> None:
    """Put `source`'s files into `target` (emptied first), as a fresh copy of the memory for each try."""
    for child in target.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
    shutil.copytree(source, target, dirs_exist_ok=True)
