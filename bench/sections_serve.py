"""Benchmark section "serve": twenty reviewers saving at once against `translate serve` on 127.0.0.1.

A scratch project holds both essays in Spanish (Apertium drafts from a real
`translate run`); twenty invitations are opened by twenty simulated reviewers
(bench/serve_load.py), who save edits to the first 40 sentences for 15 s, half
of their picks on three "hot" sentences so that conflicts happen. Printed:
saves accepted and refused as conflicts, errors (must be 0), saves per second,
median and 99th-percentile save latency, and whether every accepted save is in
the memory and the log. One reviewer alone saving the same way, in the same
run, is the baseline: the ratio says what twenty at once cost each of them.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import serve_load

from bench import Context, Row, section

REVIEWERS = 20
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
    return {
        "reviewers": label,
        "saves": len(result.saves),
        "accepted": len(result.accepted),
        "conflicts (409)": len(result.conflicts),
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
    sentences = list(dict.fromkeys(text.document.segments))[:SENTENCES]
    sentence_of = {f"/review/es/{text.stem}/{s.source_hash}": s.text for s in sentences}
    store = AccessStore(access_path(config))
    rows = []
    command = [ctx.translate_command, "serve", "--config", str(root / "translate.toml")]
    with serve_load.serving(command, root / "server.log") as base:
        for count in (1, REVIEWERS):
            tokens = {f"R{count}-{n:02d}": store.invite(f"R{count}-{n:02d}", ["es"])[1] for n in range(count)}
            result = serve_load.simulate(
                base, tokens, list(sentence_of), seconds=SECONDS, saves_each=10_000, hot=3 if count > 1 else len(sentence_of)
            )
            problems = serve_load.check_recorded(config.path("memory"), result, sentence_of)
            rows.append(_row(f"{count} at once", result, problems))
            for line in result.errors[:5] + problems[:5]:
                print(f"  {line}", flush=True)
    single, many = rows
    median_one, median_many = single["median ms"], many["median ms"]
    if isinstance(median_one, (int, float)) and isinstance(median_many, (int, float)) and median_one:
        ctx.notes["serve: median save latency, 20 reviewers / 1 reviewer"] = round(median_many / median_one, 2)
    return rows
