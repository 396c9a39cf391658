"""Running the `translate` command as a user does: a real process, its exit code, its stderr.

`cli(...)` runs `python -m translate.cli` in a folder. With `unprivileged=True`
the process runs without any capability (`setpriv`), so that file permissions
hold even when the tests run as root, who otherwise reads and writes through
any chmod.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

TRANSLATE = [sys.executable, "-m", "translate.cli"]
DROP_CAPABILITIES = ["setpriv", "--inh-caps=-all", "--bounding-set=-all"]


def cli(
    *args: str,
    cwd: Path | str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    unprivileged: bool = False,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run `translate ARGS` in `cwd`; stdout and stderr as text."""
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
    # Whatever the test then checks, a traceback is never what a person may see (conftest.TRACEBACK).
    assert "Traceback (most recent call last)" not in result.stderr + result.stdout, result.stderr[-3000:]
    return result


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
