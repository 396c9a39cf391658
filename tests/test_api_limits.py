"""Keys, rate limits, oversize requests and a full queue: each refused with its status and a JSON error.

Each case runs against a real `translate serve --api-only` on 127.0.0.1 with
small limits, and the server is asked to translate again afterwards: a
refusal never costs the service. Keys are made with the command a user runs
(`translate api-key create`).
"""

from __future__ import annotations

import json
import threading
import time

import pytest
from api_helpers import Reply, api_project, api_server, call, post_form, post_json
from cli_process import cli

from translate.segment import parse
from translate.serve.api.keys import REFRESH_SECONDS

pytestmark = pytest.mark.apertium


def translate_command(project, *args: str) -> str:
    done = cli(*args, "--config", str(project / "translate.toml"), cwd=project)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def works(base: str, key: str | None = None) -> bool:
    reply = post_json(base, "/translate", {"q": "The factory.", "source": "en", "target": "es", "api_key": key})
    return reply.status == 200 and reply.data["translatedText"] == "La fábrica."


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    """A server that answers only requests with a key, with small request limits."""
    project = api_project(tmp_path_factory.mktemp("keyed") / "project", batch_limit=4, char_limit=300, max_body_bytes=4096)
    with api_server(project, "--api-keys", "required") as base:
        yield project, base


def test_without_a_key_the_server_asks_for_one(keyed):
    _, base = keyed
    for sent in ({"q": "Hello", "source": "en", "target": "es"}, {"q": "Hello", "source": "en", "target": "es", "api_key": ""}):
        reply = post_json(base, "/translate", sent)
        assert (reply.status, reply.error) == (400, "Please contact the server operator to get an API key")
    assert call(base, "GET", "/frontend/settings").data["keyRequired"] is True
    assert call(base, "GET", "/languages").status == 200  # the language list needs no key, as in LibreTranslate


def test_a_created_key_works_an_unknown_or_revoked_one_is_refused(keyed):
    project, base = keyed
    key = translate_command(project, "api-key", "create", "weblate")
    assert works(base, key)
    assert post_form(base, "/detect", {"q": "Bon dia a tothom", "api_key": key}).status == 200
    unknown = post_json(base, "/translate", {"q": "Hello", "source": "en", "target": "es", "api_key": "x" * 43})
    assert (unknown.status, unknown.error) == (403, "Invalid API key")
    listed = json.loads(translate_command(project, "api-key", "list", "--json"))
    assert [(k["name"], k["state"], k["prefix"]) for k in listed] == [("weblate", "active", key[:6])]
    assert key not in (project / "access" / "invitations.sqlite").read_bytes().decode("latin-1")  # only its hash
    translate_command(project, "api-key", "revoke", "weblate")
    time.sleep(REFRESH_SECONDS + 0.1)  # a running server reads the keys again at most this long after a change
    refused = post_json(base, "/translate", {"q": "Hello", "source": "en", "target": "es", "api_key": key})
    assert (refused.status, refused.error) == (403, "Invalid API key")


def test_a_key_over_its_requests_per_minute_slows_down_and_others_go_on(keyed):
    project, base = keyed
    slow = translate_command(project, "api-key", "create", "extension", "--requests-per-minute", "3")
    other = translate_command(project, "api-key", "create", "mastodon")
    assert [works(base, slow) for _ in range(3)] == [True, True, True]
    refused = post_json(base, "/translate", {"q": "Hello", "source": "en", "target": "es", "api_key": slow})
    assert (refused.status, refused.error) == (429, "Slowdown: 3 per 1 minute")
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert works(base, other)


def test_oversize_requests_are_refused_with_what_the_limit_is(keyed):
    project, base = keyed
    key = translate_command(project, "api-key", "create", "tests", "--requests-per-minute", "0")
    five = post_json(base, "/translate", {"q": ["a"] * 5, "source": "en", "target": "es", "api_key": key})
    assert (five.status, five.error) == (400, "Invalid request: request (5 texts) exceeds text limit (4 texts per request)")
    long = post_json(base, "/translate", {"q": "word " * 70, "source": "en", "target": "es", "api_key": key})
    assert (long.status, long.error) == (
        400,
        "Invalid request: request (350 characters) exceeds text limit (300 characters per text)",
    )
    huge = post_json(base, "/translate", {"q": "x" * 5000, "source": "en", "target": "es", "api_key": key})
    assert (huge.status, huge.error) == (413, "Request body too large: this server accepts at most 4096 bytes")
    assert works(base, key)


@pytest.fixture(scope="module")
def open_server(tmp_path_factory):
    """Keys optional, three texts per minute per address, and room for one sentence in the queue."""
    project = api_project(
        tmp_path_factory.mktemp("open") / "project", requests_per_minute=3, queue_limit=1, char_limit=0, max_body_bytes=1_000_000
    )
    with api_server(project) as base:
        yield project, base


def test_a_full_queue_answers_503_at_once_and_the_server_recovers(open_server):
    project, base = open_server
    key = translate_command(project, "api-key", "create", "load", "--requests-per-minute", "0")
    essay = (project / "texts" / "the-virtual-factory.txt").read_text(encoding="utf-8")
    big: list[Reply] = []
    worker = threading.Thread(
        target=lambda: big.append(post_json(base, "/translate", {"q": essay, "source": "en", "target": "fr", "api_key": key}))
    )
    worker.start()
    deadline = time.monotonic() + 30
    while call(base, "GET", "/health").data["queue"]["sentences"] == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    busy = post_json(base, "/translate", {"q": "The factory.", "source": "en", "target": "es", "api_key": key})
    waited = bool(big)  # the essay's answer came first: the refusal waited for the queue to empty
    assert (busy.status, busy.headers.get("retry-after")) == (503, "1"), busy.data
    assert busy.error.startswith("Server busy: ") and not waited
    worker.join(timeout=120)
    assert big and big[0].status == 200 and len(big[0].data["translatedText"]) > len(essay) / 2
    assert big[0].data["provenance"]["sentences"] == len(parse(essay, "-", "en", fmt="txt").segments)
    assert works(base, key)


def test_an_address_over_its_limit_slows_down(open_server):
    _, base = open_server
    replies = [post_json(base, "/translate", {"q": "Hello.", "source": "en", "target": "es"}) for _ in range(4)]
    assert [r.status for r in replies[:3]] == [200, 200, 200]
    assert (replies[3].status, replies[3].error) == (429, "Slowdown: 3 per 1 minute")
    assert call(base, "GET", "/health").status == 200
