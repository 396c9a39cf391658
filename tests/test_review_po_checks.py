"""Quality signals in the PO file: `#. check:` lines a volunteer reads in Poedit or Lokalize."""

from __future__ import annotations

import shutil
import subprocess

import polib
import pytest

from translate.memory.notes import Notes, Signal
from translate.memory.records import ReviewDecision
from translate.memory.store import TranslationMemory
from translate.review.po_export import export_po
from translate.run.text_in_language import TextInLanguage
from translate.segment import sentence_hash

SIG = "engine:apertium|v:3.8.3|route:en>es|models:apertium-eng-spa@0.8.1|glossary:g1|seg:translate-seg-1"
ESSAY = "# The Virtual Factory\n\nFactories were exploitative panopticon enclosures. Yes.\n"


def comments(path) -> dict[str, str]:
    return {e.msgid: e.comment.replace("\n", " ") for e in polib.pofile(str(path))}


def msgfmt_check(path) -> None:
    if shutil.which("msgfmt") is None:
        pytest.skip("gettext not installed")
    done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == "", done.stderr


def test_a_draft_shows_its_unknown_words_and_its_flag_in_check_comments(project):
    config = project.configure(["es"]).config
    text = project.add_text("essay.md", ESSAY)
    heavy = Notes(
        flagged=True,
        signals=[
            Signal("unknown-words", "unknown words", ("exploitative", "panopticon"), 2.0),
            Signal("engine-errors", "engine errors", ("muro",), 1.0),
        ],
    )
    light = Notes(flagged=False, signals=[Signal("spelling", "words not in the dictionary", ("Sí",), 0.5)])
    path = project / "essay.po"
    with TranslationMemory(project / "tm.sqlite") as memory:
        memory.store_machine(
            [
                ("The Virtual Factory", "La fábrica virtual", Notes(flagged=False, signals=[])),
                ("Factories were exploitative panopticon enclosures.", "Las fábricas eran exploitative panopticon.", heavy),
                ("Yes.", "Sí.", light),
            ],
            "en",
            "es",
            SIG,
        )
        export_po(path, TextInLanguage(text, "es", memory, config))
    found = comments(path)
    assert "check: unknown words: exploitative, panopticon" in found["Factories were exploitative panopticon enclosures."]
    assert "flagged: among the first sentences to review (score 3)" in found["Factories were exploitative panopticon enclosures."]
    assert "check: words not in the dictionary: Sí" in found["Yes."] and "flagged" not in found["Yes."]
    assert "check:" not in found["The Virtual Factory"] and "flagged" not in found["The Virtual Factory"]
    msgfmt_check(path)


def test_an_approved_sentence_shows_no_check_of_the_machine_draft(project):
    config = project.configure(["es"]).config
    text = project.add_text("essay.md", ESSAY)
    notes = Notes(flagged=True, signals=[Signal("glossary", "glossary terms not as pinned", ("plusvalía",), 3.0)])
    path = project / "essay.po"
    with TranslationMemory(project / "tm.sqlite") as memory:
        memory.store_machine([("Yes.", "Si.", notes)], "en", "es", SIG)
        memory.record_review(ReviewDecision(sentence_hash("Yes."), "en", "es", "ana", "", "Si.", "Sí.", "approved"))
        export_po(path, TextInLanguage(text, "es", memory, config))
    assert "check:" not in comments(path)["Yes."] and "flagged" not in comments(path)["Yes."]


@pytest.mark.slow
@pytest.mark.apertium
def test_a_real_spanish_run_writes_check_comments_that_msgfmt_accepts(tmp_path, translated_essays):
    project, _ = translated_essays(tmp_path / "p", ("es",))
    path = project / "outputs" / "es" / "the-virtual-factory.po"
    msgfmt_check(path)
    body = path.read_text(encoding="utf-8")
    assert "#. check: unknown words: " in body and "#. flagged: among the first sentences to review" in body
    assert "please check the glossary terms" not in body
