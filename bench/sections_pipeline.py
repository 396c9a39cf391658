"""Benchmark sections on the whole pipeline: memory and scheduled runs, glossary, handouts.

Every section works on a temporary copy of the project (texts/, glossaries/,
translate.toml, routes.toml; the memory, outputs and reports are created in the copy), runs
the real `translate` command as a child process and reads its `--json` report,
so the figures are what a user or a scheduled job sees. Nothing is written to the
repository (section "glossary" only reads its memory when `make translate` made one).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from common import ChildRun, Context, Row, figure, run_child, section, tail

from translate.segment import parse

PROJECT_PARTS = ("texts", "glossaries", "translate.toml", "routes.toml")

# The edit of section "memory" (c): one paragraph replaced by a changed version of
# itself. Two of its three sentences change, the third stays as it was.
EDITED_TEXT = "the-virtual-factory.txt"
PARAGRAPH_START = "Factories were designed by capitalists"
PARAGRAPH_EDITS = (
    ("Nevertheless, they socialized workers", "Even so, they socialized workers"),
    ("Yasha Levine’s superb research", "Yasha Levine’s excellent research"),
)

_TRANSLATED: dict[Path, Path] = {}  # scratch dir -> a project copy holding a complete run


@dataclass
class CliRun:
    """One `translate run --json` child and the report it printed."""

    child: ChildRun
    report: dict

    @property
    def totals(self) -> dict:
        return self.report.get("totals", {})

    def done(self) -> list[dict]:
        return [r for r in self.report.get("languages", []) if r["status"] == "ok"]


def copy_project(ctx: Context, name: str) -> Path:
    """A fresh copy of the project's inputs in the scratch dir: no memory, outputs or reports."""
    project = ctx.scratch / name
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ctx.repo / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        elif source.is_file():
            shutil.copy2(source, project / part)
    return project


def cli(ctx: Context, project: Path, *args: str) -> ChildRun:
    """The `translate` command in a project copy, in the user's own environment: the
    languages served are those the engines installed here can serve."""
    return run_child([ctx.translate_command, *args], env=dict(os.environ), cwd=project)


def cli_run(ctx: Context, project: Path) -> CliRun:
    """`translate run --json` in a project copy; fails loudly unless it ran and reported."""
    child = cli(ctx, project, "run", "--json")
    try:
        report = json.loads(child.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"translate run (exit {child.returncode}) printed no report: {tail(child.stderr)}") from None
    if child.returncode != 0:
        raise RuntimeError(f"translate run exit {child.returncode}: {'; '.join(report.get('errors', []))}")
    return CliRun(child, report)


def translated_project(ctx: Context) -> Path:
    """A project copy after a complete `translate run` (shared by the sections of one bench run)."""
    if ctx.scratch not in _TRANSLATED:
        project = copy_project(ctx, "project-translated")
        cli_run(ctx, project)
        _TRANSLATED[ctx.scratch] = project
    return _TRANSLATED[ctx.scratch]


def output_mtimes(project: Path) -> dict[str, int]:
    folder = project / "outputs"
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


def unique_sentences(project: Path) -> set[str]:
    """The distinct source sentences of every text, as the pipeline segments them."""
    sentences = set()
    for path in sorted((project / "texts").iterdir()):
        if path.suffix in (".md", ".txt"):
            document = parse(path.read_text(encoding="utf-8"), path.name, "en")
            sentences |= {s.text for s in document.segments}
    return sentences


def edit_paragraph(path: Path) -> str:
    """Replace the chosen paragraph with its changed version; return the original text."""
    original = path.read_text(encoding="utf-8")
    paragraphs = original.split("\n\n")
    index = next((i for i, p in enumerate(paragraphs) if p.startswith(PARAGRAPH_START)), None)
    if index is None:
        raise RuntimeError(f"{path.name}: no paragraph starting {PARAGRAPH_START!r}")
    changed = paragraphs[index]
    for old, new in PARAGRAPH_EDITS:
        if old not in changed:
            raise RuntimeError(f"{path.name}: the paragraph no longer contains {old!r}")
        changed = changed.replace(old, new)
    paragraphs[index] = changed
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    return original


def per_language(run: CliRun, key: str) -> str:
    """'es 2, ca 2, ...' compacted to 'all 2' when every language agrees."""
    values = {r["language"]: r[key] for r in run.done()}
    if values and len(set(values.values())) == 1:
        return f"all {next(iter(values.values()))}"
    return ", ".join(f"{lang} {value}" for lang, value in values.items())


# ---------------------------------------------------------------- memory


@section("memory")
def memory(ctx: Context) -> list[Row]:
    """Cold run, warm re-run, one edited paragraph, the edit undone: time, engine calls, files."""
    project = copy_project(ctx, "project-memory")
    rows: list[Row] = []

    cold = cli_run(ctx, project)
    done = [r["language"] for r in cold.done()]
    skipped = [r["language"] for r in cold.report["languages"] if r["status"] == "skipped"]
    ctx.notes["memory_languages"] = {"translated": done, "skipped (no engine here)": skipped}
    rows.append(
        figure(f"(a) cold run, {len(cold.report['texts'])} texts x {len(done)} languages", round(cold.child.seconds, 2), "s")
    )
    rows.append(figure("(a) sentences translated", cold.totals["translated"]))
    rows.append(figure("(a) engine calls (first pass + glossary retries)", cold.totals["engine_calls"]))
    rows.append(figure("(a) segments flagged for review", cold.totals["flagged"]))

    before = output_mtimes(project)
    warm = cli_run(ctx, project)
    touched = [name for name, mtime in output_mtimes(project).items() if before.get(name) != mtime]
    rows.append(figure("(b) warm re-run", round(warm.child.seconds, 2), "s", "<= 1", warm.child.seconds <= 1))
    rows.append(figure("(b) engine calls", warm.totals["engine_calls"], "", "0", warm.totals["engine_calls"] == 0))
    rows.append(figure("(b) sentences translated", warm.totals["translated"], "", "0", warm.totals["translated"] == 0))
    rows.append(figure(f"(b) output files rewritten (of {len(before)})", len(touched), "", "0", not touched))

    old_sentences = unique_sentences(project)
    original = edit_paragraph(project / "texts" / EDITED_TEXT)
    new_sentences = unique_sentences(project) - old_sentences
    expected = len(new_sentences) * len(done)
    edited = cli_run(ctx, project)
    actual = edited.totals["translated"]
    rows.append(figure("(c) run after editing one paragraph", round(edited.child.seconds, 2), "s"))
    rows.append(
        figure(
            f"(c) sentences translated, expected {len(new_sentences)} new x {len(done)} languages",
            actual,
            "",
            f"= {expected}",
            actual == expected,
        )
    )
    rows.append(
        figure(
            "(c) per language",
            per_language(edited, "translated"),
            "",
            f"all {len(new_sentences)}",
            all(r["translated"] == len(new_sentences) for r in edited.done()),
        )
    )
    rows.append(
        figure(
            "(c) engine calls (1 per language + glossary retries)",
            edited.totals["engine_calls"],
            "",
            f"{len(done)}..{2 * len(done)}",
            len(done) <= edited.totals["engine_calls"] <= 2 * len(done),
        )
    )
    written = sum(len(r["files_written"]) for r in edited.done())
    rows.append(
        figure("(c) files written (the edited text's .md and .po)", written, "", f"<= {2 * len(done)}", written <= 2 * len(done))
    )

    (project / "texts" / EDITED_TEXT).write_text(original, encoding="utf-8")
    undone = cli_run(ctx, project)
    rows.append(
        figure(
            "(d) edit undone: engine calls (old sentences still in memory)",
            undone.totals["engine_calls"],
            "",
            "0",
            undone.totals["engine_calls"] == 0,
        )
    )
    _TRANSLATED.setdefault(ctx.scratch, project)  # a complete, pristine run: later sections reuse it
    return rows


# ---------------------------------------------------------------- handouts


@section("handouts")
def handouts(ctx: Context) -> list[Row]:
    """`translate handouts` for every language of a translated copy: HTML only, then HTML + PDF."""
    from translate.errors import TranslateError
    from translate.publish.chromium import chromium_binary

    try:
        chromium_binary()
    except TranslateError as error:
        return [figure("handouts", "skipped", "", str(error))]
    project = translated_project(ctx)
    rows: list[Row] = []
    for label, flags in (("HTML only", ["--no-pdf"]), ("HTML + PDF", [])):
        child = cli(ctx, project, "handouts", "--json", *flags)
        if not child.ok:
            raise RuntimeError(f"translate handouts {' '.join(flags)} exit {child.returncode}: {tail(child.stderr)}")
        report = json.loads(child.stdout)  # {"written": [...], "withheld": [...], "nothing_to_render": [...]}
        files = [Path(p) for p in report["written"]]
        count = sum(1 for p in files if p.suffix == ".html")
        languages = len({p.parent.name for p in files})
        withheld = f", {len(report['withheld'])} withheld by the gate" if report["withheld"] else ""
        rows.append(
            figure(
                f"{label}: {count} handouts ({languages} languages{withheld}), {len(files)} files", round(child.seconds, 2), "s"
            )
        )
        if count:
            rows.append(figure(f"{label}: per handout", round(child.seconds / count, 3), "s"))
        if flags == []:
            missing = [p.name for p in files if not p.is_file() or p.stat().st_size == 0]
            rows.append(figure("PDF files missing or empty", len(missing), "", "0", not missing))
    return rows


# ---------------------------------------------------------------- glossary


@section("glossary")
def glossary(ctx: Context) -> list[Row]:
    """Term accuracy of the zh→en model without and with the glossary; compliance of the outputs."""
    return term_accuracy_rows(ctx) + compliance_rows(ctx)


def term_accuracy_rows(ctx: Context) -> list[Row]:
    import argos_baseline
    import glossary_accuracy

    from translate.glossary.files import load
    from translate.glossary.pinning import translate_pinned

    try:
        model = ctx.model or argos_baseline.find_model(ctx.repo)
    except FileNotFoundError as error:
        return [figure("term accuracy zh→en", "skipped", "", str(error))]
    terms = load(ctx.repo / "glossaries" / "marxism.toml")
    translate_batch = glossary_accuracy.zh_en_translator(model)
    sentences = glossary_accuracy.PARAGRAPH
    plain = translate_batch(sentences)
    right, total = glossary_accuracy.term_accuracy(sentences, plain, terms)
    rows = [
        figure(f"zh→en terms right without glossary ({len(sentences)} sentences)", f"{right}/{total}", "", "", None),
        figure("  without glossary", round(100 * right / total, 1), "%"),
    ]
    pinned = translate_pinned(sentences, translate_batch, terms, "zh", "en")
    right, total = glossary_accuracy.term_accuracy(sentences, [r.text for r in pinned], terms)
    rows.append(figure("zh→en terms right with glossary (check-first)", f"{right}/{total}"))
    rows.append(figure("  with glossary", round(100 * right / total, 1), "%", "100", right == total))
    rows.append(figure("  segments flagged for review", sum(r.flagged for r in pinned)))
    return rows


def compliance_rows(ctx: Context) -> list[Row]:
    """Per language: glossary terms expected in the outputs, found, and segments flagged.

    The committed outputs when the repository has them (with their memory), else
    those of a fresh run in a project copy. The translated sentences come from the
    memory, one per source sentence, not from re-parsing the Markdown.
    """
    from translate.config import load_config
    from translate.glossary.compliance import check_compliance
    from translate.glossary.files import load_glossary
    from translate.memory.store import TranslationMemory
    from translate.texts import load_texts

    committed = ctx.repo / "memory" / "translate.sqlite"
    if committed.is_file() and any((ctx.repo / "outputs").glob("*/*.md")):
        project, where = ctx.repo, "the repository's outputs and memory"
    else:
        project, where = translated_project(ctx), "outputs of a fresh run (none committed)"
    config = load_config(project / "translate.toml")
    terms = load_glossary(config.path("glossary"))
    sentences = list(dict.fromkeys(s.text for t in load_texts(config) for s in t.document.segments))
    source = config.source_language
    rows: list[Row] = []
    with TranslationMemory(config.path("memory")) as memory:
        for language in config.targets:
            entries = memory.lookup(sentences, source, language)
            if not entries:
                continue
            expected = found = flagged = 0
            for sentence, entry in entries.items():
                wanted = expected_concepts(sentence, terms, source, language)
                missing = {v.concept for v in check_compliance(sentence, entry.best_text, terms, source, language)}
                expected += len(wanted)
                found += len(wanted - missing)
                flagged += bool(entry.notes.flagged)
            rows.append(
                {
                    "metric": f"compliance {language}",
                    "value": round(100 * found / expected, 1) if expected else "",
                    "unit": "%",
                    "terms expected": expected,
                    "terms found": found,
                    "segments": len(entries),
                    "flagged": flagged,
                }
            )
    ctx.notes["glossary_compliance_of"] = f"{where}, glossary {terms.version}"
    return rows


def expected_concepts(sentence: str, terms, source: str, target: str) -> set[str]:
    """Concepts of a source sentence that have a required rendering in `target`.

    The same rule as translate.glossary.compliance.check_compliance: a concept's terms in the
    target, or for a do-not-translate entry the words as written.
    """
    from translate.glossary.matching import matcher

    wanted = set()
    for match in matcher(terms, source).find(sentence):
        if match.concept.terms(target) or not match.concept.translate:
            wanted.add(match.concept.id)
    return wanted
