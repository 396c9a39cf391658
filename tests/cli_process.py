"""Running the `translate` command as a user does: its exit code, its stdout and its stderr.

`cli(...)` runs the command inside the test process by default (typer's
CliRunner, in the folder given, with the environment given): the same code from
the command line down, without a Python start-up per call. `process=True` runs
`python -m translate.cli` as a real process instead, for what only a process
shows: signals, locks held by another process, exit codes as a shell sees them.
With `unprivileged=True` the process runs without any capability (`setpriv`),
so that file permissions hold even when the tests run as root, who otherwise
reads and writes through any chmod.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from typer.testing import CliRunner

from translate.cli import app

TRANSLATE = [sys.executable, "-m", "translate.cli"]
DROP_CAPABILITIES = ["setpriv", "--inh-caps=-all", "--bounding-set=-all"]


def cli(
    *args: str,
    cwd: str | os.PathLike[str],
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    unprivileged: bool = False,
    timeout: float = 600,
    process: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run `translate ARGS` in `cwd`; stdout and stderr as text."""
    if process or unprivileged:
        prefix = DROP_CAPABILITIES if unprivileged and os.geteuid() == 0 else []
        done = subprocess.run(
            [*prefix, *TRANSLATE, *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env={**os.environ, **(env or {})},
            timeout=timeout,
        )
        result = subprocess.CompletedProcess(
            done.args, done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
        )
    else:
        result = in_process(list(args), cwd, stdin, env)
    # Whatever the test then checks, a traceback is never what a person may see (conftest.TRACEBACK).
    assert "Traceback (most recent call last)" not in result.stderr + result.stdout, result.stderr[-3000:]
    return result


@contextmanager
def _inside(folder: str | os.PathLike[str]) -> Iterator[None]:
    """In `folder`, with the SIGTERM handler a command installs put back afterwards."""
    before, handler = Path.cwd(), signal.getsignal(signal.SIGTERM)
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)
        signal.signal(signal.SIGTERM, handler)


def in_process(
    args: list[str], cwd: str | os.PathLike[str], stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The command run by CliRunner; an exception the command let through is a traceback on stderr and exit 1,
    as Python itself would show it."""
    with _inside(cwd):
        result = CliRunner(env=env).invoke(app, args, input=stdin, catch_exceptions=True)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        error = result.exception
        stderr += "Traceback (most recent call last):\n" + "".join(traceback.format_exception(error))
    return subprocess.CompletedProcess(["translate", *args], result.exit_code, result.stdout, stderr)


SPANISH_NOTE = "# A note\n\nWorkers of the world, unite.\n\nNothing to lose but chains.\n"


def run_in_spanish(project, body: str = SPANISH_NOTE, name: str = "note.md"):
    """The project set to English → Spanish with Apertium, one text added and run once (which must succeed)."""
    project.configure(["es"], engine={"default": "apertium"})
    project.add_text(name, body)
    result = cli("run", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


def can_drop_privileges() -> bool:
    """Whether permission tests mean anything here: not root, or root with setpriv at hand."""
    return os.geteuid() != 0 or shutil.which("setpriv") is not None


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line of a failed command (asserting there is one, and no traceback)."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1, result.stderr
    return lines[0]
