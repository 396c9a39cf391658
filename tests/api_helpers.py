"""What the API tests share: a project the API serves, a real `translate serve --api-only`, exact HTTP requests.

`api_project(root)` holds both essays and their glossary, the real Chinese ->
English Argos model (when present) and, in the memory's text record (as a
fresh clone has it, without the SQLite file), one sentence a person
approved. `api_server(project, *flags)` starts the server as a user does,
on 127.0.0.1 and a free port. `call` sends exactly the bytes given (so a test
can send a request shaped as Weblate or Mastodon sends it) and returns the
status, headers and decoded JSON.
"""

from __future__ import annotations

import http.client
import json
import sys
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from cli_process import cli
from project_factory import REPO_ROOT, Project
from serve_helpers import serve_load

from translate.engines.argos_store import ArgosStore
from translate.memory.records import ReviewDecision
from translate.segment import sentence_hash

sys.path.insert(0, str(REPO_ROOT / "bench"))
import api_load  # noqa: E402,F401  (the load harness lives with the benchmarks)

APPROVED_SOURCE = "Factories were designed by capitalists as exploitative panopticon enclosures."
APPROVED_TEXT = "Los capitalistas diseñaron las fábricas como recintos panópticos de explotación."


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    data: Any

    @property
    def error(self) -> str:
        assert isinstance(self.data, dict) and set(self.data) == {"error"}, self.data
        return self.data["error"]


def call(base: str, method: str, path: str, body: bytes | None = None, headers: Mapping[str, str] | None = None) -> Reply:
    """One request on a fresh connection, exactly these bytes; the reply's JSON decoded."""
    parts = urlsplit(base)
    assert parts.hostname == "127.0.0.1", "API tests talk to this machine only"
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        raw = response.read()
        data = json.loads(raw) if raw else None
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    finally:
        connection.close()


def get_page(base: str, path: str) -> str:
    """A page's HTML (a GET answered 200 with text/html)."""
    parts = urlsplit(base)
    assert parts.hostname == "127.0.0.1", "API tests talk to this machine only"
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        assert response.status == 200 and response.getheader("content-type", "").startswith("text/html"), response.status
        return response.read().decode("utf-8")
    finally:
        connection.close()


def post_json(base: str, path: str, payload: object) -> Reply:
    return call(base, "POST", path, json.dumps(payload).encode(), {"Content-Type": "application/json"})


def post_form(base: str, path: str, fields: Mapping[str, str]) -> Reply:
    return call(base, "POST", path, urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"})


def approve(project: Project, source: str, text: str, target: str = "es", reviewer: str = "Ana") -> None:
    """A person approves `text` for `source`, as a PO import records it."""
    with project.memory() as memory:
        memory.record_review(
            ReviewDecision(
                source_hash=sentence_hash(source),
                source_lang="en",
                target_lang=target,
                reviewer=reviewer,
                time="",
                machine_text=None,
                final_text=text,
                status="approved",
                source_text=source,
            )
        )


def api_project(root: Path, zh_model: Path | None = None, **api: object) -> Project:
    """Both essays, their glossary, Apertium for English, the zh->en model if given, one approved sentence."""
    project = Project(root)
    sections: dict[str, Any] = {"engine": {"default": "auto"}, "api": {"requests_per_minute": 0, **api}}
    if zh_model is not None:
        packages = root / "argos-packages"
        ArgosStore(packages).install_file(zh_model)
        sections["argos"] = {"packages_dir": str(packages)}
    project.configure(["es", "fr"], **sections).add_essays()
    approve(project, APPROVED_SOURCE, APPROVED_TEXT)
    for working_file in project.config.path("memory").parent.glob("*.sqlite*"):
        working_file.unlink()  # as on a fresh clone: the memory is its committed text record only
    return project


def api_server(project: Project, *flags: str) -> AbstractContextManager[str]:
    """`translate serve --api-only` on 127.0.0.1 and a free port; yields its base URL."""
    command = [sys.executable, "-m", "translate.cli", "serve", "--api-only", *flags, "--config", str(project / "translate.toml")]
    return serve_load.serving(command, Path(project) / f"api-server{len(flags)}.log", ready="/health")


def translate_command(project: Project, *args: str) -> str:
    """A `translate` command as a user runs it on the project; its standard output."""
    done = cli(*args, "--config", str(project / "translate.toml"), cwd=project)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()
