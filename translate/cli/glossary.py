"""`translate glossary ...`: check, coverage, and TBX export/import for the glossary."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from translate.cli.common import ConfigOption, JsonOption, answer, handle_errors, print_json
from translate.config import load_config
from translate.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from translate.glossary.model import Glossary

app = typer.Typer(help="Check the glossary against the texts; exchange it as TBX with Weblate or OmegaT.")

GlossaryArg = Annotated[Path, typer.Argument(help="Glossary TOML file or folder.")]
ProjectGlossaryArg = Annotated[
    Optional[Path], typer.Argument(help="Glossary TOML file or folder (default: the project's, from translate.toml).")
]
TextsOption = Annotated[
    Optional[list[Path]],
    typer.Option("--texts", help="Text files or folders to check against (default: the project's texts folder)."),
]


def _load(path: Path) -> Glossary:
    from translate.glossary.files import load_glossary  # imported on use, keeps --help fast

    if not path.exists():
        raise ConfigError(f"{path}: no glossary file or folder")
    return load_glossary(path)


def _project(config: Path | None, glossary: Path | None, texts: list[Path] | None) -> tuple[Glossary, dict[str, str]]:
    """The glossary and the texts named on the command line, else the project's own."""
    from translate.texts import read_texts  # imported on use, keeps --help fast

    cfg = load_config(config)
    loaded = _load(glossary if glossary is not None else cfg.path("glossary"))
    return loaded, read_texts(texts if texts else [cfg.path("texts")])


@app.command("check")
@handle_errors
def check(
    glossary: ProjectGlossaryArg = None,
    texts: TextsOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    engines: Annotated[bool, typer.Option("--engines", help="Also list terms each target's engine does not know.")] = False,
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """Load the glossary and lint it: duplicates, conflicts, missing languages, unused terms.

    With --engines, every source term goes through each configured target's engine
    and the words it does not know are listed (Apertium's Spanish→French dictionary
    lacks "capitalista"): there the glossary needs a noun phrase, or the engine a word.
    Exit 1 when there are errors (or, with --strict, warnings).
    """
    from translate.glossary.lint import lint  # imported on use, keeps --help fast

    loaded, read = _project(config, glossary, texts)
    issues = lint(loaded, read)
    unknown = []
    if engines:
        from translate.run.vocabulary import unknown_terms  # starts engines: only when asked

        unknown = unknown_terms(load_config(config), loaded)
    errors = sum(i.severity == "error" for i in issues)
    warnings = len(issues) - errors + len(unknown)
    proposed = sum(c.status_in(lang) == "proposed" for c in loaded.concepts for lang in c.languages)
    if json_out:
        print_json(
            {
                "glossary": loaded.version,
                "concepts": len(loaded.concepts),
                "errors": errors,
                "warnings": warnings,
                "proposed": proposed,
                "issues": [asdict(issue) for issue in issues],
                "unknown_to_engines": [asdict(u) for u in unknown],
            }
        )
    else:
        for issue in issues:
            typer.echo(str(issue))
        for term in unknown:
            typer.echo(str(term))
        typer.echo(
            f"{loaded.version}: {len(loaded.concepts)} concepts, {errors} errors, {warnings} warnings, "
            f"{proposed} proposed translations awaiting review",
            err=True,
        )
    if errors or (strict and warnings):
        raise typer.Exit(1)


@app.command("coverage")
@handle_errors
def coverage_command(
    glossary: ProjectGlossaryArg = None,
    texts: TextsOption = None,
    unused: Annotated[bool, typer.Option("--unused", help="Only concepts found in no text.")] = False,
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """How often each concept occurs in each text (tab-separated: concept, text, count)."""
    from translate.glossary.lint import coverage  # imported on use, keeps --help fast

    loaded, read = _project(config, glossary, texts)
    rows = coverage(loaded, read)
    totals: dict[str, int] = {}
    for row in rows:
        totals[row.concept] = totals.get(row.concept, 0) + row.count
    shown = [row for row in rows if (unused and totals[row.concept] == 0) or (not unused and row.count)]
    if json_out:
        print_json([asdict(row) for row in shown])
        return
    typer.echo("concept\ttext\tcount")
    for row in shown:
        typer.echo(f"{row.concept}\t{row.text}\t{row.count}")


@app.command("export-tbx")
@handle_errors
def export_tbx(
    glossary: GlossaryArg,
    output: Annotated[Path, typer.Argument(help="TBX file to write, or - for standard output.")],
) -> None:
    """Write the glossary as TBX-Basic, for Weblate, OmegaT and other CAT tools."""
    # imported on use, keeps --help fast
    from translate.fileio import atomic_write_bytes
    from translate.glossary.tbx import to_tbx

    data = to_tbx(_load(glossary))
    if str(output) == "-":
        sys.stdout.buffer.write(data)
    else:
        atomic_write_bytes(output, data)


@app.command("import-tbx")
@handle_errors
def import_tbx(
    tbx: Annotated[Path, typer.Argument(help="TBX file (TBX-Basic/martif or TBX v3).")],
    output: Annotated[Path, typer.Argument(help="TOML glossary file to write.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    json_out: JsonOption = False,
) -> None:
    """Turn a TBX termbase into the TOML glossary format volunteers edit."""
    # imported on use, keeps --help fast
    from translate.glossary.files import save
    from translate.glossary.tbx import load_tbx

    if output.exists() and not force:
        raise UsageError(f"{output} exists; pass --force to overwrite it")
    loaded = load_tbx(tbx)
    save(loaded, output)
    data = {"file": str(output), "concepts": len(loaded.concepts), "glossary": loaded.version}
    answer(json_out, data, f"{output}: {len(loaded.concepts)} concepts ({loaded.version})", err=True)
