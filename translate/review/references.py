"""Reference sets: English sentences with a translation written by hand, one TSV file per language.

A folder of `<lang>.tsv` files (`es.tsv`, `pt-BR.tsv`) is a reference set named
after the folder. Two layouts are read, each after `#` comment lines:

- a header `en<TAB><lang>`, then `English<TAB>translation` per line (the essays'
  references in bench/references/);
- a header `id<TAB>en<TAB><lang>`, then `id<TAB>English<TAB>translation` (the
  held-out field set in bench/references/field/).

Anything else (a row with a missing or extra column, an empty cell, a header
naming another language than the file) is one UsageError line naming file and row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from translate.errors import LanguageError, UsageError
from translate.fileio import read_source
from translate.languages import check_code


@dataclass(frozen=True)
class References:
    """One language of a reference set: its sentences, in file order."""

    name: str  # the set's name: its folder's
    language: str
    path: Path
    ids: tuple[str, ...]
    sources: tuple[str, ...]
    translations: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.sources)


def language_of(path: Path) -> str | None:
    """The language a file is for ('pt-BR.tsv' → 'pt_BR'), or None when its name is not a code."""
    try:
        return check_code(path.stem)
    except LanguageError:
        return None


def reference_files(folder: Path) -> dict[str, Path]:
    """Every language of a reference set folder, with its file."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder of references (<lang>.tsv files)")
    found = {language: path for path in sorted(folder.glob("*.tsv")) if (language := language_of(path))}
    if not found:
        raise UsageError(f"{folder}: no <lang>.tsv reference files in it")
    return found


def read_references(path: Path, name: str | None = None) -> References:
    """One references file, in either layout (see the module)."""
    language = language_of(path)
    if language is None:
        raise UsageError(f"{path}: the file name must be a language code (es.tsv, pt-BR.tsv)")
    rows = [
        (number, line.split("\t"))
        for number, line in enumerate(read_source(path).splitlines(), 1)
        if line.strip() and not line.startswith("#")
    ]
    if not rows:
        raise UsageError(f"{path}: no header and no sentences")
    (_, header), body = rows[0], rows[1:]
    if [c.strip() for c in header[:-1]] not in (["en"], ["id", "en"]):
        raise UsageError(f"{path}: the header must be en<TAB>{path.stem} or id<TAB>en<TAB>{path.stem}, not {header!r}")
    try:
        named = check_code(header[-1].strip())
    except LanguageError:
        named = None
    if named != language:
        raise UsageError(f"{path}: the header names {header[-1].strip()!r}, the file {path.stem!r}")
    ids: list[str] = []
    sources: list[str] = []
    translations: list[str] = []
    for number, row in body:
        if len(row) != len(header) or not all(cell.strip() for cell in row):
            raise UsageError(f"{path}: line {number} needs {len(header)} non-empty tab-separated columns")
        ids.append(row[0] if len(row) == 3 else str(len(ids) + 1))
        sources.append(row[-2])
        translations.append(row[-1])
    if len(set(ids)) != len(ids):
        raise UsageError(f"{path}: an id is listed twice")
    return References(name or path.parent.name, language, path, tuple(ids), tuple(sources), tuple(translations))
