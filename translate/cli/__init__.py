"""The `translate` command: a thin typer layer over the library, and the only place typer is used.

Each command parses its options, calls one library function, and prints the
result as a short human summary or, with --json, as JSON for scripts. Errors
the user can act on are one line on stderr with exit code 2 (bad input or
configuration) or 1 (a run-time failure); never a traceback.

Every command is listed here, in one place; each lives in the module of its
group: run.py (run, text, languages, status), handouts.py, models.py, routes.py (routes evaluate),
memory.py, review.py (review import|status|next|invite|invitations|add-device|revoke, evaluate),
glossary.py, serve.py, check.py (check texts), api_keys.py (api-key create|list|revoke), merge.py
(merge-output, git's merge driver for outputs/), worker.py (a cluster worker for `run --cluster`). What they
share is in common.py. Library modules are imported inside the commands, so
that `translate --help` imports none of them.
"""

from __future__ import annotations

from typing import Annotated

import typer

from translate import __version__
from translate.cli import api_keys, check, glossary, handouts, memory, merge, models, review, routes, run, serve, worker

app = typer.Typer(
    name="translate",
    help=(
        "Offline machine translation of essays, with a pinned glossary and human review.\n\n"
        "Typical use: `translate run` translates every text in texts/ into every configured "
        "language (translate.toml) and writes outputs/<lang>/<text>.md; only new or changed "
        "sentences go to an engine. `translate text FILE --to es` translates one file to stdout."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.command("run")(run.run)
app.command("text")(run.text)
app.command("languages")(run.languages_command)
app.command("status")(run.status)
app.command("handouts")(handouts.handouts)
app.add_typer(models.app, name="models")
app.add_typer(routes.app, name="routes")
app.add_typer(review.app, name="review")
app.add_typer(glossary.app, name="glossary")
app.command("evaluate")(review.evaluate)
app.add_typer(memory.app, name="memory")
app.command("serve")(serve.serve)
app.add_typer(check.app, name="check")
app.add_typer(api_keys.app, name="api-key")
app.command("merge-output")(merge.merge_output)
app.command("worker")(worker.worker)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"translate {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Offline machine translation of essays, with a pinned glossary and human review."""
