"""The API's endpoints, at the paths and in the shapes LibreTranslate has them.

POST /translate and /detect, GET /languages, /frontend/settings and /health,
and the two LibreTranslate features this server does not offer (/suggest,
/translate_file) refused with LibreTranslate's own 403. Every answer is JSON,
errors as {"error": "..."}, with LibreTranslate's CORS headers so that
browser extensions and web pages can call it; OPTIONS answers a preflight.
A bug answers 500 and leaves the server serving; the log has the traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from translate.errors import TranslateError
from translate.serve.access import access_path
from translate.serve.api import codes
from translate.serve.api.errors import ApiError
from translate.serve.api.guard import Guard
from translate.serve.api.keys import ApiKeyStore
from translate.serve.api.requests import detect_text, read_fields, translate_request
from translate.serve.api.service import ApiService
from translate.serve.state import ServerState

log = logging.getLogger(__name__)

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Expose-Headers": "Authorization",
    "Access-Control-Allow-Methods": "GET, POST",
    "Access-Control-Max-Age": "1728000",
}
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

Handler = Callable[[Request], Awaitable[Response]]


def answer(data: object, status: int = 200, retry_after: float | None = None) -> JSONResponse:
    headers = dict(CORS_HEADERS)
    if retry_after is not None:
        headers["Retry-After"] = str(int(retry_after))
    return JSONResponse(data, status_code=status, headers=headers)


def refuse(status: int, message: str, retry_after: float | None = None) -> JSONResponse:
    return answer({"error": message}, status, retry_after)


def address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


class Api:
    """The API part of the server: its service, its guard, its routes."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.options = state.config.api
        self.service = ApiService(state)
        self.guard = Guard(ApiKeyStore(access_path(state.config)), self.options.keys, self.options.requests_per_minute)

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/translate", self._endpoint(self.translate, "POST"), methods=ALL_METHODS),
            Route("/detect", self._endpoint(self.detect, "POST"), methods=ALL_METHODS),
            Route("/languages", self._endpoint(self.languages, "GET"), methods=ALL_METHODS),
            Route("/frontend/settings", self._endpoint(self.settings, "GET"), methods=ALL_METHODS),
            Route("/health", self._endpoint(self.health, "GET"), methods=ALL_METHODS),
            Route("/suggest", self._endpoint(self.suggest, "POST"), methods=ALL_METHODS),
            Route("/translate_file", self._endpoint(self.translate_file, "POST"), methods=ALL_METHODS),
        ]

    def _endpoint(self, handler: Handler, method: str) -> Handler:
        async def endpoint(request: Request) -> Response:
            if request.method == "OPTIONS":
                return Response(status_code=200, headers=CORS_HEADERS)
            if request.method != method and not (method == "GET" and request.method == "HEAD"):
                return refuse(405, f"Method {request.method} is not allowed here; use {method}")
            try:
                return await handler(request)
            except ApiError as err:
                return refuse(err.status, err.message, err.retry_after)
            except TranslateError as err:
                log.warning("%s %s: %s", request.method, request.url.path, err)
                return refuse(500, f"Cannot translate text: {err}")
            except Exception:
                log.exception("%s %s failed", request.method, request.url.path)
                return refuse(500, "Internal server error (the server's log has the details)")

        return endpoint

    async def translate(self, request: Request) -> Response:
        fields = await read_fields(request, self.options)
        q = fields.values.get("q")
        self.guard.admit(fields.api_key, address(request), cost=len(q) if isinstance(q, list) else 1)
        return answer(await self.service.translate(translate_request(fields, self.options)))

    async def detect(self, request: Request) -> Response:
        fields = await read_fields(request, self.options)
        self.guard.admit(fields.api_key, address(request))
        text = detect_text(fields, self.options)
        guesses = await run_in_threadpool(self.service.detect, text)
        return answer([g.to_dict(codes.to_client(g.language)) for g in guesses])

    async def languages(self, request: Request) -> Response:
        return answer(await run_in_threadpool(self.service.languages))

    async def settings(self, request: Request) -> Response:
        source = self.state.config.source_language
        targets = await run_in_threadpool(self.service.targets, source)
        target = targets[0] if targets else source
        return answer(
            {
                "apiKeys": True,
                "keyRequired": self.options.keys == "required",
                "charLimit": self.options.char_limit or -1,
                "frontendTimeout": 500,
                "filesTranslation": False,
                "supportedFilesFormat": [],
                "suggestions": False,
                "language": {
                    "source": {"code": "auto", "name": "Auto Detect"},
                    "target": {"code": codes.to_client(target), "name": codes.name(target)},
                },
            }
        )

    async def health(self, request: Request) -> Response:
        queue = self.service.queue
        return answer(
            {"status": "ok", "queue": {"sentences": queue.pending, "limit": queue.limit}, "batches": self.service.stats.to_dict()}
        )

    async def suggest(self, request: Request) -> Response:
        return refuse(403, "Suggestions are disabled on this server.")

    async def translate_file(self, request: Request) -> Response:
        return refuse(403, "Files translation are disabled on this server.")

    def close(self) -> None:
        self.service.close()


def api_routes(state: ServerState) -> list[BaseRoute]:
    """The API's routes; the service closes with the server."""
    api = Api(state)
    state.closers.append(api.close)
    return api.routes()
