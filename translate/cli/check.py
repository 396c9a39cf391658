"""`translate check texts`: the source texts' slips, for the organizer, before they reach every language."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from translate.cli.common import ConfigOption, JsonOption, handle_errors, left_out, print_json, split_list
from translate.config import load_config

app = typer.Typer(
    help="Checks for the organizer: `translate check texts` lists likely slips in the source texts.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@app.command("texts")
@handle_errors
def texts_command(
    only: Annotated[Optional[str], typer.Option(help="Only these texts (file or stem names, comma-separated).")] = None,
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """List likely typos, doubled words, spaces before punctuation, a lower-case 'i', note
    markers inside sentences and hyphenated compounds, per file, line and column.

    Every language inherits a slip in the source; engines split hyphenated coinages
    ('cyber-proletarians'). Typos are words no English hunspell dictionary here
    knows (hunspell-en-us, hunspell-en-gb). Nothing is changed: fix the text
    yourself, then `translate run`. Exit 0 whatever is found (1 if a text could not be read:
    it is named, and the others are checked).
    """
    # imported on use, keeps --help fast
    from translate.checks.source import check_texts, english_dictionary_available
    from translate.texts import load_batch

    cfg = load_config(config)
    batch = load_batch(cfg, split_list(only))
    texts, problems = batch.texts, batch.problems
    left_out(problems)
    findings = check_texts(texts)
    spelling = english_dictionary_available()
    if json_out:
        print_json({"texts": [t.path.name for t in texts], "spelling": spelling, "findings": [f.to_dict() for f in findings]})
        raise typer.Exit(1 if problems else 0)
    for finding in findings:
        typer.echo(str(finding))
    kinds: dict[str, int] = {}
    for finding in findings:
        kinds[finding.kind] = kinds.get(finding.kind, 0) + 1
    summary = ", ".join(f"{count} {kind}" for kind, count in kinds.items()) or "nothing found"
    typer.echo(f"{len(texts)} texts: {summary}")
    if not spelling:
        typer.echo("no English hunspell dictionary here: typos not checked (apt-get install hunspell-en-us)", err=True)
    if problems:
        raise typer.Exit(1)
