"""Reading sources strictly and writing outputs atomically.

A failed or killed run must leave either the old file or the new one, never half
of one: every write goes to a temporary file in the same folder, is flushed to
disk, and is renamed over the target.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from translate.errors import InputFileError


def read_source(path: Path | str) -> str:
    """Read a source text as UTF-8, refusing what cannot be a text to translate."""
    path = Path(path)
    if str(path) == "-":
        raise InputFileError("use read_stdin() for '-'")
    if not path.exists():
        raise InputFileError(f"{path}: no such file")
    if path.is_dir():
        raise InputFileError(f"{path}: is a folder, not a text file")
    data = path.read_bytes()
    return decode_source(data, str(path))


def decode_source(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 text with a clear error for empty, binary or other encodings."""
    if not data.strip():
        raise InputFileError(f"{name}: file is empty")
    if b"\x00" in data[:8192]:
        raise InputFileError(f"{name}: looks like a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputFileError(
            f"{name}: not valid UTF-8 (byte 0x{data[err.start]:02x} at line {line}); "
            "convert it first, e.g. iconv -f latin1 -t utf-8"
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def atomic_write_bytes(path: Path | str, data: bytes) -> bool:
    """Write data to path atomically; return False (and touch nothing) if unchanged."""
    path = Path(path)
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _file_mode(path: Path) -> int:
    """Keep an existing file's mode; new files get the usual 0666 less the umask."""
    if path.exists():
        return path.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write_text(path: Path | str, text: str) -> bool:
    """Write UTF-8 text atomically; return whether the file changed."""
    return atomic_write_bytes(path, text.encode("utf-8"))
