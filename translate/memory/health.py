"""Is the memory's SQLite file fit to open: empty, damaged, read-only, or gone during a run?

The SQLite file is the working copy of the committed text record (reviews.jsonl
and drafts/, see journal.py). Whatever happens to it, nothing a person decided
may be lost or reverted in silence:

- An empty review record (reviews.jsonl only ever grows) is refused too: read
  as "no decisions", it would revert every approved text.
- An existing file of 0 bytes, or one that does not start as SQLite files do,
  or one whose pages SQLite finds damaged (`PRAGMA quick_check`, 2 ms for the
  1.4 MB memory of both essays in 17 languages, 72 ms for a 46 MB one: so a
  process checks a file once until it or its log changes, and the review
  server's per-request opens cost 0.8 ms there) is refused with one line that
  says what to do: `translate memory rebuild`, which sets the file aside and
  fills a new one from the text record.
- A new memory file is made under a temporary name and linked into place once
  its schema is written, so a process killed while creating it leaves no
  empty file behind (an empty file is otherwise a sign of damage).
- A memory that only has to be read (status, handouts, review status, memory
  export, a dry run) is copied into RAM and brought up to date there from the
  text record: it works in a read-only folder, on a read-only file, and on a
  fresh clone where the SQLite file does not exist yet, and writes nothing.
- A run remembers which file it opened; if that file is deleted or replaced
  while it runs, it says so at the end, and where its work is (`vanished`).
- A full disk, a read-only file system or a missing permission is named as what
  it is (`storage_error`), never as damage: rebuilding would not help, and
  `translate memory rebuild` sets a file aside only when it is damaged.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from translate.errors import TranslateError, UsageError, WriteError
from translate.fileio import FileStamp, file_stamp, new_file_mode, write_failure

SQLITE_HEADER = b"SQLite format 3\x00"
REBUILD = "translate memory rebuild"


class MemoryDamaged(UsageError):
    """The memory file is empty or damaged: refused until it is rebuilt or restored."""


class MemoryReadOnly(TranslateError):
    """A command that writes met a memory it cannot write (a read-only folder or file)."""


# SQLite's primary result codes (an extended code's low byte): https://sqlite.org/rescode.html
SQLITE_PERM, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN = 3, 8, 10, 13, 14
NOTHING_RECORDED = "nothing recorded"


def _no_space_left(folder: Path) -> bool:
    """Whether the disk holding `folder` has (next to) no space left: SQLite reports some full-disk writes as I/O errors."""
    try:
        stat = os.statvfs(folder)
    except OSError:
        return False
    return stat.f_bavail * stat.f_frsize < 64 * 1024


def read_only(path: Path, detail: object) -> MemoryReadOnly:
    """A command that writes met a memory it cannot write: one line saying what to make writable."""
    return MemoryReadOnly(
        f"{path}: the translation memory cannot be written ({detail}); this command stores its work there: "
        f"make {path.name} and {path.parent} writable (reading commands and --dry-run work without)"
    )


def cannot_make(path: Path, err: OSError) -> TranslateError:
    """The memory's folder or file could not be made: a full disk, or a folder that cannot be written."""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return write_failure(path, err, NOTHING_RECORDED)
    return read_only(path, err.strerror or err)


def storage_error(path: Path, err: sqlite3.Error) -> TranslateError | None:
    """What an SQLite error about the memory file's storage is, as one line: a full disk (`DiskFull`),
    a read-only file or folder, a missing permission; None for anything else (damage, a bug).

    Nothing was recorded when a write transaction fails this way: SQLite rolls it back.
    """
    code = (getattr(err, "sqlite_errorcode", None) or 0) & 0xFF
    if code == SQLITE_FULL or (code == SQLITE_IOERR and _no_space_left(path.parent)):
        return write_failure(path, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), NOTHING_RECORDED)
    if code in (SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN) or "readonly" in str(err) or "unable to open" in str(err):
        return read_only(path, err)
    if code == SQLITE_IOERR:
        return WriteError(f"{path}: the disk reported an error ({err}); {NOTHING_RECORDED}; check the disk, then try again")
    return None


def record_beside(path: Path) -> bool:
    """Whether the committed text record (<name>.reviews.jsonl or <name>.drafts/) is beside the SQLite file."""
    return (path.parent / f"{path.stem}.reviews.jsonl").exists() or (path.parent / f"{path.stem}.drafts").is_dir()


def present(path: Path) -> bool:
    """Whether there is a memory to read: the SQLite file, or a text record to build it from."""
    return path.exists() or record_beside(path)


def what_to_do(path: Path) -> str:
    if record_beside(path):
        return f"rebuild it from its committed text record: {REBUILD}"
    return "restore it from a backup, or move it away to start an empty memory"


def damaged(path: Path, detail: str) -> MemoryDamaged:
    return MemoryDamaged(f"{path}: the translation memory is damaged ({detail}); {what_to_do(path)}")


def check_file(path: Path) -> None:
    """Refuse an existing memory file that is empty or is no SQLite file (before SQLite opens it)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as err:
        raise MemoryReadOnly(f"{path}: cannot be read ({err.strerror or err}); check its permissions") from None
    if not head:
        raise damaged(path, "the file is empty, 0 bytes")
    if head != SQLITE_HEADER:
        raise damaged(path, "not an SQLite file")


def check_record(reviews: Path) -> None:
    """Refuse an empty review record: it is only ever appended to, so 0 bytes means it was truncated."""
    if reviews.exists() and reviews.stat().st_size == 0:
        raise MemoryDamaged(
            f"{reviews}: the record of people's decisions is empty (0 bytes), but it only ever grows; restore it "
            f"(e.g. git checkout -- {reviews.name} in {reviews.parent}), or delete it if no one ever reviewed here"
        )


_FOUND_SOUND: dict[Path, tuple[FileStamp | None, FileStamp | None]] = {}  # path -> its files' stats when last found sound


def _stats(path: Path) -> tuple[FileStamp | None, FileStamp | None]:
    """The memory file's and its write-ahead log's identity, size and time of change (None where absent)."""
    return file_stamp(path), file_stamp(f"{path}-wal")


def check_pages(db: sqlite3.Connection, path: Path) -> None:
    """Refuse a memory whose pages SQLite finds damaged (garbage written into the file, a torn copy).

    A file found sound is not checked again by this process until it or its log
    changes (`translate serve` opens the memory for every request; quick_check
    reads every page, so its cost grows with the memory)."""
    stats = _stats(path)
    if _FOUND_SOUND.get(path) == stats:
        return
    try:
        rows = db.execute("PRAGMA quick_check").fetchall()
    except sqlite3.OperationalError:
        raise  # busy, or a read-only folder: not damage (the caller says which)
    except sqlite3.DatabaseError as err:
        raise damaged(path, str(err)) from None
    if rows != [("ok",)]:
        _FOUND_SOUND.pop(path, None)
        raise damaged(path, "; ".join(str(row[0]) for row in rows[:2]))
    _FOUND_SOUND[path] = stats


def damage(path: Path) -> str | None:
    """What is damaged in the memory file, or None if it is sound (read without writing anything).

    `translate memory rebuild` asks this before it moves a file aside: a file that
    could not be opened for another reason (a full disk, permissions) is kept in place.
    """
    try:
        check_file(path)
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = db.execute("PRAGMA quick_check").fetchall()
        finally:
            db.close()
    except MemoryDamaged as err:
        return str(err)
    except sqlite3.OperationalError:
        return None  # busy, or unreadable: not damage
    except sqlite3.DatabaseError as err:
        return str(err)
    return None if rows == [("ok",)] else "; ".join(str(row[0]) for row in rows[:2])


def set_aside(path: Path) -> Path | None:
    """Move a damaged memory file (and its -wal, -shm) out of the way; return where it went."""
    if not path.exists():
        return None
    aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%dT%H%M%S')}")
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return aside


def create(path: Path, initialise: Callable[[sqlite3.Connection], None]) -> None:
    """Make a new memory file atomically: `initialise(connection)` runs on a temporary file that is then linked in.

    If another process created the file meanwhile, theirs is kept and ours dropped.
    """
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)  # one per thread
    os.fchmod(handle, new_file_mode())  # as any new file of the project, not mkstemp's 0600
    os.close(handle)
    temporary = Path(name)
    try:
        db = sqlite3.connect(temporary, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            initialise(db)
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: theirs is the memory
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(temporary, path)
    finally:
        for leftover in (temporary, Path(f"{temporary}-wal"), Path(f"{temporary}-shm")):
            leftover.unlink(missing_ok=True)


def copy_into_ram(path: Path) -> sqlite3.Connection:
    """A private in-memory copy of the memory file (read without writing anything, even a -shm file)."""
    ram = sqlite3.connect(":memory:", isolation_level=None)
    if not path.exists():
        return ram
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            source.backup(ram)
        finally:
            source.close()
    except sqlite3.OperationalError:
        # A read-only folder without the -shm file a WAL reader needs: read the file as it is on disk.
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            source.backup(ram)
        finally:
            source.close()
    return ram


def identity(path: Path) -> tuple[int, int] | None:
    """Which file `path` is now (device, inode), or None if there is none."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_dev, stat.st_ino


def vanished(path: Path, opened: tuple[int, int] | None) -> str | None:
    """If the memory file opened as `opened` was deleted or replaced since, what that means for the run's work."""
    if opened is None or identity(path) == opened:
        return None
    how = "deleted" if not path.exists() else "replaced by another file"
    if record_beside(path):
        return (
            f"{path} was {how} during the run; this run's drafts are in its text record "
            f"({path.stem}.drafts/), from which the next run or `{REBUILD}` brings the memory back"
        )
    return (
        f"{path} was {how} during the run, and its text record is gone too: this run's translations are "
        "lost with it; restore the memory folder (e.g. git checkout -- memory) and run again"
    )
