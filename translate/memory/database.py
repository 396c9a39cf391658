"""The memory file's SQLite connection and the one rule every write follows.

The file is safe for scheduled runs: WAL mode lets readers and one writer work
at once, `busy_timeout` makes a second writer wait instead of failing, and every
multi-row write is one transaction (`Database.transaction`), so a process killed
at any instant leaves either all of a batch or none of it. What a transaction
appended to the committed text record is taken back when it fails (`undo`).

`TranslationMemory` (store.py) owns one `Database`; its sibling modules (sync,
delivered, tmx) reach it through the memory's `connection` and `transaction()`.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from translate.errors import TranslateError
from translate.memory import health
from translate.memory.schema import MIGRATIONS

BUSY_TIMEOUT_MS = 30_000
"""How long a connection waits for another process's write before giving up."""


def initialise(db: sqlite3.Connection) -> None:
    """A new memory's schema, every migration in one transaction (health.create runs it on a temporary file)."""
    db.execute("BEGIN")
    for number, statements in enumerate(MIGRATIONS, 1):
        for statement in statements:
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {number}")
    db.execute("COMMIT")


def is_busy(err: sqlite3.OperationalError) -> bool:
    """Whether SQLite refused because another connection holds the lock (wait and retry, or say so)."""
    return "locked" in str(err) or "busy" in str(err)


class Database:
    """One memory file's connection: opened with WAL and a busy timeout, written only in `transaction()`."""

    def __init__(self, path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS, readonly: bool = False) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.readonly = readonly
        self.writable = True  # False once a read-only memory is up to date: every later write is refused
        self.refusal: TranslateError | None = None  # why a write is refused, when opened read-only for a reason
        self.undo: list[Callable[[], None]] = []  # what to take back if the write transaction fails
        self.opened: tuple[int, int] | None = None  # the file's identity when opened (see `vanished`)
        self._connection: sqlite3.Connection | None = None

    @property
    def connection(self) -> sqlite3.Connection:
        if self._connection is None:
            raise TranslateError(f"{self.path}: the translation memory is closed")
        return self._connection

    def open(self) -> None:
        """Connect: the file itself (made if missing, its pages checked), or for `readonly` a copy in RAM."""
        if self.readonly:
            self._connection = health.copy_into_ram(self.path)
            health.check_pages(self._connection, self.path)
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():
                health.create(self.path, initialise)
        except OSError as err:
            raise health.cannot_make(self.path, err) from None
        self.opened = health.identity(self.path)
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so a writer
        # takes the write lock up front and waits for it instead of failing.
        db = self._connection = sqlite3.connect(self.path, timeout=self.busy_timeout_ms / 1000, isolation_level=None)
        health.check_pages(db, self.path)
        db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        db.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode: a killed process never corrupts or half-writes; a power
        # cut may lose the last commits but still leaves a consistent file.
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")

    def close(self) -> None:
        """Close the connection, if open (safe to call twice, and after a failed open)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    @property
    def schema_version(self) -> int:
        return self.connection.execute("PRAGMA user_version").fetchone()[0]

    def named(self, err: sqlite3.OperationalError) -> TranslateError:
        """An SQLite error as what it is: storage (a full disk, read-only, permissions) before damage."""
        return health.storage_error(self.path, err) or health.damaged(self.path, str(err))

    def busy_error(self) -> TranslateError:
        return TranslateError(
            f"{self.path}: translation memory stayed locked by another process for "
            f"{self.busy_timeout_ms / 1000:g} s; is another run still writing?"
        )

    def vanished(self) -> str | None:
        """If the file this memory opened was deleted or replaced since, what became of the work (see health.py)."""
        return health.vanished(self.path, self.opened)

    def checkpoint(self) -> bool:
        """Fold the WAL into the main file, so that file alone is complete; False if a reader held it back,
        or the disk has no room for it (the work is safe in the WAL either way: the next checkpoint folds it)."""
        try:
            busy, _, _ = self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError as err:
            if health.storage_error(self.path, err) is None:
                raise
            return False
        return busy == 0

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or none of it, here and in the text record.

        What the transaction appended to the committed text record is taken back
        when it fails, the COMMIT included (`undo`, see Journal). A full disk, a
        read-only file or a missing permission is named as such (never "damaged").
        """
        if not self.writable:
            raise self.refusal or health.MemoryReadOnly(f"{self.path}: opened read-only, for reading; nothing was changed")
        db = self.connection
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            if is_busy(err):
                raise self.busy_error() from None
            raise health.storage_error(self.path, err) or err from None
        self.undo = []
        try:
            yield db
            db.execute("COMMIT")
        except BaseException as err:  # an interrupt too: rolled back and the undo log applied, then re-raised
            if db.in_transaction:  # SQLite may have rolled back already (a full disk at COMMIT)
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            for undo in reversed(self.undo):
                undo()
            named = health.storage_error(self.path, err) if isinstance(err, sqlite3.OperationalError) else None
            if named is not None:
                raise named from None
            raise
        finally:
            self.undo = []
