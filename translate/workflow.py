"""`translate run` from start to end: the run stage, then review files and outputs, then the report.

The run stage (translate.run.pipeline) plans, translates and stores; it writes
no file and knows nothing of the stages after it. For each language whose
sentences are stored it calls `deliver` below with its `LanguageRun`, and
`deliver` writes, per text, the .md output (translate.publish.outputs) and
the PO file for reviewers (translate.review.po_export). A file is written only
when its bytes change, and a PO file holding reviewer edits not imported yet
is left alone. `run_project` adds the run lock and the JSON run report, which
is what the command line and scheduled jobs call.
"""

from __future__ import annotations

from pathlib import Path

from translate.config import Config
from translate.progress import StartTask, no_progress
from translate.publish.outputs import write_output
from translate.review.po_export import export_po
from translate.run import pipeline
from translate.run.lock import run_lock
from translate.run.pipeline import LanguageRun
from translate.run.report import RunReport, write_report
from translate.texts import output_path


def deliver(language: LanguageRun) -> None:
    """Write each text's .md output and PO file for one language; note the files written and any warning."""
    config, memory, target, result = language.config, language.memory, language.target, language.result
    assert language.route is not None and language.signature is not None  # set by the run stage
    entries = memory.lookup(language.sentences(), language.source, target)
    for text in language.texts:
        path = output_path(config, target, text)
        if write_output(path, text, target, language.route, language.signature, entries, memory, config):
            result.files_written.append(str(path.relative_to(config.root)))
        po_path = output_path(config, target, text, ".po")
        warnings: list[str] = []
        if export_po(po_path, text, target, memory, config, language.glossary, warnings):
            result.files_written.append(str(po_path.relative_to(config.root)))
        result.message = "; ".join(filter(None, [result.message, *warnings]))


def run(
    config: Config,
    only: list[str] | None = None,
    targets: list[str] | None = None,
    dry_run: bool = False,
    start_task: StartTask = no_progress,
) -> RunReport:
    """Translate what changed and write every output and PO file (nothing is written by a dry run)."""
    return pipeline.run(config, only, targets, dry_run, start_task, deliver=deliver)


def run_project(
    config: Config,
    only: list[str] | None = None,
    targets: list[str] | None = None,
    dry_run: bool = False,
    wait: bool = False,
    start_task: StartTask = no_progress,
) -> tuple[RunReport, Path | None]:
    """`translate run`: `run` under the run lock, then reports/run-<time>.json (not for a dry run)."""
    with run_lock(config.path("memory"), wait=wait):
        report = run(config, only, targets, dry_run, start_task)
        path = None if dry_run else write_report(config, report)
    return report, path
