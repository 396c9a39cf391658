"""The source texts of a project: which files, parsed, and where their translations go.

Every command that reads the texts folder (`translate run`, `status`,
`review`, `handouts`, `glossary check`) finds its files here, so they all
accept the same suffixes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from translate.config import Config
from translate.errors import InputFileError, UsageError
from translate.fileio import check_link, decode_source, read_bytes, read_source
from translate.human_input import describe_character
from translate.languages import bcp47
from translate.segment import MARKDOWN_SUFFIXES, Document, parse

TEXT_SUFFIXES = (*MARKDOWN_SUFFIXES, ".txt")
"""The files a texts folder is read for."""


@dataclass
class SourceText:
    """A source file of the texts folder, parsed."""

    path: Path
    document: Document

    @property
    def stem(self) -> str:
        return self.path.stem


def text_files(folder: Path) -> list[Path]:
    """The texts of a folder (by suffix, any case), sorted by name; hidden files (an editor's lock) left out.

    Every name with a text suffix is listed, whatever it is: a folder named x.md, a
    named pipe or a link leading out of the project is then refused by name when it
    is read (`read_text`), one line each, instead of being skipped without a word.
    """
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in TEXT_SUFFIXES and not p.name.startswith("."))


def load_texts(config: Config, only: list[str] | None = None) -> list[SourceText]:
    """Parse every source text (or those named in `only`, by file or stem name).

    A text that cannot be read (not UTF-8, too large, a control character, a
    bad file name) raises InputFileError; `load_batch` reads the others past it.
    """
    return [_parse(path, config) for path in text_paths(config, only)]


@dataclass(frozen=True)
class TextProblem:
    """A text a run could not read, and why (one line, with what to do)."""

    text: str
    error: str


@dataclass(frozen=True)
class TextBatch:
    """The texts a batch command read, and a problem for each it could not (the others are still read)."""

    texts: list[SourceText]
    problems: tuple[TextProblem, ...] = ()


def load_batch(config: Config, only: list[str] | None = None) -> TextBatch:
    """Like `load_texts`, but a text that cannot be read becomes a TextProblem and the others are still
    returned, as a run, `status` or the review server wants: one bad file never hides the rest."""
    texts, problems = [], []
    for path in text_paths(config, only):
        try:
            texts.append(_parse(path, config))
        except InputFileError as err:
            problems.append(TextProblem(path.name, str(err)))
    return TextBatch(texts, tuple(problems))


def _parse(path: Path, config: Config) -> SourceText:
    return load_text(path, decode_source(read_text(path, config), str(path)), config.source_language)


def read_text(path: Path, config: Config) -> bytes:
    """A source file's bytes: its name checked, a link kept within the project, only a regular file read,
    its size within limits.max_text_bytes (read in bounded chunks)."""
    check_text_name(path)
    check_link(path, config.root)
    return read_bytes(path, config.limits.max_text_bytes)


BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Characters that reorder the text around them: in a name, they make a report or a list lie."""


def _unsafe_in_name(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in BIDI_CONTROLS


def check_text_name(path: Path) -> None:
    """A text's name becomes file names, PO references and report lines: no control characters in it."""
    bad = next((c for c in path.name if _unsafe_in_name(c)), None)
    if bad is not None:
        shown = "".join(f"\\u{ord(c):04x}" if _unsafe_in_name(c) else c for c in path.name)
        raise InputFileError(f"{path.parent / shown}: the file name holds {describe_character(bad)}; rename the file")


def load_text(path: Path, text: str, language: str) -> SourceText:
    """One source text, parsed from its content."""
    return SourceText(path, parse(text, path.name, language))


def text_paths(config: Config, only: list[str] | None = None) -> list[Path]:
    """The source files of a project (or those named in `only`, by file or stem name), unread."""
    folder = config.path("texts")
    if not folder.is_dir():
        raise InputFileError(f"{folder}: texts folder not found")
    paths = text_files(folder)
    if only:
        wanted = set(only)
        paths = [p for p in paths if p.name in wanted or p.stem in wanted]
        missing = wanted - {p.name for p in paths} - {p.stem for p in paths}
        if missing:
            raise UsageError(f"no text named {', '.join(sorted(missing))} in {folder}")
    if not paths:
        raise InputFileError(f"{folder}: no .md or .txt texts to translate")
    return paths


def read_texts(paths: Iterable[Path]) -> dict[str, str]:
    """File name -> content for text files and folders of them (what `glossary check` reads)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            for found in text_files(path):
                check_link(found, path)  # a link in a folder stays in it
                files.append(found)
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such text file or folder")
    return {f.name: read_source(f) for f in files}


def output_path(config: Config, language: str, text: SourceText | Path, suffix: str = ".md") -> Path:
    """outputs/<lang>/<text>.md (and .po, .html, .pdf beside it); `text` may be the source file's path.

    The folder is the language's BCP 47 tag (outputs/pt-BR/, as PO editors and browsers write it)."""
    return config.path("outputs") / bcp47(language) / f"{text.stem}{suffix}"
