"""What every `translate` command shares: its common options, errors, JSON output and progress bars.

Kept apart from the commands so that each command module treats errors and
output the same way. Only the foundation modules are imported here (errors,
config, progress: a few milliseconds); everything else is imported inside the
command that uses it, so that `translate --help` stays instant.
"""

from __future__ import annotations

import functools
import json
import logging
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer

from translate import languages
from translate.errors import TranslateError, UsageError
from translate.progress import Progress, StartTask

ConfigOption = Annotated[
    Optional[Path], typer.Option("--config", "-c", help="Configuration file (default: nearest translate.toml).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]


def fail(message: str, code: int = 1) -> NoReturn:
    """Stop the command with a one-line message on stderr and an exit code."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code) from None


class _WarningLines(logging.Handler):
    """The library's warnings (a record line set aside, an engine retrying) as `warning: ...` lines on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"warning: {record.getMessage()}", err=True)


def _show_warnings() -> None:
    library = logging.getLogger("translate")
    if not any(isinstance(h, _WarningLines) for h in library.handlers):
        handler = _WarningLines(logging.WARNING)
        library.addHandler(handler)


def handle_errors(func: Callable) -> Callable:
    """The library's errors as one line on stderr and their exit code, never a traceback.

    Ctrl-C exits 130 and SIGTERM 143 (as a shell expects), both after cleaning up;
    a closed pipe (`translate ... | head`) ends quietly with 0. The library's
    warnings are `warning: ...` lines on stderr.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        signal.signal(signal.SIGTERM, _terminated)
        _show_warnings()
        try:
            return func(*args, **kwargs)
        except TranslateError as err:
            fail(str(err), err.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None

    return wrapper


def _terminated(signum: int, frame: object) -> NoReturn:
    """SIGTERM (kill, systemctl stop, a CI timeout) unwinds like Ctrl-C: locks released, temporary files removed."""
    typer.echo("error: terminated", err=True)
    raise SystemExit(128 + signum)


def split_list(value: str | None, option: str = "--only") -> list[str] | None:
    """'a, b,,c' -> ['a', 'b', 'c'] (duplicates dropped); None -> None (no filter).

    A given value that names nothing (',' or '') is refused: read as "no filter"
    it would quietly select everything.
    """
    if value is None:
        return None
    items = list(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    if not items:
        raise UsageError(f"{option} {value!r} names nothing; give a comma-separated list, or leave the option out")
    return items


def target_list(value: str | None) -> list[str] | None:
    """--lang 'es,ES, fr' -> ['es', 'fr']: validated codes, each once; None -> None (every target)."""
    return None if value is None else languages.parse_list(value)


def left_out(problems: Sequence[Any]) -> None:
    """Texts a reading command could not read (TextProblem): one line each on stderr; the others were read.

    The command then ends with exit code 1, as `translate run` does: something is missing."""
    for problem in problems:
        typer.echo(f"error: {problem.error} (left out; the other texts were read)", err=True)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def answer(json_out: bool, data: Any, line: str, err: bool = False) -> None:
    """A command's result: `data` as JSON with --json, else one line for a person (on stderr with err)."""
    if json_out:
        print_json(data)
    else:
        typer.echo(line, err=err)


@contextmanager
def progress_bars(enabled: bool = True) -> Iterator[StartTask]:
    """A start_task(description, total) -> advance(n) function drawing rich bars on stderr."""
    if not enabled or not sys.stderr.isatty():
        yield lambda description, total: lambda n: None
        return
    # rich's progress bars take ~30 ms to import: only on a terminal that shows them
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bars

    with Bars(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:

        def start_task(description: str, total: int) -> Progress:
            task = progress.add_task(description, total=total)
            return lambda n: progress.advance(task, n)

        yield start_task
