"""Simulated reviewers saving at once against a running `translate serve` (127.0.0.1 only).

Each reviewer is a thread with its own invitation, session cookie and keep-alive
connection. In a loop it opens a sentence page (reading the page's CSRF token
and revision), waits a moment as a person would, and saves an edit the way the
page's htmx does (Approve or Save draft). Half of the picks go to a few "hot"
sentences, so that two reviewers regularly save the same sentence: the second
one must get 409 ("changed meanwhile"), which is a deliberate conflict, not an
error. Everything else that is not 200 is an error. The run is bounded twice:
in time and in saves per reviewer, and stops by itself.

`check_recorded` then reads the memory: every accepted save must be in the
review log under its reviewer's name, and each sentence must hold the text of
the last save accepted for it.

Used by `make bench` (section "serve") and by tests/test_serve_load.py.
"""

from __future__ import annotations

import html
import http.client
import os
import random
import re
import statistics
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_BASE = re.compile(r'name="base" value="([^"]*)"')


def _field(pattern: re.Pattern[str], page: str) -> str:
    """A hidden form field's value in a page (the page is shown when it has none)."""
    found = pattern.search(page)
    if found is None:
        raise RuntimeError(f"no {pattern.pattern!r} in the page: {page[:300]}")
    return found.group(1)


_LISTENING = re.compile(r"API at (http://127\.0\.0\.1:\d+)/translate")


@contextmanager
def serving(
    command: Sequence[str], log_path: Path, timeout: float = 600, ready: str = "/static/review.css", pid: list[int] | None = None
) -> Iterator[str]:
    """`translate serve ... --port 0` in a child process on 127.0.0.1; yields its base URL.

    The server takes a free port itself and names it in its log (a port picked
    here and handed over could be taken by another process meanwhile). Waits
    until the server answers `ready` (a path) or exits (`timeout` only ends a
    server that hangs), and stops it afterwards (terminate, then kill). The
    process id is appended to `pid` when given (to read its memory).
    """
    log = open(log_path, "w")  # noqa: SIM115 - closed below, after the process
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", "0"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    if pid is not None:
        pid.append(process.pid)
    try:
        deadline = time.monotonic() + timeout
        while True:
            listening = _LISTENING.search(log_path.read_text(encoding="utf-8", errors="replace"))
            try:
                if listening:
                    with urllib.request.urlopen(f"{listening.group(1)}{ready}", timeout=30):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"translate serve did not start: {log_path.read_text()}")
            time.sleep(0.1)
        base = listening.group(1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@dataclass
class Save:
    reviewer: str
    url: str
    text: str
    status: int
    seconds: float
    finished: float
    asked: bool = False  # the checks asked to confirm an approval: nothing recorded, the next request confirms


@dataclass
class LoadResult:
    saves: list[Save] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def accepted(self) -> list[Save]:
        return [s for s in self.saves if s.status == 200 and not s.asked]

    @property
    def decisions(self) -> list[Save]:
        """The saves that reached the memory (accepted or refused as conflicts), without the checks' questions."""
        return [s for s in self.saves if not s.asked]

    @property
    def conflicts(self) -> list[Save]:
        return [s for s in self.saves if s.status == 409]

    def latency(self, share: float) -> float:
        """A percentile of save latency in seconds (share 0.5 = median, 0.99 = p99)."""
        times = sorted(s.seconds for s in self.saves)
        if not times:
            return 0.0
        if share == 0.5:
            return statistics.median(times)
        return times[min(len(times) - 1, int(round(share * (len(times) - 1))))]


class Browser:
    """One reviewer's connection: cookies kept, redirects not followed."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        assert parts.hostname in ("127.0.0.1", "localhost"), "load tests run against this machine only"
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.location = ""  # where the last redirect pointed

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=sent)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        self.location = response.headers.get("location", "")
        for header in response.headers.get_all("set-cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or morsel.value in ('""', ""):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, text

    def sign_in(self, token: str) -> None:
        status, page = self.request("GET", f"/invite/{token}")
        assert status == 200, page
        status, page = self.request("POST", f"/invite/{token}", {"csrf_token": _field(_CSRF, page)})
        assert status == 303, page

    def close(self) -> None:
        self.connection.close()


def form_for(page: str, action: str, text: str) -> dict[str, str]:
    """The decision form of a sentence page, as its Save or Approve button sends it."""
    return {"action": action, "text": text, "csrf_token": _field(_CSRF, page), "base": _field(_BASE, page)}


def simulate(
    base: str, tokens: dict[str, str], urls: list[str], seconds: float, saves_each: int, hot: int = 3, seed: int = 12
) -> LoadResult:
    """Reviewers (name -> invitation token) saving sentences (page paths) until time or count runs out."""
    result = LoadResult()
    lock = threading.Lock()
    hot_urls = urls[:hot]
    start = time.perf_counter()
    stop_at = start + seconds

    def reviewer(name: str, token: str, rng: random.Random) -> None:
        browser = Browser(base)
        try:
            browser.sign_in(token)
            for number in range(saves_each):
                if time.perf_counter() >= stop_at:
                    break
                url = rng.choice(hot_urls) if rng.random() < 0.5 else rng.choice(urls)
                status, page = browser.request("GET", url)
                if status != 200:
                    with lock:
                        result.errors.append(f"{name}: GET {url}: {status}")
                    continue
                time.sleep(rng.uniform(0.0, 0.05))  # reading the sentence
                text = f"{name} {number}: " + rng.choice(("revisado", "corregido", "comprobado"))
                saves, _ = decide(browser, name, url, text, form_for(page, rng.choice(("approve", "save")), text))
                with lock:
                    result.saves += saves
                    result.errors += [f"{name}: POST {url}: {s.status}" for s in saves if s.status not in (200, 409)]
        except Exception as error:  # a reviewer that crashes is an error of the run, not of the harness
            with lock:
                result.errors.append(f"{name}: {type(error).__name__}: {error}")
        finally:
            browser.close()

    _run_all(reviewer, tokens, seed, seconds + 120)
    result.seconds = time.perf_counter() - start
    return result


def _run_all(reviewer: Callable[[str, str, random.Random], None], tokens: dict[str, str], seed: int, timeout: float) -> None:
    """One thread per reviewer (name -> token), each with its own seeded randomness; wait for all."""
    threads = [
        threading.Thread(target=reviewer, args=(name, token, random.Random(f"{seed}-{name}"))) for name, token in tokens.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)


_FORM = re.compile(r'<form id="decision"[^>]*\baction="([^"]+)"')
_EDITOR = re.compile(r'<textarea id="editor"[^>]*>(.*?)</textarea>', re.S)
_CONFIRM = re.compile(r'name="confirm" value="([^"]+)"')


def decide(browser: Browser, name: str, url: str, text: str, form: dict[str, str]) -> tuple[list[Save], str]:
    """Post a decision as the page's htmx does; when the checks ask about an approval, press "Approve anyway"
    (the answer's form confirms that very text). The requests as Saves, and the last answer."""
    saves = []
    while True:
        began = time.perf_counter()
        status, answer = browser.request("POST", url, form, {"HX-Request": "true"})
        took = time.perf_counter() - began
        asked = status == 200 and 'id="confirm"' in answer and "confirm" not in form
        saves.append(Save(name, url, text, status, took, time.perf_counter(), asked=asked))
        if not asked:
            return saves, answer
        form = dict(form, confirm=_field(_CONFIRM, answer), csrf_token=_field(_CSRF, answer))
        form["base"] = _field(_BASE, answer)


def follow_queue(
    base: str,
    tokens: dict[str, str],
    text_path: str,
    saves_each: int,
    think: tuple[float, float] = (1.0, 3.0),
    approve_share: float = 0.5,
    seed: int = 12,
) -> LoadResult:
    """Reviewers (name -> invitation token) each open a text (`/review/es/<stem>`) and follow the queue, as
    the pages lead a person: read the sentence for `think` seconds, edit it, save or approve (confirming
    once when the checks ask), and go on with the sentence the answer offers, `saves_each` times."""
    result = LoadResult()
    lock = threading.Lock()
    start = time.perf_counter()

    def reviewer(name: str, token: str, rng: random.Random) -> None:
        browser = Browser(base)
        try:
            browser.sign_in(token)
            status, page = browser.request("GET", text_path)
            while status == 303 or status == 302:
                status, page = browser.request("GET", browser.location)
            for number in range(saves_each):
                url, editor = _field(_FORM, page), _EDITOR.search(page)
                time.sleep(rng.uniform(*think))  # reading the sentence, editing it
                shown = html.unescape(editor.group(1)) if editor else ""
                text = f"{shown} ({name} {number})".strip()
                action = "approve" if rng.random() < approve_share else "save"
                saves, page = decide(browser, name, url, text, form_for(page, action, text))
                with lock:
                    result.saves += saves
                    result.errors += [f"{name}: POST {url}: {s.status} {page[:200]}" for s in saves if s.status not in (200, 409)]
        except Exception as error:  # a reviewer that crashes is an error of the run, not of the harness
            with lock:
                result.errors.append(f"{name}: {type(error).__name__}: {error}")
        finally:
            browser.close()

    _run_all(reviewer, tokens, seed, saves_each * (think[1] + 60) + 120)
    result.seconds = time.perf_counter() - start
    return result


def check_recorded(
    memory_path: Path, result: LoadResult, sentence_of: dict[str, str], source: str = "en", target: str = "es"
) -> list[str]:
    """Problems found in the memory after a run; [] when nothing was lost or overwritten unseen.

    Every accepted save is in the review log as applied, every refused one as a
    conflict (its text kept); each sentence holds its last applied text; and each
    applied save was made on the revision the one before it left (no save
    overwrote another it had not seen), but for an approval over a draft made on
    the same revision (the draft stays a suggestion: translate/memory/history.py).
    """
    from translate.memory.records import revision_token  # the project's own memory API
    from translate.memory.store import TranslationMemory

    problems = []
    with TranslationMemory(memory_path) as memory:
        outcome = {(d.reviewer, d.final_text): d.outcome for d in memory.review_log(source, target)}
        for save in result.decisions:
            expected = {200: "applied", 409: "conflict"}.get(save.status)
            if expected and outcome.get((save.reviewer, save.text)) != expected:
                problems.append(
                    f"{save.reviewer} {save.text!r} answered {save.status}, logged as {outcome.get((save.reviewer, save.text))}"
                )
        for url in sorted({s.url for s in result.saves}):
            entry = memory.get(sentence_of[url], source, target)
            if entry is None:
                problems.append(f"{url}: the memory has no entry for its sentence")
                continue
            applied = [d for d in memory.history(entry.source_text, source, target) if d.outcome == "applied"]
            if applied and entry.final_text != applied[-1].final_text:
                problems.append(f"{url}: holds {entry.final_text!r}, its last applied decision {applied[-1].final_text!r}")
            seen = revision_token(False, entry.machine_text or "", "")
            before = None
            for number, d in enumerate(applied):
                over_a_draft = before is not None and d.against == before.id and d.base == before.base  # history.py
                if number and d.base != seen and not over_a_draft:
                    problems.append(f"{url}: {d.reviewer}'s save was made on {d.base}, not on {seen}")
                seen, before = revision_token(d.status != "draft", d.final_text or "", ""), d
    return problems
