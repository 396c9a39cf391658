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

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from translate.errors import UsageError
from translate.fileio import atomic_write_text
from translate.memory.records import ReviewDecision

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
    for key in ("reviewer", "time", "document", "segment_id", "note", "source_text"):
        values[key] = values[key] or ""
    values["via"] = values["via"] or "po"
    return ReviewDecision(**values)


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each line; a torn last line (a write cut short) is ignored."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            if number == len(lines):  # no newline after it: an append that did not finish
                continue
            raise UsageError(f"{path}:{number}: not a JSON record; fix or remove that line (a merge conflict marker?)") from None
        if not isinstance(value, dict):
            raise UsageError(f"{path}:{number}: a record must be a JSON object")
        yield number, value


class Journal:
    """The text record of the memory file `sqlite`: <name>.reviews.jsonl and <name>.drafts/ beside it."""

    def __init__(self, sqlite: Path) -> None:
        self.folder = Path(sqlite).parent
        self.reviews = self.folder / f"{Path(sqlite).stem}.reviews.jsonl"
        self.drafts = self.folder / f"{Path(sqlite).stem}.drafts"

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

    def append_reviews(self, decisions: Iterable[ReviewDecision]) -> None:
        """Append decisions (ids already set) in one write, flushed to disk before returning."""
        lines = "".join(record_json(d) + "\n" for d in decisions)
        if not lines:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if not self.reviews.exists() and self._create_reviews(lines.encode("utf-8")):
            return
        fd = os.open(self.reviews, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            if os.fstat(fd).st_size:
                last = os.pread(fd, 1, os.fstat(fd).st_size - 1)
                if last != b"\n":  # a torn line from a killed process: keep it apart from ours
                    os.write(fd, b"\n")
            os.write(fd, lines.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def _create_reviews(self, data: bytes) -> bool:
        """Make the review record holding its first lines, never seen empty: an empty record is
        refused as truncated (memory/health.py), so another process opening the memory between
        an O_CREAT and its write would refuse it. False if someone else made it first (append then)."""
        handle, name = tempfile.mkstemp(prefix=f".{self.reviews.name}.", suffix=".new", dir=self.folder)
        try:
            try:
                os.fchmod(handle, 0o644)  # as an O_CREAT with 0o644 makes it (mkstemp's is 0o600)
                os.write(handle, data)
                os.fsync(handle)
            finally:
                os.close(handle)
            os.link(name, self.reviews)
            return True
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: append as before
            return False
        finally:
            os.unlink(name)

    def read_reviews(self, start: int = 0) -> list[ReviewDecision]:
        """Decisions in id order, each id once (a union merge may repeat a line); from byte `start` on."""
        if not self.reviews.exists():
            return []
        path = self.reviews
        if start:
            with path.open("rb") as handle:
                handle.seek(start)
                tail = handle.read().decode("utf-8")
            objects = []
            for number, line in enumerate(tail.split("\n"), 1):
                if line.strip():
                    try:
                        objects.append(json.loads(line))
                    except json.JSONDecodeError:
                        if number == len(tail.split("\n")):
                            continue
                        raise UsageError(f"{path}: a record after byte {start} is not JSON; fix or remove it") from None
        else:
            objects = [value for _, value in _lines(path)]
        by_id: dict[str, ReviewDecision] = {}
        for value in objects:
            if not isinstance(value, dict) or not value.get("id") or not value.get("decision"):
                raise UsageError(f"{path}: a record without id or decision: {json.dumps(value)[:80]}")
            try:
                decision = record_decision(value)
            except UsageError as error:
                raise UsageError(f"{path}: {error}: {json.dumps(value)[:80]}") from None
            by_id.setdefault(str(value["id"]), decision)
        return [by_id[key] for key in sorted(by_id)]

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
        for number, value in _lines(path):
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
