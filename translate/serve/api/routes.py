"""The API's endpoints, at the paths and in the shapes LibreTranslate has them.

POST /translate and /detect, GET /languages, /frontend/settings, /health,
/spec (an OpenAPI document of what is implemented) and /docs (the same as a
page), and the two LibreTranslate features this server does not offer
(/suggest, /translate_file) refused with LibreTranslate's own 403. Every
answer is JSON, errors as {"error": "..."}, with LibreTranslate's CORS
headers so that browser extensions and web pages can call it; OPTIONS answers
a preflight. A bug answers 500 and leaves the server serving; the log has the
traceback.

A translation is checked in this order: the key (403), the request's size and
fields (400, 413), its languages (400), and only then charged to the key's or
address's limit (429) and queued (503), so that nothing refused for what it is
counts against anyone.

Weblate's settings check: saving the LibreTranslate service in Weblate
(*Manage → Automatic suggestions*) runs `validate_settings`
(weblate/machinery/base.py), which fetches /languages and then translates the
one-text list ["test"] from English into German, whatever /languages says, and
refuses to save on any HTTP error. On a server with no German engine that
request is answered 200 with an empty text and a provenance saying why
(`WEBLATE_CHECK`): the check passes, and nothing is pretended to be German.
Weblate itself only asks for pairs /languages lists.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from translate.errors import TranslateError
from translate.serve.access import access_path
from translate.serve.api import codes
from translate.serve.api.errors import ApiError
from translate.serve.api.guard import Guard
from translate.serve.api.keys import ApiKeyStore
from translate.serve.api.requests import ClientGone, detect_texts, read_fields, translate_request
from translate.serve.api.service import ApiService
from translate.serve.api.spec import openapi, page
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
WEBLATE_AGENT = "Weblate/"  # weblate/utils/requests.py sends User-Agent "Weblate/<version>"
WEBLATE_CHECK = ["test"]  # the texts of Weblate's validate_settings: download_multiple_translations("en", "de", [("test", None)])

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
            Route("/spec", self._endpoint(self.spec, "GET"), methods=ALL_METHODS),
            Route("/docs", self._endpoint(self.docs, "GET"), methods=ALL_METHODS),
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
            except ClientGone as gone:  # nobody is left to read an answer
                log.info("%s %s from %s: %s", request.method, request.url.path, address(request), gone)
                return Response(status_code=400)
            except TranslateError as err:
                log.warning("%s %s: %s", request.method, request.url.path, err)
                return refuse(500, f"Cannot translate text: {err}")
            except Exception:  # a defect anywhere below: a 500 and a logged traceback, never a dropped connection
                log.exception("%s %s failed", request.method, request.url.path)
                return refuse(500, "Internal server error (the server's log has the details)")

        return endpoint

    async def translate(self, request: Request) -> Response:
        fields = await read_fields(request, self.options)
        caller = self.guard.identify(fields.api_key, address(request))
        asked = translate_request(fields, self.options)
        settings_check = request.headers.get("user-agent", "").startswith(WEBLATE_AGENT) and asked.texts == WEBLATE_CHECK
        plan = await run_in_threadpool(self.service.plan, asked, settings_check and asked.is_list)
        self.guard.charge(caller, len(asked.texts))
        return answer(await self.service.translate(plan, unthrottled=caller.unthrottled))

    async def detect(self, request: Request) -> Response:
        fields = await read_fields(request, self.options)
        caller = self.guard.identify(fields.api_key, address(request))
        texts = detect_texts(fields, self.options)
        self.guard.charge(caller, len(texts))
        guesses = await run_in_threadpool(self.service.detect, texts)
        return answer([g.to_dict() for g in guesses])

    async def languages(self, request: Request) -> Response:
        return answer(await run_in_threadpool(self.service.languages))

    async def settings(self, request: Request) -> Response:
        target = await run_in_threadpool(self.default_target)
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
                    "target": {"code": codes.to_client(target), "name": codes.name(codes.to_client(target))},
                },
            }
        )

    def default_target(self) -> str:
        """The front end's target: the project's first target language served from its source, else any."""
        source = self.state.config.source_language
        served = self.service.targets(source)
        return next((t for t in self.state.config.targets if t in served), served[0] if served else source)

    async def health(self, request: Request) -> Response:
        queue = self.service.queue
        return answer(
            {"status": "ok", "queue": {"sentences": queue.pending, "limit": queue.limit}, "batches": self.service.stats.to_dict()}
        )

    async def spec(self, request: Request) -> Response:
        return answer(openapi(self.options))

    async def docs(self, request: Request) -> Response:
        return HTMLResponse(page(openapi(self.options)), headers=CORS_HEADERS)

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
