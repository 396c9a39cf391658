"""Review import, status figures, publishing state and evaluate: real PO files and a real SQLite memory."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from readers import po_entry
from sacrebleu.metrics import BLEU, CHRF, TER
from typer.testing import CliRunner

from translate.cli.review import app as review_app
from translate.cli.review import evaluate as evaluate_command
from translate.memory.notes import Notes
from translate.review.evaluate import evaluate_files
from translate.review.po_export import export_po
from translate.review.po_import import import_paths, import_po
from translate.review.status import review_state, review_status
from translate.run.text_in_language import TextInLanguage

SIG = "engine:apertium|v:3.8.3|route:en>es|models:apertium-eng-spa@0.8.1|glossary:g1|seg:translate-seg-1"
ESSAY = """# The Virtual Factory

Factories socialized workers. They became sites of struggle.

1. Capitalists own the means of production.
2. Workers sell their labour power.
"""
MACHINE = {
    "The Virtual Factory": "La Fábrica Virtual",
    "Factories socialized workers.": "Fábricas socialized trabajadores.",
    "They became sites of struggle.": "Devinieron sitios de lucha.",
    "Capitalists own the means of production.": "Capitalistas poseen los medios de producción.",
    "Workers sell their labour power.": "Trabajadores venden su poder laboral.",
}


@pytest.fixture
def exported(project):
    """essay.md's machine drafts exported for review: (config, memory, text, the PO file)."""
    project.configure(["es", "fr"], project={"memory": "tm.sqlite"})
    text = project.add_text("essay.md", ESSAY)
    path = project / "outputs" / "es" / "essay.po"
    config = project.config
    with project.memory() as memory:
        memory.store_machine([(s, t, Notes()) for s, t in MACHINE.items()], "en", "es", SIG)
        export_po(path, TextInLanguage(text, "es", memory, config))
        yield config, memory, text, path


def edit(path: Path, changes: dict[str, tuple[str | None, bool]], **metadata) -> None:
    """Do what a reviewer does in Poedit: change texts, set or clear the fuzzy flag."""
    po = polib.pofile(str(path))
    for msgid, (msgstr, fuzzy) in changes.items():
        entry = po_entry(po, msgid)
        if msgstr is not None:
            entry.msgstr = msgstr
        entry.flags = ["fuzzy"] if fuzzy else []
    po.metadata.update(metadata)
    po.save(str(path))


REVIEW = {
    "The Virtual Factory": (None, False),  # approved as is
    "Factories socialized workers.": ("Las fábricas socializaron a los obreros.", False),  # edited
    "They became sites of struggle.": ("Se convirtieron en lugares de lucha.", True),  # draft
}


# -------------------------------------------------------------------------- import


def test_import_reads_approvals_edits_and_drafts(exported):
    config, memory, text, path = exported
    edit(path, REVIEW)
    result = import_po(memory, path, config, reviewer="ana", texts=[text])
    got = {d.source_text: (d.status, d.final_text, d.machine_text) for d in result.decisions}
    assert got == {
        "The Virtual Factory": ("approved", "La Fábrica Virtual", "La Fábrica Virtual"),
        "Factories socialized workers.": (
            "edited",
            "Las fábricas socializaron a los obreros.",
            "Fábricas socialized trabajadores.",
        ),
        "They became sites of struggle.": ("draft", "Se convirtieron en lugares de lucha.", "Devinieron sitios de lucha."),
    }
    assert result.pending == 2 and not result.skipped and not result.warnings
    log = memory.review_log("en", "es")
    assert [(d.status, d.reviewer, d.document) for d in log] == [
        ("approved", "ana", "essay.md"),
        ("edited", "ana", "essay.md"),
        ("draft", "ana", "essay.md"),
    ]
    assert all(d.segment_id.startswith("essay:") for d in log)
    assert memory.get("Factories socialized workers.", "en", "es").best_text == ("Las fábricas socializaron a los obreros.")


def test_reimporting_the_same_file_records_nothing(exported):
    config, memory, text, path = exported
    edit(path, REVIEW)
    import_po(memory, path, config, reviewer="ana", texts=[text])
    again = import_po(memory, path, config, reviewer="ana", texts=[text])
    assert again.decisions == []
    assert len(memory.review_log()) == 3
    # and the file a re-export writes imports as nothing new too
    export_po(path, TextInLanguage(text, "es", memory, config))
    assert import_po(memory, path, config, reviewer="bo", texts=[text]).decisions == []


def test_an_untouched_po_from_before_an_engine_change_records_nothing(exported):
    config, memory, text, path = exported
    # The engine changed after the PO went out: the memory holds new machine text.
    memory.store_machine([(s, t + " (v2)", Notes()) for s, t in MACHINE.items()], "en", "es", SIG + "|v2")
    result = import_po(memory, path, config, reviewer="ana", texts=[text])
    assert result.decisions == [] and memory.review_log() == []
    # but an edit in that old file is still a draft
    edit(path, {"They became sites of struggle.": ("Se volvieron lugares de lucha.", True)})
    result = import_po(memory, path, config, reviewer="ana", texts=[text])
    assert [(d.status, d.final_text) for d in result.decisions] == [("draft", "Se volvieron lugares de lucha.")]


def test_reviewer_defaults_to_last_translator_else_usage_error(exported):
    config, memory, text, path = exported
    edit(path, {"The Virtual Factory": (None, False)})
    refused = import_po(memory, path, config, texts=[text])
    assert refused.rejected_files == [str(path)] and "--reviewer" in refused.skipped[0].reason
    assert memory.review_log() == []
    edit(path, {}, **{"Last-Translator": "Ana Pérez <ana@example.org>"})
    result = import_po(memory, path, config, texts=[text])
    assert [d.reviewer for d in result.decisions] == ["Ana Pérez"]


def test_wrong_language_is_rejected_as_a_whole(exported):
    config, memory, text, path = exported
    edit(path, {"The Virtual Factory": (None, False)}, Language="fr")
    result = import_po(memory, path, config, reviewer="ana", texts=[text])
    assert result.decisions == [] and result.rejected_files == [str(path)]
    assert "fr" in result.skipped[0].reason and "es folder" in result.skipped[0].reason
    assert memory.review_log() == []


def test_a_regional_language_header_counts_as_the_target_language(exported):
    config, memory, text, path = exported
    edit(path, {"The Virtual Factory": (None, False)}, Language="es_ES")
    result = import_po(memory, path, config, reviewer="ana", texts=[text])
    assert [d.target_lang for d in result.decisions] == ["es"]
    assert result.warnings == [f"{path}: Language es_ES read as es"]


def test_po_for_another_source_version_applies_only_current_sentences(exported, project):
    config, memory, text, path = exported
    edit(
        path,
        {
            "The Virtual Factory": (None, False),
            "Workers sell their labour power.": ("Los obreros venden su fuerza de trabajo.", False),
        },
    )
    rewritten = ESSAY.replace("Workers sell their labour power.", "Workers sell labour power.")
    newer = project.add_text("essay.md", rewritten)
    result = import_po(memory, path, config, reviewer="ana", texts=[newer])
    # the edit of the sentence the source no longer has is kept for it (it comes back for the new wording)
    assert [d.source_text for d in result.decisions] == ["The Virtual Factory", "Workers sell their labour power."]
    assert not result.skipped
    assert any("another version" in w for w in result.warnings)
    assert any("offered for its new wording" in w for w in result.warnings)


def test_obsolete_and_unknown_entries_are_reported(exported, project):
    config, memory, text, path = exported
    po = polib.pofile(str(path))
    po.append(polib.POEntry(msgid="Old sentence.", msgstr="Frase vieja.", obsolete=True))
    po.save(str(path))
    memory.store_machine([], "en", "es", SIG)
    result = import_po(memory, path, config, reviewer="ana", texts=[text])
    assert [(s.msgid, s.reason) for s in result.skipped] == [("Old sentence.", "obsolete entry (#~)")]
    # a sentence of the text the memory has never seen
    fresh = project.add_text("essay.md", ESSAY + "\nA brand new sentence.\n")
    po = polib.pofile(str(path))
    po.append(polib.POEntry(msgctxt="essay:x", msgid="A brand new sentence.", msgstr="Nueva."))
    po.save(str(path))
    result = import_po(memory, path, config, reviewer="ana", texts=[fresh])
    assert [(d.source_text, d.final_text, d.status) for d in result.decisions] == [
        ("A brand new sentence.", "Nueva.", "edited")
    ]  # a sentence the memory never saw: recorded, not lost


def test_fuzzy_edit_never_demotes_an_approved_translation(exported):
    config, memory, text, path = exported
    edit(path, {"Factories socialized workers.": ("Las fábricas socializaron a los obreros.", False)})
    import_po(memory, path, config, reviewer="ana", texts=[text])
    edit(path, {"Factories socialized workers.": ("Otra cosa.", True)})
    result = import_po(memory, path, config, reviewer="bo", texts=[text])
    assert [(d.status, d.outcome, d.final_text) for d in result.decisions] == [("suggested", "kept", "Otra cosa.")]
    assert "kept as a suggestion" in result.warnings[0]
    entry = memory.get("Factories socialized workers.", "en", "es")
    assert (entry.status, entry.final_text) == ("approved", "Las fábricas socializaron a los obreros.")


def test_import_paths_walks_folders(exported):
    config, memory, text, path = exported
    edit(path, REVIEW)
    result = import_paths(memory, [path.parents[1]], config, "ana", [text])
    assert result.files == [str(path)] and len(result.decisions) == 3


# -------------------------------------------------------------------------- figures


def test_status_figures_match_sacrebleu_on_the_reviewed_pairs(exported):
    config, memory, text, path = exported
    edit(path, REVIEW)
    import_po(memory, path, config, reviewer="ana", texts=[text])
    [row] = review_status(memory, [text], ["es"])
    assert (row.segments, row.approved, row.edited, row.draft, row.pending) == (5, 1, 1, 1, 2)
    machine = ["La Fábrica Virtual", "Fábricas socialized trabajadores."]
    final = ["La Fábrica Virtual", "Las fábricas socializaron a los obreros."]
    assert row.ter == pytest.approx(TER(case_sensitive=True).corpus_score(machine, [final]).score, abs=0.01)
    assert row.chrf == pytest.approx(CHRF().corpus_score(machine, [final]).score, abs=0.01)
    assert row.ter is not None and row.chrf is not None and 0 < row.ter and row.chrf < 100
    assert row.share_unchanged == 0.5 and row.approved_share == 0.4 and row.reviewers == ["ana"]
    [untouched] = review_status(memory, [text], ["fr"])
    assert untouched.pending == 5
    assert (untouched.ter, untouched.chrf, untouched.share_unchanged) == (None, None, None)


def test_review_state_uses_the_threshold(exported):
    config, memory, text, path = exported
    edit(path, {m: (None, False) for m in list(MACHINE)[:4]})
    import_po(memory, path, config, reviewer="ana", texts=[text])
    state = review_state(memory, text, "es", threshold=0.8)
    assert (state.reviewed, state.approved_share, state.approved, state.pending) == (True, 0.8, 4, 1)
    assert review_state(memory, text.document, "es", threshold=0.9).reviewed is False
    memory.record_layout("essay.md", "en", [(s.index, s.block, 0, s.source_hash, s.text) for s in text.document.segments])
    assert review_state(memory, "essay.md", "es", threshold=0.8).reviewed is True


# -------------------------------------------------------------------------- evaluate and CLI


def test_evaluate_files_by_line_and_by_document(tmp_path):
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text("el gato está en la alfombra\nhola mundo\n", encoding="utf-8")
    ref.write_text("el gato está sobre la alfombra\nhola mundo\n", encoding="utf-8")
    result = evaluate_files(hyp, ref)
    assert result.unit == "line" and result.segments == 2
    scores = {s.metric: s for s in result.scores}
    hyps = ["el gato está en la alfombra", "hola mundo"]
    refs = ["el gato está sobre la alfombra", "hola mundo"]
    assert scores["BLEU"].score == pytest.approx(BLEU().corpus_score(hyps, [refs]).score, abs=0.01)
    assert scores["TER"].score == pytest.approx(TER(case_sensitive=True).corpus_score(hyps, [refs]).score, abs=0.01)
    assert scores["chrF"].signature.startswith("nrefs:1")
    ref.write_text("el gato está sobre la alfombra hola mundo\n", encoding="utf-8")
    assert evaluate_files(hyp, ref).unit == "document"
    assert evaluate_files(ref, ref, unit="document").scores[0].score == 100.0


def test_cli_import_status_and_evaluate(exported, project, monkeypatch):
    config, memory, text, path = exported
    project.configure(["es"], project={"memory": "tm.sqlite"})
    monkeypatch.chdir(project.root)
    edit(path, REVIEW)
    runner = CliRunner()
    done = runner.invoke(review_app, ["import", str(path), "--reviewer", "ana", "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["recorded"] == {"approved": 1, "edited": 1, "draft": 1, "comment": 0, "suggested": 0}
    done = runner.invoke(review_app, ["status", "--json"])
    assert done.exit_code == 0, done.output
    [row] = json.loads(done.stdout)["rows"]
    counts = (row["approved"], row["edited"], row["draft"], row["pending"], row["reviewed"])
    assert counts == (1, 1, 1, 2, False)
    edit(path, {"Workers sell their labour power.": (None, False)})
    done = runner.invoke(review_app, ["import", str(path)])
    assert done.exit_code == 1 and "--reviewer" in done.output

    import typer

    eval_app = typer.Typer()
    eval_app.command()(evaluate_command)
    done = runner.invoke(eval_app, [str(text.path), str(text.path), "--json"])
    assert done.exit_code == 0, done.output
    assert {s["metric"]: s["score"] for s in json.loads(done.stdout)["scores"]} == {"BLEU": 100.0, "chrF": 100.0, "TER": 0.0}


def test_an_emptied_translation_is_reported_not_dropped_in_silence(exported):
    config, memory, text, path = exported
    edit(path, {"Factories socialized workers.": ("", False)})

    result = import_po(memory, path, config, reviewer="ana", texts=[text])

    assert result.decisions == []
    [warning] = result.warnings
    assert "'Factories socialized workers.'" in warning and "its translation was emptied" in warning
    assert memory.get("Factories socialized workers.", "en", "es").machine_text == MACHINE["Factories socialized workers."]
