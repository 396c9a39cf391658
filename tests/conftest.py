"""Shared pytest fixtures.

Keep each group of fixtures under its own heading; helpers that tests import live in
modules beside this file (e.g. ``model_factory``), not here.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from cli_process import cli
from model_factory import build_argos_package, point_argos_at
from project_factory import REPO_ROOT, Project

from translate.glossary.files import load_glossary
from translate.glossary.model import Glossary

# --------------------------------------------------------------------------------------
# Markers: what a test needs from the machine, declared once here
# --------------------------------------------------------------------------------------

# marker -> (what must be on PATH, how to get it). A test marked with one of these is
# skipped, with that hint, on a machine without the program.
NEEDS = {
    "apertium": ("apertium", "apt-get install apertium (make setup installs it with its pairs)"),
    "gettext": ("msgfmt", "apt-get install gettext"),
    "chromium": ("chromium", "apt-get install chromium (make setup installs it)"),
    "poppler": ("pdftotext", "apt-get install poppler-utils (make setup installs it)"),
}


def pytest_configure(config: pytest.Config) -> None:
    for name, (program, _) in NEEDS.items():
        config.addinivalue_line("markers", f"{name}: needs `{program}` on PATH (skipped without it)")


TRACEBACK = "Traceback (most recent call last)"
"""What Python (and rich) print before a traceback: no test's output may hold it."""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    """A test that passed while a traceback reached its output (a command's stderr it printed, a logged
    server error) fails: every failure a person can meet is one line, never a traceback."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call" and report.passed:
        leaked = [name for name, text in report.sections if TRACEBACK in text]
        if leaked:
            report.outcome = "failed"
            report.longrepr = f"a traceback reached the test's output ({', '.join(leaked)}): failures must be one line"


LONGEST = [
    "test_run_guards.py",
    "test_serve_browser.py",
    "test_run.py",
    "test_run_parallel.py",
    "test_review_loop.py",
    "test_api_limits.py",
]
"""The test modules that took longest (`make test` prints the slowest tests), longest first."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = {name: hint for name, (program, hint) in NEEDS.items() if shutil.which(program) is None}
    for item in items:
        for name in missing.keys() & {mark.name for mark in item.iter_markers()}:
            item.add_marker(pytest.mark.skip(reason=f"{NEEDS[name][0]} is not installed: {missing[name]}"))
    # The longest modules first, then the others holding slow tests, then the rest, each module in its own
    # order: pytest-xdist hands modules out in this order (--dist loadscope), so the long ones start at
    # once instead of ending the run alone.
    slow_modules = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(
        key=lambda item: (
            LONGEST.index(item.path.name) if item.path.name in LONGEST else len(LONGEST),
            item.path not in slow_modules,
        )
    )


# --------------------------------------------------------------------------------------
# Projects
# --------------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A fresh project folder with an empty texts/ and no translate.toml yet.

    Each test (or a test module's fixture built on this one) configures what it needs:
    `project.configure(["es"], engine={"default": "apertium"}).add_essays()`.
    """
    return Project(tmp_path / "project")


TranslatedEssays = Callable[..., tuple[Project, dict[str, Any]]]
"""translated_essays(folder, targets, **sections) -> (a project in folder, the report of its first run)."""


@pytest.fixture(scope="session")
def glossary() -> Glossary:
    """The project's own glossary (glossaries/marxism.toml), read once: a frozen value no test changes."""
    return load_glossary(REPO_ROOT / "glossaries" / "marxism.toml")


@pytest.fixture(scope="session")
def translated_essays(tmp_path_factory: pytest.TempPathFactory) -> TranslatedEssays:
    """The two essays and their glossary translated by Apertium, once per session for each configuration.

    `translated_essays(folder, ("es", "ca"), engine={"jobs": 1})` copies a project
    (with `texts={name: body}` beside the essays, if given) whose first `translate
    run` is done (its files' times kept, so a second run finds nothing to do) into
    `folder`, and returns it with that first run's JSON report. Apertium's output
    for a language does not depend on when it ran, so each test gets what its own
    first run would have written, without paying for it again: the essays take
    seconds of Apertium per language.
    """
    made: dict[str, tuple[Path, dict[str, Any]]] = {}

    def copy(
        folder: Path, targets: Sequence[str] = ("es",), texts: dict[str, str] | None = None, **sections: dict[str, Any]
    ) -> tuple[Project, dict[str, Any]]:
        engine = {"default": "apertium", **sections.pop("engine", {})}
        key = json.dumps([list(targets), texts, engine, sections], sort_keys=True)
        if key not in made:
            root = tmp_path_factory.mktemp("translated-essays")
            original = Project(root).add_essays().configure(targets, engine=engine, **sections)
            for name, body in (texts or {}).items():
                original.add_text(name, body)
            done = cli("run", "--json", cwd=original)
            assert done.returncode == 0, done.stderr
            made[key] = (root, json.loads(done.stdout))
        root, first_run = made[key]
        return Project(root).copy_to(folder), first_run

    return copy


# --------------------------------------------------------------------------------------
# Argos Translate models
# --------------------------------------------------------------------------------------

ZH_EN_MODEL_NAME = "translate-zh_en-1_9.argosmodel"


@pytest.fixture(scope="session")
def argos_test_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real but tiny English -> German .argosmodel, built once per test session.

    Its "translation" permutes letter pieces word by word (see model_factory), so it tests
    plumbing, never translation quality.
    """
    return build_argos_package(tmp_path_factory.mktemp("argos-package"), "en", "de")


@pytest.fixture(scope="session")
def zh_en_package() -> Path:
    """The real Chinese -> English model (OPUS-MT derived, CC-BY 4.0), or skip the test.

    Looked up in $TRANSLATE_ZH_EN_MODEL, then models/ in the repository (`make zh-model`).
    """
    candidates = [
        Path(os.environ["TRANSLATE_ZH_EN_MODEL"]) if os.environ.get("TRANSLATE_ZH_EN_MODEL") else None,
        REPO_ROOT / "models" / ZH_EN_MODEL_NAME,
    ]
    for candidate in candidates:
        if candidate is not None and candidate.is_file():
            return candidate
    pytest.skip(f"{ZH_EN_MODEL_NAME} not found; `make zh-model` fetches it (or set TRANSLATE_ZH_EN_MODEL)")


@pytest.fixture
def argos_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point Argos Translate at an empty packages directory under tmp_path; return that directory.

    The environment variables cover code that imports argostranslate later (its settings
    module reads them at import time); point_argos_at patches an already imported one.
    Both are undone after the test.
    """
    packages_dir = tmp_path / "argos" / "packages"
    data_dir = tmp_path / "argos" / "data"
    for variable, folder in {
        "ARGOS_PACKAGES_DIR": packages_dir,
        "XDG_DATA_HOME": tmp_path / "argos" / "xdg-data",
        "XDG_CACHE_HOME": tmp_path / "argos" / "xdg-cache",
        "XDG_CONFIG_HOME": tmp_path / "argos" / "xdg-config",
    }.items():
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(variable, str(folder))
    point_argos_at(packages_dir, data_dir, monkeypatch)
    return packages_dir
