"""Who is on which sentence, and where each person has been: leases and trails, in the access file.

Twenty volunteers who open the same text and follow the queue all landed on
its first sentence: 118 of 200 saves became conflicts (59 %). So the queue
hands each browser a sentence of its own: a *lease*, a row saying "this
session is on this sentence until then", short (`LEASE_SECONDS`) and renewed
while the page stays open (the page asks every `RENEW_SECONDS`). A lease that
is not renewed (a closed tab, a phone put away) simply expires, and the
sentence goes back to the queue. A person may still open a sentence someone
else holds, from the list or a link: the page then says who is on it, and the
revision check of every save still keeps both texts if both save.

A *trail* is the sentences a session has opened, in order, per text: "Previous"
walks back along it, so the sentence just saved is always one tap away (it
followed the re-sorted queue before, and the sentence just saved was never
reachable again).

Both live in the access file (local state, never committed, beside the
invitations), each call a short transaction of its own; `BEGIN IMMEDIATE`
makes two browsers asking for the next sentence at the same instant get two
different ones.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from translate.serve.access import open_access_file

LEASE_SECONDS = 120
"""How long a sentence stays with a browser that stops renewing it (a closed tab, a phone put away)."""
RENEW_SECONDS = 40
"""How often an open sentence page renews its lease (three chances before it lapses)."""
TRAIL_KEPT = 200
"""Sentences remembered per session and text for Previous."""

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS leases (
        language TEXT NOT NULL,
        text TEXT NOT NULL,
        source_hash TEXT NOT NULL,
        session INTEGER NOT NULL,
        person TEXT NOT NULL,
        expires TEXT NOT NULL,
        PRIMARY KEY (language, text, source_hash)
    )""",
    "CREATE INDEX IF NOT EXISTS leases_session ON leases (session)",
    """CREATE TABLE IF NOT EXISTS trail (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session INTEGER NOT NULL,
        language TEXT NOT NULL,
        text TEXT NOT NULL,
        source_hash TEXT NOT NULL,
        UNIQUE (session, language, text, source_hash)
    )""",
)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Holder:
    """Someone else on a sentence: their name, and until when (UTC) unless they renew."""

    person: str
    expires: str


class Presence:
    """Leases and trails of one access file. Each call is one short transaction on its own connection
    (thread-safe), committed without waiting for the disk: a lease lost to a power cut only expires early."""

    def __init__(self, path: Path | str, clock: Callable[[], datetime] | None = None) -> None:
        self.path = Path(path)
        self.clock = clock or (lambda: datetime.now(UTC))
        with open_access_file(self.path) as db:
            for statement in _SCHEMA:
                db.execute(statement)

    def _times(self) -> tuple[str, str]:
        now = self.clock()
        return _stamp(now), _stamp(now + timedelta(seconds=LEASE_SECONDS))

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with open_access_file(self.path) as db:
            # WAL with synchronous=NORMAL: a commit does not wait for the disk (about 25 ms each under
            # load, four per save), and the file cannot be damaged; invitations keep their own setting.
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:  # any failure, an interrupt too: nothing half-saved, then it goes on up
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # -- what a page does: one transaction each ----------------------------------------

    def arrive(self, session: int, person: str, language: str, text: str, source_hash: str) -> tuple[Holder | None, str | None]:
        """A sentence page opens: lease it unless someone else holds it, put it on the trail; (who else holds
        it, the sentence before it on the trail)."""
        now, until = self._times()
        with self._transaction() as db:
            holder = _holder(db, session, language, text, source_hash, now)
            if holder is None:
                _lease(db, session, person, language, text, source_hash, until)
            _visit(db, session, language, text, source_hash)
            return holder, _previous(db, session, language, text, source_hash)

    def move_on(
        self, session: int, person: str, language: str, text: str, left: str, candidates: Iterable[str]
    ) -> tuple[str | None, str | None]:
        """After a decision on `left`: lease the first of `candidates` (queue order) no one else is on; (that
        sentence or None when every one is held, the sentence before the one shown on the trail)."""
        now, until = self._times()
        with self._transaction() as db:
            _visit(db, session, language, text, left)
            chosen = _first_free(db, session, language, text, candidates, now)
            if chosen is not None:
                _lease(db, session, person, language, text, chosen, until)
                _visit(db, session, language, text, chosen)
            return chosen, _previous(db, session, language, text, chosen or left)

    def take_first(self, session: int, person: str, language: str, text: str, candidates: Iterable[str]) -> str | None:
        """Lease the first of `candidates` (source hashes, in queue order) no other live lease holds, for this
        session, and release the session's other leases; None when every candidate is held by someone else."""
        now, until = self._times()
        with self._transaction() as db:
            chosen = _first_free(db, session, language, text, candidates, now)
            if chosen is not None:
                _lease(db, session, person, language, text, chosen, until)
            return chosen

    def hold(self, session: int, person: str, language: str, text: str, source_hash: str) -> Holder | None:
        """Lease (or renew) one sentence for this session unless someone else holds it; then return who does."""
        now, until = self._times()
        with self._transaction() as db:
            holder = _holder(db, session, language, text, source_hash, now)
            if holder is None:
                _lease(db, session, person, language, text, source_hash, until)
            return holder

    def release(self, session: int) -> None:
        """The session is on no sentence any more (it signed out)."""
        with self._transaction() as db:
            db.execute("DELETE FROM leases WHERE session = ?", (session,))

    def holders(self, language: str, text: str, session: int) -> dict[str, Holder]:
        """Sentences of a text other live sessions are on, by source hash."""
        now = _stamp(self.clock())
        with open_access_file(self.path) as db:
            rows = db.execute(
                "SELECT source_hash, person, expires FROM leases WHERE language = ? AND text = ? AND session != ? "
                "AND expires > ?",
                (language, text, session, now),
            ).fetchall()
        return {h: Holder(p, e) for h, p, e in rows}

    def sweep(self) -> int:
        """Forget leases that lapsed (they are ignored anyway); how many went."""
        with self._transaction() as db:
            return db.execute("DELETE FROM leases WHERE expires <= ?", (_stamp(self.clock()),)).rowcount

    def previous(self, session: int, language: str, text: str, source_hash: str) -> str | None:
        """The sentence before `source_hash` on the session's trail (the newest one when it is not on it)."""
        with open_access_file(self.path) as db:
            return _previous(db, session, language, text, source_hash)


def _holder(db: sqlite3.Connection, session: int, language: str, text: str, source_hash: str, now: str) -> Holder | None:
    row = db.execute(
        "SELECT person, expires FROM leases WHERE language = ? AND text = ? AND source_hash = ? AND session != ? AND expires > ?",
        (language, text, source_hash, session, now),
    ).fetchone()
    return Holder(*row) if row else None


def _first_free(
    db: sqlite3.Connection, session: int, language: str, text: str, candidates: Iterable[str], now: str
) -> str | None:
    held = {
        row[0]
        for row in db.execute(
            "SELECT source_hash FROM leases WHERE language = ? AND text = ? AND session != ? AND expires > ?",
            (language, text, session, now),
        )
    }
    return next((h for h in candidates if h not in held), None)


def _lease(db: sqlite3.Connection, session: int, person: str, language: str, text: str, source_hash: str, until: str) -> None:
    """The session's one lease, on this sentence (a session is on one sentence at a time)."""
    db.execute("DELETE FROM leases WHERE session = ?", (session,))
    db.execute(
        "INSERT OR REPLACE INTO leases (language, text, source_hash, session, person, expires) VALUES (?, ?, ?, ?, ?, ?)",
        (language, text, source_hash, session, person, until),
    )


def _visit(db: sqlite3.Connection, session: int, language: str, text: str, source_hash: str) -> None:
    """Put a sentence on the session's trail through a text (one already on it keeps its place)."""
    db.execute(
        "INSERT OR IGNORE INTO trail (session, language, text, source_hash) VALUES (?, ?, ?, ?)",
        (session, language, text, source_hash),
    )
    db.execute(
        "DELETE FROM trail WHERE session = ? AND language = ? AND text = ? AND id <= "
        "(SELECT id FROM trail WHERE session = ? AND language = ? AND text = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
        (session, language, text, session, language, text, TRAIL_KEPT),
    )


def _previous(db: sqlite3.Connection, session: int, language: str, text: str, source_hash: str) -> str | None:
    rows = [
        row[0]
        for row in db.execute(
            "SELECT source_hash FROM trail WHERE session = ? AND language = ? AND text = ? ORDER BY id", (session, language, text)
        )
    ]
    if source_hash in rows:
        place = rows.index(source_hash)
        return rows[place - 1] if place > 0 else None
    return rows[-1] if rows else None
