"""The server: one Starlette application assembled from parts, and how `translate serve` runs it.

A part is a function from the shared `ServerState` to a list of routes, listed
by name in `PARTS`; `build_app` mounts the parts it is asked for side by side,
so an HTTP API for other tools can sit beside the review pages, or run alone.
Every response gets the same security headers: a Content-Security-Policy that
allows only this site's own scripts and styles (htmx is served from here, with
no inline script, no eval), no framing, no referrer (an invitation token sits
in a URL), and no caching of anything but static files.

The server listens on 127.0.0.1 unless told otherwise; a group puts a TLS
reverse proxy in front (README, "Review in a browser"), and names it in
`serve.trusted_proxies`: only its X-Forwarded-For header is believed. uvicorn's access log
would print invitation links; its requests are logged with the token cut out.
"""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from translate.config import Config
from translate.errors import UsageError
from translate.serve.api.routes import api_routes
from translate.serve.review.routes import review_routes
from translate.serve.state import ServerState

PARTS: dict[str, Callable[[ServerState], list[BaseRoute]]] = {
    "review": review_routes,
    "api": api_routes,
}
"""The parts a server can offer, by name; `translate serve` mounts all of them by default."""

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        b"form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response, and `Cache-Control: no-store` outside /static."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += SECURITY_HEADERS
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def build_app(config: Config, parts: Sequence[str] = tuple(PARTS)) -> Starlette:
    """The ASGI application serving `parts` of this project."""
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        raise UsageError(f"server parts must be some of {', '.join(PARTS)}, not {', '.join(unknown) or 'none'}")
    state = ServerState.for_config(config)
    routes: list[BaseRoute] = []
    for name in parts:
        routes += PARTS[name](state)
    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)], lifespan=_closing(state))
    app.state.serve = state
    return app


def _closing(state: ServerState) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """The app's lifespan: at shutdown, what the parts hold (engines, threads) is released."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            for close in state.closers:
                close()

    return lifespan


_INVITE_TOKEN = re.compile(r"(/invite/)[^/?\s\"]+")


class _HideInvitationTokens(logging.Filter):
    """uvicorn's access log line, with /invite/<token> written as /invite/…"""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_INVITE_TOKEN.sub(r"\1…", a) if isinstance(a, str) else a for a in record.args)
        return True


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on host:port; port 0 takes a free one (the socket's name says which).

    Bound here, before the server starts, so that the address printed is the one
    served: a port picked by closing a probe socket could be taken meanwhile.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as err:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port} ({err.strerror or err}); choose another --port") from None
    return sock


def serve(config: Config, parts: Sequence[str] = tuple(PARTS), sock: socket.socket | None = None) -> None:
    """Run the server in the foreground until Ctrl-C (what `translate serve` does), on `sock` if given."""
    import uvicorn  # imported on use: only `translate serve` needs the server

    app = build_app(config, parts)
    logging.getLogger("uvicorn.access").addFilter(_HideInvitationTokens())
    sock = sock or listen(config.serve.host, config.serve.port)
    host, port = sock.getsockname()[:2]
    settings = uvicorn.Config(
        app,
        host=host,
        port=port,
        # X-Forwarded-For / -Proto only from the configured reverse proxies: believed from any local
        # process, it would let anyone on this machine (or through an ssh tunnel) choose the address
        # the API's rate limit counts.
        proxy_headers=bool(config.serve.trusted_proxies),
        forwarded_allow_ips=list(config.serve.trusted_proxies) or None,
        server_header=False,
        log_level="info",
    )
    with sock:
        uvicorn.Server(settings).run(sockets=[sock])
