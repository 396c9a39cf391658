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
- reviews.jsonl lacks decisions the memory holds (`git checkout` of another
  branch, a reset): the people's side is replayed from the file, so the
  memory holds what the checked-out record holds, no more;
- a drafts file changed: its drafts replace the machine text of their entries,
  and a machine draft the file does not hold is dropped (people's decisions stay).

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

from translate.fileio import file_stamp
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
    held: dict[str, ReviewDecision] = field(default_factory=dict)  # the decisions conflicts lost against, by id

    @property
    def conflicts(self) -> list[ReviewDecision]:
        return [d for d in self.decisions if d.outcome == "conflict"]

    @property
    def superseded(self) -> list[ReviewDecision]:
        """Approvals that replaced a draft made on the same revision (the draft stays a suggestion)."""
        return [d for d in self.decisions if d.outcome == "applied" and d.against]

    def describe(self) -> str:
        if self.exported:
            return "wrote the memory's text record (reviews.jsonl, drafts/) for the first time"
        parts = []
        if self.decisions:
            found = len(self.conflicts) + len(self.superseded)
            parts.append(f"{len(self.decisions)} decisions from reviews.jsonl" + (f", {found} in conflict" if found else ""))
        if self.drafts:
            parts.append(f"{self.drafts} drafts from drafts/")
        return "memory brought up to date: " + ", ".join(parts) if parts else ""

    def conflict_lines(self) -> list[str]:
        """One line per conflict the record's new decisions met: which sentence, both texts, both names."""
        lines = []
        for d in self.conflicts + self.superseded:
            other = self.held.get(d.against)
            who = other.reviewer if other else "someone"
            theirs = (other.final_text or other.comment or "") if other else ""
            sentence = f"({d.source_lang}>{d.target_lang}) {d.source_text[:70]!r}"
            if d.outcome == "conflict":
                lines.append(
                    f"conflict {sentence}: {who}'s {theirs!r} stays; {d.reviewer}'s {d.final_text or d.comment or ''!r} "
                    "is kept as a suggestion"
                )
            else:
                lines.append(
                    f"conflict {sentence}: {d.reviewer}'s approval of {d.final_text!r} holds over {who}'s draft {theirs!r}, "
                    "made on the same text without seeing it; the draft is kept as a suggestion"
                )
        return lines


def _key(memory: TranslationMemory, path: Path) -> str:
    assert memory.journal is not None
    return path.name if path.parent == memory.journal.folder else f"{path.parent.name}/{path.name}"


def _known(memory: TranslationMemory) -> dict[str, tuple[int, int, str]]:
    rows = memory.connection.execute("SELECT file, size, mtime_ns, sha256 FROM text_record")
    return {file: (size, mtime, digest) for file, size, mtime, digest in rows}


def _changed(memory: TranslationMemory) -> list[Path]:
    assert memory.journal is not None
    known = _known(memory)
    changed = []
    for path in memory.journal.files():
        stamp = file_stamp(path)
        old = known.get(_key(memory, path))
        if stamp is None or old is None or old[:2] != (stamp.size, stamp.mtime_ns):
            changed.append(path)
    return changed


def _empty(memory: TranslationMemory) -> bool:
    db = memory.connection
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
        with memory.transaction():
            _export(memory)
        result.exported = True
        return result
    if not _changed(memory):
        return result
    with memory.transaction():
        known = _known(memory)
        # Drafts first, then reviews: a replay of the people's side starts from the drafts the record holds.
        changed = sorted(_changed(memory), key=lambda path: path == journal.reviews)
        for path in changed:  # again, under the write lock: another process may have done it
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            old = known.get(_key(memory, path))
            if old is None or old[2] != digest:
                if path == journal.reviews:
                    _sync_reviews(memory, data, old, result)
                    _mend(memory)
                else:
                    result.drafts += _sync_drafts(memory, path)
            memory.remember_file(path)
        result.held = _held(memory, result.decisions)
    return result


def _held(memory: TranslationMemory, decisions: list[ReviewDecision]) -> dict[str, ReviewDecision]:
    """The decisions that conflicts and superseding approvals name in `against`."""
    wanted = {d.against for d in decisions if d.against}
    if not wanted:
        return {}
    return {d.id: d for d in memory.review_log() if d.id in wanted}


def _sync_drafts(memory: TranslationMemory, path: Path) -> int:
    """Take a drafts file as it is: its drafts replace their entries' machine text, and a machine entry
    it does not hold is gone (the file mirrors every draft of its pair, so what it lacks, such as the
    drafts of another branch after `git checkout`, is not this checkout's). Return how many rows changed."""
    journal = memory.journal
    assert journal is not None
    source, target = journal.pair_of(path)
    rows = journal.read_drafts(path)
    changed = memory.put_machine(memory.connection, rows, source, target)
    held = {row["hash"] for row in rows}
    stale = [
        h
        for (h,) in memory.connection.execute(
            "SELECT source_hash FROM entries WHERE source_lang = ? AND target_lang = ? AND status = 'machine' "
            "AND comment = '' AND machine_text IS NOT NULL",
            (source, target),
        )
        if h not in held
    ]
    memory.connection.executemany(
        "DELETE FROM entries WHERE source_hash = ? AND source_lang = ? AND target_lang = ?", [(h, source, target) for h in stale]
    )
    return changed + len(stale)


def _sync_reviews(memory: TranslationMemory, data: bytes, old: tuple[int, int, str] | None, result: SyncResult) -> None:
    journal = memory.journal
    assert journal is not None
    db = memory.connection
    last = db.execute("SELECT MAX(record_id) FROM review_log").fetchone()[0] or ""
    appended = old is not None and len(data) > old[0] and hashlib.sha256(data[: old[0]]).hexdigest() == old[2]
    records = journal.read_reviews(old[0] if appended and old else 0)
    logged = {row[0] for row in db.execute("SELECT record_id FROM review_log")}
    new = [d for d in records if d.id not in logged]
    if not appended and _lacking(memory, logged - {d.id for d in records}):
        # The record lacks decisions the memory applied: another branch's, after `git checkout` or a reset.
        result.decisions += _replay(memory, records)
        result.replayed = True
        return
    if not new:
        return
    if all(d.id > last for d in new):
        result.decisions += [memory.apply_decision(db, d, replaying=True) for d in new]
        return
    result.decisions += _replay(memory, journal.read_reviews())
    result.replayed = True


def _lacking(memory: TranslationMemory, missing: set[str]) -> set[str]:
    """Of the decisions the memory holds and the record does not, those no line cut short begins (a torn
    line is a decision this record holds, to be completed by `_mend`, not another branch's)."""
    journal = memory.journal
    assert journal is not None
    if not missing or not journal.torn:
        return missing
    lines = {d.id: record_json(d).encode("utf-8") for d in memory.review_log() if d.id in missing}
    return {key for key, line in lines.items() if not any(line.startswith(torn.data) for torn in journal.torn)}


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
    db = memory.connection
    for name in _LOG_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    # The one place the log is emptied: it is refilled from the authoritative text record in this transaction.
    db.execute("DELETE FROM review_log")
    for name, body in _LOG_TRIGGERS.items():
        db.execute(f"CREATE TRIGGER {name} {body}")
    db.execute(
        "UPDATE entries SET status = 'machine', final_text = NULL, reviewer = '', via = '', decision_id = '', "
        "comment = '', comment_by = '', translator = '', needs_work = 0"
    )
    db.execute("DELETE FROM entries WHERE machine_text IS NULL")  # entries only people's decisions made
    return [memory.apply_decision(db, d, replaying=True) for d in records]


def replay_people(memory: TranslationMemory) -> list[ReviewDecision]:
    """Judge every decision again, in id order, from the text record (else the log), inside a write
    transaction: after a migration that added what the people's side remembers."""
    journal = memory.journal
    records = journal.read_reviews() if journal is not None and journal.reviews.exists() else memory.review_log()
    return _replay(memory, records)


def _export(memory: TranslationMemory) -> None:
    """Write the whole text record from the memory (inside a write transaction)."""
    journal = memory.journal
    assert journal is not None
    if journal.reviews.exists():
        journal.reviews.unlink()
    journal.append_reviews(memory.review_log())
    if journal.reviews.exists():
        memory.remember_file(journal.reviews)
    for source, target in memory.pairs():
        memory.write_drafts(source, target)


def rebuild(memory: TranslationMemory) -> SyncResult:
    """Empty the memory (keeping the layout history) and fill it again from its text record."""
    journal = memory.journal
    assert journal is not None
    result = SyncResult(replayed=True)
    with memory.transaction() as db:
        db.execute("DELETE FROM text_record")
        db.execute("UPDATE entries SET machine_text = NULL")
        for path in journal.files():
            if path != journal.reviews:
                source, target = journal.pair_of(path)
                result.drafts += memory.put_machine(db, journal.read_drafts(path), source, target)
        journal.read_reviews()
        _mend(memory)  # before the log is replayed: it may complete a line cut short
        result.decisions = _replay(memory, journal.read_reviews())
        for path in journal.files():
            memory.remember_file(path)
        result.held = _held(memory, result.decisions)
    return result
