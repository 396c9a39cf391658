"""The project as the server sees it: texts and glossary parsed once, the memory opened per request.

The texts and the glossary are parsed again only when one of their files
changes (size or modification time), since a `translate run` may change them
while the server runs. Each request opens its own memory connection (about a
millisecond): SQLite connections stay in the thread that made them, and a
fresh one always reads the newest commit.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from translate.config import Config
from translate.fileio import FileStamp, file_stamp
from translate.glossary.files import load_glossary
from translate.glossary.model import Glossary
from translate.memory.store import TranslationMemory
from translate.texts import SourceText, load_batch, text_files

log = logging.getLogger(__name__)


def _fingerprint(paths: list[Path]) -> tuple[tuple[str, FileStamp | None], ...]:
    return tuple((str(path), file_stamp(path)) for path in paths)


class ProjectFiles:
    """The project's texts and glossary, re-read only when a file changes (thread-safe)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._texts: tuple[tuple, list[SourceText]] | None = None
        self._glossary: tuple[tuple, Glossary] | None = None

    def _text_paths(self) -> list[Path]:
        folder = self.config.path("texts")
        return text_files(folder) if folder.is_dir() else []

    def texts(self) -> list[SourceText]:
        key = _fingerprint(self._text_paths())
        with self._lock:
            if self._texts is None or self._texts[0] != key:
                batch = load_batch(self.config)
                self._texts = (key, batch.texts)
                for problem in batch.problems:  # the other texts are served; the organizer reads why this one is not
                    log.warning("%s (left out of the review pages)", problem.error)
            return self._texts[1]

    def text(self, stem: str) -> SourceText | None:
        return next((t for t in self.texts() if t.stem == stem), None)

    def glossary(self) -> Glossary:
        path = self.config.path("glossary")
        paths = [path] if path.is_file() else sorted(path.glob("*.toml")) if path.is_dir() else []
        key = _fingerprint(paths)
        with self._lock:
            if self._glossary is None or self._glossary[0] != key:
                self._glossary = (key, load_glossary(path))
            return self._glossary[1]

    def memory(self) -> TranslationMemory:
        """A connection of this thread's own (SQLite connections stay in the thread that made them).

        On a full disk or in a read-only folder it is a read-only copy: pages and API
        answers still read it, and a save is refused saying why (nothing recorded).
        """
        return TranslationMemory.for_reading(self.config.path("memory"))
