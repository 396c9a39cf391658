"""`translate glossary ...`: check, coverage, and TBX export/import for the glossary."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from translate.cli_common import handle_errors
from translate.errors import UsageError

app = typer.Typer(help="Check the glossary against the texts; exchange it as TBX with Weblate or OmegaT.")

GlossaryArg = Annotated[Path, typer.Argument(help="Glossary TOML file or folder.")]
TextsOption = Annotated[list[Path], typer.Option("--texts", help="Text files or folders to check against.")]


def _load(path: Path):
    from translate.errors import ConfigError
    from translate.glossary import load_glossary

    if not path.exists():
        raise ConfigError(f"{path}: no glossary file or folder")
    return load_glossary(path)


def _texts(paths: list[Path]) -> dict[str, str]:
    from translate.fileio import read_source

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in (".md", ".txt"))
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such text file or folder")
    return {f.name: read_source(f) for f in files}


@app.command("check")
@handle_errors
def check(
    glossary: GlossaryArg = Path("glossaries"),
    texts: TextsOption = [Path("texts")],  # noqa: B006 (typer reads the default)
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
) -> None:
    """Load the glossary and lint it: duplicates, conflicts, missing languages, unused terms."""
    from translate.glossary import lint

    loaded = _load(glossary)
    issues = lint(loaded, _texts(texts))
    for issue in issues:
        typer.echo(str(issue))
    errors = sum(i.severity == "error" for i in issues)
    warnings = len(issues) - errors
    proposed = sum(
        c.status_in(lang) == "proposed" for c in loaded.concepts for lang in c.languages
    )
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
    glossary: GlossaryArg = Path("glossaries"),
    texts: TextsOption = [Path("texts")],  # noqa: B006
    unused: Annotated[bool, typer.Option("--unused", help="Only concepts found in no text.")] = False,
) -> None:
    """How often each concept occurs in each text (tab-separated: concept, text, count)."""
    from translate.glossary import coverage

    loaded = _load(glossary)
    rows = coverage(loaded, _texts(texts))
    totals: dict[str, int] = {}
    for row in rows:
        totals[row.concept] = totals.get(row.concept, 0) + row.count
    typer.echo("concept\ttext\tcount")
    for row in rows:
        if (unused and totals[row.concept] == 0) or (not unused and row.count):
            typer.echo(f"{row.concept}\t{row.text}\t{row.count}")


@app.command("export-tbx")
@handle_errors
def export_tbx(
    glossary: GlossaryArg,
    output: Annotated[Path, typer.Argument(help="TBX file to write, or - for standard output.")],
) -> None:
    """Write the glossary as TBX-Basic, for Weblate, OmegaT and other CAT tools."""
    from translate.fileio import atomic_write_bytes
    from translate.tbx import to_tbx

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
) -> None:
    """Turn a TBX termbase into the TOML glossary format volunteers edit."""
    from translate.glossary import save
    from translate.tbx import load_tbx

    if output.exists() and not force:
        raise UsageError(f"{output} exists; pass --force to overwrite it")
    loaded = load_tbx(tbx)
    save(loaded, output)
    typer.echo(f"{output}: {len(loaded.concepts)} concepts ({loaded.version})", err=True)
