"""Benchmark section "scale": runs cost what changed, and every core works.

In temporary copies of the project (the real `translate run --json`, its report
read back), with the default engine settings (`engine.jobs` = one per core):

- (a) both essays into the 13 languages Apertium serves here, cold: wall time,
  CPU time of the whole process tree (user + system, from `os.wait4`) and their
  ratio: 2 cores busy give up to 2;
- (b) the same run again with nothing changed: median of 5 (the no-op);
- (c) a corpus of 50 texts over 1 MB, built here (below), at 3 and at 13
  languages: the cold run that makes it, the no-op (median of 5, against the
  two-essay no-op at the same languages), and one sentence added to one text
  (median of 3 edits): wall time against 1 s plus the engine's time for that
  sentence (the report's `engine_wall_seconds`: from the first engine call to the
  last, languages working in parallel).

Peak resident memory is each run's own (`ru_maxrss`, largest process of its tree).

The corpus: each text is a "reader" holding every paragraph of both essays in its
own order (seeded), a quarter of them twice, an opening paragraph of its own and
a title of its own, as plain text. The essays are the project's; the readers'
own sentences are written here. A real library repeats itself less, so its cold
run would cost more engine time; the no-op and one-edit figures, which read and
build files, grow with the size of the library all the same.
"""

from __future__ import annotations

import json
import random
import statistics
from pathlib import Path

from common import ChildRun, Context, Row, figure, section
from sections_pipeline import cli_run, copy_project

NOOP_TARGET = 0.3
CORPUS_RATIO_TARGET = 2.0
EDIT_OVERHEAD_TARGET = 1.0
CPU_RATIO_TARGET = 1.7
MEMORY_TARGET_MB = 1536
CORPUS_TEXTS = 50
CORPUS_BYTES = 1_000_000
CITIES = ("Lisbon", "Turin", "Lyon", "Barcelona", "Vigo", "Zagreb", "Belgrade", "Sarajevo", "Oviedo", "Zaragoza")
TOPICS = ("platform labour", "the attention economy", "machine translation", "study circles", "the free software movement")


def run(ctx: Context, project: Path) -> tuple[ChildRun, dict]:
    """`translate run --json` in a project copy (bench.py lets children write their bytecode)."""
    done = cli_run(ctx, project)
    return done.child, done.report


def noop(ctx: Context, project: Path, times: int = 5) -> tuple[float, ChildRun, dict]:
    runs = [run(ctx, project) for _ in range(times)]
    for _, report in runs:
        if report["totals"]["translated"] or any(lang["files_written"] for lang in report["languages"]):
            raise RuntimeError("a run with nothing changed translated or wrote something")
    median = statistics.median(child.seconds for child, _ in runs)
    child, report = max(runs, key=lambda r: r[0].peak_rss_mb)
    return median, child, report


def served(report: dict) -> list[str]:
    return [lang["language"] for lang in report["languages"] if lang["status"] == "ok"]


def set_targets(project: Path, targets: list[str]) -> None:
    config = project / "translate.toml"
    lines = config.read_text(encoding="utf-8").splitlines()
    lines = [f"targets = {json.dumps(targets)}" if line.startswith("targets =") else line for line in lines]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_corpus(project: Path, count: int = CORPUS_TEXTS, size: int = CORPUS_BYTES) -> int:
    """Replace the project's texts by `count` readers of at least size/count bytes each; return the bytes."""
    texts = project / "texts"
    paragraphs = []
    for path in sorted(texts.iterdir()):
        paragraphs += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        path.unlink()
    each = -(-size // count)
    total = 0
    for number in range(1, count + 1):
        rng = random.Random(number)
        order = paragraphs[:]
        rng.shuffle(order)
        order += rng.sample(paragraphs, len(paragraphs) // 4)
        city, topic = CITIES[number % len(CITIES)], TOPICS[number % len(TOPICS)]
        body = [
            f"Reader {number}: The Virtual Factory and {topic}",
            f"This reader was put together for study group {number} in {city}. "
            f"It collects two essays on the virtual factory, read with {topic} in mind.",
        ]
        for paragraph in order:
            body.append(paragraph)
            if sum(len(b.encode()) + 2 for b in body) >= each:
                break
        data = "\n\n".join(body) + "\n"
        (texts / f"reader-{number:02d}.txt").write_text(data, encoding="utf-8")
        total += len(data.encode())
    return total


@section("scale")
def scale(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    essays = copy_project(ctx, "scale-essays")
    cold, report = run(ctx, essays)
    languages = served(report)
    ratio = cold.cpu_seconds / cold.seconds
    rows += [
        figure(f"(a) cold run, 2 essays x {len(languages)} languages", round(cold.seconds, 2), "s"),
        figure("(a) CPU time, whole process tree", round(cold.cpu_seconds, 2), "s"),
        figure("(a) CPU / wall", round(ratio, 2), "", f">= {CPU_RATIO_TARGET}", ratio >= CPU_RATIO_TARGET),
        figure("(a) peak RSS", round(cold.peak_rss_mb), "MB", f"<= {MEMORY_TARGET_MB}", cold.peak_rss_mb <= MEMORY_TARGET_MB),
    ]
    sequential = copy_project(ctx, "scale-essays-1-job")
    config = sequential / "translate.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("jobs = 0", "jobs = 1"), encoding="utf-8")
    one, _ = run(ctx, sequential)
    rows += [
        figure("(a) the same with engine.jobs = 1, wall / CPU", f"{one.seconds:.2f} / {one.cpu_seconds:.2f}", "s"),
        figure("(a) speed-up of one job per core over one job (wall)", round(one.seconds / cold.seconds, 2), "x"),
    ]
    ctx.notes["scale_languages"] = languages
    essay_noop: dict[int, float] = {}
    for count in (len(languages), 3):
        set_targets(essays, languages[:count])
        run(ctx, essays)  # settle the index for this set of languages
        seconds, child, _ = noop(ctx, essays)
        essay_noop[count] = seconds
        target = f"<= {NOOP_TARGET}" if count == len(languages) else ""
        rows.append(
            figure(
                f"(b) no-op, 2 essays x {count} languages, median of 5",
                round(seconds, 3),
                "s",
                target,
                seconds <= NOOP_TARGET if target else None,
            )
        )
        rows.append(figure(f"(b) peak RSS, {count} languages", round(child.peak_rss_mb), "MB"))

    for count in (3, len(languages)):
        corpus = copy_project(ctx, f"scale-corpus-{count}")
        size = build_corpus(corpus)
        set_targets(corpus, languages[:count])
        cold, report = run(ctx, corpus)
        label = f"{CORPUS_TEXTS} texts ({size / 1e6:.2f} MB) x {count} languages"
        rows.append(
            figure(
                f"(c) cold run, {label}",
                round(cold.seconds, 2),
                "s",
                f"peak RSS {cold.peak_rss_mb:.0f} MB <= {MEMORY_TARGET_MB}",
                cold.peak_rss_mb <= MEMORY_TARGET_MB,
            )
        )
        seconds, child, _ = noop(ctx, corpus)
        ratio = seconds / essay_noop[count]
        rows.append(figure(f"(c) no-op, {label}, median of 5", round(seconds, 3), "s"))
        rows.append(
            figure(
                f"(c) no-op corpus / no-op 2 essays, {count} languages",
                round(ratio, 2),
                "x",
                f"<= {CORPUS_RATIO_TARGET}",
                ratio <= CORPUS_RATIO_TARGET,
            )
        )
        edits = []
        for number in range(3):
            text = corpus / "texts" / f"reader-{7 + number:02d}.txt"
            with text.open("a", encoding="utf-8") as handle:
                handle.write(f"\nA sentence added on day {number + 1} asks who owns the virtual factory.\n")
            child, report = run(ctx, corpus)
            engine = report["engine_wall_seconds"]  # first engine call to last: languages run in parallel
            written = sum(len(lang["files_written"]) for lang in report["languages"])
            edits.append((child.seconds, engine, report["totals"]["translated"], written, child.peak_rss_mb))
        wall, engine, translated, written, peak = sorted(edits)[len(edits) // 2]
        overhead = wall - engine
        rows += [
            figure(f"(c) one sentence added to one text, {count} languages, median of 3", round(wall, 3), "s"),
            figure("(c)   of which engines at work (first call to last, in parallel)", round(engine, 3), "s"),
            figure("(c)   the rest", round(overhead, 3), "s", f"<= {EDIT_OVERHEAD_TARGET}", overhead <= EDIT_OVERHEAD_TARGET),
            figure(
                "(c)   sentences translated / files written",
                f"{translated} / {written}",
                "",
                f"{count} / {2 * count}",
                translated == count and written == 2 * count,
            ),
            figure("(c)   peak RSS", round(peak), "MB", f"<= {MEMORY_TARGET_MB}", peak <= MEMORY_TARGET_MB),
        ]
    return rows
