"""Reading an API request the way LibreTranslate does, with limits it lacks.

LibreTranslate (Flask) takes a JSON body when the Content-Type says JSON, and
otherwise the form fields (urlencoded or multipart) merged with the query
string, the query string winning; a form carries one string `q`, only JSON a
list. The checks and their messages follow its `/translate` in order (missing
q, source, target; too many texts; a text too long), with differences where it
answers 500: a non-numeric, infinite or huge `alternatives` is a 400 here, as
are JSON nested past what the parser can follow and a string holding a lone
UTF-16 surrogate (`"\ud800"`: valid JSON, but no text). A body larger than
`api.max_body_bytes` is refused with 413 as soon as that is known, from
Content-Length or while reading, before it is parsed; a client that goes away
in the middle of its body is noted in one line of the log, without a traceback.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect, Request

from translate.config import ApiOptions
from translate.human_input import bad_character
from translate.serve.api.errors import ApiError

FORMATS = ("text", "html")


class ClientGone(Exception):
    """The client closed the connection before its request was read: nobody to answer."""


@dataclass
class Fields:
    """A request's parameters, and whether they came as JSON (only JSON can carry a list q)."""

    values: dict[str, Any]
    is_json: bool

    def text(self, key: str) -> str | None:
        value = self.values.get(key)
        if value is None or value == "":
            return None
        return value if isinstance(value, str) else str(value)

    @property
    def api_key(self) -> str | None:
        return self.text("api_key")


@dataclass
class TranslateRequest:
    texts: list[str]
    is_list: bool  # q was a list: translatedText is one too
    source: str  # as the client wrote it ('auto' or a code)
    target: str
    format: str  # text | html
    alternatives: int
    api_key: str | None


def _too_big(limit: int) -> ApiError:
    return ApiError(413, f"Request body too large: this server accepts at most {limit} bytes")


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 past `limit` bytes (Content-Length first, then while streaming)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_big(limit)
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _too_big(limit)
            chunks.append(chunk)
    except ClientDisconnect:
        raise ClientGone(f"the client left after {size} bytes of its request") from None
    body = b"".join(chunks)
    request._body = body  # noqa: SLF001 - lets request.form() parse a multipart body already read
    return body


async def read_fields(request: Request, options: ApiOptions) -> Fields:
    """The parameters of a request, as LibreTranslate reads them (JSON, or form plus query string)."""
    body = await read_body(request, options.max_body_bytes)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            data = json.loads(body or b"null")
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "Invalid JSON format") from None
        except RecursionError:
            raise ApiError(400, "Invalid JSON format: nested too deeply") from None
        if not isinstance(data, dict):
            raise ApiError(400, "Invalid JSON format")
        for key, value in data.items():
            _check_text(key, value)
        return Fields(data, is_json=True)
    values: dict[str, Any] = {}
    if content_type == "multipart/form-data":
        try:
            form = await request.form(max_files=0)  # a field sent as a file part is refused, never spooled
        except HTTPException as err:
            if "files" in str(err.detail):
                raise ApiError(400, "Invalid request: send the fields as text, not as files") from None
            raise ApiError(400, "Invalid request: the multipart body cannot be read") from None
        except MultiPartException:  # what Starlette raises instead of the HTTPException above outside one of its apps
            raise ApiError(400, "Invalid request: the multipart body cannot be read") from None
        for key, value in form.multi_items():
            if isinstance(value, str):
                values.setdefault(key, value)
    elif body:
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise ApiError(400, "Invalid request: the form body is not UTF-8") from None
        for key, value in pairs:
            values.setdefault(key, value)
    query: dict[str, Any] = {}
    for key, value in request.query_params.multi_items():
        query.setdefault(key, value)
    values.update(query)  # the query string wins, as Flask's request.values has it
    return Fields(values, is_json=False)


def _check_text(key: object, value: object) -> None:
    """A string (or a list's strings) that UTF-8 cannot carry: a lone surrogate from a JSON escape."""
    for text in (key, *(value if isinstance(value, list) else (value,))):
        if isinstance(text, str):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as err:
                escaped = text[err.start : err.end].encode("unicode_escape").decode()
                raise ApiError(
                    400,
                    f"Invalid request: {key} holds a lone surrogate ({escaped}), which is not text; "
                    "send the character itself, or a surrogate pair",
                ) from None


def alternatives_wanted(value: object, limit: int) -> int:
    """`alternatives` as LibreTranslate reads it (a number, 0 when absent), refused past `limit`."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        return int(value)
    number: float
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str):
        try:
            number = int(value.strip())
        except ValueError:
            raise ApiError(400, "Invalid request: alternatives parameter is not a number") from None
    else:
        raise ApiError(400, "Invalid request: alternatives parameter is not a number")
    if not math.isfinite(number):
        raise ApiError(400, "Invalid request: alternatives parameter is not a number")
    wanted = max(0, int(number))
    if wanted > limit:
        raise ApiError(400, f"Invalid request: alternatives parameter must be <= {limit}")
    return wanted


def translate_request(fields: Fields, options: ApiOptions) -> TranslateRequest:
    """A /translate request checked in LibreTranslate's order; ApiError(400) naming the first problem."""
    q = fields.values.get("q")
    if not q:
        raise ApiError(400, "Invalid request: missing q parameter")
    if isinstance(q, list):
        if not all(isinstance(item, str) for item in q):
            raise ApiError(400, "Invalid request: q must be a string or a list of strings")
        texts, is_list = list(q), True
    elif isinstance(q, str):
        texts, is_list = [q if fields.is_json else "\n".join(q.splitlines())], False
    else:
        raise ApiError(400, "Invalid request: q must be a string or a list of strings")
    source, target = fields.text("source"), fields.text("target")
    if not source:
        raise ApiError(400, "Invalid request: missing source parameter")
    if not target:
        raise ApiError(400, "Invalid request: missing target parameter")
    alternatives = alternatives_wanted(fields.values.get("alternatives"), options.alternatives_limit)
    _check_sizes(texts, options)
    text_format = fields.text("format") or "text"
    if text_format not in FORMATS:
        raise ApiError(400, f"{text_format} format is not supported")
    return TranslateRequest(texts, is_list, source, target, text_format, alternatives, fields.api_key)


def detect_texts(fields: Fields, options: ApiOptions) -> list[str]:
    """The texts of a /detect request: q a string, or (JSON) a list of strings, as LibreTranslate takes it."""
    q = fields.values.get("q")
    if not q:
        raise ApiError(400, "Invalid request: missing q parameter")
    texts = q if isinstance(q, list) else [q]
    if not all(isinstance(text, str) for text in texts):
        raise ApiError(400, "Invalid request: q must be a string or a list of strings")
    _check_sizes(texts, options)
    return texts


def _check_sizes(texts: list[str], options: ApiOptions) -> None:
    """At most `api.batch_limit` texts of at most `api.char_limit` characters (LibreTranslate's messages),
    holding no character an export cannot carry."""
    if len(texts) > options.batch_limit:
        raise ApiError(
            400, f"Invalid request: request ({len(texts)} texts) exceeds text limit ({options.batch_limit} texts per request)"
        )
    for text in texts:
        if options.char_limit and len(text) > options.char_limit:
            raise ApiError(
                400,
                f"Invalid request: request ({len(text)} characters) exceeds text limit "
                f"({options.char_limit} characters per text)",
            )
        where = bad_character(text)  # the project's one rule for people's text (translate/human_input.py)
        if where is not None:
            raise ApiError(400, f"Invalid request: in q, {where}, which PO, TMX and handouts cannot carry")
