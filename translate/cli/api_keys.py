"""`translate api-key create|list|revoke`: keys for the LibreTranslate-compatible API of `translate serve`."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from translate.cli.common import ConfigOption, JsonOption, handle_errors, print_json
from translate.config import load_config

if TYPE_CHECKING:
    from translate.serve.api.keys import ApiKeyStore

app = typer.Typer(
    help=(
        "Keys for the API of `translate serve` (what Weblate, Mastodon or a browser extension sends as "
        "api_key). Each key has its own requests-per-minute limit; only a hash of it is stored. "
        "`translate serve --api-keys required` answers only requests that carry one."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def _store(config: ConfigOption) -> ApiKeyStore:
    # imported on use, keeps --help fast
    from translate.serve.access import access_path
    from translate.serve.api.keys import ApiKeyStore

    return ApiKeyStore(access_path(load_config(config)))


@app.command("create")
@handle_errors
def create_command(
    name: Annotated[str, typer.Argument(help="Who or what uses the key, e.g. weblate or mastodon.")],
    requests_per_minute: Annotated[
        Optional[int],
        typer.Option(
            "--requests-per-minute", min=0, max=1_000_000, help="Texts this key may send per minute (0 = no limit; default 600)."
        ),
    ] = None,
    weblate: Annotated[
        bool,
        typer.Option(
            "--weblate",
            help="A key for Weblate: no per-minute limit and never refused for a busy queue (Weblate pauses its "
            "service for 30 minutes on a 429 or 503, and sends one request of 20 strings at a time).",
        ),
    ] = False,
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """Create an API key and print it: it is shown this once, only its hash is kept."""
    # imported on use, keeps --help fast
    from translate.serve.api.keys import DEFAULT_REQUESTS_PER_MINUTE

    if requests_per_minute is None:
        requests_per_minute = 0 if weblate else DEFAULT_REQUESTS_PER_MINUTE
    key, text = _store(config).create(name, requests_per_minute, unthrottled=weblate)
    if json_out:
        print_json({"key": asdict(key), "api_key": text})
        return
    limit = f"{key.requests_per_minute} per minute" if key.requests_per_minute else "no limit"
    if key.unthrottled:
        limit += ", never refused for a busy queue"
    typer.echo(f"API key {key.id} for {key.name} ({limit}); it is shown only now:", err=True)
    typer.echo(text)


@app.command("list")
@handle_errors
def list_command(config: ConfigOption = None, json_out: JsonOption = False) -> None:
    """List API keys: number, name, first characters, limit, created, active or revoked."""
    keys = _store(config).keys()
    if json_out:
        print_json([asdict(k) | {"state": k.state} for k in keys])
        return
    if not keys:
        typer.echo("no API keys yet: translate api-key create NAME")
        return
    typer.echo(f"{'no':>4}  {'name':24} {'key':9} {'per min':>7}  {'state':8} created")
    for k in keys:
        limit = "weblate" if k.unthrottled else k.requests_per_minute or "-"
        typer.echo(f"{k.id:>4}  {k.name[:24]:24} {k.prefix + '…':9} {limit:>7}  {k.state:8} {k.created}")


@app.command("revoke")
@handle_errors
def revoke_command(
    who: Annotated[str, typer.Argument(help="A key's number, its name (every key of that name), or the key.")],
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """Revoke API keys: a running server refuses them from its next request on."""
    revoked = _store(config).revoke(who)
    if json_out:
        print_json([asdict(k) | {"state": k.state} for k in revoked])
        return
    for k in revoked:
        typer.echo(f"revoked API key {k.id} ({k.name})")
