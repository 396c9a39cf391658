"""Run reports: a JSON file per run for machines, a few lines for people."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from translate.config import Config
from translate.fileio import atomic_write_text
from translate.pipeline import RunReport


def write_report(config: Config, report: RunReport) -> Path:
    """reports/run-<time>.json, plus reports/latest.json pointing at the newest."""
    folder = config.path("reports")
    stamp = report.started.replace(":", "").replace("-", "")
    path = folder / f"run-{stamp}.json"
    body = json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    atomic_write_text(path, body)
    atomic_write_text(folder / "latest.json", body)
    return path


def print_summary(report: RunReport, path: Path | None) -> None:
    """One line per language and a total, as a scheduler's log wants it."""
    verb = "would translate" if report.dry_run else "translated"
    for r in report.languages:
        if r.status in ("ok", "planned"):
            extra = f", {r.flagged} flagged for review" if r.flagged else ""
            typer.echo(
                f"{r.language:<6} {r.engine:<9} {r.segments} segments: {r.reused} reused, "
                f"{verb} {r.translated} ({r.stale} stale){extra}; {len(r.files_written)} files written"
            )
        else:
            typer.echo(f"{r.language:<6} {r.status}: {r.message}", err=r.status == "failed")
    totals = report.to_dict()["totals"]
    typer.echo(
        f"{len(report.texts)} texts, {len(report.languages)} languages: {totals['translated']} segments "
        f"{verb}, {totals['reused']} reused" + (f"; report: {path}" if path else "")
    )
