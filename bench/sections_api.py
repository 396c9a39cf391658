"""Benchmark section "api": fifty clients at once against the LibreTranslate-compatible API, on 127.0.0.1.

A scratch project holds both essays and the glossary, no memory (so every
sentence goes to an engine), and no rate limit. `translate serve --api-only`
runs as a user starts it; after one warm-up request, one client sends the
essays' sentences one by one (English to Spanish, Apertium) for 30 s, then
fifty clients send the same sentences at once for 30 s, each waiting for its
answer before the next (bench/api_load.py), then fifty clients spread over
five target languages (es, ca, gl, eo, hr: ten each) for 30 s. The Spanish
runs leave their sentences in the engine's cache, so the five-language run
is the harder one: four of its languages start cold. Printed for each:
requests answered per second, median and 99th-percentile latency, the engine
calls (batches) formed and their sizes, errors (must be 0; a 429 would be
counted apart, as deliberate), the server's peak memory and that of the
Apertium processes it keeps running. The ratios (fifty clients over one, five
languages over one) are measured in the same run, with the load average
beside them; the five-language figure was 14.6 requests a second (p99 6.9 s)
when one batch ran at a time across all pairs and each batch started its
Apertium processes afresh.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import api_load
import serve_load
from common import Context, Row, section
from common import load as bench_load

CLIENTS = 50
SECONDS = 30.0
REQUESTS_EACH = 5_000  # a bound that time reaches first
FIVE = ("es", "ca", "gl", "eo", "hr")
RUNS = (
    ("1 at once, es", 1, ("es",)),
    (f"{CLIENTS} at once, es", CLIENTS, ("es",)),
    (f"{CLIENTS} at once, 5 languages", CLIENTS, FIVE),
)
OLD_FIVE_LANGUAGES = 14.6  # requests a second before pairs ran side by side in kept Apertium processes


def _project(ctx: Context) -> Path:
    root = ctx.scratch / "api-project"
    root.mkdir()
    for folder in ("texts", "glossaries"):
        subprocess.run(["cp", "-r", str(ctx.repo / folder), str(root / folder)], check=True)
    (root / "translate.toml").write_text(
        '[project]\ntargets = ["es"]\n[engine]\ndefault = "apertium"\n[api]\nrequests_per_minute = 0\n'
    )
    return root


def _row(label: str, result: api_load.ApiLoad, memory_mb: float, children_mb: float) -> Row:
    return {
        "clients": label,
        "answered": result.answered,
        "req/s": round(result.per_second, 1),
        "median ms": round(result.latency(0.5) * 1000, 1),
        "p99 ms": round(result.latency(0.99) * 1000, 1),
        "engine calls": sum(result.batches.values()),
        "mean batch": round(result.mean_batch, 1),
        "batch sizes (sentences: calls)": result.batch_summary(),
        "429": result.refused,
        "errors": len(result.errors),
        "server peak MB": round(memory_mb),
        "kept Apertium MB": round(children_mb),
        "load": bench_load(),
    }


@section("api")
def api_section(ctx: Context) -> list[Row]:
    from translate.config import load_config
    from translate.texts import load_texts

    root = _project(ctx)
    config = load_config(root / "translate.toml")
    sentences = list(dict.fromkeys(s.text for t in load_texts(config) for s in t.document.segments))
    command = [ctx.translate_command, "serve", "--api-only", "--config", str(root / "translate.toml")]
    pid: list[int] = []
    rows = []
    with serve_load.serving(command, root / "server.log", ready="/health", pid=pid) as base:
        api_load.run(base, sentences[:1], clients=1, seconds=30, requests_each=1)  # routes and engine found
        results = {}
        for label, clients, targets in RUNS:
            result = api_load.run(base, sentences, clients, SECONDS, REQUESTS_EACH, targets=targets)
            results[label] = result
            rows.append(_row(label, result, api_load.peak_memory_mb(pid[0]), api_load.children_memory_mb(pid[0])))
            for line in result.errors[:5]:
                print(f"  {line}", flush=True)
    one, many, five = results.values()
    if one.per_second:
        ctx.notes[f"api: requests per second, {CLIENTS} clients / 1 client"] = round(many.per_second / one.per_second, 2)
        ctx.notes["api: requests per second, five languages / one language (50 clients)"] = round(
            five.per_second / many.per_second, 2
        )
    ctx.notes["api: five languages, requests per second / the 14.6 before"] = round(five.per_second / OLD_FIVE_LANGUAGES, 2)
    ctx.notes["api: sentences"] = len(sentences)
    return rows
