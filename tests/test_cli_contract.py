"""The command line's promises, checked on every command (in the manner of sqlite-utils' test_docs.py).

The typer app is walked as click sees it (typer carries its own click, so
groups are told apart by their `commands`), and a command added later is held to
the same rules: it and its group have help text, so does each of its options
and arguments; it takes --json when it reports something and --config when it
reads the project; and `translate <command> --help` answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from cli_process import cli
from project_factory import REPO_ROOT
from typer.main import get_command

from translate.cli import app

ROOT = get_command(app)


def is_group(command: Any) -> bool:
    return hasattr(command, "commands")


def walk(group: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        yield path, command
        if is_group(command):
            yield from walk(command, path)


EVERYTHING = list(walk(ROOT))
COMMANDS = {path: command for path, command in EVERYTHING if not is_group(command)}
GROUPS = {path: command for path, command in EVERYTHING if is_group(command)}

WITHOUT_JSON = {
    ("glossary", "export-tbx"): "its output is the TBX file itself (on stdout with -)",
    ("serve",): "runs a server until stopped; it reports nothing",
    ("merge-output",): "git's merge driver: it writes the merged file, and git reads its exit code",
    ("worker",): "a cluster worker until stopped: the run it serves reports its jobs; a refusal is one line, exit 2",
}
WITHOUT_CONFIG = {
    ("evaluate",): "scores the two files it is given; reads no project",
    ("glossary", "export-tbx"): "converts the glossary file it is given",
    ("glossary", "import-tbx"): "converts the TBX file it is given",
    ("merge-output",): "git's merge driver: merges the three files git gives it",
}


def options(command: Any) -> set[str]:
    return {name for param in command.params for name in getattr(param, "opts", [])}


def label(path: tuple[str, ...]) -> str:
    return " ".join(path)


def test_the_walk_finds_every_command():
    assert {"run", "text", "languages", "status", "handouts", "evaluate"} <= {p[0] for p in COMMANDS}
    assert {("models",), ("routes",), ("memory",), ("review",), ("glossary",), ("check",), ("api-key",)} == set(GROUPS)
    assert ("glossary", "coverage") in COMMANDS and ("models", "remove") in COMMANDS


@pytest.mark.parametrize("path", sorted(GROUPS | COMMANDS), ids=label)
def test_every_command_and_group_has_help_text(path):
    command = (GROUPS | COMMANDS)[path]
    assert (command.help or "").strip(), f"translate {label(path)} has no help text"
    for param in command.params:
        if param.name != "help":
            assert (getattr(param, "help", None) or "").strip(), f"translate {label(path)}: {param.name} has no help"


def check_option(path: tuple[str, ...], option: str, exceptions: dict[tuple[str, ...], str], rule: str) -> None:
    takes = option in options(COMMANDS[path])
    if path in exceptions:
        assert not takes, f"translate {label(path)} takes {option} now: drop it from the exceptions"
    else:
        assert takes, f"translate {label(path)} {rule} but takes no {option}"


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=label)
def test_every_command_that_reports_takes_json(path):
    check_option(path, "--json", WITHOUT_JSON, "reports something")


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=label)
def test_every_command_that_reads_the_project_takes_config(path):
    check_option(path, "--config", WITHOUT_CONFIG, "reads the project")


def test_the_exceptions_name_real_commands():
    assert set(WITHOUT_JSON) <= set(COMMANDS) and set(WITHOUT_CONFIG) <= set(COMMANDS)


@pytest.mark.parametrize("path", [(), *sorted(GROUPS | COMMANDS)], ids=lambda p: label(p) or "translate")
def test_every_help_answers(path):
    """`translate ... --help` as a user runs it: exit 0, a usage line, the help text and every option
    (`translate --help` itself as a process of its own, the others in this one)."""
    done = cli(*path, "--help", cwd=REPO_ROOT, process=not path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: ") and not done.stderr
    command = (GROUPS | COMMANDS)[path] if path else ROOT
    first_words = " ".join((command.help or "").split()[:4])
    assert first_words in " ".join(done.stdout.split())
    for option in options(command):
        if option.startswith("--"):
            assert option in done.stdout, f"{option} missing from translate {label(path)} --help"
