"""`translate serve`: the review pages (and later other parts) on 127.0.0.1, until Ctrl-C."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from translate.cli.common import ConfigOption, handle_errors
from translate.config import load_config


@handle_errors
def serve(
    host: Annotated[
        Optional[str], typer.Option(help="Address to listen on (default: serve.host, 127.0.0.1). Put a TLS "
                                         "reverse proxy in front for a group; see the README.")
    ] = None,
    port: Annotated[Optional[int], typer.Option(help="Port (default: serve.port, 8000).")] = None,
    config: ConfigOption = None,
) -> None:
    """Serve the review pages: people open their invitation link and review sentences in a browser.

    Invite someone first with `translate review invite NAME --lang es`. Every
    decision goes to the same memory and review log as a PO import, and shows in
    outputs/ after the next `translate run`. Stop the server with Ctrl-C.
    """
    # imported on use, keeps --help fast
    from translate.serve.access import public_url
    from translate.serve.app import serve as run_server

    cfg = load_config(config)
    if host:
        cfg.serve.host = host
    if port:
        cfg.serve.port = port
    typer.echo(f"Review pages at {public_url(cfg)}/ (Ctrl-C stops the server)", err=True)
    run_server(cfg)
