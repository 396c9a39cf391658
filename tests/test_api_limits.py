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
from api_helpers import Reply, api_project, api_server, call, post_form, post_json, translate_command
from cli_process import cli

from translate.segment import parse
from translate.serve.api.batching import WorkQueue
from translate.serve.api.errors import ApiError

pytestmark = [pytest.mark.slow, pytest.mark.apertium]


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
    refused = post_json(base, "/translate", {"q": "Hello", "source": "en", "target": "es", "api_key": key})
    assert (refused.status, refused.error) == (403, "Invalid API key")


def test_a_just_created_key_works_at_once_and_a_revoked_one_is_refused_at_once(keyed):
    """No time-based refresh: the server reads the keys again when the file changed, at the next request."""
    project, base = keyed
    for round in range(3):
        unknown = post_json(base, "/translate", {"q": "Hello", "source": "en", "target": "es", "api_key": "y" * 43})
        assert unknown.status == 403  # the server has just read the keys
        key = translate_command(project, "api-key", "create", f"moment-{round}")
        assert works(base, key), f"round {round}: a key created a moment ago was refused"
        translate_command(project, "api-key", "revoke", f"moment-{round}")
        refused = post_json(base, "/translate", {"q": "Hello", "source": "en", "target": "es", "api_key": key})
        assert (refused.status, refused.error) == (403, "Invalid API key"), f"round {round}: a revoked key still worked"


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


@pytest.fixture
def limited(tmp_path):
    """Three texts a minute per address, keys optional, no trusted proxy."""
    project = api_project(tmp_path / "project", requests_per_minute=3)
    with api_server(project) as base:
        yield project, base


def test_the_rate_limit_is_charged_only_after_the_request_is_checked(limited):
    project, base = limited
    huge = post_json(base, "/translate", {"q": ["a"] * 10_000, "source": "en", "target": "es"})
    assert (huge.status, huge.error) == (400, "Invalid request: request (10000 texts) exceeds text limit (128 texts per request)")
    four = post_json(base, "/translate", {"q": ["a", "b", "c", "d"], "source": "en", "target": "es"})
    assert (four.status, four.error) == (
        400,
        "Invalid request: request (4 texts) exceeds text limit (3 texts per minute for this address)",
    )
    assert "retry-after" not in four.headers  # it could never pass: not a 429 to retry forever
    for mistaken in ({"q": "Hello.", "source": "en", "target": "de"}, {"q": "Hello.", "source": "xx", "target": "es"}):
        assert post_json(base, "/translate", mistaken).status == 400
    assert [works(base) for _ in range(3)] == [True, True, True]  # the mistakes cost nothing
    assert post_json(base, "/translate", {"q": "Hello.", "source": "en", "target": "es"}).status == 429


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(limited):
    _, base = limited
    statuses = [
        call(
            base,
            "POST",
            "/translate",
            b'{"q": "Hello.", "source": "en", "target": "es"}',
            {"Content-Type": "application/json", "X-Forwarded-For": f"203.0.113.{n}"},
        ).status
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]  # a rotating header does not make new addresses (was 150 of 150 through)


def test_x_forwarded_for_is_believed_from_a_trusted_proxy(tmp_path):
    project = api_project(tmp_path / "project", requests_per_minute=2)
    config = (project / "translate.toml").read_text() + '[serve]\ntrusted_proxies = ["127.0.0.1"]\n'
    (project / "translate.toml").write_text(config)
    body = b'{"q": "Hello.", "source": "en", "target": "es"}'
    with api_server(project) as base:
        clients = [
            call(base, "POST", "/translate", body, {"Content-Type": "application/json", "X-Forwarded-For": f"203.0.113.{n}"})
            for n in range(4)
        ]
        one = [
            call(base, "POST", "/translate", body, {"Content-Type": "application/json", "X-Forwarded-For": "198.51.100.7"})
            for _ in range(3)
        ]
    assert [r.status for r in clients] == [200] * 4  # each client behind the proxy has its own minute
    assert [r.status for r in one] == [200, 200, 429]


def test_a_trusted_proxy_must_be_an_address(tmp_path):
    project = api_project(tmp_path / "project")
    (project / "translate.toml").write_text((project / "translate.toml").read_text() + '[serve]\ntrusted_proxies = ["proxy"]\n')
    done = cli("serve", "--api-only", "--config", str(project / "translate.toml"), cwd=project, process=True)
    assert done.returncode == 2 and "serve.trusted_proxies must list IP addresses or networks" in done.stderr


def weblate_batch(base: str, key: str, start: int) -> Reply:
    """Weblate's automatic translation: 20 strings a request (BatchMachineTranslation.batch_size), one after another."""
    texts = [f"The factory number {n} was designed by capitalists." for n in range(start, start + 20)]
    body = json.dumps({"api_key": key, "q": texts, "source": "en", "target": "es"}).encode()
    return call(base, "POST", "/translate", body, {"Content-Type": "application/json", "User-Agent": "Weblate/5.12"})


def test_a_weblate_key_translates_past_601_strings_without_a_pause(tmp_path):
    project = api_project(tmp_path / "project")
    translate_command(project, "api-key", "create", "generic")
    small_key = translate_command(project, "api-key", "create", "small", "--requests-per-minute", "40")
    weblate_key = translate_command(project, "api-key", "create", "weblate", "--weblate")
    listed = json.loads(translate_command(project, "api-key", "list", "--json"))
    assert [(k["name"], k["requests_per_minute"], k["unthrottled"]) for k in listed] == [
        ("generic", 600, False),  # counted per text: a Weblate using it stopped at string 601
        ("small", 40, False),
        ("weblate", 0, True),
    ]
    with api_server(project) as base:
        counted = [weblate_batch(base, small_key, 20 * n).status for n in range(3)]
        weblate = [weblate_batch(base, weblate_key, 20 * n) for n in range(36)]
    assert counted == [200, 200, 429]  # a counted key stops Weblate (which then pauses for 30 minutes)
    assert [r.status for r in weblate] == [200] * 36  # 720 strings
    assert "700" in weblate[-1].data["translatedText"][0] and "fábrica" in weblate[-1].data["translatedText"][0]


def test_a_weblate_key_is_never_refused_for_a_full_queue():
    queue = WorkQueue(limit=10)
    queue.reserve(10)
    with pytest.raises(ApiError) as refused:
        queue.reserve(20)
    assert refused.value.status == 503
    queue.reserve(20, force=True)  # Weblate pauses on a 503: its one request at a time goes in
    assert queue.pending == 30
