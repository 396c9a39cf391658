"""Benchmark section "serve": twenty reviewers at once against `translate serve` on 127.0.0.1.

A scratch project holds both essays in Spanish (Apertium drafts from a real
`translate run`). Twenty simulated reviewers (bench/serve_load.py) open the
long essay and follow the queue as the pages lead a person: each reads the
sentence it is offered for 1 to 3 s, edits it, saves or approves (confirming
once when the checks ask), and goes on with the sentence the answer offers,
ten times. The queue leases each browser a sentence of its own, so the target
is at most 2 % conflicts, a 99th-percentile save under 300 ms, and every save
in the memory and the log. One reviewer alone, in the same run, is the
baseline. A last row hammers three "hot" sentences with no pause (half of
twenty reviewers' picks, for 15 s): the conflict panel's path under load.
Printed: saves, accepted, conflicts and their share, how often the checks asked,
errors (must be 0), saves per second, median and p99 latency.
"""

from __future__ import annotations

import statistics
import subprocess
import threading
import time
from pathlib import Path

import serve_load
from common import Context, Row, section

REVIEWERS = 20
SAVES_EACH = 10
THINK = (1.0, 3.0)
"""Seconds a simulated person reads and edits a sentence before saving (a real one takes longer)."""
SECONDS = 15.0
SENTENCES = 40


def _project(ctx: Context) -> Path:
    root = ctx.scratch / "serve-project"
    root.mkdir()
    for folder in ("texts", "glossaries"):
        subprocess.run(["cp", "-r", str(ctx.repo / folder), str(root / folder)], check=True)
    (root / "translate.toml").write_text('[project]\ntargets = ["es"]\n[engine]\ndefault = "apertium"\n')
    done = subprocess.run(
        [ctx.translate_command, "run", "--config", str(root / "translate.toml")], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"translate run failed: {done.stderr.strip()}")
    return root


def _row(label: str, result: serve_load.LoadResult, problems: list[str]) -> Row:
    decided = len(result.decisions)
    return {
        "reviewers": label,
        "saves": decided,
        "accepted": len(result.accepted),
        "conflicts (409)": len(result.conflicts),
        "conflict share": f"{len(result.conflicts) / decided:.1%}" if decided else "-",
        "checks asked": sum(s.asked for s in result.saves),
        "errors": len(result.errors),
        "saves/s": round(len(result.saves) / result.seconds, 1) if result.seconds else 0,
        "median ms": round(result.latency(0.5) * 1000, 1),
        "p99 ms": round(result.latency(0.99) * 1000, 1),
        "all in memory and log": "yes" if not problems else f"NO ({len(problems)})",
    }


@section("serve")
def serve_section(ctx: Context) -> list[Row]:
    from translate.config import load_config
    from translate.serve.access import AccessStore, access_path
    from translate.texts import load_texts

    root = _project(ctx)
    config = load_config(root / "translate.toml")
    text = next(t for t in load_texts(config) if t.stem == "the-virtual-factory")
    every = {f"/review/es/{text.stem}/{s.source_hash}": s.text for s in dict.fromkeys(text.document.segments)}
    hot = dict(list(every.items())[:SENTENCES])
    store = AccessStore(access_path(config))
    rows = []
    command = [ctx.translate_command, "serve", "--config", str(root / "translate.toml")]
    with serve_load.serving(command, root / "server.log") as base:
        for count in (REVIEWERS, 1):  # twenty first: the server's first requests load dictionaries and caches
            tokens = {f"Q{count}-{n:02d}": store.invite(f"Q{count}-{n:02d}", ["es"])[1] for n in range(count)}
            result = serve_load.follow_queue(base, tokens, f"/review/es/{text.stem}", saves_each=SAVES_EACH, think=THINK)
            problems = serve_load.check_recorded(config.path("memory"), result, every)
            rows.append(_row(f"{count} following the queue", result, problems))
            for line in result.errors[:5] + problems[:5]:
                print(f"  {line}", flush=True)
        tokens = {f"R-{n:02d}": store.invite(f"R-{n:02d}", ["es"])[1] for n in range(REVIEWERS)}
        result = serve_load.simulate(base, tokens, list(hot), seconds=SECONDS, saves_each=10_000, hot=3)
        problems = serve_load.check_recorded(config.path("memory"), result, every)
        rows.append(_row(f"{REVIEWERS} at once on 3 hot sentences, no pause", result, problems))
    many, single = rows[0], rows[1]
    p99_one, p99_many = single["p99 ms"], many["p99 ms"]
    if isinstance(p99_one, (int, float)) and isinstance(p99_many, (int, float)) and p99_one:
        ctx.notes["serve: p99 save latency, 20 reviewers following the queue / 1"] = round(p99_many / p99_one, 2)
    return rows


CONFLICTING = 8
LONG_EDIT_CHARS = 5000


def _health_latencies(base: str, stop: threading.Event) -> list[float]:
    """GET /health again and again until `stop`; each answer's latency in seconds."""
    browser = serve_load.Browser(base)
    took: list[float] = []
    try:
        while not stop.is_set():
            began = time.perf_counter()
            status, _ = browser.request("GET", "/health")
            took.append(time.perf_counter() - began)
            assert status == 200
    finally:
        browser.close()
    return took


@section("serve-conflicts")
def serve_conflicts_section(ctx: Context) -> list[Row]:
    """/health while eight conflicting 5,000-character saves are diffed (once 4.55 s: the diff held the event loop)."""
    from translate.config import load_config
    from translate.serve.access import AccessStore, access_path
    from translate.texts import load_texts

    root = _project(ctx)
    config = load_config(root / "translate.toml")
    text = next(t for t in load_texts(config) if t.stem == "the-virtual-factory")
    url = f"/review/es/{text.stem}/{text.document.segments[1].source_hash}"
    store = AccessStore(access_path(config))
    command = [ctx.translate_command, "serve", "--config", str(root / "translate.toml")]
    with serve_load.serving(command, root / "server.log") as base:
        browsers = []
        for n in range(CONFLICTING + 1):
            browser = serve_load.Browser(base)
            browser.sign_in(store.invite(f"C{n}", ["es"])[1])
            browsers.append((browser, browser.request("GET", url)[1]))  # every page before the first save: stale
        first, page = browsers[0]
        first.request("POST", url, serve_load.form_for(page, "save", ("trabajo y lucha " * 400)[:LONG_EDIT_CHARS]))
        stop = threading.Event()
        idle: list[float] = []
        watcher = threading.Thread(target=lambda: idle.extend(_health_latencies(base, stop)))
        watcher.start()
        time.sleep(1.0)
        stop.set()
        watcher.join()
        stop.clear()
        during: list[float] = []
        watcher = threading.Thread(target=lambda: during.extend(_health_latencies(base, stop)))
        statuses: list[int] = []

        def conflicting(browser: serve_load.Browser, page: str, n: int) -> None:
            text = (f"versión {n} " + "lucha y trabajo " * 400)[:LONG_EDIT_CHARS]
            statuses.append(browser.request("POST", url, serve_load.form_for(page, "save", text), {"HX-Request": "true"})[0])

        savers = [threading.Thread(target=conflicting, args=(b, p, n)) for n, (b, p) in enumerate(browsers[1:])]
        began = time.perf_counter()
        watcher.start()
        for saver in savers:
            saver.start()
        for saver in savers:
            saver.join()
        saving = time.perf_counter() - began
        stop.set()
        watcher.join()
        for browser, _ in browsers:
            browser.close()
    row: Row = {
        "saves": len(statuses),
        "conflicts (409)": statuses.count(409),
        "all saves s": round(saving, 2),
        "/health idle median ms": round(statistics.median(idle) * 1000, 1),
        "/health during max ms": round(max(during) * 1000, 1),
        "/health during median ms": round(statistics.median(during) * 1000, 1),
    }
    ctx.notes["serve-conflicts: slowest /health during 8 conflicting 5,000-character saves, ms"] = row["/health during max ms"]
    return [row]
