"""Change-proportional runs: which outputs are out of date, found without rebuilding any.

A scheduled run over a growing library must cost what changed, not what exists.
Every delivered text (its .md and .po in one language) is recorded in the
memory's `delivered` index with the fingerprint of what it was made from:

- outside the memory, one digest: the source text's bytes, the configuration,
  the glossary files, the route file (routes.toml), what the engines depend on here (`Engine.environment`:
  file sizes and times, no subprocess), and the program's own files (so a new
  PO writer rebuilds every PO once);
- in the memory, the change counter of the language pair when it was built
  (`entries.rev`, bumped by triggers on every change): sentences changed since
  are looked up in the recorded layouts, and only texts holding one are rebuilt;
- on disk, each file's size and modification time as written (a file edited by a
  reviewer, touched or deleted is rebuilt, which is where unimported edits are
  noticed and kept).

A run with nothing to do reads the texts, this index and one counter per
language: it parses no text, asks no engine for its routes, builds no PO
(measured in `make bench`, section "scale").
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import translate
from translate.config import Config
from translate.fileio import file_stamp
from translate.memory.delivered import Delivered, DeliveredIndex, FileStat
from translate.memory.store import TranslationMemory

_PROGRAM_FILES = ("*.py", "*.j2", "*.css", "*.toml")


@cache
def program_digest() -> str:
    """sha256 of the package's own files: outputs depend on the code that wrote them."""
    root = Path(translate.__file__).parent
    digest = hashlib.sha256()
    for pattern in _PROGRAM_FILES:
        for path in sorted(root.rglob(pattern)):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def files_digest(path: Path) -> str:
    """sha256 of a file, or of every file in a folder (names and bytes): the glossary's input."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
    for file in files:
        digest.update(str(file.relative_to(path.parent)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def run_fingerprint(config: Config, engines: str | None) -> str | None:
    """What every output of a run depends on outside the memory and the source texts.

    None when the engines cannot describe their environment: nothing is trusted then.
    """
    if engines is None:
        return None
    digest = hashlib.sha256()
    placed = replace(config, engine=replace(config.engine, cluster=""))  # where jobs run changes no output
    parts = (program_digest(), repr(placed), files_digest(config.path("glossary")), files_digest(config.path("routes")), engines)
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def language_fingerprint(run: str | None, target: str) -> str | None:
    return None if run is None else hashlib.sha256(f"{run}\0{target}".encode()).hexdigest()


def text_fingerprint(language: str, text_digest: str) -> str:
    return hashlib.sha256(f"{language}\0{text_digest}".encode()).hexdigest()


def stat_files(root: Path, paths: Iterable[Path]) -> list[FileStat] | None:
    """(relative path, size, mtime_ns) per file; None when one is missing."""
    stats: list[FileStat] = []
    for path in paths:
        stamp = file_stamp(path)
        if stamp is None:
            return None
        stats.append((str(path.relative_to(root)), stamp.size, stamp.mtime_ns))
    return stats


@dataclass
class LanguageState:
    """One target language at the start of a run: what is up to date and what is not."""

    target: str
    fingerprint: str | None  # of the language (None: nothing can be trusted)
    generation: int  # the pair's change counter when checked
    stored: dict | None  # the last run's result for the language, when its fingerprint matches
    dirty: list[str] = field(default_factory=list)  # texts to translate and deliver
    clean: list[str] = field(default_factory=list)  # texts whose files are up to date
    rows: dict[str, Delivered] = field(default_factory=dict)

    @property
    def skipped(self) -> bool:
        """Skipped last time (no engine here) and nothing changed since."""
        return self.stored is not None and self.stored.get("status") == "skipped"

    @property
    def up_to_date(self) -> bool:
        return self.stored is not None and not self.dirty


class Freshness:
    """The `delivered` index read and written for one run."""

    def __init__(
        self,
        config: Config,
        memory: TranslationMemory,
        text_digests: dict[str, str],
    ) -> None:
        self.config = config
        self.memory = memory
        self.index = DeliveredIndex(memory)
        self.text_digests = text_digests  # document name -> sha256 of its bytes
        self.source = config.source_language

    def check(self, target: str, fingerprint: str | None, outputs: dict[str, list[Path]]) -> LanguageState:
        """Which texts of the run are out of date in `target`; `outputs` names each text's files there."""
        stored = self.index.language(target) if fingerprint is not None else None
        state = LanguageState(
            target=target,
            fingerprint=fingerprint,
            generation=self.memory.generation(self.source, target),
            stored=stored[1] if stored is not None and stored[0] == fingerprint else None,
        )
        if state.skipped:
            return state
        state.rows = self.index.rows(target) if fingerprint is not None else {}
        waiting: dict[str, Delivered] = {}  # rows fine outside the memory, older than its last change
        for document, digest in self.text_digests.items():
            row = state.rows.get(document)
            if (
                row is None
                or fingerprint is None
                or row.fingerprint != text_fingerprint(fingerprint, digest)
                or stat_files(self.config.root, outputs[document]) != [tuple(f) for f in row.files]
            ):
                state.dirty.append(document)
            elif row.generation < state.generation:
                waiting[document] = row
            else:
                state.clean.append(document)
        if waiting:
            since = min(row.generation for row in waiting.values())
            touched = self.memory.documents_with(self.memory.changed_since(self.source, target, since))
            for document in waiting:
                (state.dirty if document in touched else state.clean).append(document)
        state.dirty.sort(key=list(self.text_digests).index)
        return state

    def settle(
        self,
        state: LanguageState,
        delivered: Iterable[str],
        outputs: dict[str, list[Path]],
        result: dict,
    ) -> None:
        """After a language's run: record the texts delivered, advance the clean ones, keep its result.

        A text whose files could not all be written as built (a PO holding edits not
        imported yet) is forgotten, so the next run looks at it again.
        """
        if state.fingerprint is None:
            return
        generation = self.memory.generation(self.source, state.target)
        delivered = set(delivered)
        rows, missed = [], []
        for document in state.dirty:
            stats = stat_files(self.config.root, outputs[document]) if document in delivered else None
            if stats is None:
                missed.append(document)
                continue
            fingerprint = text_fingerprint(state.fingerprint, self.text_digests[document])
            rows.append(Delivered(document, state.target, fingerprint, generation, stats))
        self.index.forget(state.target, missed)
        self.index.record(rows)
        if state.clean and generation > state.generation:
            # This run's own writes (new sentences of the edited texts) may sit in a clean text too.
            touched = self.memory.documents_with(self.memory.changed_since(self.source, state.target, state.generation))
            self.index.forget(state.target, [d for d in state.clean if d in touched])
            self.index.advance(state.target, [d for d in state.clean if d not in touched], generation)
        else:
            self.index.advance(state.target, state.clean, generation)
        self.index.record_language(state.target, state.fingerprint, result)

    def skip(self, state: LanguageState, result: dict) -> None:
        """A language no engine here serves: remembered until the engines change."""
        if state.fingerprint is not None:
            self.index.record_language(state.target, state.fingerprint, result)

    def fail(self, target: str) -> None:
        """A failed language is looked at afresh by the next run."""
        self.index.forget_language(target)
