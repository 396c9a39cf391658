"""`translate serve`: the review pages and the LibreTranslate-compatible API on 127.0.0.1, until Ctrl-C."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from translate.cli.common import ConfigOption, fail, handle_errors
from translate.config import API_KEY_MODES, load_config


@handle_errors
def serve(
    host: Annotated[
        Optional[str],
        typer.Option(
            help="Address to listen on (default: serve.host, 127.0.0.1). 0.0.0.0: every interface, for a "
            "meeting room's network (plain HTTP: a network you trust); else a TLS reverse proxy, see the README."
        ),
    ] = None,
    port: Annotated[
        Optional[int],
        typer.Option(min=0, max=65535, help="Port (default: serve.port, 8000); 0 takes a free one, printed at start."),
    ] = None,
    api_only: Annotated[
        bool, typer.Option("--api-only", help="Serve only the LibreTranslate-compatible API, no review pages.")
    ] = False,
    api_keys: Annotated[
        Optional[str],
        typer.Option(
            "--api-keys",
            help="required: the API answers only requests with a key from "
            "`translate api-key create`; optional (default: api.keys).",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Serve the review pages and a LibreTranslate-compatible API for Weblate, Mastodon and other tools.

    Review: invite someone with `translate review invite NAME --lang es`; every
    decision goes to the same memory and review log as a PO import. API: POST
    /translate, /detect and GET /languages as LibreTranslate has them, with the
    glossary pinned and approved sentences from the memory (see the README for
    Weblate's and Mastodon's settings). Stop the server with Ctrl-C.
    """
    # imported on use, keeps --help fast
    from translate.serve.access import WILDCARD_HOSTS, network_addresses, public_url
    from translate.serve.app import listen
    from translate.serve.app import serve as run_server

    cfg = load_config(config)
    if host:
        cfg.serve.host = host
    if port is not None:
        cfg.serve.port = port
    if api_keys is not None:
        if api_keys not in API_KEY_MODES:
            fail(f"--api-keys must be one of {', '.join(API_KEY_MODES)}, not '{api_keys}'", 2)
        cfg.api.keys = api_keys
    sock = listen(cfg.serve.host, cfg.serve.port)
    cfg.serve.port = sock.getsockname()[1]  # the port taken, when 0 asked for a free one
    url = public_url(cfg)
    if cfg.serve.host in WILDCARD_HOSTS and not cfg.serve.public_url:
        here = network_addresses()
        url = f"http://{here[0]}:{cfg.serve.port}" if here else url
        typer.echo(
            f"Listening on every network interface ({', '.join(here) or 'no network address found'}): anyone on "
            "these networks can open the pages, over plain HTTP (invitation tokens and sessions travel unencrypted). "
            "Use it on a network you trust, such as a meeting room's own Wi-Fi, and put TLS in front anywhere else.",
            err=True,
        )
        if not api_only:
            typer.echo(f"Invite for this network with: translate review invite NAME --lang xx --url {url}", err=True)
    if not api_only:
        typer.echo(f"Review pages at {url}/ (Ctrl-C stops the server)", err=True)
        if (host or port is not None) and not cfg.serve.public_url and url != public_url(load_config(config)):
            typer.echo(
                f"Invitation links point at {public_url(load_config(config))} unless made with "
                f"`translate review invite NAME --lang xx --url {url}` (or set serve.port in translate.toml)",
                err=True,
            )
    typer.echo(f"LibreTranslate-compatible API at {url}/translate (keys {cfg.api.keys})", err=True)
    run_server(cfg, parts=("api",) if api_only else ("review", "api"), sock=sock)
