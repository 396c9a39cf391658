"""What the benchmark's sections share: the section registry, the run's context, timing children, tables.

A section is a function registered with `@section("name")` (in a `sections_*.py`
module, run in the order bench.py imports them): it takes the run's `Context` and
returns rows (dicts with the same keys, in column order). Every child process is
timed from its launch (cold start included) and its peak resident memory comes
from os.wait4. bench.py runs the sections; this module imports none of them, so
the benchmark's imports have no circle.
"""

from __future__ import annotations

import contextlib
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import argos_baseline  # noqa: E402  (a sibling module, not a package)

REPO = HERE.parent
ZH_TEXT = HERE / "zh" / "virtual-factory.zh.txt"

Row = dict[str, object]
SectionFunction = Callable[["Context"], list[Row]]
SECTIONS: dict[str, SectionFunction] = {}


def section(name: str) -> Callable[[SectionFunction], SectionFunction]:
    """Register a benchmark section under `name` (run order = registration order)."""

    def register(function: SectionFunction) -> SectionFunction:
        SECTIONS[name] = function
        return function

    return register


@dataclass
class Context:
    """What every section shares: where things are, scratch space, the model."""

    repo: Path
    bin_dir: Path  # the venv's bin/, where the `translate` command lives
    scratch: Path
    repeat: int = 1
    model: Path | None = None
    save_dir: Path | None = None
    notes: dict[str, object] = field(default_factory=dict)
    _packages_dir: Path | None = None

    @property
    def translate_command(self) -> str:
        return str(self.bin_dir / "translate")

    def packages_dir(self) -> Path:
        """An Argos packages dir holding the real zh→en model, installed once per run."""
        if self._packages_dir is None:
            model = self.model or argos_baseline.find_model(self.repo)
            self._packages_dir = self.scratch / "argos-packages"
            argos_baseline.install_model(model, self._packages_dir)
            self.notes["model"] = model.name
        return self._packages_dir

    def fresh_env(self, label: str) -> dict[str, str]:
        """Environment for a cold child: empty XDG dirs, the shared Argos packages dir.

        Fresh data/cache/config dirs per run keep any cache or translation memory
        the command keeps there from making a "cold" run warm.
        """
        home = Path(tempfile.mkdtemp(prefix=f"{label}-", dir=self.scratch))
        env = dict(os.environ)
        for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
            (home / name.lower()).mkdir()
            env[name] = str(home / name.lower())
        packages = str(self.packages_dir())
        env["TRANSLATE_ARGOS_PACKAGES_DIR"] = packages
        env["ARGOS_PACKAGES_DIR"] = packages
        return env

    def save(self, name: str, text: str) -> None:
        if self.save_dir is not None:
            self.save_dir.mkdir(parents=True, exist_ok=True)
            (self.save_dir / name).write_text(text, encoding="utf-8")


@dataclass
class ChildRun:
    """One finished child process: wall time from launch, peak RSS, output."""

    seconds: float
    cpu_seconds: float  # user + system: less sensitive than wall time to a busy machine
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    extra: dict[str, object] = field(default_factory=dict)  # what a section read back after the run

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_child(
    command: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float | None = None
) -> ChildRun:
    """Run a command to completion; time it and read its own peak RSS (os.wait4).

    RUSAGE_CHILDREN would report the maximum over every child so far, which
    mixes the baseline and the CLI; wait4 gives this child's figure alone.
    Output goes through files so a chatty child cannot block on a full pipe.
    With `timeout`, the child and every process it started (its own session) are
    killed after that many seconds, and the run says so on its stderr: a section
    that must stop by itself bounds its children.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        try:
            process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=timeout is not None)
        except OSError as error:
            return ChildRun(0.0, 0.0, 0.0, 127, "", str(error))
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill) if timeout is not None else None
        if timer is not None:
            timer.daemon = True
            timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            if timer is not None:
                timer.cancel()
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        if expired.is_set():
            stderr += f"\nbench: killed after {timeout:.0f} s\n"
        return ChildRun(
            seconds=seconds,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            peak_rss_mb=usage.ru_maxrss / 1024,  # Linux reports KiB
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=stderr,
        )


def repeated(times: int, once: Callable[[], ChildRun]) -> tuple[ChildRun, list[ChildRun]]:
    """Run `once` up to `times` times (stopping at a failure); return the median run and all.

    The median is the lower middle run for an even count, so it is a real run
    whose memory and output belong to the time shown.
    """
    runs: list[ChildRun] = []
    for _ in range(max(1, times)):
        runs.append(once())
        if not runs[-1].ok:
            return runs[-1], runs
    by_time = sorted(runs, key=lambda r: r.seconds)
    return by_time[(len(by_time) - 1) // 2], runs


def chrf(hypothesis: str, reference: str) -> tuple[float, str]:
    """chrF of one output against another, paragraph-aligned when the counts match."""
    from sacrebleu.metrics import CHRF

    hyp = argos_baseline.split_paragraphs(hypothesis)
    ref = argos_baseline.split_paragraphs(reference)
    if len(hyp) != len(ref) or not hyp:
        hyp, ref = [" ".join(hyp)], [" ".join(ref)]
    metric = CHRF()
    score = metric.corpus_score(hyp, [ref])
    return score.score, str(metric.get_signature())


def figure(metric: str, value: object, unit: str = "", target: str = "", met: bool | None = None) -> Row:
    """One row of a figures table: what, how much, the target and whether it is met."""
    return {
        "metric": metric,
        "value": value,
        "unit": unit,
        "target": target,
        "met": "" if met is None else ("yes" if met else "NO"),
    }


def tail(text: str, lines: int = 3) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])


# ---------------------------------------------------------------- output


def format_table(title: str, rows: Sequence[Row]) -> str:
    """Rows as an aligned text table (numbers right-aligned), with a title line."""
    if not rows:
        return f"{title}\n  (no rows)\n"
    columns: list[str] = []
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    cells = [[_cell(row.get(c, "")) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    numeric = [all(_is_number(row.get(c)) for row in rows if row.get(c, "") != "") for c in columns]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)]
        return "  " + "  ".join(parts).rstrip()

    rule = "  " + "  ".join("-" * w for w in widths)
    return "\n".join([title, line(columns), rule, *(line(r) for r in cells)]) + "\n"


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.2e}"
    return str(value)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def cpu_model() -> str:
    """The CPU's name as lscpu gives it (figures differ by CPU: every ratio is measured in one run)."""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        out = ""
    for line in out.splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def load() -> str:
    """The load averages (1, 5, 15 min): timings taken on a busy machine say so."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> dict[str, object]:
    return {
        "cpu": cpu_model(),
        "load_at_end": load(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
