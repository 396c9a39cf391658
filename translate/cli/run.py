"""The `translate` command: a thin typer layer over the library.

Each command parses its options, calls one library function, and prints the
result as a short human summary or, with --json, as JSON for scripts. Errors
the user can act on are one line on stderr with exit code 2 (bad input or
configuration) or 1 (a run-time failure); never a traceback.

This module holds the top-level commands and mounts the groups: `models`
(cli_models), `memory` (cli_memory), `review` and `evaluate` (cli_review),
`glossary` (cli_glossary). What they share is in cli_common.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from translate import __version__, cli_glossary, cli_memory, cli_models, cli_review
from translate.cli_common import (
    ConfigOption,
    JsonOption,
    fail,
    handle_errors,
    load_config,
    print_json,
    progress_bars,
    split_list,
)

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
app.add_typer(cli_models.app, name="models")
app.add_typer(cli_review.app, name="review")
app.add_typer(cli_glossary.app, name="glossary")
app.command("evaluate")(cli_review.evaluate)
app.add_typer(cli_memory.app, name="memory")


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


@app.command()
@handle_errors
def run(
    config: ConfigOption = None,
    only: Annotated[Optional[str], typer.Option(help="Only these texts (file or stem names, comma-separated).")] = None,
    lang: Annotated[Optional[str], typer.Option(help="Only these target languages, e.g. es,fr.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would be translated, change nothing.")] = False,
    wait: Annotated[bool, typer.Option("--wait/--no-wait", help="If another run holds the lock: wait, or exit 1.")] = False,
    json_out: JsonOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary, only errors.")] = False,
) -> None:
    """Translate every text into every configured language, reusing the memory.

    Writes outputs/<lang>/<text>.md, a JSON run report in reports/, and a summary.
    Exit code 0: all languages done (languages without a model are skipped with the
    command that installs one); 1: some language failed, others still written;
    2: usage or configuration error.
    """
    from translate.lock import run_lock
    from translate.pipeline import run as run_pipeline
    from translate.report import print_summary, write_report

    cfg = load_config(config)
    only_list = split_list(only)
    targets = [t.strip() for t in lang.split(",") if t.strip()] if lang else None
    with run_lock(cfg.path("memory"), wait=wait):
        with progress_bars(not (json_out or quiet)) as start_task:
            report = run_pipeline(cfg, only=only_list, targets=targets, dry_run=dry_run, start_task=start_task)
        path = None if dry_run else write_report(cfg, report)
    if json_out:
        print_json(report.to_dict() | {"report": str(path) if path else None})
    elif not quiet:
        print_summary(report, path)
    raise typer.Exit(report.exit_code)


@app.command()
@handle_errors
def text(
    file: Annotated[str, typer.Argument(help="A .md or .txt file, or - for standard input.")],
    to: Annotated[str, typer.Option("--to", "-t", help="Target languages, comma-separated: es,fr.")],
    source: Annotated[Optional[str], typer.Option("--from", "-f", help="Source language (default: configured).")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="md or txt (default: from the file name).")] = None,
    config: ConfigOption = None,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write files <stem>.<lang>.md into this folder.")
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Translate one file (or stdin) into one or more languages, without the memory.

    With one target the translation goes to stdout; with several, each is headed by
    its language code (or use --output DIR / --json).
    """
    from translate import languages
    from translate.fileio import atomic_write_text, decode_source, read_source
    from translate.pipeline import translate_text

    cfg = load_config(config)
    src = languages.validate(source) if source else cfg.source_language
    targets = languages.parse_list(to)
    if fmt not in (None, "md", "txt"):
        fail("--format must be md or txt", 2)
    if file == "-":
        body, name = decode_source(sys.stdin.buffer.read(), "<stdin>"), "stdin" + (f".{fmt}" if fmt else ".txt")
    else:
        body, name = read_source(file), Path(file).name
    with progress_bars(not json_out) as start_task:
        results = translate_text(body, name, src, targets, cfg, start_task=start_task)
    if json_out:
        print_json({"source": name, "source_language": src, "translations": results})
    elif output:
        for target, translated in results.items():
            atomic_write_text(output / f"{Path(name).stem}.{target}.md", translated)
    elif len(results) == 1:
        sys.stdout.write(next(iter(results.values())))
    else:
        for target, translated in results.items():
            sys.stdout.write(f"=== {target} ===\n{translated}\n")


@app.command("languages")
@handle_errors
def languages_command(
    config: ConfigOption = None,
    all_targets: Annotated[bool, typer.Option("--all", help="Every language some engine reaches, not only targets.")] = False,
    json_out: JsonOption = False,
) -> None:
    """Show, per target language, which engines can serve it here and by which route."""
    from translate.languages import language_name
    from translate.routing import Engines

    cfg = load_config(config)
    engines = Engines(cfg)
    targets = list(cfg.targets)
    if all_targets:
        targets += sorted(engines.reachable(cfg.source_language) - set(targets))
    rows = engines.support(cfg.source_language, targets)
    if json_out:
        print_json([row.__dict__ | {"name": language_name(row.target)} for row in rows])
        return
    typer.echo(f"From {cfg.source_language} ({language_name(cfg.source_language)}):")
    for row in rows:
        used = row.chosen or "none"
        typer.echo(f"  {row.target:<7} {language_name(row.target):<22} config={row.choice:<8} uses={used}")
        for engine_name, route in row.routes.items():
            typer.echo(f"          {engine_name:<9} {route}")
        for hint in row.hints:
            typer.echo(f"          to get one: {hint}")


@app.command()
@handle_errors
def status(
    config: ConfigOption = None,
    only: Annotated[Optional[str], typer.Option(help="Only these texts (comma-separated).")] = None,
    lang: Annotated[Optional[str], typer.Option(help="Only these languages, e.g. es,fr.")] = None,
    json_out: JsonOption = False,
) -> None:
    """Show, per text and language, how complete, reviewed and fresh the translation is."""
    from dataclasses import asdict

    from translate import languages
    from translate.publish import status as text_status

    cfg = load_config(config)
    rows = text_status(cfg, split_list(only), languages.parse_list(lang) if lang else None)
    if json_out:
        print_json([asdict(r) | {"complete": round(r.complete, 4)} for r in rows])
        return
    typer.echo(f"{'text':<36} {'lang':<6} {'done':>6} {'approved':>9} {'draft':>6} {'flagged':>8}  engine    updated")
    for r in rows:
        typer.echo(
            f"{r.text:<36} {r.language:<6} {r.complete:>6.0%} {r.approved:>5}/{r.segments:<3} {r.draft:>6} "
            f"{r.flagged:>8}  {r.engine or '-':<9} {r.updated or 'never'}"
        )


@app.command()
@handle_errors
def handouts(
    config: ConfigOption = None,
    only: Annotated[Optional[str], typer.Option(help="Only these texts (comma-separated).")] = None,
    lang: Annotated[Optional[str], typer.Option(help="Only these languages, e.g. es,ar.")] = None,
    paper: Annotated[str, typer.Option(help="Paper size: A4 or Letter.")] = "A4",
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also print each page to PDF (needs Chromium).")] = True,
    json_out: JsonOption = False,
) -> None:
    """Render print-ready handouts (HTML and PDF) from the best text in the memory.

    Approved human translations take precedence over machine drafts; every handout
    says whether it was reviewed and credits source, engine, model and glossary.
    Files: outputs/<lang>/<text>.html and .pdf.
    """
    from translate import languages
    from translate.publish import build_handouts, handout_count

    cfg = load_config(config)
    targets = languages.parse_list(lang) if lang else None
    total = handout_count(cfg, split_list(only), targets) * (2 if pdf else 1)
    with progress_bars(not json_out) as start_task:
        advance = start_task("handouts", total)
        written = build_handouts(cfg, split_list(only), targets, paper=paper, pdf=pdf, progress=advance)
    if json_out:
        print_json([str(p) for p in written])
    else:
        typer.echo(f"{len(written)} handout files written under {cfg.path('outputs')}")


if __name__ == "__main__":  # pragma: no cover
    app()
