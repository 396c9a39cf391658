"""Reading sources strictly and writing outputs atomically.

Reading: a source is read in bounded chunks (never more than the limit, so
`translate text /dev/zero` stops at once instead of filling memory), must be
UTF-8, and may hold only characters every export format can carry (XML's
characters: no NUL, ESC or other control character but tab and newline, the
rule of translate/human_input.py); a refusal names the line.

Writing: a failed or killed run must leave either the old file or the new one,
never half of one: every write goes to a temporary file in the same folder, is
flushed to disk, and is renamed over the target. A file that cannot be written
is a `WriteError` naming it and what is wrong, as what it is (`write_failure`): a
full disk (`DiskFull`), a read-only file system, a missing permission; never a
traceback, and never mistaken for damage.

Noticing change: `file_stamp` is the one cheap change detector (a file's inode,
size and time of change), for the caches and fingerprints that must not read a
file's bytes to know it is the same file.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO, NamedTuple

from translate.config import LimitsOptions
from translate.errors import DiskFull, InputFileError, WriteError
from translate.human_input import bad_character

READ_CHUNK = 1 << 20
"""Bytes read at a time: memory stays bounded by the limit, a NUL stops reading at once."""


class FileStamp(NamedTuple):
    """What changes when a file is written or replaced: its inode (a rename over it), size and time of change."""

    inode: int
    size: int
    mtime_ns: int

    def __str__(self) -> str:
        """'size:mtime_ns', as engine environments and signatures write it."""
        return f"{self.size}:{self.mtime_ns}"


def file_stamp(path: str | os.PathLike[str]) -> FileStamp | None:
    """A file's or folder's stamp, None when it is missing or cannot be read: a cheap change detector.

    Equal stamps mean "not changed" for every cache here; a write in the same
    nanosecond tick that keeps the size is missed, which is why nothing stored
    for good (a human decision) relies on a stamp, only caches and run skipping.
    """
    try:
        found = os.stat(path)
    except OSError:
        return None
    return FileStamp(found.st_ino, found.st_size, found.st_mtime_ns)


def stamp_text(path: str | os.PathLike[str]) -> str:
    """A file's stamp as text: 'size:mtime_ns', '-' when it does not exist (for environment strings)."""
    return str(file_stamp(path) or "-")


def read_source(path: Path | str, max_bytes: int = LimitsOptions.max_text_bytes) -> str:
    """Read a source text as UTF-8, refusing what cannot be a text to translate."""
    return decode_source(read_bytes(path, max_bytes), str(path))


def read_bytes(path: Path | str, max_bytes: int = LimitsOptions.max_text_bytes) -> bytes:
    """A file's bytes, read in bounded chunks (see read_stream), with a clear error for what is no file.

    Only a regular file is read: a named pipe would block the command for ever (and
    hold the run lock meanwhile), a device never ends. The file is opened without
    blocking and its kind checked on the open descriptor, so nothing can be swapped
    in between.
    """
    path = Path(path)
    if str(path) == "-":
        raise InputFileError("use read_stream() for '-'")
    if not os.path.lexists(path):
        raise InputFileError(f"{path}: no such file")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as err:
        raise InputFileError(f"{path}: {_unopenable(path, err)}") from None
    kind = _kind(os.fstat(fd).st_mode)
    if kind:
        os.close(fd)
        raise InputFileError(f"{path}: is {kind}, not a file to read")
    with os.fdopen(fd, "rb") as handle:
        try:
            return read_stream(handle, str(path), max_bytes)
        except OSError as err:
            raise InputFileError(f"{path}: cannot be read ({err.strerror or err})") from None


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in words ("" for a regular file)."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _unopenable(path: Path, err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "is a symbolic link in a loop; remove it"
    if err.errno == errno.ENOENT:
        return f"is a symbolic link to {os.readlink(path)!r}, which does not exist; remove it"
    if err.errno == errno.EISDIR:
        return "is a folder, not a file to read"
    return f"cannot be read ({err.strerror or err})"


def check_link(path: Path, *inside: Path) -> None:
    """Refuse a symbolic link found in a folder (texts/, a folder of PO files) that leads out of the
    folders given (the project, the folder named): a link to /etc/passwd among the texts would be
    translated into committed outputs. A link in a loop, or to nothing, is refused too."""
    if not path.is_symlink():
        return
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError) as err:  # RuntimeError: Python 3.11's word for a loop
        loop = isinstance(err, RuntimeError) or getattr(err, "errno", None) == errno.ELOOP
        raise InputFileError(f"{path}: {_unopenable(path, OSError(errno.ELOOP if loop else errno.ENOENT, ''))}") from None
    if not any(target.is_relative_to(Path(folder).resolve()) for folder in inside):
        raise InputFileError(f"{path}: is a link to {target}, outside the project: not read (copy the file in instead)")


def read_stream(stream: BinaryIO, name: str, max_bytes: int = LimitsOptions.max_text_bytes) -> bytes:
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
        raise write_failure(path, err) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException as err:  # an interrupt too: no temporary file left behind; re-raised below
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise write_failure(path, err) from None
        raise
    return True


_WRITE_HINT = "check the folder's owner, permissions and free space"

FULL = (errno.ENOSPC, errno.EDQUOT)
"""What a write answers on a full disk, or past the user's quota."""


def write_failure(path: Path | str, err: OSError, lost: str = "nothing written") -> WriteError:
    """A failed write named as what it is: a full disk, a read-only file system, a missing permission.

    `lost` says what became of the work ("nothing recorded"); a full disk is a
    `DiskFull` whose message starts "disk full:", so a person (and a script) tells
    it from damage at once.
    """
    reason = err.strerror or str(err)
    if err.errno in FULL:
        return DiskFull(f"disk full: {lost}; cannot write {path} ({reason}); free some space on that disk and try again")
    if err.errno == errno.EROFS:
        return WriteError(f"cannot write {path}: {reason}; {lost}; mount it writable, or work on a copy elsewhere")
    if err.errno in (errno.EACCES, errno.EPERM):
        return WriteError(f"cannot write {path}: {reason}; {lost}; check its owner and permissions")
    return WriteError(f"cannot write {path}: {reason}; {lost}; {_WRITE_HINT}")


def new_file_mode() -> int:
    """The mode a new file gets: 0666 less the umask, as the organizer's own tools would make it.

    One policy for every file the project writes (outputs, the memory's SQLite file,
    its text record): whoever may read the project's files may read these, no more.
    The umask is read from /proc (changing it to read it would race with other threads).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _file_mode(path: Path) -> int:
    """Keep an existing file's mode; new files get new_file_mode()."""
    if path.exists():
        return path.stat().st_mode & 0o7777
    return new_file_mode()


def atomic_write_text(path: Path | str, text: str) -> bool:
    """Write UTF-8 text atomically; return whether the file changed."""
    return atomic_write_bytes(path, text.encode("utf-8"))
