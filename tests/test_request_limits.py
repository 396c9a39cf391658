"""No request can fill the disk or the memory: bodies are bounded before they are read, forms carry text only.

A real `translate serve` on 127.0.0.1 is sent what an attacker would send, over a
raw socket (a client library would read the whole body into memory first): a
300 MB multipart upload to an invitation address with no session, a body that
never says its length. The server's temporary folder must stay empty, and the
answer is 413 before the body is read. The form checks run on the application.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest
from serve_helpers import csrf_of, drafted, invite, running_server, sign_in
from starlette.testclient import TestClient

from translate.segment import sentence_hash
from translate.serve.app import build_app
from translate.serve.limits import MAX_FORM_BYTES
from translate.texts import load_texts

BOUNDARY = "x7d3b2a"
FILE_PART = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="text"; filename="a.txt"\r\n'
    "Content-Type: application/octet-stream\r\n\r\n"
).encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A served project whose server process writes its temporary files to a folder of its own."""
    from project_factory import Project

    root = tmp_path_factory.mktemp("limits")
    spool = root / "spool"
    spool.mkdir()
    project = drafted(Project(root / "project"), ("es",))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMPDIR", str(spool))
        with running_server(project) as base:
            yield base, spool


def send(base: str, head: str, body_chunks, timeout: float = 60) -> tuple[str, int]:
    """Send a request head, then body chunks until the server answers or stops reading; (status line, bytes sent)."""
    address = urlsplit(base)
    sent = 0
    with socket.create_connection((address.hostname, address.port), timeout=timeout) as connection:
        connection.sendall(head.encode("latin-1"))
        try:
            for chunk in body_chunks:
                connection.setblocking(False)
                try:
                    answered = connection.recv(1, socket.MSG_PEEK)
                except BlockingIOError:
                    answered = b""
                connection.setblocking(True)
                if answered:
                    break
                connection.sendall(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed: what it should do
        connection.settimeout(timeout)
        reply = b""
        while b"\r\n" not in reply:
            data = connection.recv(4096)
            if not data:
                break
            reply += data
    return reply.split(b"\r\n")[0].decode("latin-1"), sent


def upload(megabytes: int):
    yield FILE_PART
    block = b"A" * (1 << 16)
    for _ in range(megabytes * 16):
        yield block


def test_a_300_mb_upload_to_an_invitation_address_is_refused_before_it_is_read_or_spooled(server):
    base, spool = server
    head = (
        "POST /invite/anything HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {300 * 1024 * 1024}\r\n\r\n"
    )

    status, sent = send(base, head, upload(300))

    assert status.startswith("HTTP/1.1 413"), status
    assert sent < 8 * 1024 * 1024  # the server answered long before the body ended
    assert list(spool.iterdir()) == []


def test_a_body_that_never_says_its_length_is_refused_once_past_the_limit(server):
    base, spool = server
    head = (
        "POST /invite/anything HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    pieces = [b"csrf_token=", *list(upload(300))[1:]]  # one form field that never ends
    chunks = (f"{len(piece):x}\r\n".encode() + piece + b"\r\n" for piece in pieces)

    status, sent = send(base, head, chunks)

    assert status.startswith("HTTP/1.1 413"), status
    assert sent < 8 * 1024 * 1024
    assert list(spool.iterdir()) == []


@pytest.mark.parametrize(
    "request_line",
    ["GET / ", "POST /sign-out ", "POST /review/es/x/0123456789abcdef ", "GET /static/review.css ", "POST /nowhere "],
)
def test_every_route_refuses_a_body_larger_than_a_form_before_reading_it(server, request_line):
    base, _ = server
    head = f"{request_line}HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {MAX_FORM_BYTES + 1}\r\n\r\n"

    status, _ = send(base, head, iter([]))

    assert status.startswith("HTTP/1.1 413") or status.startswith("HTTP/1.1 404"), status


def test_the_api_takes_bodies_up_to_its_own_limit_and_refuses_larger_ones_in_json(server):
    base, _ = server
    head = "POST /translate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n"
    assert send(base, head.format(2 * 1024 * 1024), iter([]))[0].startswith("HTTP/1.1 413")
    body = b'{"q": "' + b"a" * (MAX_FORM_BYTES + 10) + b'", "source": "en", "target": "es"}'
    status, _ = send(base, head.format(len(body)), iter([body]))
    assert not status.startswith("HTTP/1.1 413"), status  # larger than a form, within api.max_body_bytes


@pytest.fixture
def signed_in(project):
    drafted(project, ("es",))
    client = TestClient(build_app(project.config))
    sign_in(client, invite(project, "Ana", ("es",)))
    return project, client


def test_a_form_field_sent_as_a_file_part_is_refused_and_nothing_is_recorded(signed_in):
    project, client = signed_in
    text = load_texts(project.config)[0]
    segment = text.document.segments[1]
    url = f"/review/es/{text.stem}/{segment.source_hash}"
    page = client.get(url).text

    refused = client.post(
        url,
        data={"action": "save", "csrf_token": csrf_of(page)},
        files={"text": ("a.txt", b"Texto de un archivo.", "text/plain")},
        follow_redirects=False,
    )

    assert refused.status_code == 400
    assert "no files" in refused.text and "UploadFile" not in refused.text
    with project.memory() as memory:
        assert memory.review_log() == []
        assert memory.get(segment.text, "en", "es").status == "machine"
    assert sentence_hash(segment.text) == segment.source_hash


def test_an_api_field_sent_as_a_file_part_is_refused(signed_in):
    _, client = signed_in

    answer = client.post("/translate", data={"source": "en", "target": "es"}, files={"q": ("q.txt", b"Hello.", "text/plain")})

    assert answer.status_code == 400
    assert answer.json()["error"] == "Invalid request: send the fields as text, not as files"
