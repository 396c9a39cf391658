"""API keys: who may use the API, and how fast.

`translate api-key create NAME` prints a key once: 256 random bits from
`secrets`. Only its SHA-256 is stored, beside the invitations (the same local
file, never committed), with the first characters kept to tell keys apart in
`translate api-key list`. A fast hash is enough for a random token (nothing to
guess, unlike a password) and lets a request be matched by one lookup.
LibreTranslate stores its keys in plain text; a copy of this file lets no one in.

A key made with `--weblate` has no per-minute limit and is never refused for a
busy work queue: Weblate pauses its LibreTranslate service for 30 minutes on
any 429 or 503 (for every project of the instance), its automatic translation
sends 20 strings a request one request after another (so the server's own pace
bounds it), and a request answered from approved sentences in the memory takes
milliseconds, so no per-minute count, of texts or of requests, fits it.

The server keeps the active keys in memory and reads the table again only when
another connection changed the file since: SQLite's `PRAGMA data_version`, asked
on one connection kept open, moves with every commit made elsewhere (it reads the
WAL index in shared memory, no table). So a key just created works at once, a
revoked one is refused at once, and a stream of wrong keys costs no read. (A
time-based refresh, every 2 s and at most every 0.2 s on a miss, refused a key
created within 0.2 s of the server's last read: the test that makes a key and
uses it at once failed on a busy machine.)
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from translate.clock import utc_now
from translate.errors import UsageError
from translate.serve.access import TOKEN_BYTES, open_access_file, token_hash

DEFAULT_REQUESTS_PER_MINUTE = 600
MAX_REQUESTS_PER_MINUTE = 1_000_000
"""Highest limit a key may be given (0 is none at all); more would not fit SQLite's integers for long."""
PREFIX_CHARS = 6

_SCHEMA = """CREATE TABLE IF NOT EXISTS api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    requests_per_minute INTEGER NOT NULL CHECK (requests_per_minute >= 0),
    created TEXT NOT NULL,
    revoked TEXT,
    unthrottled INTEGER NOT NULL DEFAULT 0
)"""
_COLUMNS = "id, name, prefix, requests_per_minute, created, revoked, unthrottled"


@dataclass(frozen=True)
class ApiKey:
    """A key as `translate api-key list` shows it (never the key itself)."""

    id: int
    name: str
    prefix: str  # the key's first characters
    requests_per_minute: int  # 0 = no limit
    created: str
    revoked: str | None
    unthrottled: bool = False  # never refused for a busy queue either (a Weblate key)

    @property
    def state(self) -> str:
        return "revoked" if self.revoked else "active"


class ApiKeyStore:
    """The api_keys table of the access file; each call opens its own short connection."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.execute(_SCHEMA)
            if "unthrottled" not in {row[1] for row in db.execute("PRAGMA table_info(api_keys)")}:  # an older file
                db.execute("ALTER TABLE api_keys ADD COLUMN unthrottled INTEGER NOT NULL DEFAULT 0")
        self._lock = threading.Lock()
        self._active: dict[str, ApiKey] = {}
        self._watch: sqlite3.Connection | None = None  # kept open to ask whether the file changed
        self._watch_inode = -1
        self._watched: tuple[int, int] | None = None  # (inode, data_version) when the keys were last read

    def _db(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return open_access_file(self.path)

    def create(
        self, name: str, requests_per_minute: int = DEFAULT_REQUESTS_PER_MINUTE, unthrottled: bool = False
    ) -> tuple[ApiKey, str]:
        """A new key and its text (shown once, never stored); `unthrottled`: no limit at all (Weblate)."""
        name = " ".join(name.split())
        if not name:
            raise UsageError("give the key a name saying who uses it, e.g. translate api-key create weblate --weblate")
        if not 0 <= requests_per_minute <= MAX_REQUESTS_PER_MINUTE:
            raise UsageError(f"--requests-per-minute must be between 0 (no limit) and {MAX_REQUESTS_PER_MINUTE:,}")
        if unthrottled and requests_per_minute:
            raise UsageError(
                "a --weblate key has no per-minute limit (Weblate pauses its service for 30 minutes on a 429); "
                "leave out --requests-per-minute"
            )
        key = secrets.token_urlsafe(TOKEN_BYTES)
        with self._db() as db:
            number = db.execute(
                "INSERT INTO api_keys (name, key_hash, prefix, requests_per_minute, created, unthrottled) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (name, token_hash(key), key[:PREFIX_CHARS], requests_per_minute, utc_now(), int(unthrottled)),
            ).lastrowid
        [made] = [k for k in self.keys() if k.id == number]
        self._watched = None
        return made, key

    def keys(self) -> list[ApiKey]:
        """Every key, oldest first."""
        with self._db() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM api_keys ORDER BY id").fetchall()
        return [_key(row) for row in rows]

    def revoke(self, who: str) -> list[ApiKey]:
        """Revoke keys by number, by name (every key of that name) or by the key's first characters."""
        chosen = [
            k
            for k in self.keys()
            if (who.isdigit() and k.id == int(who))
            or k.name == who
            or (len(who) >= PREFIX_CHARS and k.prefix == who[:PREFIX_CHARS])
        ]
        if not chosen:
            raise UsageError(f"no API key numbered or named '{who}' (see translate api-key list)")
        with self._db() as db:
            for key in chosen:
                db.execute("UPDATE api_keys SET revoked = COALESCE(revoked, ?) WHERE id = ?", (utc_now(), key.id))
        self._watched = None
        return [k for k in self.keys() if k.id in {c.id for c in chosen}]

    def find(self, key: str) -> ApiKey | None:
        """The active key with this text, or None (unknown or revoked), as the file holds it now.

        The keys are read again only when the file changed since they were last read
        (see the module's docstring): a key created a moment ago works, one revoked a
        moment ago is refused, and a stream of wrong keys costs no read.
        """
        digest = token_hash(key)
        with self._lock:
            state = self._file_state()
            if state != self._watched:
                self._reload()
                self._watched = state
            return self._active.get(digest)

    def _file_state(self) -> tuple[int, int]:
        """The access file's inode and SQLite's data_version for it, which moves with every commit made by
        another connection (`translate api-key create` in another process, say); a file replaced is a new inode."""
        try:
            inode = self.path.stat().st_ino
        except OSError as err:
            raise UsageError(f"{self.path}: the access file cannot be read ({err.strerror or err})") from None
        if self._watch is None or self._watch_inode != inode:
            if self._watch is not None:
                self._watch.close()
            try:
                self._watch = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            except sqlite3.Error as err:
                raise UsageError(f"{self.path}: cannot open the access file ({err})") from None
            self._watch_inode = inode
        try:
            version = self._watch.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.DatabaseError as err:
            raise UsageError(f"{self.path}: not a usable access file ({err})") from None
        return inode, version

    def _reload(self) -> None:
        with self._db() as db:
            rows = db.execute(f"SELECT key_hash, {_COLUMNS} FROM api_keys WHERE revoked IS NULL").fetchall()
        self._active = {row[0]: _key(row[1:]) for row in rows}


def _key(row: tuple) -> ApiKey:
    number, name, prefix, per_minute, created, revoked, unthrottled = row
    return ApiKey(number, name, prefix, per_minute, created, revoked, bool(unthrottled))
