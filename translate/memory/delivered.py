"""What each output was made from: the index that lets a run skip what did not change.

One row per text and target language: the fingerprint of everything its files
were made from outside the memory (source text, configuration, glossary,
engines installed, the program itself: see translate.run.freshness), the
memory's change counter for the language pair when they were built, and the
size and modification time of each file as written. One row per language keeps
the run's result for it (engine, route, signature, or why it was skipped), so a
language with nothing to do needs neither its engine nor its sentences.

It lives in the memory's SQLite file because it describes the memory's state:
written in the same transactions' file, deleted with it, rebuilt by the next run
when missing (a run with no index rebuilds every output once, and writes only the
files whose bytes changed).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from translate.memory.store import TranslationMemory

FileStat = tuple[str, int, int]
"""(path relative to the project root, size in bytes, modification time in ns)."""


@dataclass
class Delivered:
    """The files of one text in one language, and what they were made from."""

    document: str
    target: str
    fingerprint: str
    generation: int
    files: list[FileStat]


class DeliveredIndex:
    """The `delivered` and `delivered_languages` tables of a translation memory."""

    def __init__(self, memory: TranslationMemory) -> None:
        self.memory = memory
        self._db = memory.connection  # one connection, one transaction rule: the memory's own

    def rows(self, target: str) -> dict[str, Delivered]:
        """Every text delivered in a language, by document name."""
        rows = self._db.execute(
            "SELECT document, target_lang, fingerprint, generation, files FROM delivered WHERE target_lang = ?",
            (target,),
        )
        return {
            document: Delivered(document, lang, fingerprint, generation, [tuple(f) for f in json.loads(files)])
            for document, lang, fingerprint, generation, files in rows
        }

    def record(self, rows: Iterable[Delivered]) -> None:
        """Insert or replace rows, in one transaction."""
        params = [(r.document, r.target, r.fingerprint, r.generation, json.dumps(r.files)) for r in rows]
        if not params:
            return
        with self.memory.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO delivered VALUES (?, ?, ?, ?, ?)", params)

    def advance(self, target: str, documents: Iterable[str], generation: int) -> None:
        """Mark rows as checked against the memory up to `generation` (their files did not need rebuilding)."""
        params = [(generation, target, document) for document in documents]
        if not params:
            return
        with self.memory.transaction() as db:
            db.executemany(
                "UPDATE delivered SET generation = ? WHERE target_lang = ? AND document = ? AND generation < ?",
                [(*p, generation) for p in params],
            )

    def forget(self, target: str, documents: Iterable[str]) -> None:
        """Drop rows (files to be rebuilt by the next run whatever their fingerprint)."""
        params = [(target, document) for document in documents]
        if not params:
            return
        with self.memory.transaction() as db:
            db.executemany("DELETE FROM delivered WHERE target_lang = ? AND document = ?", params)

    def forget_documents_except(self, documents: Iterable[str]) -> None:
        """Drop the rows of texts that are gone from the texts folder."""
        keep = sorted(set(documents))
        marks = ",".join("?" * len(keep))
        stale = self._db.execute(f"SELECT 1 FROM delivered WHERE document NOT IN ({marks}) LIMIT 1", keep).fetchone()
        if stale:
            with self.memory.transaction() as db:
                db.execute(f"DELETE FROM delivered WHERE document NOT IN ({marks})", keep)

    def language(self, target: str) -> tuple[str, dict] | None:
        """(fingerprint, stored result) of a language's last successful run, if any."""
        row = self._db.execute("SELECT fingerprint, result FROM delivered_languages WHERE target_lang = ?", (target,)).fetchone()
        return None if row is None else (row[0], json.loads(row[1]))

    def record_language(self, target: str, fingerprint: str, result: dict) -> None:
        stored = self.language(target)
        if stored == (fingerprint, result):
            return
        with self.memory.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO delivered_languages VALUES (?, ?, ?)",
                (target, fingerprint, json.dumps(result, ensure_ascii=False, sort_keys=True)),
            )

    def forget_language(self, target: str) -> None:
        if self.language(target) is not None:
            with self.memory.transaction() as db:
                db.execute("DELETE FROM delivered_languages WHERE target_lang = ?", (target,))
