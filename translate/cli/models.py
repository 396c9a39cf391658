"""`translate models ...`: list, install and remove Argos packages."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from translate import languages
from translate.cli.common import ConfigOption, JsonOption, answer, fail, handle_errors, print_json
from translate.config import load_config

app = typer.Typer(help="Argos models: list, install (from the index or a .argosmodel file), remove.")


def _store(config: Path | None):
    """The Argos package store the configuration names."""
    from translate.engines.argos_store import ArgosStore  # imported on use, keeps --help fast

    cfg = load_config(config)
    return ArgosStore(cfg.argos_packages_dir(), cfg.argos.index_url)


@app.command("list")
@handle_errors
def models_list(config: ConfigOption = None, json_out: JsonOption = False) -> None:
    """List installed Argos packages."""
    store = _store(config)
    models = store.installed()
    if json_out:
        print_json(
            [{"name": m.name, "from": m.source, "to": m.target, "version": m.version, "path": str(m.path)} for m in models]
        )
        return
    if not models:
        typer.echo(f"No Argos packages installed in {store.packages_dir}.")
    for m in models:
        typer.echo(f"{m.source}→{m.target}  {m.version:<6} {m.name}")


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
    what: Annotated[list[str], typer.Argument(help="A .argosmodel file, or a language pair: FROM TO (e.g. en es).")],
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """Install an Argos package from a .argosmodel file or, by language pair, from the index."""
    store = _store(config)
    if len(what) == 1:
        model = store.install_file(Path(what[0]))
    elif len(what) == 2:
        model = store.install_pair(languages.validate(what[0]), languages.validate(what[1]))
    else:
        fail("give one .argosmodel file, or two language codes: translate models install en es", 2)
    data = {"installed": model.name, "from": model.source, "to": model.target, "version": model.version}
    answer(json_out, data, f"installed {model.source}→{model.target} {model.version} ({model.name})")


@app.command("remove")
@handle_errors
def models_remove(
    source: Annotated[str, typer.Argument(help="Source language code.")],
    target: Annotated[str, typer.Argument(help="Target language code.")],
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """Remove an installed Argos package."""
    store = _store(config)
    model = store.remove(languages.validate(source), languages.validate(target))
    data = {"removed": model.name, "from": model.source, "to": model.target, "version": model.version}
    answer(json_out, data, f"removed {model.source}→{model.target} {model.version}")
