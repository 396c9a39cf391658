"""Benchmarks for the translate pipeline, section by section.

    python bench/bench.py                       # every section
    python bench/bench.py --section core        # one section (repeatable flag)
    python bench/bench.py --repeat 3 --json bench.json

A section is a function registered with `@section("name")` in a `sections_*.py`
module: it takes the run's `Context` and returns rows (dicts with the same keys,
in column order). Rows are printed as an aligned table and, with --json, saved
with the run's metadata. Each row of a figure with a target says whether the
target was met, so a reader sees at once what passes. What the sections share
(the registry, `Context`, timing a child, tables) is `common.py`, which imports
no section: the benchmark's imports run one way, bench.py -> sections -> common.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sections and their helpers are sibling modules

import argos_baseline  # noqa: E402
from common import REPO, SECTIONS, Context, cpu_model, format_table, load, machine  # noqa: E402

SECTION_MODULES = (
    "sections_core",  # core
    "sections_pipeline",  # memory, handouts, glossary
    "sections_apertium",  # apertium
    "sections_damage",  # damage
    "sections_segment",  # segment
    "sections_serve",  # serve
    "sections_quality",  # quality
    "sections_api",  # api
    "sections_zhen",  # zhen
    "sections_scale",  # scale
    "sections_cluster",  # cluster
    "sections_neural",  # neural
    "sections_signals",  # signals
)
"""Importing a module registers its sections (`common.section`); they run in this order."""
for _module in SECTION_MODULES:
    importlib.import_module(_module)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmarks for the translate pipeline.")
    parser.add_argument(
        "--section",
        action="append",
        choices=sorted(SECTIONS),
        help="run only this section (repeatable; default: all)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per timed figure; the median is shown")
    parser.add_argument("--json", type=Path, help="also save rows and metadata as JSON here")
    parser.add_argument("--model", type=Path, help=f"zh→en .argosmodel (default: ${argos_baseline.MODEL_ENV} or models/)")
    parser.add_argument(
        "--bin-dir",
        type=Path,
        default=Path(sys.executable).parent,
        help="where the `translate` command is (default: this Python's bin/)",
    )
    parser.add_argument("--save-outputs", type=Path, help="keep the translations produced, in this dir")
    args = parser.parse_args(argv)

    names = args.section or list(SECTIONS)
    # Children write their bytecode as an installed program does; a shell that forbids it would
    # time Python compiling the package on every start instead of the program.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    results: dict[str, object] = {}
    failed = False
    scratch = Path(tempfile.mkdtemp(prefix="translate-bench-"))
    ctx = Context(
        repo=REPO,
        bin_dir=args.bin_dir,
        scratch=scratch,
        repeat=args.repeat,
        model=args.model,
        save_dir=args.save_outputs,
    )
    print(f"CPU: {cpu_model()}, {os.cpu_count()} cores; load average {load()}", flush=True)
    try:
        for name in names:
            load_before = load()
            started = time.perf_counter()
            try:
                rows = SECTIONS[name](ctx)
            except Exception as error:  # a broken section must not hide the others
                failed = True
                rows = [{"error": f"{type(error).__name__}: {error}"}]
            took = time.perf_counter() - started
            print(format_table(f"[{name}]  ({took:.1f} s; load average before {load_before}, after {load()})", rows), flush=True)
            results[name] = rows
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    for key, value in ctx.notes.items():
        print(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    if args.json:
        document = {"machine": machine(), "sections": results, "notes": ctx.notes}
        args.json.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
