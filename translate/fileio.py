"""Reading sources strictly and writing outputs atomically.

Reading: a source is read in bounded chunks (never more than the limit, so
`translate text /dev/zero` stops at once instead of filling memory), must be
UTF-8, and may hold only characters every export format can carry (XML's
characters: no NUL, ESC or other control character but tab and newline, the
rule of translate/human_input.py); a refusal names the line.

Writing: a failed or killed run must leave either the old file or the new one,
never half of one: every write goes to a temporary file in the same folder, is
flushed to disk, and is renamed over the target. A file that cannot be written
(permissions, a full disk) is a `WriteError` naming it, not a traceback.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from translate.errors import InputFileError, WriteError
from translate.human_input import bad_character

DEFAULT_MAX_TEXT_BYTES = 10_000_000
"""Largest source read when the configuration says nothing (limits.max_text_bytes)."""

READ_CHUNK = 1 << 20
"""Bytes read at a time: memory stays bounded by the limit, a NUL stops reading at once."""


def read_source(path: Path | str, max_bytes: int = DEFAULT_MAX_TEXT_BYTES) -> str:
    """Read a source text as UTF-8, refusing what cannot be a text to translate."""
    return decode_source(read_bytes(path, max_bytes), str(path))


def read_bytes(path: Path | str, max_bytes: int = DEFAULT_MAX_TEXT_BYTES) -> bytes:
    """A source file's bytes, read in bounded chunks (see read_stream), with a clear error for what is no file."""
    path = Path(path)
    if str(path) == "-":
        raise InputFileError("use read_stream() for '-'")
    if not path.exists():
        raise InputFileError(f"{path}: no such file")
    if path.is_dir():
        raise InputFileError(f"{path}: is a folder, not a text file")
    try:
        with open(path, "rb") as handle:
            return read_stream(handle, str(path), max_bytes)
    except OSError as err:
        raise InputFileError(f"{path}: cannot be read ({err.strerror or err})") from None


def read_stream(stream: BinaryIO, name: str, max_bytes: int = DEFAULT_MAX_TEXT_BYTES) -> bytes:
    """At most `max_bytes` from a file or pipe, in chunks; a NUL or one byte more is refused at once."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(min(READ_CHUNK, max_bytes + 1 - size))
        if not chunk:
            return b"".join(chunks)
        if b"\x00" in chunk:
            line = b"".join(chunks).count(b"\n") + chunk[: chunk.index(b"\x00")].count(b"\n") + 1
            raise InputFileError(f"{name}: a NUL byte at line {line}: looks like a binary file, not text")
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise InputFileError(
                f"{name}: larger than {max_bytes:,} bytes (limits.max_text_bytes in translate.toml); "
                "split it into several texts or raise the limit"
            )


def decode_source(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 text with a clear error for empty, binary or other encodings."""
    if not data.strip():
        raise InputFileError(f"{name}: file is empty")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputFileError(f"{name}: a NUL byte at line {line}: looks like a binary file, not text")
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
    check_characters(text, name)
    return text


def check_characters(text: str, name: str) -> None:
    """Refuse a character no export can carry (ESC, form feed, U+FFFF...), naming its line."""
    where = bad_character(text)
    if where is not None:
        raise InputFileError(f"{name}: {where}, which PO, TMX and handouts cannot carry; remove it")


def atomic_write_bytes(path: Path | str, data: bytes) -> bool:
    """Write data to path atomically; return False (and touch nothing) if unchanged."""
    path = Path(path)
    try:
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise WriteError(f"cannot write {path}: {err.strerror or err}; {_WRITE_HINT}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise WriteError(f"cannot write {path}: {err.strerror or err}; {_WRITE_HINT}") from None
        raise
    return True


_WRITE_HINT = "check the folder's owner, permissions and free space"


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
