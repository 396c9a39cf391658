"""What the review-server tests share: a project with drafts, invitations, a signed-in client, a real server.

`drafted(project)` gives the two essays in Spanish and French with a visible
stand-in draft ('es: <sentence>') stored through the memory's own API, so the
server tests run where no engine is installed (the browser test translates
with real Apertium). `running_server` starts `translate serve` as a user
does, on 127.0.0.1 and a free port, and stops it after the test.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from project_factory import REPO_ROOT, Project
from starlette.testclient import TestClient

from translate.config import Config
from translate.memory.store import TranslationMemory
from translate.serve.access import AccessStore, access_path
from translate.texts import load_texts

STAND_IN_SIGNATURE = "engine:test|v:0|route:en>x|models:none|opts:|glossary:none|seg:translate-seg-1"
sys.path.insert(0, str(REPO_ROOT / "bench"))
import serve_load  # noqa: E402  (starting a server and the load harness live with the benchmarks)

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def store_drafts(config: Config, langs: tuple[str, ...] = ("es", "fr")) -> None:
    """Every sentence of the texts gets a draft '<lang>: <sentence>' (what a run stores, without an engine)."""
    sentences = list(dict.fromkeys(s.text for t in load_texts(config) for s in t.document.segments))
    with TranslationMemory(config.path("memory")) as memory:
        for lang in langs:
            memory.store_machine([(s, f"{lang}: {s}", None) for s in sentences], config.source_language, lang, STAND_IN_SIGNATURE)


def drafted(project: Project, langs: tuple[str, ...] = ("es", "fr")) -> Project:
    project.configure(list(langs), engine={"default": "apertium"}).add_essays()
    store_drafts(project.config, langs)
    return project


def invite(
    project: Project,
    name: str = "Ana",
    langs: tuple[str, ...] = ("es",),
    role: str = "reviewer",
    expires: str = "14d",
    devices: int = 1,
) -> str:
    """A new invitation's token (what the link ends with), for one browser unless `devices` says more."""
    _, token = AccessStore(access_path(project.config)).invite(name, list(langs), role, expires, devices)
    return token


def csrf_of(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "the page has no csrf_token field"
    return match.group(1)


def sign_in(client: TestClient, token: str) -> None:
    """Open the invitation link and press 'Start reviewing', as a person does."""
    page = client.get(f"/invite/{token}")
    assert page.status_code == 200, page.text
    done = client.post(f"/invite/{token}", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert done.status_code == 303, done.text


@contextmanager
def running_server(project: Project) -> Iterator[str]:
    """`translate serve` on 127.0.0.1 and a free port, as a user starts it; yields its base URL.

    When it stops, its log must hold no traceback: whatever a request did, the server answered it."""
    command = [sys.executable, "-m", "translate.cli", "serve", "--config", str(project / "translate.toml")]
    log = Path(project) / "server.log"
    with serve_load.serving(command, log) as base:
        yield base
    assert "Traceback (most recent call last)" not in log.read_text(encoding="utf-8", errors="replace"), log.read_text()
