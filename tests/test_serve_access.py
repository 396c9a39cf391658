"""Who may see and change what on the review pages: invitations, sessions, roles, CSRF.

Starlette's TestClient drives the real application over a real project folder
(SQLite memory and invitations file); nothing is mocked.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from readers import first_group
from serve_helpers import csrf_of, drafted, invite, sign_in
from starlette.testclient import TestClient
from typer.testing import CliRunner

from translate.cli import app as cli
from translate.serve.access import AccessStore, access_path, parse_duration
from translate.serve.app import build_app
from translate.serve.review.routes import confirmation_of
from translate.texts import load_texts

TEXT = "the-virtual-factory"


@pytest.fixture
def reviewed(project):
    return drafted(project)


@pytest.fixture
def server(reviewed):
    return build_app(reviewed.config)


def first_sentence(project) -> tuple[str, str]:
    """(source hash, text) of the essay's first sentence."""
    text = next(t for t in load_texts(project.config) if t.stem == TEXT)
    segment = text.document.segments[0]
    return segment.source_hash, segment.text


def page_url(project, lang: str = "es") -> str:
    return f"/review/{lang}/{TEXT}/{first_sentence(project)[0]}"


def memory_entry(project, lang: str = "es"):
    with project.memory() as memory:
        return memory.get(first_sentence(project)[1], "en", lang)


def decide(client: TestClient, project, action: str, text: str, lang: str = "es", **extra):
    page = client.get(page_url(project, lang))
    form = {"action": action, "text": text, "csrf_token": csrf_of(page.text), "base": _field(page.text, "base")} | extra
    form.setdefault("confirm", confirmation_of(text))  # "Approve anyway": these tests are about who may decide
    return client.post(page_url(project, lang), data=form, follow_redirects=False)


def _field(html: str, name: str) -> str:
    return first_group(rf'name="{name}" value="([^"]*)"', html)


# ---------------------------------------------------------------- no session, wrong language


def test_without_a_session_a_language_page_sends_you_to_the_start_page(server, reviewed):
    client = TestClient(server)
    page = client.get(page_url(reviewed), follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/?from=")
    start = client.get(page.headers["location"])
    assert "invitation link" in start.text and "es: " not in start.text
    assert client.get(f"/review/es/{TEXT}", follow_redirects=False).status_code == 303


def test_without_a_session_a_save_is_refused_and_nothing_recorded(server, reviewed):
    client = TestClient(server)
    done = client.post(page_url(reviewed), data={"action": "approve", "text": "hecho", "csrf_token": "x"})
    assert done.status_code == 403
    assert memory_entry(reviewed).status == "machine"


def test_a_spanish_invitation_shows_nothing_of_french(server, reviewed):
    client = TestClient(server)
    sign_in(client, invite(reviewed, "Ana", ("es",)))
    assert client.get(page_url(reviewed, "es")).status_code == 200
    french = client.get(page_url(reviewed, "fr"))
    assert french.status_code == 403 and "fr: " not in french.text
    assert "French" not in client.get("/").text
    refused = client.post(page_url(reviewed, "fr"), data={"action": "save", "text": "x", "csrf_token": "x"})
    assert refused.status_code == 403 and memory_entry(reviewed, "fr").status == "machine"


# ---------------------------------------------------------------- roles


def test_a_translator_saves_drafts_but_cannot_approve(server, reviewed):
    client = TestClient(server)
    sign_in(client, invite(reviewed, "Teo", ("es",), role="translator"))
    page = client.get(page_url(reviewed))
    assert 'value="approve"' not in page.text and "a reviewer approves them" in page.text
    refused = decide(client, reviewed, "approve", "Aprobado por un traductor")
    assert refused.status_code == 403
    assert memory_entry(reviewed).status == "machine"
    saved = decide(client, reviewed, "save", "Un borrador de Teo")
    assert saved.status_code == 303
    entry = memory_entry(reviewed)
    assert (entry.status, entry.final_text, entry.reviewer) == ("draft", "Un borrador de Teo", "Teo")


def test_a_reviewer_approves_and_the_log_says_who_and_via_the_browser(server, reviewed):
    client = TestClient(server)
    sign_in(client, invite(reviewed, "Ana", ("es",)))
    before = memory_entry(reviewed)
    done = decide(client, reviewed, "approve", "La Fábrica Virtual, revisada")
    assert done.status_code == 303
    entry = memory_entry(reviewed)
    assert (entry.status, entry.final_text, entry.reviewer) == ("approved", "La Fábrica Virtual, revisada", "Ana")
    with reviewed.memory() as memory:
        [logged] = memory.review_log("en", "es", entry.source_hash)
    assert (logged.reviewer, logged.status, logged.machine_text) == ("Ana", "edited", entry.machine_text)
    assert (logged.via, logged.base, logged.outcome) == ("browser", before.revision, "applied")


# ---------------------------------------------------------------- CSRF


@pytest.mark.parametrize("token", [None, "", "wrong-token"], ids=["missing", "empty", "wrong"])
def test_a_save_without_the_pages_csrf_token_is_refused(server, reviewed, token):
    client = TestClient(server)
    sign_in(client, invite(reviewed))
    page = client.get(page_url(reviewed))
    form = {"action": "approve", "text": "Falsificado", "base": _field(page.text, "base")}
    if token is not None:
        form["csrf_token"] = token
    done = client.post(page_url(reviewed), data=form, follow_redirects=False)
    assert done.status_code == 403 and "reload the page" in done.text
    assert memory_entry(reviewed).status == "machine"


def test_the_csrf_token_of_another_session_is_refused(server, reviewed):
    ana, bo = TestClient(server), TestClient(server)
    sign_in(ana, invite(reviewed, "Ana"))
    sign_in(bo, invite(reviewed, "Bo"))
    done = decide(ana, reviewed, "approve", "Con el token de Bo", csrf_token=csrf_of(bo.get("/").text))
    assert done.status_code == 403 and memory_entry(reviewed).status == "machine"


def test_a_request_the_browser_marks_cross_site_is_refused_even_with_the_token(server, reviewed):
    client = TestClient(server)
    sign_in(client, invite(reviewed))
    page = client.get(page_url(reviewed))
    form = {"action": "approve", "text": "x", "csrf_token": csrf_of(page.text), "base": _field(page.text, "base")}
    done = client.post(page_url(reviewed), data=form, headers={"Sec-Fetch-Site": "cross-site"})
    assert done.status_code == 403 and memory_entry(reviewed).status == "machine"


def test_the_csrf_header_htmx_sends_is_accepted(server, reviewed):
    client = TestClient(server)
    sign_in(client, invite(reviewed))
    page = client.get(page_url(reviewed))
    done = client.post(
        page_url(reviewed),
        data={"action": "save", "text": "Por htmx", "base": _field(page.text, "base")},
        headers={"X-CSRF-Token": csrf_of(page.text), "HX-Request": "true"},
    )
    assert done.status_code == 200 and 'id="workspace"' in done.text
    assert memory_entry(reviewed).final_text == "Por htmx"


# ---------------------------------------------------------------- invitations


def test_an_invitation_opens_as_many_browsers_as_it_says_then_the_organizer_adds_one(server, reviewed):
    token = invite(reviewed, devices=2)
    phone, computer, second = TestClient(server), TestClient(server), TestClient(server)
    sign_in(phone, token)
    page = computer.get(f"/invite/{token}")
    assert "signs in 1 more browser (of 2" in " ".join(page.text.split())
    sign_in(computer, token)
    assert phone.get(page_url(reviewed)).status_code == computer.get(page_url(reviewed)).status_code == 200
    again = second.get(f"/invite/{token}")
    assert again.status_code == 403 and "already used on 2 browsers" in again.text and "add a device" in again.text
    added = CliRunner().invoke(cli, ["review", "add-device", "Ana", "--config", str(reviewed / "translate.toml")])
    assert added.exit_code == 0 and "one more browser" in added.output, added.output
    sign_in(second, token)
    assert second.get(page_url(reviewed)).status_code == 200


def test_an_invitation_works_once(server, reviewed):
    token = invite(reviewed)
    first, second = TestClient(server), TestClient(server)
    sign_in(first, token)
    again = second.get(f"/invite/{token}")
    assert again.status_code == 403 and "already used" in again.text
    second.cookies.set("translate_invite_csrf", "x", path="/invite")
    pressed = second.post(f"/invite/{token}", data={"csrf_token": "x"})
    assert pressed.status_code == 403 and "already used" in pressed.text
    assert second.get(page_url(reviewed), follow_redirects=False).status_code == 303


def test_opening_the_link_alone_does_not_use_the_invitation(server, reviewed):
    """A mail scanner that fetches the link must not use it up: only the button on the page does."""
    token = invite(reviewed)
    TestClient(server).get(f"/invite/{token}")
    TestClient(server).get(f"/invite/{token}")
    sign_in(TestClient(server), token)


def test_an_expired_invitation_is_refused(server, reviewed):
    token = invite(reviewed, expires="1h")
    later = AccessStore(access_path(reviewed.config), clock=lambda: datetime.now(UTC) + timedelta(hours=2))
    with pytest.raises(Exception, match="expired"):
        later.pending(token)
    app = build_app(reviewed.config)
    client = TestClient(app)
    app.state.serve.access.clock = later.clock
    page = client.get(f"/invite/{token}")
    assert page.status_code == 403 and "expired" in page.text


def test_accepting_needs_the_form_of_the_invitation_page(server, reviewed):
    """Another site cannot sign a browser in with someone else's invitation (login CSRF)."""
    token = invite(reviewed)
    client = TestClient(server)
    forged = client.post(f"/invite/{token}", data={"csrf_token": "forged"}, follow_redirects=False)
    assert forged.status_code == 403
    sign_in(TestClient(server), token)  # still usable by its owner


def test_only_hashes_of_tokens_are_stored(server, reviewed):
    token = invite(reviewed)
    client = TestClient(server)
    sign_in(client, token)
    session_token = client.cookies["translate_session"]
    stored = access_path(reviewed.config).read_bytes()
    with sqlite3.connect(access_path(reviewed.config)) as db:
        values = [str(v) for table in ("invitations", "sessions") for row in db.execute(f"SELECT * FROM {table}") for v in row]
    assert token not in stored.decode("latin-1") and session_token not in stored.decode("latin-1")
    assert token not in values and session_token not in values


def test_the_session_cookie_is_httponly_and_samesite_strict(server, reviewed):
    token = invite(reviewed)
    client = TestClient(server)
    page = client.get(f"/invite/{token}")
    done = client.post(f"/invite/{token}", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    cookie = done.headers["set-cookie"].lower()
    assert "translate_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie


def test_a_revoked_invitation_signs_its_browser_out_at_once_and_says_why(server, reviewed):
    client = TestClient(server)
    sign_in(client, invite(reviewed, "Ana"))
    page = client.get(page_url(reviewed))
    assert page.status_code == 200
    result = CliRunner().invoke(cli, ["review", "revoke", "Ana", "--config", str(reviewed / "translate.toml")])
    assert result.exit_code == 0, result.output
    told = client.get(page_url(reviewed), follow_redirects=False)
    assert told.status_code == 403 and "Your organizer withdrew your invitation" in told.text
    assert "open your invitation link again" not in told.text
    form = {"action": "approve", "text": "tarde", "csrf_token": csrf_of(page.text), "base": _field(page.text, "base")}
    assert client.post(page_url(reviewed), data=form).status_code == 403
    assert memory_entry(reviewed).status == "machine"


def test_signing_out_ends_the_session(server, reviewed):
    client = TestClient(server)
    sign_in(client, invite(reviewed))
    home = client.get("/")
    client.post("/sign-out", data={"csrf_token": csrf_of(home.text)})
    assert client.get(page_url(reviewed), follow_redirects=False).status_code == 303


@pytest.mark.parametrize("name", ["ana@example.org", "Ana <ana@example.org>", "<Ana>", "Ana\x1b[31m"])
def test_an_invitation_for_an_email_address_or_a_bracketed_name_is_refused_at_invite(reviewed, name):
    result = CliRunner().invoke(cli, ["review", "invite", name, "--lang", "es", "--config", str(reviewed / "translate.toml")])
    assert result.exit_code == 2 and "e.g. translate review invite 'Ana García'" in result.output
    assert AccessStore(access_path(reviewed.config)).invitations() == []


def test_invite_and_invitations_on_the_command_line(reviewed):
    runner = CliRunner()
    config = ["--config", str(reviewed / "translate.toml")]
    made = runner.invoke(cli, ["review", "invite", "Ana García", "--lang", "es,fr", "--role", "translator", *config])
    assert made.exit_code == 0, made.output
    link = made.stdout.strip().splitlines()[-1]
    assert link.startswith("http://127.0.0.1:8000/invite/") and len(link.rsplit("/", 1)[1]) >= 40
    listed = runner.invoke(cli, ["review", "invitations", "--json", *config])
    [row] = __import__("json").loads(listed.stdout)
    assert (row["name"], row["languages"], row["role"], row["state"]) == ("Ana García", ["es", "fr"], "translator", "open")
    bad = runner.invoke(cli, ["review", "invite", "Bo", "--lang", "es", "--expires", "soon", *config])
    assert bad.exit_code == 2 and "14d" in bad.output


def test_an_invitation_for_a_server_on_another_port_links_to_that_port(reviewed):
    runner = CliRunner()
    config = ["--config", str(reviewed / "translate.toml")]
    made = runner.invoke(cli, ["review", "invite", "Ana", "--lang", "es", "--url", "http://127.0.0.1:8100/", *config])
    assert made.exit_code == 0, made.output
    assert made.stdout.strip().splitlines()[-1].startswith("http://127.0.0.1:8100/invite/")
    for bad in ("ftp://example.org", "127.0.0.1:8100", "http://127.0.0.1:8100/?next=evil"):
        refused = runner.invoke(cli, ["review", "invite", "Bo", "--lang", "es", "--url", bad, *config])
        assert refused.exit_code == 2 and "--url must be an http(s) address" in refused.output
    listed = runner.invoke(cli, ["review", "invitations", "--json", *config])
    assert [row["name"] for row in __import__("json").loads(listed.stdout)] == ["Ana"]  # a refused one is not made


def test_durations():
    assert parse_duration("14d") == timedelta(days=14) and parse_duration("2w") == timedelta(weeks=2)
    assert parse_duration("30m") == timedelta(minutes=30)
    for bad in ("", "0d", "14", "d", "-1d", "1y"):
        with pytest.raises(Exception, match="not a duration"):
            parse_duration(bad)


def test_an_invitation_for_a_server_on_every_interface_asks_for_the_address_people_open(reviewed):
    """serve.host 0.0.0.0 (a meeting room's network) names no machine: a link to it would open nothing."""
    toml = reviewed / "translate.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[serve]\nhost = "0.0.0.0"\n', encoding="utf-8")
    config = ["--config", str(toml)]
    refused = CliRunner().invoke(cli, ["review", "invite", "Ana", "--lang", "es", *config])
    assert refused.exit_code == 2 and "--url http://" in refused.output and "serve.public_url" in refused.output
    made = CliRunner().invoke(cli, ["review", "invite", "Ana", "--lang", "es", "--url", "http://192.168.1.20:8000", *config])
    assert made.exit_code == 0 and made.stdout.strip().splitlines()[-1].startswith("http://192.168.1.20:8000/invite/")
