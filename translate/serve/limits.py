"""How much a request may carry: every body is bounded before it is read or spooled.

Each review route refuses a body larger than `MAX_FORM_BYTES` with 413, signed
in or not (Starlette's `max_body_size`: from Content-Length before the body is
read, else as it streams in); the API reads its bodies itself, within
`api.max_body_bytes` (api/requests.py), and a path no route serves reads none.
Without it a POST to any address (an invitation link, say) carrying 300 MB
would be read, and its file parts spooled to the temporary folder, before any
check ran.

The review pages' forms carry a few short text fields: `read_form` takes at most
`MAX_FORM_FIELDS` of them and no file part at all (a field sent as a file would
otherwise arrive as an UploadFile and be stored as its Python text).
"""

from __future__ import annotations

from starlette.datastructures import FormData, Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_FORM_BYTES = 256 * 1024
"""Largest body of a review form: a 5,000-character text and comment, percent-encoded, fit four times over."""

MAX_FORM_FIELDS = 16
"""Fields a review form may carry (the decision form has six)."""


class FormRefused(Exception):
    """A form that is not what the page sends: a file part, too many fields, a broken multipart body."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def read_form(request: Request) -> FormData:
    """A review form's text fields, read within the limits above (the first read decides them: it is cached).

    A body over the size limit stays a 413 (raised by the limit itself); anything
    else a form parser refuses is a FormRefused.
    """
    try:
        return await request.form(max_files=0, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FORM_BYTES)
    except HTTPException as err:
        if err.status_code == 413:
            raise
        raise FormRefused(f"This form takes a few short text fields, no files ({err.detail})") from None


class NoBody:
    """An application that never reads a body (static files), bounded all the same: a declared body over
    `limit` is refused with 413 before anything is read, and a body streamed without a length is, once
    past it, taken as the client leaving. (Starlette's own `max_body_size` around a file response
    answers 413 too, but logs a traceback for it.)"""

    def __init__(self, app: ASGIApp, limit: int = MAX_FORM_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.limit:
            await PlainTextResponse("Content Too Large", status_code=413)(scope, receive, send)
            return
        seen = 0

        async def bounded() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            return {"type": "http.disconnect"} if seen > self.limit else message

        await self.app(scope, bounded, send)
