"""Section `core`: stock Argos (per paragraph) against `translate text`, both cold, same model and zh→en text."""

from __future__ import annotations

import json
import statistics
import sys

from common import HERE, ZH_TEXT, ChildRun, Context, Row, chrf, figure, repeated, run_child, section, tail


@section("core")
def core(ctx: Context) -> list[Row]:
    """Stock Argos (per paragraph) vs `translate text`, both cold, same model and text."""
    source = ZH_TEXT
    baseline_out = ctx.scratch / "baseline.en.txt"
    baseline_report = ctx.scratch / "baseline.json"

    def baseline_once() -> ChildRun:
        command = [
            sys.executable,
            str(HERE / "argos_baseline.py"),
            str(source),
            "--packages-dir",
            str(ctx.packages_dir()),
            "--output",
            str(baseline_out),
            "--report",
            str(baseline_report),
        ]
        run = run_child(command, env=ctx.fresh_env("baseline"), cwd=ctx.repo)
        if run.ok:  # keep this run's own output and report with it, for the median run
            run.extra["translation"] = baseline_out.read_text(encoding="utf-8")
            run.extra["report"] = json.loads(baseline_report.read_text(encoding="utf-8"))
        return run

    def cli_once() -> ChildRun:
        command = [ctx.translate_command, "text", str(source), "--from", "zh", "--to", "en"]
        return run_child(command, env=ctx.fresh_env("cli"), cwd=ctx.repo)

    rows: list[Row] = []
    base, base_runs = repeated(ctx.repeat, baseline_once)
    if not base.ok:
        raise RuntimeError(f"baseline failed (exit {base.returncode}): {tail(base.stderr)}")
    base_text = str(base.extra["translation"])
    ctx.save("baseline.en.txt", base_text)
    settings: dict = base.extra["report"]  # type: ignore[assignment]
    ctx.notes["baseline"] = {k: v for k, v in settings.items() if k != "packages_dir"}
    rows.append(figure("(a) stock Argos, per paragraph, cold", round(base.seconds, 2), "s"))
    rows.append(figure("(a) of which translating", round(settings["translate_seconds"], 2), "s"))
    rows.append(figure("(a) CPU time (user + system)", round(base.cpu_seconds, 2), "s"))
    rows.append(figure("(a) peak RSS", round(base.peak_rss_mb), "MB"))

    cli, cli_runs = repeated(ctx.repeat, cli_once)
    if cli.ok and cli.stdout.strip():
        ctx.save("cli.en.txt", cli.stdout)
        ratio = base.seconds / cli.seconds if cli.seconds else float("inf")
        score, signature = chrf(cli.stdout, base_text)
        ctx.notes["chrf_signature"] = signature
        rows.append(figure("(b) translate text, cold", round(cli.seconds, 2), "s"))
        rows.append(figure("(b) CPU time (user + system)", round(cli.cpu_seconds, 2), "s"))
        rows.append(figure("(b) peak RSS", round(cli.peak_rss_mb), "MB"))
        rows.append(figure("speed-up a/b (wall)", round(ratio, 2), "x", ">= 4", ratio >= 4))
        if cli.cpu_seconds:
            rows.append(figure("speed-up a/b (CPU)", round(base.cpu_seconds / cli.cpu_seconds, 2), "x"))
        rows.append(figure("chrF of (b) against (a)", round(score, 1), "", ">= 90", score >= 90))
    else:
        why = f"exit {cli.returncode}: {tail(cli.stderr)}" if not cli.ok else "no output on stdout"
        rows.append(figure("(b) translate text, cold", "not available", "", why))

    help_runs = [run_child([ctx.translate_command, "--help"], env=ctx.fresh_env("help"), cwd=ctx.repo) for _ in range(5)]
    if all(r.ok for r in help_runs):
        startup = statistics.median(r.seconds for r in help_runs)
        rows.append(figure("translate --help start-up, median of 5", round(startup, 3), "s", "<= 0.5", startup <= 0.5))
    else:
        failed = next(r for r in help_runs if not r.ok)
        rows.append(
            figure(
                "translate --help start-up",
                "not available",
                "",
                f"exit {failed.returncode}: {tail(failed.stderr)}",
            )
        )

    ctx.notes["core_runs"] = {
        "baseline_seconds": [round(r.seconds, 3) for r in base_runs],
        "cli_seconds": [round(r.seconds, 3) for r in cli_runs if r.ok],
        "repeat": ctx.repeat,
        "paragraphs": settings["paragraphs"],
    }
    return rows
