"""`translate merge-output`: git's merge driver for outputs/ (`make setup` installs it)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from translate.cli.common import handle_errors


@handle_errors
def merge_output(
    base: Annotated[Path, typer.Argument(help="The common ancestor's version (git's %O).")],
    ours: Annotated[Path, typer.Argument(help="This branch's version, where the result is written (git's %A).")],
    theirs: Annotated[Path, typer.Argument(help="The other branch's version (git's %B).")],
    name: Annotated[str, typer.Argument(help="The file's path in the repository (git's %P).")] = "",
) -> None:
    """Merge two branches' copies of an output file, as git's merge driver (see .gitattributes).

    A .md output: git's line merge when it is clean, else this branch's copy, which the
    next `translate run` rewrites from the merged memory. A .po file: entry by entry,
    with every reviewer edit not imported yet from either branch; two different edits
    of one entry stop the merge with conflict markers (exit 1), as git would.
    Installed by `make setup`:
    git config merge.translate-outputs.driver '.venv/bin/translate merge-output %O %A %B %P'
    """
    from translate.review.output_merge import merge_output as merge  # imported on use, keeps --help fast

    done = merge(base, ours, theirs, name or str(ours))
    if done.detail:
        typer.echo(f"translate: {done.detail}", err=True)
    raise typer.Exit(0 if done.clean else 1)
