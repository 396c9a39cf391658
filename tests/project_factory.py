"""A translate project in a temporary folder, as tests build it.

`Project(root)` makes the folder and an empty texts/; `configure` writes
translate.toml, `add_essays` copies the repository's two essays and their
glossary, `add_text` writes one text. A Project is path-like: `project /
"outputs"` and `cwd=project` work as with the folder itself. The `project`
fixture in conftest.py gives each test a fresh one.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from translate.config import Config, load_config
from translate.memory.store import TranslationMemory
from translate.segment import parse
from translate.texts import SourceText

REPO_ROOT = Path(__file__).resolve().parents[1]


class Project:
    """A project folder: translate.toml, texts/, glossaries/, and what runs put beside them."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        (self.root / "texts").mkdir(parents=True, exist_ok=True)

    def __fspath__(self) -> str:
        return str(self.root)

    def __truediv__(self, other: str | Path) -> Path:
        return self.root / other

    def __str__(self) -> str:
        return str(self.root)

    def configure(self, targets: Sequence[str] = ("es",), **sections: Mapping[str, Any]) -> Project:
        """Write translate.toml: [project] targets plus any other keys and sections given."""
        # The cross-check sends every new draft through two more routes (translate.run.crosscheck): off unless a
        # test is about it, so that a test's run costs its own engine's time only.
        review = {"crosscheck": False, **sections.pop("review", {})}
        tables = {"project": {"targets": list(targets), **sections.pop("project", {})}, "review": review, **sections}
        lines = []
        for name, table in tables.items():
            lines.append(f"[{name}]")
            lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in table.items()]
        (self.root / "translate.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return self

    def add_essays(self) -> Project:
        """The repository's texts and glossaries, copied."""
        for folder in ("texts", "glossaries"):
            shutil.copytree(REPO_ROOT / folder, self.root / folder, dirs_exist_ok=True)
        return self

    def add_text(self, name: str, body: str, language: str = "en") -> SourceText:
        """Write texts/<name> and return it parsed, as a run would read it."""
        path = self.root / "texts" / name
        path.write_text(body, encoding="utf-8")
        return SourceText(path, parse(body, name, language))

    def copy_to(self, folder: Path) -> Project:
        """The whole project copied into `folder`, files' times kept."""
        shutil.copytree(self.root, folder, symlinks=True, dirs_exist_ok=True)
        return Project(folder)

    @property
    def config(self) -> Config:
        return load_config(self.root / "translate.toml")

    def memory(self) -> TranslationMemory:
        """The project's translation memory (use it with `with`)."""
        return TranslationMemory(self.config.path("memory"))
