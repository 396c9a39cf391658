"""`translate run`, `text`, `languages` and `status`: translating, and what can be translated here."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from translate import languages
from translate.cli.common import (
    ConfigOption,
    JsonOption,
    fail,
    handle_errors,
    left_out,
    print_json,
    progress_bars,
    split_list,
    target_list,
)
from translate.config import check_cluster, load_config

if TYPE_CHECKING:
    from translate.run.report import RunReport


@handle_errors
def run(
    config: ConfigOption = None,
    only: Annotated[Optional[str], typer.Option(help="Only these texts (file or stem names, comma-separated).")] = None,
    lang: Annotated[Optional[str], typer.Option(help="Only these target languages, e.g. es,fr.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would be translated, change nothing.")] = False,
    wait: Annotated[bool, typer.Option("--wait/--no-wait", help="If another run holds the lock: wait, or exit 1.")] = False,
    json_out: JsonOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary, only errors.")] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when a PO file was left alone because it holds edits not imported yet.")
    ] = False,
    cluster: Annotated[
        Optional[str],
        typer.Option(
            help="A Dask scheduler's address (tcp://host:8786): the engine work runs on its workers "
            "(`translate worker`), the memory and the files stay here. Default: engine.cluster."
        ),
    ] = None,
) -> None:
    """Translate every text into every configured language, reusing the memory.

    Writes outputs/<lang>/<text>.md, a JSON run report in reports/, and a summary.
    A PO file holding reviewer edits not imported yet is never overwritten: it is
    named on the terminal (and exits 1 with --strict) until `translate review
    import` has recorded it. Exit code 0: all languages done (languages without a
    model are skipped with the command that installs one); 1: some language
    failed, others still written; 2: usage or configuration error.
    """
    from translate import workflow  # the whole library: imported on use, keeps --help fast

    cfg = load_config(config)
    address = check_cluster(cluster, "--cluster") if cluster else ""
    with progress_bars(not (json_out or quiet)) as start_task:
        report, path = workflow.run(
            cfg,
            only=split_list(only),
            targets=target_list(lang),
            wait=wait,
            dry_run=dry_run,
            start_task=start_task,
            strict=strict,
            cluster=address,
        )
    if json_out:
        print_json(report.to_dict() | {"report": str(path) if path else None})
    elif not quiet:
        print_summary(report, path)
    if quiet and not json_out:  # a scheduler's log must show what failed, a file left alone, a conflict a merge brought
        print_errors(report)
        print_memory_update(report, quiet=True)
        for kept in report.po_kept:
            typer.echo(
                f"warning: {kept} holds reviewer edits not imported yet, left as it is; run `translate review import {kept}`",
                err=True,
            )
    raise typer.Exit(report.exit_code)


def print_memory_update(report: RunReport, quiet: bool = False) -> None:
    """What the memory took from its text record (after a pull or a merge), and each conflict it found there."""
    if report.memory_update and not quiet:
        typer.echo(report.memory_update)
    for line in report.memory_conflicts:
        typer.echo(line, err=True)
    if report.memory_conflicts:
        typer.echo(
            "the texts kept as suggestions are in the PO files ('not applied, from ...') and on the review pages",
            err=True,
        )


def print_errors(report: RunReport) -> None:
    """What failed (a text, a language, the run as a whole), one line each on stderr: what --quiet still says."""
    for problem in report.failed_texts:
        typer.echo(f"error: {problem['error']} (not translated; the other texts were)", err=True)
    failed = [r for r in report.languages if r.status == "failed"]
    for r in failed:
        typer.echo(f"{r.language:<6} failed: {r.message}", err=True)
    shown = {p["error"] for p in report.failed_texts} | {f"{r.language}: {r.message}" for r in failed}
    for error in report.errors:
        if error not in shown:
            typer.echo(f"error: {error}", err=True)


def print_summary(report: RunReport, path: Path | None) -> None:
    """One line per language and a total, as a scheduler's log wants it."""
    verb = "would translate" if report.dry_run else "translated"
    print_memory_update(report)
    for problem in report.failed_texts:
        typer.echo(f"error: {problem['error']} (not translated; the other texts were)", err=True)
    for r in report.languages:
        if r.status in ("ok", "planned"):
            extra = f", {r.flagged} flagged for review" if r.flagged else ""
            extra += f" ({r.untranslated} left untranslated)" if r.untranslated else ""
            extra += f", {r.rechecked} re-checked" if r.rechecked else ""
            if r.crosscheck_sentences:
                extra += f", {r.crosscheck_sentences} cross-checked in {r.crosscheck_seconds:.1f} s"
            typer.echo(
                f"{r.language:<6} {r.engine:<9} {r.segments} segments: {r.reused} reused, "
                f"{verb} {r.translated} ({r.stale} stale){extra}; {len(r.files_written)} files written"
            )
            for warning in r.warnings:
                typer.echo(f"warning: {r.language}: {warning}", err=True)
        else:
            typer.echo(f"{r.language:<6} {r.status}: {r.message}", err=r.status == "failed")
    shown = {p["error"] for p in report.failed_texts} | {f"{r.language}: {r.message}" for r in report.languages}
    for error in report.errors:  # the rest: what befell the run as a whole (its memory file vanished)
        if error not in shown:
            typer.echo(f"error: {error}", err=True)
    if report.executor.get("executor") == "dask":
        print_cluster(report)
    totals = report.to_dict()["totals"]
    typer.echo(
        f"{len(report.texts)} texts, {len(report.languages)} languages: {totals['translated']} segments "
        f"{verb}, {totals['reused']} reused" + (f"; report: {path}" if path else "")
    )


def print_cluster(report: RunReport) -> None:
    """A line per cluster worker: its jobs, sentences and time; then the workers refused or lost."""
    from translate.run.jobs import records_by_worker  # (as the library elsewhere: on use)

    figures = report.executor
    for worker, row in records_by_worker(report.jobs).items():
        typer.echo(
            f"worker {worker}: {row['jobs']:.0f} jobs, {row['sentences']:.0f} sentences, "
            f"{row['seconds']:.1f} s ({row['engine_seconds']:.1f} s engine)"
        )
    for worker, reason in figures.get("refused", {}).items():
        typer.echo(f"warning: worker {worker} refused: {reason}", err=True)
    for worker in figures.get("left_during_run", []):
        typer.echo(f"warning: worker {worker} left during the run; its jobs ran on the others", err=True)


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
    # imported on use, keeps --help fast
    from translate.fileio import atomic_write_text, decode_source, read_source, read_stream
    from translate.run.pipeline import translate_document

    cfg = load_config(config)
    src = languages.validate(source) if source else cfg.source_language
    targets = languages.parse_list(to)
    if fmt not in (None, "md", "txt"):
        fail("--format must be md or txt", 2)
    if file == "-":
        data = read_stream(sys.stdin.buffer, "<stdin>", cfg.limits.max_text_bytes)
        body, name = decode_source(data, "<stdin>"), "stdin" + (f".{fmt}" if fmt else ".txt")
    else:
        body, name = read_source(file, cfg.limits.max_text_bytes), Path(file).name
    with progress_bars(not json_out) as start_task:
        done = translate_document(body, name, src, targets, cfg, start_task=start_task)
    results, glossary_use, untranslated = done.texts, done.glossary_use, done.untranslated
    if json_out:
        print_json(
            {
                "source": name,
                "source_language": src,
                "translations": results,
                "glossary": glossary_use,
                "untranslated": untranslated,
            }
        )
    elif output:
        for target, translated in results.items():
            atomic_write_text(output / f"{Path(name).stem}.{target}.md", translated)
    elif len(results) == 1:
        sys.stdout.write(next(iter(results.values())))
    else:
        for target, translated in results.items():
            sys.stdout.write(f"=== {target} ===\n{translated}\n")
    for line in untranslated:  # never shipped silently: the source text stands in, and the exit code says so
        typer.echo(f"warning: {line}; the source text was kept", err=True)
    if untranslated:
        raise typer.Exit(1)


@handle_errors
def languages_command(
    config: ConfigOption = None,
    all_targets: Annotated[bool, typer.Option("--all", help="Every language some engine reaches, not only targets.")] = False,
    json_out: JsonOption = False,
) -> None:
    """Show, per target language, the route a run takes (the route file's, chosen on a reference
    set, with its figures), every engine's route and chain that could serve it here, and which
    spelling dictionary the quality checks use (none: no spelling signal for that language)."""
    # imported on use, keeps --help fast
    from translate.checks.dictionaries import spelling_support
    from translate.engines.registry import Engines

    cfg = load_config(config)
    engines = Engines(cfg)
    targets = list(cfg.targets)
    if all_targets:
        targets += sorted(engines.reachable(cfg.source_language) - set(targets))
    rows = engines.support(cfg.source_language, targets)
    if json_out:
        print_json(
            [
                row.__dict__ | {"name": languages.language_name(row.target), "spelling": spelling_support(row.target)}
                for row in rows
            ]
        )
        return
    typer.echo(f"From {cfg.source_language} ({languages.language_name(cfg.source_language)}):")
    for row in rows:
        used = row.chosen or "none"
        typer.echo(f"  {row.target:<7} {languages.language_name(row.target):<22} config={row.choice:<8} uses={used}")
        if row.route:
            typer.echo(
                f"          route     {row.route}" + (f"  ({row.figures})" if row.figures and row.route == row.route_file else "")
            )
        if row.note:
            typer.echo(f"          note      {row.note}")
        for engine_name, route in row.routes.items():
            typer.echo(f"          {engine_name:<9} {route}")
        for spec in row.chains:
            typer.echo(f"          chain     {spec}")
        for hint in row.hints:
            typer.echo(f"          to get one: {hint}")
        typer.echo(f"          spelling  {spelling_support(row.target)}")


@handle_errors
def status(
    config: ConfigOption = None,
    only: Annotated[Optional[str], typer.Option(help="Only these texts (comma-separated).")] = None,
    lang: Annotated[Optional[str], typer.Option(help="Only these languages, e.g. es,fr.")] = None,
    json_out: JsonOption = False,
) -> None:
    """Show, per text and language, how complete, reviewed and fresh the translation is, and
    what a reader gets: "reviewed" (approved share at least review.publish_threshold),
    "machine draft fit to read" (its route's chrF on the reference set at least
    review.min_route_chrf and at most review.max_flagged_share of its sentences predicted
    to need a person) or "draft for review only" (`translate handouts` builds none unless
    --force, and then with a DRAFT banner). Each row names its figures; --json gives
    "state", "route_chrf", "needing_person" and "reasons"."""
    from translate.publish.gate import DRAFT, FIT, REVIEWED  # imported on use, keeps --help fast
    from translate.publish.status import status as text_status  # (the same reason)
    from translate.texts import load_batch  # (the same reason)

    cfg = load_config(config)
    batch = load_batch(cfg, split_list(only))
    problems = batch.problems
    left_out(problems)
    rows = text_status(cfg, batch.texts, target_list(lang))
    if json_out:
        print_json([asdict(r) | {"complete": round(r.complete, 4)} for r in rows])
        raise typer.Exit(1 if problems else 0)
    short = {REVIEWED: "reviewed", FIT: "fit to read", DRAFT: "DRAFT"}
    typer.echo(
        f"{'text':<36} {'lang':<6} {'done':>6} {'approved':>9} {'draft':>6} {'flagged':>8}  "
        f"{'reader gets':<11}  engine    updated"
    )
    for r in rows:
        typer.echo(
            f"{r.text:<36} {r.language:<6} {r.complete:>6.0%} {r.approved:>5}/{r.segments:<3} {r.draft:>6} "
            f"{r.flagged:>8}  {short.get(r.state, '-'):<11}  {r.engine or '-':<9} {r.updated or 'never'}"
        )
        if r.translated:
            for reason in r.reasons:
                typer.echo(f"{'':<44}- {reason}")
    for r in rows:  # a PO file the runs leave alone must not go unnoticed
        if r.po_unimported:
            what = (
                "cannot be read"
                if r.po_unimported < 0
                else (
                    f"holds {r.po_unimported} edits not imported yet; runs leave it alone until "
                    "`translate review import` records them"
                )
            )
            typer.echo(f"warning: {r.language}/{r.text}: its PO file {what}", err=True)
    if problems:
        raise typer.Exit(1)
