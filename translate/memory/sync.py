"""Bringing the SQLite memory up to date from the committed text record, and rebuilding it.

Every command that opens the memory calls `sync` first. When no file of the
text record changed since the memory last wrote or read it (same size and
modification time, remembered in the `text_record` table), that is a few
`stat` calls and nothing else. Otherwise:

- reviews.jsonl only grew, and every new record is newer than the last one
  applied (a pull, or a process killed between its append and its commit):
  the new records are judged and applied in order;
- reviews.jsonl changed otherwise (a merge put records from another branch
  in the middle, or a line was removed): the people's side of the memory is
  replayed from the whole file, in id order, by the same rule an import uses,
  so the decisions of both branches are there and a conflict between them is
  found and reported, not resolved in silence;
- a drafts file changed: its drafts replace the machine text of their entries
  (people's decisions stay).

A memory that exists without a text record (made before there was one) writes
its record first: nothing is lost by upgrading. `rebuild` empties the memory
(except the layout history, a cache) and fills it from the text record: the
answer to a damaged or missing SQLite file.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translate.memory import health
from translate.memory.journal import record_json
from translate.memory.records import ReviewDecision

log = logging.getLogger(__name__)

TranslationMemory = Any
"""A translate.memory.store.TranslationMemory (store imports this module, so it cannot import store)."""

_LOG_TRIGGERS = {
    "review_log_no_update": "BEFORE UPDATE ON review_log BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END",
    "review_log_no_delete": "BEFORE DELETE ON review_log BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END",
}


@dataclass
class SyncResult:
    """What opening the memory took from the text record."""

    decisions: list[ReviewDecision] = field(default_factory=list)  # records applied (or replayed after a merge)
    drafts: int = 0  # machine drafts taken from drafts files
    replayed: bool = False  # the people's side was replayed from the whole file
    exported: bool = False  # the text record was written from an older memory

    @property
    def conflicts(self) -> list[ReviewDecision]:
        return [d for d in self.decisions if d.outcome == "conflict"]

    def describe(self) -> str:
        if self.exported:
            return "wrote the memory's text record (reviews.jsonl, drafts/) for the first time"
        parts = []
        if self.decisions:
            parts.append(
                f"{len(self.decisions)} decisions from reviews.jsonl"
                + (f", {len(self.conflicts)} in conflict" if self.conflicts else "")
            )
        if self.drafts:
            parts.append(f"{self.drafts} drafts from drafts/")
        return "memory brought up to date: " + ", ".join(parts) if parts else ""


def _key(memory: TranslationMemory, path: Path) -> str:
    assert memory.journal is not None
    return path.name if path.parent == memory.journal.folder else f"{path.parent.name}/{path.name}"


def _known(memory: TranslationMemory) -> dict[str, tuple[int, int, str]]:
    rows = memory._db.execute("SELECT file, size, mtime_ns, sha256 FROM text_record")
    return {file: (size, mtime, digest) for file, size, mtime, digest in rows}


def _changed(memory: TranslationMemory) -> list[Path]:
    assert memory.journal is not None
    known = _known(memory)
    changed = []
    for path in memory.journal.files():
        stat = path.stat()
        old = known.get(_key(memory, path))
        if old is None or old[0] != stat.st_size or old[1] != stat.st_mtime_ns:
            changed.append(path)
    return changed


def _empty(memory: TranslationMemory) -> bool:
    db = memory._db
    return (
        not db.execute("SELECT 1 FROM entries LIMIT 1").fetchone()
        and not db.execute("SELECT 1 FROM review_log LIMIT 1").fetchone()
    )


def sync(memory: TranslationMemory) -> SyncResult:
    """Bring the memory up to date with its text record (see the module docstring)."""
    journal = memory.journal
    assert journal is not None
    result = SyncResult()
    health.check_record(journal.reviews)
    if not journal.exists():
        if _empty(memory):
            return result
        with memory._write():
            _export(memory)
        result.exported = True
        return result
    if not _changed(memory):
        return result
    with memory._write():
        known = _known(memory)
        for path in _changed(memory):  # again, under the write lock: another process may have done it
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            old = known.get(_key(memory, path))
            if old is None or old[2] != digest:
                if path == journal.reviews:
                    _sync_reviews(memory, data, old, result)
                    _mend(memory)
                else:
                    source, target = journal.pair_of(path)
                    result.drafts += memory._put_machine(memory._db, journal.read_drafts(path), source, target)
            memory._remember_file(path)
    return result


def _sync_reviews(memory: TranslationMemory, data: bytes, old: tuple[int, int, str] | None, result: SyncResult) -> None:
    journal = memory.journal
    assert journal is not None
    db = memory._db
    last = db.execute("SELECT MAX(record_id) FROM review_log").fetchone()[0] or ""
    appended = old is not None and len(data) > old[0] and hashlib.sha256(data[: old[0]]).hexdigest() == old[2]
    records = journal.read_reviews(old[0] if appended and old else 0)
    logged = {row[0] for row in db.execute("SELECT record_id FROM review_log")}
    new = [d for d in records if d.id not in logged]
    if not new:
        return
    if all(d.id > last for d in new):
        result.decisions += [memory._apply_decision(db, d, replaying=True) for d in new]
        return
    result.decisions += _replay(memory, journal.read_reviews())
    result.replayed = True


def _mend(memory: TranslationMemory) -> None:
    """Lines of reviews.jsonl cut short (a full disk or a crash stopped an append): completed from the
    memory when it holds the decision, else set aside (journal.py), one warning each; never a reason
    to refuse the rest. A memory opened read-only leaves the file as it is and says so."""
    journal = memory.journal
    assert journal is not None
    if not journal.torn:
        return
    if memory.readonly:
        for torn in journal.torn:
            log.warning(
                "%s:%d: a record cut short (a full disk or a crash stopped its append) is left out; "
                "the next command that writes the memory sets it aside",
                journal.reviews,
                torn.line,
            )
        return
    logged = {d.id: record_json(d) for d in memory.review_log()}
    for line in journal.mend(logged):
        log.warning("%s", line)


def _replay(memory: TranslationMemory, records: list[ReviewDecision]) -> list[ReviewDecision]:
    """Forget people's decisions and apply `records` again, in id order (inside a write transaction)."""
    db = memory._db
    for name in _LOG_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    # The one place the log is emptied: it is refilled from the authoritative text record in this transaction.
    db.execute("DELETE FROM review_log")
    for name, body in _LOG_TRIGGERS.items():
        db.execute(f"CREATE TRIGGER {name} {body}")
    db.execute(
        "UPDATE entries SET status = 'machine', final_text = NULL, reviewer = '', via = '', decision_id = '', "
        "comment = '', comment_by = ''"
    )
    db.execute("DELETE FROM entries WHERE machine_text IS NULL")  # entries only people's decisions made
    return [memory._apply_decision(db, d, replaying=True) for d in records]


def _export(memory: TranslationMemory) -> None:
    """Write the whole text record from the memory (inside a write transaction)."""
    journal = memory.journal
    assert journal is not None
    if journal.reviews.exists():
        journal.reviews.unlink()
    journal.append_reviews(memory.review_log())
    if journal.reviews.exists():
        memory._remember_file(journal.reviews)
    for source, target in memory.pairs():
        memory._write_drafts(source, target)


def rebuild(memory: TranslationMemory) -> SyncResult:
    """Empty the memory (keeping the layout history) and fill it again from its text record."""
    journal = memory.journal
    assert journal is not None
    result = SyncResult(replayed=True)
    with memory._write() as db:
        db.execute("DELETE FROM text_record")
        db.execute("UPDATE entries SET machine_text = NULL")
        for path in journal.files():
            if path != journal.reviews:
                source, target = journal.pair_of(path)
                result.drafts += memory._put_machine(db, journal.read_drafts(path), source, target)
        journal.read_reviews()
        _mend(memory)  # before the log is replayed: it may complete a line cut short
        result.decisions = _replay(memory, journal.read_reviews())
        for path in journal.files():
            memory._remember_file(path)
    return result
