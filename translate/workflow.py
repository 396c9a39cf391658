"""`translate run` from start to end: the run stage, then review files and outputs, then the report.

The run stage (translate.run.runner) plans, translates and stores; it writes
no file and knows nothing of the stages after it. For each language whose
sentences are stored it calls `deliver` below with its `LanguageRun`, and
`deliver` writes, per text, the .md output (translate.publish.outputs) and
the PO file for reviewers (translate.review.po_export). A file is written only
when its bytes change, and a PO file holding reviewer edits not imported yet
is left alone. `run` adds the run lock and the JSON run report: it is what the
command line and scheduled jobs call.
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

from translate.config import Config
from translate.fileio import atomic_write_text
from translate.progress import StartTask, no_progress
from translate.run import runner
from translate.run.lock import run_lock
from translate.run.pipeline import LanguageRun
from translate.run.report import RunReport, write_report
from translate.texts import output_path

SUFFIXES = (".md", ".po")
"""The files `deliver` writes for each text and language."""


def outputs(config: Config) -> runner.Outputs:
    """The files of a text in a language, for the run's index of delivered files."""
    return lambda target, name: [output_path(config, target, Path(name), suffix) for suffix in SUFFIXES]


def deliver(language: LanguageRun) -> None:
    """Write each text's .md output and PO file for one language; note the files written and any warning.

    A text counts as delivered when both files now hold what was built; a PO file
    left alone for its unimported edits does not, so the next run looks again.
    """
    # the writers (polib, the review figures) load on the first delivery: a run with nothing to deliver needs none
    from translate.publish.outputs import render_output
    from translate.review.po_export import export_po

    config, memory, target, result = language.config, language.memory, language.target, language.result
    entries = memory.lookup(language.sentences(), language.source, target)
    for text in language.texts:
        path = output_path(config, target, text)
        if atomic_write_text(path, render_output(language, text, entries)):
            result.files_written.append(str(path.relative_to(config.root)))
        po_path = output_path(config, target, text, ".po")
        po = export_po(po_path, language.text_in_language(text))
        if po.changed:
            result.files_written.append(str(po_path.relative_to(config.root)))
        if po.kept:
            result.po_kept.append(str(po_path.relative_to(config.root)))
        result.warnings += po.warnings
        if not po.warnings and not po.kept:
            language.delivered.append(text.path.name)
        result.message = "; ".join(filter(None, [result.message, *po.warnings]))


def run(
    config: Config,
    only: list[str] | None = None,
    targets: list[str] | None = None,
    wait: bool = False,
    dry_run: bool = False,
    start_task: StartTask = no_progress,
    strict: bool = False,
    cluster: str = "",
) -> tuple[RunReport, Path | None]:
    """`translate run`: under the run lock, translate what changed and write every output and PO file,
    then reports/run-<time>.json. A dry run writes nothing, not even the report (its path is then None).
    With `strict`, a PO file left alone because it holds edits not imported yet makes the exit code 1."""
    # A dry run reads a snapshot of the memory and writes nothing, not even the lock file.
    with nullcontext() if dry_run else run_lock(config.path("memory"), wait=wait):
        report = runner.run(config, only, targets, dry_run, start_task, deliver=deliver, outputs=outputs(config), cluster=cluster)
        report.strict = strict
        path = None if dry_run else write_report(config, report)
    return report, path
