"""Hostile and mistaken input at the edges: numbers out of range, ambiguous names, foreign links, odd texts.

Each answer is one line saying what to do (or a page saying it), never a
traceback, and nothing is done that the person did not ask for.
"""

from __future__ import annotations

import re

import pytest
from cli_process import cli, one_line_error
from serve_helpers import STAND_IN_SIGNATURE, invite, sign_in
from starlette.testclient import TestClient

from translate.errors import UsageError
from translate.publish.handouts import HandoutMeta, render_html
from translate.segment import parse
from translate.serve.access import AccessStore, access_path
from translate.serve.app import build_app


@pytest.fixture
def configured(project):
    project.configure(["es"])
    project.add_text("ok.md", "# Title\n\nA sentence.\n")
    with project.memory() as memory:
        memory.store_machine([("Title", "Título", None), ("A sentence.", "Una frase.", None)], "en", "es", STAND_IN_SIGNATURE)
    return project


# ---------------------------------------------------------------- numbers on the command line


def test_review_invite_with_an_expiry_of_99999999999_days_is_one_line(configured):
    result = cli("review", "invite", "Ana", "--lang", "es", "--expires", "99999999999d", cwd=configured)

    assert result.returncode == 2
    assert "longer than a year" in one_line_error(result)
    assert AccessStore(access_path(configured.config)).invitations() == []


def test_api_key_create_with_an_enormous_limit_is_refused_without_a_traceback(configured):
    result = cli("api-key", "create", "x", "--requests-per-minute", "99999999999999999999", cwd=configured)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "OverflowError" not in result.stderr
    assert "--requests-per-minute" in result.stderr


@pytest.mark.parametrize("option", [("serve", "--port", "99999999"), ("review", "next", "--lang", "es", "-n", "9" * 30)])
def test_other_numbers_on_the_command_line_are_bounded(configured, option):
    result = cli(*option, cwd=configured, timeout=60)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_translating_spanish_into_spanish_says_so_instead_of_suggesting_a_package(configured):
    (configured / "hola.txt").write_text("Hola.\n", encoding="utf-8")

    result = cli("text", "hola.txt", "--from", "es", "--to", "es", cwd=configured)

    line = one_line_error(result)
    assert "same language" in line and "apt-get" not in line


# ---------------------------------------------------------------- names


def test_review_revoke_3_withdraws_invitation_3_and_not_a_person_named_3(configured):
    store = AccessStore(access_path(configured.config))
    named_three, _ = store.invite("3", ["es"])  # invitation 1, of someone called "3"
    store.invite("Ana", ["es"])  # 2
    third, _ = store.invite("Rosa", ["es"])  # 3

    result = cli("review", "revoke", "3", cwd=configured)

    assert result.returncode == 0, result.stderr
    revoked = {i.id for i in store.invitations() if i.revoked}
    assert revoked == {third.id}
    assert cli("review", "revoke", "3", "--name", cwd=configured).returncode == 0
    assert {i.id for i in store.invitations() if i.revoked} == {third.id, named_three.id}
    with pytest.raises(UsageError, match="add --name"):
        store.revoke("42")


def test_each_reviewer_name_sits_in_its_own_bdi_in_the_credits():
    doc = parse("# T\n\nOne.\n", "t.md")
    reviewers = [("Eve\u202e", 1), ("Ana", 1)]  # an override in Eve's name must not reverse Ana's credit
    meta = HandoutMeta(language="es", reviewed=True, reviewers=["Eve\u202e", "Ana"], reviewer_counts=reviewers, sentences=2)

    page = render_html(doc, {}, meta)

    assert re.search(r"<bdi>Eve\u202e</bdi>: 1 de 2 frases, <bdi>Ana</bdi>: 1 de 2 frases", page)


# ---------------------------------------------------------------- the review pages


@pytest.mark.parametrize(
    "came_from",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "http:/review", "/r\nx"],
)
def test_the_start_page_offers_to_continue_only_to_a_page_of_this_site(configured, came_from):
    client = TestClient(build_app(configured.config))

    page = client.get("/", params={"from": came_from}).text

    assert "continue to the page you asked for" not in page
    assert "evil.example" not in page


def test_the_start_page_offers_to_continue_to_a_review_page(configured):
    page = TestClient(build_app(configured.config)).get("/", params={"from": "/review/es/ok"}).text

    assert '<a href="/review/es/ok">continue to the page you asked for</a>' in page


@pytest.mark.parametrize("body", ["```\nprint('hi')\n```\n", "<div>\n<p>Hello there.</p>\n</div>\n"], ids=["code", "html"])
def test_the_review_page_of_a_text_holding_only_code_or_raw_html_is_no_server_error(configured, body):
    configured.add_text("odd.md", body)
    client = TestClient(build_app(configured.config))
    sign_in(client, invite(configured, "Ana", ("es",)))

    page = client.get("/review/es/odd", follow_redirects=True)

    assert page.status_code == 404
    assert "no sentences to translate" in page.text
    assert client.get("/").status_code == 200
