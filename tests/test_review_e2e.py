"""The whole review loop on the real essays with the real Apertium engine.

translate → PO → a reviewer edits with polib → import → the source changes →
translate again: no approved translation is lost, the rewritten sentence gets
its old approved translation back as a fuzzy suggestion, the log holds every
decision, and the status figures are what sacrebleu says about the same pairs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from readers import po_entry
from sacrebleu.metrics import CHRF, TER

from translate.glossary.files import load_glossary
from translate.memory.store import TranslationMemory
from translate.review.po_export import export_po
from translate.review.po_import import import_po
from translate.review.status import review_state, review_status
from translate.run.text_in_language import TextInLanguage
from translate.texts import load_texts, output_path
from translate.workflow import run

ESSAY = "the-virtual-factory.txt"
CHANGED_OLD = "Factories were designed by capitalists as exploitative panopticon enclosures."
CHANGED_NEW = "Factories were designed by capitalists as exploitative enclosures."
ADDED = "This sentence was added after the review."
FIXES = {
    CHANGED_OLD: "Las fábricas fueron diseñadas por los capitalistas como recintos panópticos de explotación.",
    "Nevertheless, they socialized workers, and became sites of organization and struggle.": (
        "No obstante, socializaron a los obreros y se convirtieron en lugares de organización y lucha."
    ),
}

pytestmark = pytest.mark.apertium


def msgfmt_check(path: Path) -> None:
    if shutil.which("msgfmt") is None:
        return
    done = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stderr, f"{path}: {done.stderr}"


def translate_and_export(config) -> dict[str, Path]:
    """Run the workflow, then export (a no-op where the workflow already wrote the same PO)."""
    report, _ = run(config)
    [result] = report.languages
    if result.status == "skipped":
        pytest.skip(f"no English→Spanish Apertium pair here: {result.message}")
    assert result.status == "ok", result.message
    texts = load_texts(config)
    paths = {}
    with TranslationMemory(config.path("memory")) as memory:
        glossary = load_glossary(config.path("glossary"))
        for text in texts:
            paths[text.path.name] = path = output_path(config, "es", text, ".po")
            export_po(path, TextInLanguage(text, "es", memory, config, glossary))
            msgfmt_check(path)
    return paths


@pytest.fixture
def project(project):
    return project.add_essays().configure(["es"], project={"memory": "memory/tm.sqlite"}, engine={"default": "apertium"})


@pytest.mark.slow
def test_review_round_trip_keeps_human_work(project):
    config = project.config
    pos = translate_and_export(config)
    po_path = pos[ESSAY]
    po = polib.pofile(str(po_path))
    assert all(e.fuzzy for e in po if e.msgstr)
    machine_of = {e.msgid: e.msgstr for e in po}

    # The reviewer: approves three drafts as they are, fixes two, saves one edit as a draft.
    others = {s.text for t in load_texts(config) if t.path.name != ESSAY for s in t.document.segments}
    own = [e for e in po if e.msgid not in others and e.msgid not in FIXES]
    as_is, draft = own[0:3], own[3]
    for entry in as_is:
        entry.flags = []
    for msgid, fixed in FIXES.items():
        entry = po_entry(po, msgid)
        entry.msgstr, entry.flags = fixed, []
    po_entry(po, CHANGED_OLD).tcomment = "panopticon: Bentham's prison design"
    draft_text = draft.msgstr.rstrip(".") + " (por revisar)."
    draft.msgstr = draft_text
    po.metadata["Last-Translator"] = "Ana Pérez <ana@example.org>"
    po.save(str(po_path))
    msgfmt_check(po_path)
    approved = {e.msgid: e.msgstr for e in as_is} | FIXES

    with TranslationMemory(config.path("memory")) as memory:
        result = import_po(memory, po_path, config)
        assert not result.skipped and not result.warnings
        statuses = sorted(d.status for d in result.decisions)
        assert statuses == ["approved"] * 3 + ["comment", "draft"] + ["edited"] * 2
        log = [d for d in memory.review_log("en", "es") if d.status != "comment"]
        assert [d.comment for d in memory.review_log("en", "es") if d.status == "comment"] == [
            "panopticon: Bentham's prison design"
        ]
        assert {(d.source_text, d.final_text, d.status) for d in log} == (
            {(m, t, "approved") for m, t in approved.items() if m not in FIXES}
            | {(m, t, "edited") for m, t in FIXES.items()}
            | {(draft.msgid, draft_text, "draft")}
        )
        assert {d.reviewer for d in log} == {"Ana Pérez"}  # the e-mail address is never kept
        assert import_po(memory, po_path, config).decisions == []  # idempotent

    # The author rewrites the approved sentence and adds one.
    source = config.path("texts") / ESSAY
    body = source.read_text(encoding="utf-8")
    assert CHANGED_OLD in body
    source.write_text(body.replace(CHANGED_OLD, CHANGED_NEW) + f"\n{ADDED}\n", encoding="utf-8")
    pos = translate_and_export(config)

    # Every approved translation of a sentence still in the text survived, in the .md and the PO.
    output = output_path(config, "es", next(t for t in load_texts(config) if t.path.name == ESSAY)).read_text(encoding="utf-8")
    entries = {e.msgid: e for e in polib.pofile(str(pos[ESSAY]))}
    for msgid, text in approved.items():
        if msgid == CHANGED_OLD:
            continue
        assert text in output
        assert (entries[msgid].msgstr, entries[msgid].fuzzy) == (text, False)
    assert (entries[draft.msgid].msgstr, entries[draft.msgid].fuzzy) == (draft_text, True)
    assert draft_text not in output  # a draft is a suggestion, not what we publish

    # The rewritten sentence: the old approved translation, fuzzy, with the old msgid, and the comment kept.
    changed = entries[CHANGED_NEW]
    assert changed.fuzzy and changed.msgstr == FIXES[CHANGED_OLD]
    assert changed.previous_msgid == CHANGED_OLD
    assert changed.tcomment == "panopticon: Bentham's prison design"
    assert CHANGED_OLD not in entries
    assert entries[ADDED].fuzzy and entries[ADDED].msgstr

    # The figures, computed independently from the same pairs.
    reviewed_pairs = [(machine_of[m], t) for m, t in approved.items() if m != CHANGED_OLD]
    hyps, refs = [m for m, _ in reviewed_pairs], [t for _, t in reviewed_pairs]
    texts = load_texts(config)
    with TranslationMemory(config.path("memory")) as memory:
        rows = {r.text: r for r in review_status(memory, texts, ["es"])}
        row = rows[ESSAY]
        distinct = len({s.text for t in texts if t.path.name == ESSAY for s in t.document.segments})
        assert (row.segments, row.approved, row.edited, row.draft) == (distinct, 3, 1, 1)
        assert row.pending == distinct - 5
        assert row.ter == pytest.approx(TER(case_sensitive=True).corpus_score(hyps, [refs]).score, abs=0.01)
        assert row.chrf == pytest.approx(CHRF().corpus_score(hyps, [refs]).score, abs=0.01)
        assert row.share_unchanged == 0.75
        state = review_state(memory, next(t for t in texts if t.path.name == ESSAY), "es", 0.9)
        assert not state.reviewed and state.reviewers == ["Ana Pérez"]

        # Accepting the suggestion approves it for the new wording.
        po = polib.pofile(str(pos[ESSAY]))
        po_entry(po, CHANGED_NEW).flags = []
        po.save(str(pos[ESSAY]))
        decision, carried = import_po(memory, pos[ESSAY], config, reviewer="bo").decisions
        assert (decision.status, decision.final_text) == ("edited", FIXES[CHANGED_OLD])
        assert (carried.status, carried.comment) == ("comment", "panopticon: Bentham's prison design")
        assert len(memory.review_log()) == 9
    translate_and_export(config)
    essay = next(t for t in texts if t.path.name == ESSAY)
    assert FIXES[CHANGED_OLD] in output_path(config, "es", essay).read_text(encoding="utf-8")
