"""The committed text record of the memory: what git keeps, merges and never loses.

SQLite is the working store, but a binary file in git cannot be merged: when
one branch commits the nightly drafts and another an organizer's imported
reviews, git keeps one side's file and the other side's decisions are gone. So
the authoritative record is text, beside the SQLite file:

- `<name>.reviews.jsonl` (the memory `translate.sqlite` has
  `translate.reviews.jsonl` beside it): every human decision, one JSON object per line, each with a
  unique id that sorts by time. Lines are only ever appended, and
  `.gitattributes` gives the file git's `union` merge, so merging two branches
  keeps the lines of both.
- `<name>.drafts/<source>-<target>.jsonl`: the machine draft of every sentence, one
  line per sentence sorted by sentence hash (a new draft changes one line, a
  new sentence inserts one), also union-merged. Drafts could be regenerated,
  but not cheaply: without them every scheduled run on a fresh clone would
  retranslate the whole library. When a merge leaves two lines for one
  sentence, the newest wins.

The SQLite file is brought up to date from these files whenever the memory
is opened (see `sync.py`), and can be rebuilt from them at any time
(`translate memory rebuild`). Everything here is plain data in, plain data
out; the memory decides what the records mean.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from translate.errors import UsageError
from translate.fileio import FULL, atomic_write_bytes, atomic_write_text, new_file_mode, write_failure
from translate.memory.records import ReviewDecision

log = logging.getLogger(__name__)

NOTHING_RECORDED = "nothing recorded"

# The review record as committed: short keys a person can read in a diff.
_RECORD_KEYS = {
    "id": "id",
    "time": "time",
    "who": "reviewer",
    "via": "via",
    "decision": "status",
    "source_lang": "source_lang",
    "target_lang": "target_lang",
    "source_hash": "source_hash",
    "source": "source_text",
    "machine": "machine_text",
    "text": "final_text",
    "base": "base",
    "comment": "comment",
    "document": "document",
    "segment": "segment_id",
    "note": "note",
    "author": "author",
    "name_from": "name_from",
}
_NAMING_FIELDS = ("source_hash", "source_lang", "target_lang", "status")
"""What a decision cannot be without: the sentence, the pair, the decision."""
_DRAFT_KEYS = ("hash", "source", "machine", "signature", "notes", "created", "updated")


def record_json(decision: ReviewDecision) -> str:
    """One line of reviews.jsonl (without the newline): the decision as the person made it."""
    data = asdict(decision)
    record = {key: data[field] for key, field in _RECORD_KEYS.items()}
    record = {k: v for k, v in record.items() if v not in (None, "") or k in ("id", "who", "decision")}
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def record_decision(record: dict[str, Any]) -> ReviewDecision:
    """The decision a reviews.jsonl line holds (outcome and against are the memory's to judge).

    A line without the sentence, the pair or the decision names nothing to apply: UsageError.
    """
    values: dict[str, Any] = {field: record.get(key) for key, field in _RECORD_KEYS.items()}
    missing = [key for key, field in _RECORD_KEYS.items() if field in _NAMING_FIELDS and not isinstance(values[field], str)]
    missing += [key for key, field in _RECORD_KEYS.items() if field in _NAMING_FIELDS and values[field] == ""]
    if missing:
        raise UsageError(f"a record without {', '.join(missing)}")
    for key in ("reviewer", "time", "document", "segment_id", "note", "source_text", "author", "name_from"):
        values[key] = values[key] or ""
    values["via"] = values["via"] or "po"
    return ReviewDecision(**values)


@dataclass(frozen=True)
class Torn:
    """A line of the review record cut short: an append a full disk or a crash stopped half-way."""

    line: int  # 1-based line number in the file
    start: int  # byte offset of the line
    data: bytes  # the line, without its newline


def _cut_short(raw: bytes) -> bool:
    """Whether a line that is no JSON object is the beginning of one: an append that did not finish.

    Such a line starts like every record (`{"`) and breaks off at its end: invalid
    UTF-8 only in its last bytes (a character cut in two), or JSON that ends too
    soon. Anything else (a merge conflict marker, a hand edit) is not guessed at.
    """
    if not raw.startswith(b'{"'):
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return err.reason == "unexpected end of data"
    try:
        json.loads(text)
    except json.JSONDecodeError as err:
        end = len(text.rstrip())
        cut_escape = err.msg.startswith("Invalid") and err.pos >= end - 6  # "\u00" broken off
        rest = text[err.pos : end]
        cut_word = err.msg == "Expecting value" and any(w.startswith(rest) for w in ("true", "false", "null"))
        return err.pos >= end or err.msg.startswith("Unterminated string") or cut_escape or cut_word
    return False


def _parse(data: bytes, path: Path, start: int = 0) -> tuple[list[tuple[int, dict[str, Any]]], list[Torn]]:
    """(line number, object) for each record from byte `start` on, and the lines cut short.

    A line cut short (see `_cut_short`) is set apart, never read as a record and
    never a reason to refuse the rest; any other line that is no JSON object is
    refused, naming it. Line numbers count from the file's start.
    """
    records: list[tuple[int, dict[str, Any]]] = []
    torn: list[Torn] = []
    number = data.count(b"\n", 0, start)
    offset = start
    for raw in data[start:].split(b"\n"):
        number += 1
        line_start, offset = offset, offset + len(raw) + 1
        if not raw.strip():
            continue
        try:
            value = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            if _cut_short(raw):
                torn.append(Torn(number, line_start, raw))
                continue
            raise UsageError(f"{path}:{number}: not a JSON record; fix or remove that line (a merge conflict marker?)") from None
        if not isinstance(value, dict):
            raise UsageError(f"{path}:{number}: a record must be a JSON object")
        records.append((number, value))
    return records, torn


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise UsageError(f"{path}: cannot be read ({err.strerror or err}); check its permissions") from None


def _decisions(path: Path, records: list[tuple[int, dict[str, Any]]]) -> list[ReviewDecision]:
    """Decisions in id order, each id once (a union merge may repeat a line)."""
    by_id: dict[str, ReviewDecision] = {}
    for number, value in records:
        if not value.get("id") or not value.get("decision"):
            raise UsageError(f"{path}:{number}: a record without id or decision: {json.dumps(value)[:80]}")
        try:
            by_id.setdefault(str(value["id"]), record_decision(value))
        except TypeError:
            raise UsageError(f"{path}:{number}: a record with a field this version does not know") from None
        except UsageError as error:
            raise UsageError(f"{path}:{number}: {error}: {json.dumps(value)[:80]}") from None
    return [by_id[key] for key in sorted(by_id)]


class Journal:
    """The text record of the memory file `sqlite`: <name>.reviews.jsonl and <name>.drafts/ beside it.

    Appending to the review record is all or nothing, and always happens inside
    the memory's SQLite write transaction, before its COMMIT (see store.py): the
    lines are written, flushed to disk and their length checked; a short write (a
    full disk) is cut off again and reported as "disk full: nothing recorded",
    and a COMMIT that fails after the append cuts the appended lines off too
    (`undo_append`). A process killed between the two leaves the lines in the
    record and not in SQLite: the record is the authority, and the next opening
    applies them. So the record and the SQLite file never disagree about what
    happened, whatever stops a command.
    """

    def __init__(self, sqlite: Path) -> None:
        self.folder = Path(sqlite).parent
        self.reviews = self.folder / f"{Path(sqlite).stem}.reviews.jsonl"
        self.set_aside = self.folder / f"{Path(sqlite).stem}.reviews.torn"
        self.drafts = self.folder / f"{Path(sqlite).stem}.drafts"
        self.torn: list[Torn] = []  # lines cut short met by the last read of the review record

    def exists(self) -> bool:
        return self.reviews.exists() or self.drafts.is_dir()

    def draft_file(self, source_lang: str, target_lang: str) -> Path:
        return self.drafts / f"{source_lang}-{target_lang}.jsonl"

    def files(self) -> list[Path]:
        """Every file of the record that exists, reviews first."""
        found = [self.reviews] if self.reviews.exists() else []
        if self.drafts.is_dir():
            found += sorted(self.drafts.glob("*.jsonl"))
        return found

    # -- reviews ---------------------------------------------------------------

    def append_reviews(self, decisions: Iterable[ReviewDecision]) -> int | None:
        """Append decisions (ids already set) in one write, flushed to disk and checked, or not at all.

        Returns the record's size before the append, for `undo_append` (None when
        there was nothing to append). A failed write leaves the record as it was
        and raises `DiskFull` (or the WriteError naming what else is wrong).
        """
        data = "".join(record_json(d) + "\n" for d in decisions).encode("utf-8")
        if not data:
            return None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not self.reviews.exists() and self._create_reviews(data):
                return 0
            fd = os.open(self.reviews, os.O_RDWR | os.O_APPEND)
        except OSError as err:
            raise write_failure(self.reviews, err, NOTHING_RECORDED) from None
        try:
            size = self._mend_tail(fd)
            try:
                _write_all(fd, data)
                os.fsync(fd)
                if os.fstat(fd).st_size != size + len(data):
                    raise OSError(errno.EIO, "the record's length after the write is not what was written")
            except OSError as err:
                os.ftruncate(fd, size)  # what did get written is cut off again: nothing recorded
                raise write_failure(self.reviews, err, NOTHING_RECORDED) from None
        finally:
            os.close(fd)
        return size

    def undo_append(self, size: int | None) -> None:
        """Take back the last append (its SQLite COMMIT failed): the record is `size` bytes again."""
        if size is None:
            return
        if size == 0:
            self.reviews.unlink(missing_ok=True)  # this append made it: an empty record would read as truncated
            return
        with open(self.reviews, "r+b") as handle:
            handle.truncate(size)
            os.fsync(handle.fileno())

    def _mend_tail(self, fd: int) -> int:
        """The record's size once its last line is whole: a line cut short at its end is set aside first.

        A last line without its newline is either a whole record (a hand edit that
        dropped the newline: it gets one) or the beginning of one (an append cut
        short by an older version or a crash: moved to <name>.reviews.torn, with a
        warning), so the next record never lands in the middle of a broken line.
        """
        size = os.fstat(fd).st_size
        if not size or os.pread(fd, 1, size - 1) == b"\n":
            return size
        cut = _last_line_start(fd, size)
        last = os.pread(fd, size - cut, cut)
        if _cut_short(last):
            self._keep_torn([last])
            os.ftruncate(fd, cut)
            os.fsync(fd)
            log.warning(
                "%s: its last line was cut short (a full disk or a crash stopped an append); it was set aside in %s "
                "and is not a decision",
                self.reviews,
                self.set_aside.name,
            )
            return cut
        _write_all(fd, b"\n")
        return size + 1

    def _keep_torn(self, lines: list[bytes]) -> None:
        """Append lines cut short to <name>.reviews.torn, for whoever wants to look (never read as decisions)."""
        fd = os.open(self.set_aside, os.O_WRONLY | os.O_APPEND | os.O_CREAT, new_file_mode())
        try:
            _write_all(fd, b"".join(line + b"\n" for line in lines))
            os.fsync(fd)
        finally:
            os.close(fd)

    def mend(self, logged: dict[str, str]) -> list[str]:
        """Repair or set aside every line of the review record cut short; what was done, one line each.

        `logged`: record id -> its full line (record_json) for decisions the SQLite
        memory holds. A line cut short that begins a logged decision missing from
        the record (an older version wrote part of it and committed) is completed
        from the memory; any other is moved to <name>.reviews.torn: it was never
        recorded. Called with the memory's write lock held (sync.py).
        """
        data = _read(self.reviews)
        records, torn = _parse(data, self.reviews)
        if not torn:
            return []
        present = {str(value.get("id")) for _, value in records}
        missing = [line for key, line in logged.items() if key not in present]
        out, start, said, kept = [], 0, [], []
        for line in torn:
            out.append(data[start : line.start])
            start = line.start + len(line.data) + 1
            whole = next((m for m in missing if m.encode("utf-8").startswith(line.data)), None)
            if whole is not None:
                out.append(whole.encode("utf-8") + b"\n")
                missing.remove(whole)
                said.append(f"{self.reviews}:{line.line}: a record cut short was completed from the memory")
            else:
                kept.append(line.data)
                said.append(
                    f"{self.reviews}:{line.line}: a record cut short (a full disk or a crash stopped its append) "
                    f"was set aside in {self.set_aside.name}; it was never recorded"
                )
        out.append(data[start:])
        mended = b"".join(out)
        if not mended.endswith(b"\n"):
            mended += b"\n"
        if kept:
            self._keep_torn(kept)
        atomic_write_bytes(self.reviews, mended)
        self.torn = []
        return said

    def _create_reviews(self, data: bytes) -> bool:
        """Make the review record holding its first lines, never seen empty: an empty record is
        refused as truncated (memory/health.py), so another process opening the memory between
        an O_CREAT and its write would refuse it. False if someone else made it first (append then)."""
        handle, name = tempfile.mkstemp(prefix=f".{self.reviews.name}.", suffix=".new", dir=self.folder)
        try:
            try:
                os.fchmod(handle, new_file_mode())  # as any new file of the project (mkstemp's is 0o600)
                _write_all(handle, data)
                os.fsync(handle)
            finally:
                os.close(handle)
            os.link(name, self.reviews)
            return True
        except FileExistsError:
            return False
        except OSError as err:
            if err.errno in FULL:
                raise
            return False  # a file system without hard links: append as before
        finally:
            os.unlink(name)

    def read_reviews(self, start: int = 0) -> list[ReviewDecision]:
        """Decisions in id order, each id once (a union merge may repeat a line); from byte `start` on.

        Lines cut short are left out (and listed in `self.torn`), never a reason to refuse the rest.
        """
        if not self.reviews.exists():
            self.torn = []
            return []
        records, self.torn = _parse(_read(self.reviews), self.reviews, start)
        return _decisions(self.reviews, records)

    # -- drafts ----------------------------------------------------------------

    def write_drafts(self, source_lang: str, target_lang: str, rows: Iterable[dict[str, Any]]) -> bool:
        """Rewrite one pair's drafts file, sorted by sentence hash; return whether it changed."""
        lines = sorted(
            json.dumps({k: row[k] for k in _DRAFT_KEYS if row.get(k) not in (None, "", {})}, ensure_ascii=False, sort_keys=True)
            for row in rows
        )
        return atomic_write_text(self.draft_file(source_lang, target_lang), "".join(line + "\n" for line in lines))

    def read_drafts(self, path: Path) -> list[dict[str, Any]]:
        """One row per sentence hash: the newest when a merge left several."""
        newest: dict[str, dict[str, Any]] = {}
        records, torn = _parse(_read(path), path)
        if torn:
            raise UsageError(f"{path}:{torn[0].line}: not a JSON record; fix or remove that line (drafts are written whole)")
        for number, value in records:
            if not isinstance(value.get("hash"), str) or not isinstance(value.get("source"), str):
                raise UsageError(f"{path}:{number}: a draft needs 'hash' and 'source'")
            old = newest.get(value["hash"])
            if old is None or str(value.get("updated", "")) >= str(old.get("updated", "")):
                newest[value["hash"]] = value
        return [newest[key] for key in sorted(newest)]

    @staticmethod
    def pair_of(path: Path) -> tuple[str, str]:
        source, _, target = path.stem.partition("-")
        if not source or not target:
            raise UsageError(f"{path}: a drafts file is named <source>-<target>.jsonl")
        return source, target


def _write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is written: a short write is retried, and a full disk raises ENOSPC."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def _last_line_start(fd: int, size: int) -> int:
    """The byte offset where the file's last line begins (read backwards, 64 KiB at a time)."""
    end = size
    while end > 0:
        start = max(0, end - (1 << 16))
        found = os.pread(fd, end - start, start).rfind(b"\n")
        if found >= 0:
            return start + found + 1
        end = start
    return 0
