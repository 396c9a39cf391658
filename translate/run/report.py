"""Run reports: what a run did per language, as JSON for schedulers and logs.

`translate run` writes reports/run-<time>.json and reports/latest.json; the
command line prints a few lines from the same record.
"""

from __future__ import annotations

import itertools
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from translate.config import Config
from translate.errors import WriteError
from translate.fileio import atomic_write_text
from translate.run.jobs import JobRecord


@dataclass
class LanguageResult:
    """What a run did for one target language."""

    language: str
    status: str = "ok"  # ok | failed | skipped | planned
    engine: str = ""
    route: str = ""
    signature: str = ""
    segments: int = 0
    reused: int = 0
    translated: int = 0
    stale: int = 0
    rechecked: int = 0  # stored machine drafts checked again by a new version of the checks (no engine call)
    refinished: int = 0  # stored machine drafts finished again by new typography/spelling rules (no engine call)
    engine_calls: int = 0
    engine_seconds: float = 0.0
    crosscheck_sentences: int = 0  # sentences of this run sent back to English and through a second route
    crosscheck_seconds: float = 0.0  # what that cost (translate.run.crosscheck)
    crosscheck_routes: list[str] = field(default_factory=list)  # the round trip's and the second route's specs
    flagged: int = 0  # sentences whose quality signals send them to the front of the review queue
    untranslated: int = 0  # flagged sentences left untranslated (too long to cut, or degenerate output)
    glossary_violations: int = 0
    signals: dict[str, int] = field(default_factory=dict)  # sentences translated in this run, per check that found something
    files_written: list[str] = field(default_factory=list)
    po_kept: list[str] = field(default_factory=list)  # PO files left alone: they hold edits not imported yet
    warnings: list[str] = field(default_factory=list)  # shown on the terminal, also joined into `message`
    message: str = ""


@dataclass
class RunReport:
    """The record of one run, written as JSON and summarized on the terminal."""

    started: str
    finished: str = ""
    dry_run: bool = False
    source_language: str = "en"
    texts: list[str] = field(default_factory=list)
    failed_texts: list[dict[str, str]] = field(default_factory=list)  # {"text", "error"}: texts that could not be read
    languages: list[LanguageResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    memory_update: str = ""  # what opening the memory took from its text record (after a pull or a merge)
    memory_conflicts: list[str] = field(default_factory=list)  # conflicts between the record's decisions, one line each

    strict: bool = False  # a PO file left alone (edits not imported yet) makes the run exit 1
    engine_wall_seconds: float = 0.0  # from the first job handed out to the last one back, languages in parallel
    jobs: list[JobRecord] = field(default_factory=list)  # which worker did which job, and how long it took
    executor: dict = field(default_factory=dict)  # where the jobs ran: threads here, or a cluster's workers and figures

    @property
    def po_kept(self) -> list[str]:
        return [path for r in self.languages for path in r.po_kept]

    @property
    def exit_code(self) -> int:
        """1 when something failed (a text, a language, the memory file; the rest is done), or --strict kept a PO file."""
        if self.errors or self.failed_texts or any(r.status == "failed" for r in self.languages):
            return 1
        return 1 if self.strict and self.po_kept else 0

    def to_dict(self) -> dict:
        data = asdict(self)
        data["exit_code"] = self.exit_code
        data["po_kept"] = self.po_kept
        data["totals"] = {
            key: sum(getattr(r, key) for r in self.languages)
            for key in ("segments", "reused", "translated", "stale", "rechecked", "engine_calls", "flagged", "untranslated")
        }
        return data


def write_report(config: Config, report: RunReport) -> Path:
    """reports/run-<time>.json (run-<time>-2.json... for a second run in the same second), and reports/latest.json."""
    folder = config.path("reports")
    stamp = report.started.replace(":", "").replace("-", "")
    body = json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    path = _new_report_path(folder, stamp)
    atomic_write_text(path, body)
    atomic_write_text(folder / "latest.json", body)
    return path


def _new_report_path(folder: Path, stamp: str) -> Path:
    """A report name no other report has: the name is claimed by creating the file (O_EXCL), so never shared."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for number in itertools.count(1):
            path = folder / (f"run-{stamp}.json" if number == 1 else f"run-{stamp}-{number}.json")
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            except FileExistsError:
                continue
            return path
    except OSError as err:
        raise WriteError(f"cannot write a report in {folder}: {err.strerror or err}") from None
    raise AssertionError("unreachable")
