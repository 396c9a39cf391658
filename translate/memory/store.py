"""The translation memory: every sentence translated, reviewed or imported, in one SQLite file.

A run asks the memory which sentences it already knows (`plan`), translates
only the rest, and stores what the engine returned (`store_machine`). Human
review is recorded as decisions in an append-only log (`record_review`) and
lifts an entry to 'draft' or 'approved'; machine output never replaces a
reviewed entry. Each document's last segment layout is kept with its history so
a PO export can show the previous source of a changed sentence.

The file is safe for scheduled runs: WAL mode lets readers and one writer work
at once, `busy_timeout` makes a second writer wait instead of failing, and every
multi-row write is one transaction, so a process killed at any instant leaves
either all of a batch or none of it.

This module is longer than the project's usual 400 lines on purpose: it is one
class whose every method shares one connection and one transaction rule
(`_write`); split over files, that rule would be harder to see and to keep.
The records it hands out are in `records.py`, the schema in `schema.py`.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Self

from translate.clock import utc_now
from translate.errors import TranslateError, UsageError
from translate.memory.notes import Notes
from translate.memory.records import (
    DECISION_STATUSES,
    ENTRY_STATUSES,
    LayoutRow,
    MemoryEntry,
    Plan,
    ReviewDecision,
)
from translate.memory.schema import MIGRATIONS, SCHEMA_VERSION  # _migrate reads them through this module
from translate.segment import sentence_hash

BUSY_TIMEOUT_MS = 30_000
"""How long a connection waits for another process's write before giving up."""

LOOKUP_CHUNK = 500
"""Hashes per SELECT ... IN (...): far below SQLite's variable limit, few queries."""

EARLIER_MACHINE_KEPT = 5
"""Replaced machine texts remembered per entry (to recognise an old, untouched PO)."""

LAYOUT_RUNS_KEPT = 10
"""Layout runs kept per document; only the current and previous one are read."""

_ENTRY_COLUMNS = (
    "source_hash, source_lang, target_lang, source_text, machine_text, signature, "
    "status, final_text, reviewer, notes, created, updated"
)


def _entry(row: Sequence[Any]) -> MemoryEntry:
    values = list(row)
    values[9] = Notes.from_json(values[9])
    return MemoryEntry(*values)


def _log_review(db: sqlite3.Connection, d: ReviewDecision, time: str) -> None:
    db.execute(
        "INSERT INTO review_log (source_hash, source_lang, target_lang, reviewer, time, machine_text, "
        "final_text, status, document, segment_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (d.source_hash, d.source_lang, d.target_lang, d.reviewer, time, d.machine_text, d.final_text,
         d.status, d.document, d.segment_id, d.note),
    )


def _is_busy(err: sqlite3.OperationalError) -> bool:
    return "locked" in str(err) or "busy" in str(err)


def _unique(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(texts))


class TranslationMemory:
    """A translation memory file; open it, use it, close it (or use `with`)."""

    def __init__(self, path: Path | str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise UsageError(f"{self.path}: is a folder, not a translation memory file")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._busy_timeout_ms = busy_timeout_ms
        deadline = time.monotonic() + busy_timeout_ms / 1000
        while True:
            try:
                self._open()
                return
            except sqlite3.OperationalError as err:
                self._close_quietly()
                # Switching a brand-new file to WAL takes an exclusive lock that SQLite
                # does not wait for: two runs opening it at once retry instead of failing.
                if _is_busy(err) and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                if _is_busy(err):
                    raise self._busy_error() from None
                raise UsageError(f"{self.path}: not a usable translation memory ({err})") from None
            except sqlite3.DatabaseError as err:
                self._close_quietly()
                raise UsageError(f"{self.path}: not a usable translation memory ({err})") from None
            except BaseException:
                self._close_quietly()
                raise

    def _open(self) -> None:
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so a writer
        # takes the write lock up front and waits for it instead of failing.
        self._db = sqlite3.connect(self.path, timeout=self._busy_timeout_ms / 1000, isolation_level=None)
        self._db.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
        self._db.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode: a killed process never corrupts or half-writes; a power
        # cut may lose the last commits but still leaves a consistent file.
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._migrate()

    # -- lifecycle -----------------------------------------------------------

    def _close_quietly(self) -> None:
        db = getattr(self, "_db", None)
        if db is not None:
            db.close()
            self._db = None  # type: ignore[assignment]

    def close(self) -> None:
        self._close_quietly()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def checkpoint(self) -> bool:
        """Fold the WAL into the main file, so that file alone is complete; False if a reader held it back."""
        busy, _, _ = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return busy == 0

    @property
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise TranslateError(
                f"{self.path}: translation memory schema version {version} is newer than this "
                f"translate supports ({SCHEMA_VERSION}); upgrade translate to use it"
            )
        if version == SCHEMA_VERSION:
            return
        with self._write():
            version = self.schema_version  # another process may have migrated meanwhile
            for number in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[number - 1]:
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")

    def _busy_error(self) -> TranslateError:
        return TranslateError(
            f"{self.path}: translation memory stayed locked by another process for "
            f"{self._busy_timeout_ms / 1000:g} s; is another run still writing?"
        )

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or none of it."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            if _is_busy(err):
                raise self._busy_error() from None
            raise
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- entries -------------------------------------------------------------

    def lookup(self, texts: Iterable[str], source_lang: str, target_lang: str) -> dict[str, MemoryEntry]:
        """Entries for the texts the memory knows, keyed by source text (one query per chunk)."""
        by_hash = {sentence_hash(text): text for text in texts}
        hashes = list(by_hash)
        found: dict[str, MemoryEntry] = {}
        for start in range(0, len(hashes), LOOKUP_CHUNK):
            chunk = hashes[start : start + LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE source_lang = ? AND target_lang = ? "
                f"AND source_hash IN ({marks})",
                (source_lang, target_lang, *chunk),
            )
            for row in rows:
                entry = _entry(row)
                if entry.source_text == by_hash[entry.source_hash]:  # guard against a hash collision
                    found[entry.source_text] = entry
        return found

    def get(self, text: str, source_lang: str, target_lang: str) -> MemoryEntry | None:
        return self.lookup([text], source_lang, target_lang).get(text)

    def plan(self, texts: Iterable[str], source_lang: str, target_lang: str, signature: str) -> Plan:
        """Split texts into reuse / translate / stale for a run with this signature.

        Reviewed entries (approved or draft) are always reused: a new engine never
        silently replaces a human's work.
        """
        unique = _unique(texts)
        known = self.lookup(unique, source_lang, target_lang)
        plan = Plan()
        for text in unique:
            entry = known.get(text)
            if entry is None:
                plan.translate.append(text)
            elif entry.status != "machine" or (entry.signature == signature and entry.machine_text is not None):
                plan.reuse[text] = entry  # reviewed, or machine output of this very setup
            else:
                plan.stale.append(text)
        return plan

    def store_machine(
        self,
        rows: Iterable[tuple[str, str, Notes | None]],
        source_lang: str,
        target_lang: str,
        signature: str,
    ) -> int:
        """Insert or refresh machine translations in one transaction; return how many rows changed.

        Reviewed entries are left untouched. Storing the same thing twice changes
        nothing (not even `updated`).
        """
        now = utc_now()
        rows = list(rows)
        if not rows:
            return 0
        with self._write() as db:
            # A replaced machine text is remembered in notes.earlier_machine, so that a
            # PO file exported before the change and returned untouched is not read as an edit.
            before = self.lookup([src for src, _, _ in rows], source_lang, target_lang)
            params = []
            for src, mt, given in rows:
                notes = replace(given) if given is not None else Notes()
                old = before.get(src)
                if old is not None:
                    earlier = list(old.notes.earlier_machine or [])
                    if old.machine_text and old.machine_text != mt and old.machine_text not in earlier:
                        earlier = [*earlier, old.machine_text][-EARLIER_MACHINE_KEPT:]
                    if earlier:
                        notes.earlier_machine = earlier
                params.append(
                    (sentence_hash(src), source_lang, target_lang, src, mt, signature, notes.to_json(), now, now)
                )
            cursor = db.executemany(
                """INSERT INTO entries (source_hash, source_lang, target_lang, source_text, machine_text,
                                       signature, notes, created, updated)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (source_hash, source_lang, target_lang) DO UPDATE SET
                       machine_text = excluded.machine_text, signature = excluded.signature,
                       notes = excluded.notes, updated = excluded.updated
                   WHERE entries.status = 'machine'
                     AND (entries.machine_text IS NOT excluded.machine_text
                          OR entries.signature IS NOT excluded.signature
                          OR entries.notes IS NOT excluded.notes)""",
                params,
            )
            return cursor.rowcount

    def entries(self, source_lang: str, target_lang: str) -> Iterator[MemoryEntry]:
        """Every entry of a language pair, oldest first."""
        rows = self._db.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE source_lang = ? AND target_lang = ? "
            "ORDER BY created, source_hash",
            (source_lang, target_lang),
        ).fetchall()
        return (_entry(row) for row in rows)

    def pairs(self) -> list[tuple[str, str]]:
        """Every (source_lang, target_lang) the memory has entries for."""
        rows = self._db.execute("SELECT DISTINCT source_lang, target_lang FROM entries ORDER BY 1, 2")
        return [tuple(row) for row in rows]  # type: ignore[misc]

    def stats(self, source_lang: str, target_lang: str, signature: str | None = None) -> dict[str, int]:
        """Counts per status and in total; with a signature, also how many machine entries are stale."""
        counts = dict.fromkeys(ENTRY_STATUSES, 0)
        rows = self._db.execute(
            "SELECT status, COUNT(*) FROM entries WHERE source_lang = ? AND target_lang = ? GROUP BY status",
            (source_lang, target_lang),
        )
        counts.update(dict(rows.fetchall()))
        counts["total"] = sum(counts[s] for s in ENTRY_STATUSES)
        if signature is not None:
            counts["stale"] = self._db.execute(
                "SELECT COUNT(*) FROM entries WHERE source_lang = ? AND target_lang = ? "
                "AND status = 'machine' AND (signature != ? OR machine_text IS NULL)",
                (source_lang, target_lang, signature),
            ).fetchone()[0]
        return counts

    # -- review --------------------------------------------------------------

    def record_review(self, decision: ReviewDecision) -> None:
        """Append a decision to the review log and apply it to its entry, in one transaction."""
        self.record_reviews([decision])

    def record_reviews(self, decisions: Iterable[ReviewDecision]) -> int:
        """Record many decisions in one transaction (all or none); return how many."""
        decisions = list(decisions)
        for decision in decisions:
            if decision.status not in DECISION_STATUSES:
                raise UsageError(
                    f"review status '{decision.status}' is not one of {', '.join(DECISION_STATUSES)}"
                )
            if decision.status != "rejected" and decision.final_text is None:
                raise UsageError(f"a '{decision.status}' review of {decision.source_hash} needs a final_text")
        with self._write() as db:
            for decision in decisions:
                self._apply_review(db, decision)
        return len(decisions)

    def _apply_review(self, db: sqlite3.Connection, d: ReviewDecision) -> None:
        time = d.time or utc_now()
        key = (d.source_hash, d.source_lang, d.target_lang)
        exists = db.execute(
            "SELECT 1 FROM entries WHERE source_hash = ? AND source_lang = ? AND target_lang = ?", key
        ).fetchone()
        if not exists:
            if not d.source_text or sentence_hash(d.source_text) != d.source_hash:
                raise UsageError(
                    f"no memory entry {d.source_hash} ({d.source_lang}>{d.target_lang}) to review; "
                    "give the decision's source_text to create it"
                )
            db.execute(
                "INSERT INTO entries (source_hash, source_lang, target_lang, source_text, machine_text, "
                "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*key, d.source_text, d.machine_text, time, time),
            )
        _log_review(db, d, time)
        if d.status == "rejected":
            # Back to unreviewed with no signature: the next plan() lists it as stale.
            db.execute(
                "UPDATE entries SET status = 'machine', final_text = NULL, signature = '', reviewer = ?, "
                "updated = ? WHERE source_hash = ? AND source_lang = ? AND target_lang = ?",
                (d.reviewer, time, *key),
            )
        else:
            status = "draft" if d.status == "draft" else "approved"
            db.execute(
                "UPDATE entries SET status = ?, final_text = ?, reviewer = ?, updated = ? "
                "WHERE source_hash = ? AND source_lang = ? AND target_lang = ?",
                (status, d.final_text, d.reviewer, time, *key),
            )

    def review_log(
        self, source_lang: str | None = None, target_lang: str | None = None, source_hash: str | None = None
    ) -> list[ReviewDecision]:
        """Recorded decisions, oldest first, optionally for one pair or one sentence."""
        where, params = [], []
        for column, value in (("source_lang", source_lang), ("target_lang", target_lang),
                              ("source_hash", source_hash)):
            if value is not None:
                where.append(f"r.{column} = ?")
                params.append(value)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self._db.execute(
            "SELECT r.source_hash, r.source_lang, r.target_lang, r.reviewer, r.time, r.machine_text, "
            "r.final_text, r.status, r.document, r.segment_id, r.note, COALESCE(e.source_text, '') "
            "FROM review_log r LEFT JOIN entries e ON e.source_hash = r.source_hash "
            f"AND e.source_lang = r.source_lang AND e.target_lang = r.target_lang {clause} ORDER BY r.id",
            params,
        )
        return [ReviewDecision(*row) for row in rows]

    # -- document layout -----------------------------------------------------

    def record_layout(
        self, document: str, source_lang: str, segments: Sequence[tuple[int, int, int, str, str]]
    ) -> bool:
        """Make `segments` the document's current layout; return False if it already was.

        The layout it replaces becomes `previous_layout(document)`. Rows are
        (index, block, position_in_block, source_hash, source_text).
        """
        rows = [LayoutRow(int(i), int(b), int(p), str(h), str(t)) for i, b, p, h, t in segments]
        with self._write() as db:
            current = self._current_run(document)
            if current is not None and self._layout_at(document, current) == rows:
                return False
            run = (current or 0) + 1
            db.execute(
                "INSERT INTO layout_runs (document, run, source_lang, recorded) VALUES (?, ?, ?, ?)",
                (document, run, source_lang, utc_now()),
            )
            db.executemany(
                "INSERT INTO layout (document, run, idx, block, position, source_hash, source_text) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(document, run, r.index, r.block, r.position, r.source_hash, r.source_text) for r in rows],
            )
            db.execute(
                "DELETE FROM layout_runs WHERE document = ? AND run <= ?", (document, run - LAYOUT_RUNS_KEPT)
            )
        return True

    def _current_run(self, document: str, before: int | None = None) -> int | None:
        limit = "AND run < ?" if before is not None else ""
        params = (document, before) if before is not None else (document,)
        row = self._db.execute(f"SELECT MAX(run) FROM layout_runs WHERE document = ? {limit}", params)
        return row.fetchone()[0]

    def _layout_at(self, document: str, run: int) -> list[LayoutRow]:
        rows = self._db.execute(
            "SELECT idx, block, position, source_hash, source_text FROM layout "
            "WHERE document = ? AND run = ? ORDER BY idx",
            (document, run),
        )
        return [LayoutRow(*row) for row in rows]

    def layout(self, document: str) -> list[LayoutRow]:
        """The document's segments at its last recorded run (empty if never recorded)."""
        run = self._current_run(document)
        return [] if run is None else self._layout_at(document, run)

    def previous_layout(self, document: str) -> list[LayoutRow]:
        """The layout before the current one (empty if there is none)."""
        current = self._current_run(document)
        previous = None if current is None else self._current_run(document, before=current)
        return [] if previous is None else self._layout_at(document, previous)

    def previous_sources(self, document: str) -> dict[str, str]:
        """Current source_hash -> previous source text, for sentences rewritten since the last layout.

        A sentence counts as rewritten when the previous layout had a different
        text at the same (block, position); this gives a PO file its '#| msgid'.
        """
        before = {(r.block, r.position): r for r in self.previous_layout(document)}
        changed = {}
        for row in self.layout(document):
            old = before.get((row.block, row.position))
            if old is not None and old.source_hash != row.source_hash:
                changed[row.source_hash] = old.source_text
        return changed

    # -- used by translate.memory.tmx ------------------------------------------

    def _put_entries(self, entries: Iterable[MemoryEntry], reviews: Iterable[ReviewDecision]) -> None:
        """Write whole entries (insert or replace) and review decisions in one transaction."""
        with self._write() as db:
            db.executemany(
                f"INSERT OR REPLACE INTO entries ({_ENTRY_COLUMNS}) VALUES ({','.join('?' * 12)})",
                [
                    (e.source_hash, e.source_lang, e.target_lang, e.source_text, e.machine_text, e.signature,
                     e.status, e.final_text, e.reviewer, e.notes.to_json(), e.created, e.updated)
                    for e in entries
                ],
            )
            for decision in reviews:
                _log_review(db, decision, decision.time or utc_now())
