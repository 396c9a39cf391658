"""Benchmark section "neural": the neural-first routes against today's, on quality, time and memory.

- Routes: `translate routes evaluate --json` on the held-out field set
  (bench/references/field/) and on the essays' references (bench/references/):
  BLEU, chrF (sacrebleu signatures printed) and source words per second for every
  candidate route of es, pt, pt_BR, gl, fr, it, ca. Each route runs on engines of
  its own, so its words per second are those of a cold start of that route.
- Cold run: both essays into every configured language from an empty memory,
  (a) as before this work (no route file, the languages of translate.toml but
  pt_BR, so Apertium for all of these) and (b) as the project is (routes.toml,
  pt_BR too); each a `translate run --json` child in a fresh copy of the
  project. Target: (b) within twice (a), both measured in the same bench run.
- `translate text` through the neural route against fxtranslate alone on the
  same sentences (bench/fx_alone.py), one process per essay on each side, cold.
  Target: at most 1.15 times.

Every child's peak resident memory comes from os.wait4. Words per second and
seconds depend on the CPU and on the load, both printed with the section.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from common import HERE, ChildRun, Context, Row, figure, format_table, repeated, run_child, section, tail
from sections_pipeline import cli_run, copy_project

ESSAYS = ("the-virtual-factory.txt", "the-virtual-factory-spectacle.md")
LANGUAGES = ("es", "pt", "pt_BR", "gl", "fr", "it", "ca")
REFERENCE_SETS = (("field", HERE / "references" / "field"), ("essays", HERE / "references"))


def evaluate(ctx: Context, folder: Path) -> dict:
    """`translate routes evaluate --json` on one reference set (the languages it has of LANGUAGES)."""
    have = {p.stem.replace("-", "_") for p in folder.glob("*.tsv")}
    wanted = ",".join(code for code in LANGUAGES if code in have)
    child = run_child(
        [ctx.translate_command, "routes", "evaluate", "--refs", str(folder), "--lang", wanted, "--json"],
        env=dict(os.environ),
        cwd=ctx.repo,
    )
    if not child.ok:
        raise RuntimeError(f"translate routes evaluate failed (exit {child.returncode}): {tail(child.stderr)}")
    return json.loads(child.stdout)


def route_rows(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    for name, folder in REFERENCE_SETS:
        answer = evaluate(ctx, folder)
        ctx.notes[f"neural_{name}_signatures"] = answer["signatures"]
        for language in answer["languages"]:
            for result in language["routes"]:
                rows.append(
                    {
                        "set": name,
                        "lang": language["language"],
                        "n": language["sentences"],
                        "route": result["route"],
                        "BLEU": result["bleu"],
                        "chrF": result["chrf"],
                        "words/s": result["words_per_second"],
                        "chosen": "*" if result["route"] == language["chosen"] else "",
                    }
                )
    return rows


def cold_runs(ctx: Context) -> list[Row]:
    """Both essays into every language from an empty memory: before (Apertium) and now (routes.toml)."""
    before = copy_project(ctx, "project-before")
    (before / "routes.toml").unlink(missing_ok=True)
    config = (before / "translate.toml").read_text(encoding="utf-8")
    (before / "translate.toml").write_text(config.replace(' "pt_BR",', ""), encoding="utf-8")
    now = copy_project(ctx, "project-now")
    a = cli_run(ctx, before)
    b = cli_run(ctx, now)
    ratio = b.child.seconds / a.child.seconds if a.child.seconds else float("inf")
    engines = sorted({r["engine"] for r in b.done()})
    return [
        figure("(a) cold run before: no route file, no pt_BR", round(a.child.seconds, 1), "s"),
        figure("(a) CPU time", round(a.child.cpu_seconds, 1), "s"),
        figure("(a) peak RSS", round(a.child.peak_rss_mb), "MB"),
        figure("(a) languages, sentences translated", f"{len(a.done())}, {a.totals.get('translated')}"),
        figure("(b) cold run now: routes.toml, pt_BR", round(b.child.seconds, 1), "s"),
        figure("(b) CPU time", round(b.child.cpu_seconds, 1), "s"),
        figure("(b) peak RSS", round(b.child.peak_rss_mb), "MB"),
        figure("(b) languages, sentences translated", f"{len(b.done())}, {b.totals.get('translated')}"),
        figure("(b) engines", " ".join(engines)),
        figure("cold run b/a (wall)", round(ratio, 2), "x", "<= 2", ratio <= 2),
        figure("cold run b/a (CPU)", round(b.child.cpu_seconds / a.child.cpu_seconds, 2) if a.child.cpu_seconds else "", "x"),
    ]


def text_against_fxtranslate(ctx: Context) -> list[Row]:
    """`translate text ESSAY --to pt_BR` against fxtranslate alone on the same sentences, both cold."""
    essays = [ctx.repo / "texts" / name for name in ESSAYS]

    def summed(commands: list[list[str]]) -> ChildRun:
        runs = [run_child(command, env=ctx.fresh_env("neural"), cwd=ctx.repo) for command in commands]
        failed = next((r for r in runs if not r.ok), None)
        if failed is not None:
            return failed
        return ChildRun(
            seconds=sum(r.seconds for r in runs),
            cpu_seconds=sum(r.cpu_seconds for r in runs),
            peak_rss_mb=max(r.peak_rss_mb for r in runs),
            returncode=0,
            stdout="".join(r.stdout for r in runs),
            stderr="",
        )

    alone, _ = repeated(ctx.repeat, lambda: summed([[sys.executable, str(HERE / "fx_alone.py"), str(e)] for e in essays]))
    ours, _ = repeated(ctx.repeat, lambda: summed([[ctx.translate_command, "text", str(e), "--to", "pt_BR"] for e in essays]))
    if not (alone.ok and ours.ok):
        failed = alone if not alone.ok else ours
        return [figure("translate text vs fxtranslate", "not available", "", f"exit {failed.returncode}: {tail(failed.stderr)}")]
    ctx.save("fx-alone.pt_BR.txt", alone.stdout)
    ctx.save("translate-text.pt_BR.md", ours.stdout)
    ratio = ours.seconds / alone.seconds
    cpu = ours.cpu_seconds / alone.cpu_seconds if alone.cpu_seconds else float("inf")
    return [
        figure("(c) fxtranslate alone, both essays, cold", round(alone.seconds, 2), "s"),
        figure("(c) CPU time", round(alone.cpu_seconds, 2), "s"),
        figure("(c) peak RSS", round(alone.peak_rss_mb), "MB"),
        figure("(d) translate text --to pt_BR, both essays, cold", round(ours.seconds, 2), "s"),
        figure("(d) CPU time", round(ours.cpu_seconds, 2), "s"),
        figure("(d) peak RSS", round(ours.peak_rss_mb), "MB"),
        figure("text d/c (wall)", round(ratio, 2), "x", "<= 1.15", ratio <= 1.15),
        figure("text d/c (CPU)", round(cpu, 2), "x", "<= 1.15", cpu <= 1.15),
    ]


@section("neural")
def neural(ctx: Context) -> list[Row]:
    """Routes per language on both reference sets, the cold run before and now, text against fxtranslate."""
    routes = route_rows(ctx)
    print(format_table("[neural] every candidate route: BLEU, chrF, source words per second", routes), flush=True)
    return text_against_fxtranslate(ctx) + cold_runs(ctx)
