"""The translation memory: every sentence translated, reviewed or imported, in one SQLite file.

A run asks the memory which sentences it already knows (`plan`), translates
only the rest, and stores what the engine returned (`store_machine`). Human
review is recorded as decisions in an append-only log (`record_review`) and
lifts an entry to 'draft' or 'approved'; machine output never replaces a
reviewed entry. Each document's last segment layout is kept with its history so
a PO export can show the previous source of a changed sentence.

The file is safe for scheduled runs: the connection and the one rule every
write follows (WAL, a busy timeout, each multi-row write one transaction, taken
back from the text record too when it fails) are `database.py`'s `Database`.

This module is longer than the project's usual 400 lines on purpose: it is one
class whose every method shares that connection and that transaction; split over
files, the entries' rules would be harder to see and to keep. Its sibling modules
(the text record's sync, delivered outputs, TMX import) build on its public seam:
`connection` to read, `transaction()` to write, `put_machine`, `decide_in`,
`apply_decision`, `write_drafts`, `remember_file`.
The records it hands out are in `records.py`, the schema in `schema.py`.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Self

from translate.clock import utc_now
from translate.errors import TranslateError, UsageError, WriteError
from translate.human_input import bad_character
from translate.memory import health
from translate.memory.database import BUSY_TIMEOUT_MS, Database, is_busy
from translate.memory.history import HumanState, apply, judge, person_name
from translate.memory.journal import Journal
from translate.memory.notes import Notes
from translate.memory.records import (
    DECISION_STATUSES,
    ENTRY_STATUSES,
    KEPT_DECISIONS,
    NAME_FROM_HEADER,
    VIA,
    LayoutRow,
    MemoryEntry,
    Plan,
    ReviewDecision,
)
from translate.memory.schema import MIGRATIONS, PEOPLE_REPLAYED_AT, SCHEMA_VERSION  # _migrate reads them here
from translate.memory.sync import SyncResult, replay_people, sync
from translate.segment import sentence_hash

LOOKUP_CHUNK = 500
"""Hashes per SELECT ... IN (...): far below SQLite's variable limit, few queries."""

EARLIER_MACHINE_KEPT = 5
"""Replaced machine texts remembered per entry (to recognise an old, untouched PO)."""

LAYOUT_RUNS_KEPT = 10
"""Layout runs kept per document; only the current and previous one are read."""

_ENTRY_COLUMNS = (
    "source_hash, source_lang, target_lang, source_text, machine_text, signature, "
    "status, final_text, reviewer, notes, created, updated, comment, comment_by, via, decision_id, translator, needs_work"
)
_LOG_COLUMNS = (
    "source_hash, source_lang, target_lang, reviewer, time, machine_text, final_text, status, document, "
    "segment_id, note, source_text, via, base, comment, record_id, outcome, against, author, name_from"
)
_LOG_FIELDS = tuple("id" if c == "record_id" else c for c in _LOG_COLUMNS.replace(" ", "").split(","))
"""ReviewDecision's field for each of _LOG_COLUMNS."""


def _entry(row: Sequence[Any]) -> MemoryEntry:
    values = list(row)
    values[9] = Notes.from_json(values[9])
    values[17] = bool(values[17])
    return MemoryEntry(*values)


def _log_review(db: sqlite3.Connection, d: ReviewDecision) -> None:
    db.execute(
        f"INSERT INTO review_log ({_LOG_COLUMNS}) VALUES ({','.join('?' * 20)})",
        (
            d.source_hash,
            d.source_lang,
            d.target_lang,
            d.reviewer,
            d.time,
            d.machine_text,
            d.final_text,
            d.status,
            d.document,
            d.segment_id,
            d.note,
            d.source_text,
            d.via,
            d.base,
            d.comment,
            d.id,
            d.outcome,
            d.against,
            d.author,
            d.name_from,
        ),
    )


def _record_id(after: str) -> str:
    """A new review record id: UTC time to the microsecond and 8 random hex digits, later than `after`."""
    now = datetime.now(UTC)
    if after:
        try:
            last = datetime.strptime(after[:27], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        except ValueError:
            last = None
        if last is not None and now <= last:
            now = last + timedelta(microseconds=1)
    return now.strftime("%Y-%m-%dT%H:%M:%S.%fZ") + "-" + secrets.token_hex(4)


def _unique(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(texts))


_PENDING = "pending:"  # a text_record row naming a pair whose drafts file lacks stored drafts ('pending:en>es')


class TranslationMemory:
    """A translation memory file; open it, use it, close it (or use `with`)."""

    def __init__(
        self, path: Path | str, busy_timeout_ms: int = BUSY_TIMEOUT_MS, text_record: bool = True, readonly: bool = False
    ) -> None:
        """Open (or create) the memory; with `text_record`, bring it up to date from the committed text
        record beside it (<name>.reviews.jsonl, <name>.drafts/), writing that record first if it does not exist yet.

        `readonly`: for commands that only read. The memory is copied into RAM and brought up
        to date there; nothing is written, so it works in a read-only folder (see health.py).
        An empty or damaged file is refused either way, naming `translate memory rebuild`.
        """
        self.path = Path(path)
        self.journal: Journal | None = Journal(self.path) if text_record else None
        self.synced: SyncResult = SyncResult()
        self.readonly = readonly
        self.database = Database(self.path, busy_timeout_ms, readonly)
        if self.path.is_dir():
            raise UsageError(f"{self.path}: is a folder, not a translation memory file")
        health.check_file(self.path)
        deadline = time.monotonic() + busy_timeout_ms / 1000
        while True:
            try:
                self.database.open()
                self._migrate()
                if self.journal is not None and not (readonly and not self.journal.exists()):
                    self.synced = sync(self)
                self.database.writable = not readonly
                return
            except sqlite3.OperationalError as err:
                self.database.close()
                # Switching a brand-new file to WAL takes an exclusive lock that SQLite
                # does not wait for: two runs opening it at once retry instead of failing.
                if is_busy(err) and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                if is_busy(err):
                    raise self.database.busy_error() from None
                raise self.database.named(err) from None
            except sqlite3.DatabaseError as err:
                self.database.close()
                raise health.damaged(self.path, str(err)) from None
            except BaseException:  # any other failure, an interrupt too: no connection left open; re-raised
                self.database.close()
                raise

    @classmethod
    def for_reading(cls, path: Path | str) -> TranslationMemory:
        """The memory for a server's request that may write: writable, or else (a full disk, a read-only
        folder) a read-only copy whose every write is refused with that reason, so pages still show."""
        try:
            return cls(path)
        except (WriteError, health.MemoryReadOnly) as err:
            memory = cls(path, readonly=True)
            memory.database.refusal = type(err)(str(err))
            return memory

    # -- lifecycle -----------------------------------------------------------

    @property
    def _db(self) -> sqlite3.Connection:
        """Shorthand for this class's own queries."""
        return self.database.connection

    @property
    def connection(self) -> sqlite3.Connection:
        """The memory's one SQLite connection, for its own modules (sync.py, delivered.py, tmx.py): they read
        through it and write only inside `transaction()`, so every write keeps the one transaction rule."""
        return self.database.connection

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction, all or nothing, here and in the text record (database.py)."""
        return self.database.transaction()

    def close(self) -> None:
        self.database.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def checkpoint(self) -> bool:
        """Fold the WAL into the main file, so that file alone is complete (see `Database.checkpoint`)."""
        return self.database.checkpoint()

    @property
    def schema_version(self) -> int:
        return self.database.schema_version

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise TranslateError(
                f"{self.path}: translation memory schema version {version} is newer than this "
                f"translate supports ({SCHEMA_VERSION}); upgrade translate to use it"
            )
        if version == SCHEMA_VERSION:
            return
        with self.transaction():
            version = self.schema_version  # another process may have migrated meanwhile
            for number in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[number - 1]:
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")
            if 0 < version < PEOPLE_REPLAYED_AT:  # the new columns of people's work, filled from the log
                replay_people(self)

    def vanished(self) -> str | None:
        """If the file this memory opened was deleted or replaced since, what became of the work (see health.py)."""
        return self.database.vanished()

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
                f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE source_lang = ? AND target_lang = ? AND source_hash IN ({marks})",
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
        record: bool = True,
    ) -> int:
        """Insert or refresh machine translations in one transaction; return how many rows changed.

        Reviewed entries are left untouched. Storing the same thing twice changes
        nothing (not even `updated`). With `record=False` the pair's drafts file is
        not rewritten (a run storing job after job writes it once, `record_drafts`:
        rewriting it costs 0.7 s a store at 10,000 sentences in the pair and 20 s at
        100,000, on a busy 2-core machine); until then it lacks these drafts, which
        the SQLite file holds and the next rewrite adds.
        """
        now = utc_now()
        rows = list(rows)
        if not rows:
            return 0
        with self.transaction() as db:
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
                params.append((sentence_hash(src), source_lang, target_lang, src, mt, signature, notes.to_json(), now, now))
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
            if cursor.rowcount and record:
                self.write_drafts(source_lang, target_lang)
            elif cursor.rowcount and self.journal is not None:  # until record_drafts: even if this process dies now
                db.execute(
                    "INSERT OR REPLACE INTO text_record (file, size, mtime_ns, sha256) VALUES (?, 0, 0, '')",
                    (f"{_PENDING}{source_lang}>{target_lang}",),
                )
            return cursor.rowcount

    def record_drafts(self, source_lang: str, target_lang: str) -> None:
        """Rewrite one pair's drafts file from the entries, after stores with `record=False`."""
        with self.transaction() as db:
            self.write_drafts(source_lang, target_lang)
            db.execute("DELETE FROM text_record WHERE file = ?", (f"{_PENDING}{source_lang}>{target_lang}",))

    def record_pending(self) -> list[tuple[str, str]]:
        """The drafts files a run that died left unwritten (stores with `record=False`), written now; their pairs."""
        rows = self._db.execute("SELECT file FROM text_record WHERE file LIKE ?", (f"{_PENDING}%",)).fetchall()
        pairs: list[tuple[str, str]] = []
        for (file,) in rows:
            source, _, target = str(file).removeprefix(_PENDING).partition(">")
            self.record_drafts(source, target)
            pairs.append((source, target))
        return pairs

    def entries(self, source_lang: str, target_lang: str) -> Iterator[MemoryEntry]:
        """Every entry of a language pair, oldest first."""
        rows = self._db.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE source_lang = ? AND target_lang = ? ORDER BY created, source_hash",
            (source_lang, target_lang),
        ).fetchall()
        return (_entry(row) for row in rows)

    def pairs(self) -> list[tuple[str, str]]:
        """Every (source_lang, target_lang) the memory has entries for."""
        rows = self._db.execute("SELECT DISTINCT source_lang, target_lang FROM entries ORDER BY 1, 2")
        return [(source, target) for source, target in rows]

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

    # -- change tracking (schema 2: `rev`, set by triggers on every change) -----

    def generation(self, source_lang: str, target_lang: str) -> int:
        """The newest change to any entry of a language pair (0 when it has none): a cheap "anything new?"."""
        row = self._db.execute(
            "SELECT MAX(rev) FROM entries WHERE source_lang = ? AND target_lang = ?", (source_lang, target_lang)
        ).fetchone()
        return row[0] or 0

    def changed_since(self, source_lang: str, target_lang: str, generation: int) -> set[str]:
        """Source hashes of the pair's entries changed after `generation`."""
        rows = self._db.execute(
            "SELECT source_hash FROM entries WHERE source_lang = ? AND target_lang = ? AND rev > ?",
            (source_lang, target_lang, generation),
        )
        return {row[0] for row in rows}

    def documents_with(self, hashes: Iterable[str]) -> set[str]:
        """Documents whose recorded layouts (current or kept earlier ones) hold any of these sentences."""
        hashes = list(hashes)
        found: set[str] = set()
        for start in range(0, len(hashes), LOOKUP_CHUNK):
            chunk = hashes[start : start + LOOKUP_CHUNK]
            rows = self._db.execute(
                f"SELECT DISTINCT document FROM layout WHERE source_hash IN ({','.join('?' * len(chunk))})", chunk
            )
            found.update(row[0] for row in rows)
        return found

    def distinct_sentences(self, documents: Iterable[str]) -> int:
        """How many distinct sentences the current layouts of these documents hold."""
        documents = list(documents)
        if not documents:
            return 0
        marks = ",".join("?" * len(documents))
        return self._db.execute(
            f"""SELECT COUNT(DISTINCT l.source_hash) FROM layout l
                JOIN (SELECT document, MAX(run) AS run FROM layout_runs WHERE document IN ({marks})
                      GROUP BY document) c ON l.document = c.document AND l.run = c.run""",
            documents,
        ).fetchone()[0]

    # -- review --------------------------------------------------------------

    def record_review(self, decision: ReviewDecision) -> ReviewDecision:
        """Judge and record one decision (see `decide`); the recorded decision, with its outcome."""
        return self.decide([decision])[0]

    def record_reviews(self, decisions: Iterable[ReviewDecision]) -> int:
        """Record many decisions in one transaction (all or none); return how many."""
        return len(self.decide(decisions))

    def decide(self, decisions: Iterable[ReviewDecision]) -> list[ReviewDecision]:
        """Judge and record people's decisions in one transaction; return them with id, outcome and against.

        Each decision is appended to the review log (and to the committed text
        record) whatever its outcome; only an 'applied' one changes its entry.
        A 'conflict' leaves the entry as it is: the decision's text stays in the
        log as a suggestion, and `against` names the decision that holds the
        entry. See translate.memory.history for the rule.
        """
        decisions = [self.checked_decision(d) for d in decisions]
        if not decisions:
            return []
        with self.transaction() as db:
            return self.decide_in(db, decisions)

    def decide_in(self, db: sqlite3.Connection, decisions: list[ReviewDecision]) -> list[ReviewDecision]:
        """`decide` inside a write transaction the caller holds (decisions already `checked_decision`)."""
        last = db.execute("SELECT MAX(record_id) FROM review_log").fetchone()[0] or ""
        recorded = []
        for decision in decisions:
            last = _record_id(last)
            recorded.append(self.apply_decision(db, replace(decision, id=last)))
        if self.journal is not None and recorded:
            journal, before = self.journal, self.journal.append_reviews(recorded)
            self.database.undo.append(lambda: journal.undo_append(before))  # the COMMIT may still fail
            self.remember_file(self.journal.reviews)
        return recorded

    def checked_decision(self, d: ReviewDecision) -> ReviewDecision:
        """A decision fit to record (status, route, text and names checked), or UsageError saying what is wrong."""
        if d.status not in DECISION_STATUSES:
            raise UsageError(f"review status '{d.status}' is not one of {', '.join(DECISION_STATUSES)}")
        if d.via not in VIA:
            raise UsageError(f"a decision arrives via {', '.join(VIA)}, not '{d.via}'")
        if d.status not in ("rejected", "comment", "note") and d.final_text is None:
            raise UsageError(f"a '{d.status}' review of {d.source_hash} needs a final_text")
        if d.status == "comment" and d.comment is None:
            raise UsageError(f"a 'comment' decision on {d.source_hash} needs a comment ('' removes it)")
        if d.status == "note" and not (d.comment or "").strip():
            raise UsageError(f"a 'note' on {d.source_hash} needs its text in comment")
        if d.name_from not in ("", NAME_FROM_HEADER):
            raise UsageError(f"a decision's name comes from the organizer ('') or '{NAME_FROM_HEADER}', not '{d.name_from}'")
        for text in (d.final_text, d.comment):
            where = bad_character(text or "")
            if where is not None:  # translate/human_input.py: the same rule as every path into the memory
                raise UsageError(f"a decision on {d.source_hash}: {where}, which PO, TMX and handouts cannot carry")
        name = person_name(d.reviewer)
        if not name:
            raise UsageError(f"a decision on {d.source_hash} needs the reviewer's name (an e-mail address is not shown)")
        return replace(d, reviewer=name, author=person_name(d.author), time=d.time or utc_now())

    def apply_decision(self, db: sqlite3.Connection, d: ReviewDecision, replaying: bool = False) -> ReviewDecision:
        """Judge one decision against its entry, log it, apply it if it holds (the entry is created if new)."""
        key = (d.source_hash, d.source_lang, d.target_lang)
        row = db.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE source_hash = ? AND source_lang = ? AND target_lang = ?",
            key,
        ).fetchone()
        if row is None:
            if not d.source_text or sentence_hash(d.source_text) != d.source_hash:
                raise UsageError(
                    f"no memory entry {d.source_hash} ({d.source_lang}>{d.target_lang}) to review; "
                    "give the decision's source_text to create it"
                )
            db.execute(
                "INSERT INTO entries (source_hash, source_lang, target_lang, source_text, machine_text, "
                "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*key, d.source_text, None if d.status in ("comment", "suggested") else d.machine_text, d.time, d.time),
            )
            row = db.execute(
                f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE source_hash = ? AND source_lang = ? AND target_lang = ?",
                key,
            ).fetchone()
        entry = _entry(row)
        held = db.execute("SELECT base FROM review_log WHERE record_id = ?", (entry.decision_id,)).fetchone()
        state = HumanState.of(entry, held[0] if held else None)
        outcome, against = judge(state, entry.machine_text, d)
        machine = d.machine_text if d.machine_text is not None or replaying else entry.machine_text
        d = replace(d, outcome=outcome, against=against, machine_text=machine, source_text=entry.source_text)
        _log_review(db, d)
        if outcome == "applied" and d.status not in KEPT_DECISIONS:
            new = apply(state, d, entry.machine_text)
            signature = "" if d.status == "rejected" and not replaying else entry.signature
            db.execute(
                "UPDATE entries SET status = ?, final_text = ?, reviewer = ?, via = ?, decision_id = ?, comment = ?, "
                "comment_by = ?, translator = ?, needs_work = ?, signature = ?, updated = ? WHERE source_hash = ? "
                "AND source_lang = ? AND target_lang = ?",
                (
                    new.status,
                    new.final_text,
                    new.reviewer,
                    new.via,
                    new.decision_id,
                    new.comment,
                    new.comment_by,
                    new.translator,
                    int(new.needs_work),
                    signature,
                    d.time,
                    *key,
                ),
            )
        return d

    def review_log(
        self, source_lang: str | None = None, target_lang: str | None = None, source_hash: str | None = None
    ) -> list[ReviewDecision]:
        """Recorded decisions, oldest first, optionally for one pair or one sentence."""
        where, params = [], []
        for column, value in (("source_lang", source_lang), ("target_lang", target_lang), ("source_hash", source_hash)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self._db.execute(f"SELECT {_LOG_COLUMNS} FROM review_log {clause} ORDER BY record_id", params)
        return [ReviewDecision(**dict(zip(_LOG_FIELDS, row, strict=True))) for row in rows]

    def history(self, source_text: str, source_lang: str, target_lang: str) -> list[ReviewDecision]:
        """Every decision about one sentence, oldest first (what a reviewer's history panel shows)."""
        return self.review_log(source_lang, target_lang, sentence_hash(source_text))

    # -- document layout -----------------------------------------------------

    def record_layout(self, document: str, source_lang: str, segments: Sequence[tuple[int, int, int, str, str]]) -> bool:
        """Make `segments` the document's current layout; return False if it already was.

        The layout it replaces becomes `previous_layout(document)`. Rows are
        (index, block, position_in_block, source_hash, source_text).
        """
        rows = [LayoutRow(int(i), int(b), int(p), str(h), str(t)) for i, b, p, h, t in segments]
        with self.transaction() as db:
            current = self._current_run(document)
            if current is not None and self._layout_at(document, current) == rows:
                return False
            run = (current or 0) + 1
            db.execute(
                "INSERT INTO layout_runs (document, run, source_lang, recorded) VALUES (?, ?, ?, ?)",
                (document, run, source_lang, utc_now()),
            )
            db.executemany(
                "INSERT INTO layout (document, run, idx, block, position, source_hash, source_text) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(document, run, r.index, r.block, r.position, r.source_hash, r.source_text) for r in rows],
            )
            db.execute("DELETE FROM layout_runs WHERE document = ? AND run <= ?", (document, run - LAYOUT_RUNS_KEPT))
        return True

    def _current_run(self, document: str, before: int | None = None) -> int | None:
        limit = "AND run < ?" if before is not None else ""
        params = (document, before) if before is not None else (document,)
        row = self._db.execute(f"SELECT MAX(run) FROM layout_runs WHERE document = ? {limit}", params)
        return row.fetchone()[0]

    def _layout_at(self, document: str, run: int) -> list[LayoutRow]:
        rows = self._db.execute(
            "SELECT idx, block, position, source_hash, source_text FROM layout WHERE document = ? AND run = ? ORDER BY idx",
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

    # -- used by translate.memory.tmx and translate.memory.sync ---------------

    def put_machine(self, db: sqlite3.Connection, rows: Iterable[dict[str, Any]], source_lang: str, target_lang: str) -> int:
        """Upsert machine drafts as the text record holds them (hash, source, machine, signature, notes,
        created, updated); people's decisions are left as they are. Return how many rows changed."""
        cursor = db.executemany(
            """INSERT INTO entries (source_hash, source_lang, target_lang, source_text, machine_text, signature,
                                   notes, created, updated)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (source_hash, source_lang, target_lang) DO UPDATE SET
                   machine_text = excluded.machine_text, signature = excluded.signature, notes = excluded.notes,
                   created = MIN(entries.created, excluded.created), updated = MAX(entries.updated, excluded.updated)
               WHERE entries.machine_text IS NOT excluded.machine_text OR entries.signature IS NOT excluded.signature
                     OR entries.notes IS NOT excluded.notes""",
            [
                (
                    row["hash"],
                    source_lang,
                    target_lang,
                    row["source"],
                    row.get("machine"),
                    row.get("signature", ""),
                    Notes.from_dict(row.get("notes") or {}).to_json(),
                    row.get("created") or utc_now(),
                    row.get("updated") or row.get("created") or utc_now(),
                )
                for row in rows
            ],
        )
        return cursor.rowcount

    def _draft_rows(self, source_lang: str, target_lang: str) -> list[dict[str, Any]]:
        """The machine part of every entry of a pair, as the text record writes it."""
        rows = self._db.execute(
            "SELECT source_hash, source_text, machine_text, signature, notes, created, updated FROM entries "
            "WHERE source_lang = ? AND target_lang = ? AND machine_text IS NOT NULL",
            (source_lang, target_lang),
        )
        return [
            {
                "hash": h,
                "source": src,
                "machine": mt,
                "signature": sig,
                "notes": Notes.from_json(notes).to_dict(),
                "created": created,
                "updated": updated,
            }
            for h, src, mt, sig, notes, created, updated in rows
        ]

    def write_drafts(self, source_lang: str, target_lang: str) -> None:
        """Rewrite one pair's drafts file from the entries (call inside the write transaction)."""
        if self.journal is None:
            return
        path = self.journal.draft_file(source_lang, target_lang)
        self.journal.write_drafts(source_lang, target_lang, self._draft_rows(source_lang, target_lang))
        self.remember_file(path)

    def remember_file(self, path: Path) -> None:
        """Note a text record file's size, time and digest, so opening the memory can skip an unchanged one."""
        if self.journal is None:  # a memory without a text record has no files to note
            return
        data = path.read_bytes()
        stat = path.stat()
        self._db.execute(
            "INSERT OR REPLACE INTO text_record (file, size, mtime_ns, sha256) VALUES (?, ?, ?, ?)",
            (
                path.name if path.parent == self.journal.folder else f"{path.parent.name}/{path.name}",
                len(data),
                stat.st_mtime_ns,
                hashlib.sha256(data).hexdigest(),
            ),
        )
