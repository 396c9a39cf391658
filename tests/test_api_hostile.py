"""Malformed and hostile requests to the API get a 400 saying what is wrong, never a 500, and no traceback in the log.

Each is sent as bytes to a real `translate serve --api-only` on 127.0.0.1:
a lone UTF-16 surrogate (valid JSON, no text), JSON nested 100,000 deep,
`alternatives` that no integer can hold, and clients that hang up in the
middle of their body. The server must still translate afterwards, and its
log must hold no ERROR and no traceback.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest
from api_helpers import api_project, api_server, call, post_json

pytestmark = pytest.mark.apertium

JSON = {"Content-Type": "application/json"}
NOT_TEXT = "which is not text; send the character itself, or a surrogate pair"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    project = api_project(tmp_path_factory.mktemp("hostile") / "project")
    with api_server(project) as base:
        yield base, project / "api-server0.log"


def raw(base: str, body: bytes) -> tuple[int, str]:
    reply = call(base, "POST", "/translate", body, JSON)
    return reply.status, reply.error


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            b'{"q": "a \\ud800", "source": "en", "target": "es"}',
            f"Invalid request: q holds a lone surrogate (\\ud800), {NOT_TEXT}",
        ),
        (
            b'{"q": ["fine", "\\udfff b"], "source": "en", "target": "es"}',
            f"Invalid request: q holds a lone surrogate (\\udfff), {NOT_TEXT}",
        ),
        (b'{"q": "a", "source": "en", "target": "es", "api_key": "\\ud800"}', None),
        (
            b'{"q": "a", "source": "en", "target": "es", "alternatives": 1e400}',
            "Invalid request: alternatives parameter is not a number",
        ),
        (
            b'{"q": "a", "source": "en", "target": "es", "alternatives": Infinity}',
            "Invalid request: alternatives parameter is not a number",
        ),
        (
            b'{"q": "a", "source": "en", "target": "es", "alternatives": NaN}',
            "Invalid request: alternatives parameter is not a number",
        ),
        (
            b'{"q": "a", "source": "en", "target": "es", "alternatives": 1e300}',
            "Invalid request: alternatives parameter must be <= 10",
        ),
        (
            b'{"q": "a", "source": "en", "target": "es", "alternatives": [1]}',
            "Invalid request: alternatives parameter is not a number",
        ),
        (b'{"q": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "Invalid JSON format: nested too deeply"),
    ],
)
def test_hostile_json_gets_400_never_500(server, body, error):
    base, _ = server
    status, said = raw(base, body)
    assert status == 400
    if error is not None:
        assert said == error
    else:
        assert "lone surrogate" in said


def test_a_client_dropping_mid_body_logs_no_traceback(server):
    base, log = server
    parts = urlsplit(base)
    for _ in range(20):
        with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
            connection.sendall(
                b"POST /translate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b'Content-Length: 1000\r\n\r\n{"q": "The factory'
            )
    detected = post_json(base, "/detect", {"q": "\ud800 x"})  # json.dumps escapes it: the server sees a lone surrogate
    assert detected.status == 400
    assert post_json(base, "/translate", {"q": "The factory.", "source": "en", "target": "es"}).data["translatedText"] == (
        "La fábrica."
    )
    written = log.read_text(encoding="utf-8")
    assert "Traceback" not in written and "ERROR" not in written, written[-3000:]
    assert written.count('"POST /translate HTTP/1.1" 200') == 1  # the dropped ones were never answered as requests
