"""`translate memory ...`: the translation memory as TMX 1.4, out and in."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Optional

import typer

from translate import languages
from translate.cli.common import ConfigOption, JsonOption, answer, fail, handle_errors
from translate.config import load_config

app = typer.Typer(
    help="The translation memory: export to and import from TMX 1.4 (OmegaT, Weblate...); rebuild from its text record."
)


@app.command("export")
@handle_errors
def memory_export(
    output: Annotated[Path, typer.Argument(help="The .tmx file to write.")],
    lang: Annotated[Optional[str], typer.Option(help="Only this target language.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="Export format (tmx).")] = "tmx",
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """Export the memory as TMX 1.4 (with review status and signatures as properties)."""
    # imported on use, keeps --help fast
    from translate.memory.store import TranslationMemory
    from translate.memory.tmx import export_tmx

    if fmt != "tmx":
        fail("only --format tmx is supported", 2)
    cfg = load_config(config)
    with TranslationMemory(cfg.path("memory"), readonly=True) as memory:
        written = export_tmx(memory, output, cfg.source_language, languages.validate(lang) if lang else None)
    count, left_out = written.units, written.left_out
    answer(
        json_out,
        {"file": str(output), "units": count, "left_out": list(left_out)},
        f"{count} translation units written to {output}",
    )
    for problem in left_out:  # the rest is exported; the exit code says something is missing
        typer.echo(f"warning: {problem}", err=True)
    if left_out:
        raise typer.Exit(1)


@app.command("import")
@handle_errors
def memory_import(
    file: Annotated[Path, typer.Argument(help="A TMX file (from this tool, OmegaT, Weblate...).")],
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """Import a TMX file; units without review status count as human translations.

    Approved entries are never overwritten: a different text is reported as a conflict.
    A unit longer than limits.max_import_chars is refused (listed; exit 1), the rest imported.
    """
    # imported on use, keeps --help fast
    from translate.memory.store import TranslationMemory
    from translate.memory.tmx import import_tmx
    from translate.run.lock import run_lock

    cfg = load_config(config)
    with run_lock(cfg.path("memory"), wait=True), TranslationMemory(cfg.path("memory")) as memory:
        summary = import_tmx(memory, file, max_chars=cfg.limits.max_import_chars)
    answer(json_out, asdict(summary), summary.describe())
    for refused in summary.refused:  # the other units are imported; the exit code says some were not
        typer.echo(f"warning: {refused}", err=True)
    if summary.refused:
        raise typer.Exit(1)


@app.command("rebuild")
@handle_errors
def memory_rebuild(
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """Rebuild the SQLite memory from its committed text record (<name>.reviews.jsonl, <name>.drafts/).

    The text record is what git keeps and merges; the SQLite file is a working
    copy of it. Run this when the SQLite file is damaged or missing pieces: every
    human decision and machine draft comes back, no engine runs.
    """
    # imported on use, keeps --help fast
    from translate.memory import health
    from translate.memory.store import TranslationMemory
    from translate.memory.sync import rebuild
    from translate.run.lock import run_lock

    cfg = load_config(config)
    path = cfg.path("memory")
    if not health.record_beside(path):
        fail(f"{path}: no text record beside it to rebuild from", 2)
    with run_lock(path, wait=True):
        try:
            TranslationMemory(path, text_record=False).close()
            aside = None
        except health.MemoryDamaged:  # an empty or damaged file: kept aside for whoever wants to look
            if health.damage(path) is None:  # sound after all: never moved aside
                raise
            aside = health.set_aside(path)
        with TranslationMemory(path) as memory:
            result = rebuild(memory)
    if aside is not None:
        typer.echo(f"the damaged memory file was moved to {aside}", err=True)
    conflicts = result.conflict_lines()
    answer(
        json_out,
        {"decisions": len(result.decisions), "drafts": result.drafts, "conflicts": conflicts},
        f"rebuilt {cfg.path('memory').name}: {len(result.decisions)} decisions, {result.drafts} machine drafts"
        + "".join(f"\n{c}" for c in conflicts),
    )
