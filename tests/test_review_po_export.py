"""PO export: what a reviewer's tool reads, checked with polib, msgfmt and msgcat."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import polib
import pytest
from readers import po_entry

from translate.glossary.model import from_data
from translate.languages import plural_forms
from translate.memory.notes import GlossaryViolation, Notes
from translate.memory.records import ReviewDecision
from translate.memory.store import TranslationMemory
from translate.review.decisions import unimported_changes
from translate.review.po_export import export_po
from translate.review.po_file import source_digest
from translate.review.po_import import import_po
from translate.run.pipeline import record_layout as record_text_layout
from translate.run.text_in_language import TextInLanguage
from translate.segment import sentence_hash
from translate.texts import SourceText

SIG = "engine:apertium|v:3.8.3|route:en>es|models:apertium-eng-spa@0.8.1|glossary:g1|seg:translate-seg-1"

ESSAY = """# The Virtual Factory

Factories socialized workers. Yes.

1. Capitalists own the means of production.
2. Workers sell their labour power.

Stalin: We are fifty or a hundred years behind.
Ludwig: Yes.
"""


def machine(text: str) -> str:
    """A stand-in 'translation' that is clearly not the source."""
    return "ES " + text.upper()


def record_layout(memory: TranslationMemory, text: SourceText) -> None:
    record_text_layout(memory, text, "en")


def store(memory: TranslationMemory, text: SourceText, notes: Notes | None = None) -> None:
    sentences = dict.fromkeys(s.text for s in text.document.segments)
    memory.store_machine([(s, machine(s), notes) for s in sentences], "en", "es", SIG)


def decide(memory, sentence, final, status="approved", reviewer="ana"):
    entry = memory.get(sentence, "en", "es")
    memory.record_review(
        ReviewDecision(sentence_hash(sentence), "en", "es", reviewer, "", entry.machine_text, final, status, document="essay.md")
    )


@pytest.fixture
def drafts(project):
    """essay.md with its machine drafts in the memory: (config, memory, text, where its PO goes)."""
    project.configure(["es"], project={"memory": "tm.sqlite"})
    text = project.add_text("essay.md", ESSAY)
    with project.memory() as memory:
        record_layout(memory, text)
        store(memory, text)
        yield project.config, memory, text, project / "outputs" / "es" / "essay.po"


def msgfmt_check(path: Path) -> None:
    done = subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "-o", os.devnull, str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def by_sentence(path: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(path))}


# -------------------------------------------------------------------------- file and header


@pytest.mark.gettext
def test_export_writes_a_valid_po_with_fuzzy_machine_drafts(drafts):
    config, memory, text, path = drafts
    assert export_po(path, TextInLanguage(text, "es", memory, config)).changed is True
    msgfmt_check(path)
    po = polib.pofile(str(path))
    meta = po.metadata
    assert meta["Language"] == "es"
    assert meta["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert meta["Content-Type"] == "text/plain; charset=UTF-8"
    assert meta["Content-Transfer-Encoding"] == "8bit"
    assert meta["MIME-Version"] == "1.0"
    assert meta["Project-Id-Version"] == "translate essay"
    assert meta["Language-Team"] == "Spanish"
    assert meta["X-Generator"].startswith("translate ")
    assert meta["X-Source-File"] == "essay.md"
    assert meta["X-Source-Hash"] == source_digest(text.document)
    assert SIG in meta["X-Engine-Signatures"]
    sentences = list(dict.fromkeys(s.text for s in text.document.segments))
    assert [e.msgid for e in po] == sentences  # one entry per distinct sentence, in reading order
    for entry in po:
        assert entry.msgstr == machine(entry.msgid)
        assert entry.fuzzy
        assert entry.msgctxt is None  # the sentence names its entry; Poedit's source column shows only it
        assert entry.comment.splitlines()[-1].startswith("revision: ")
        assert "engine: apertium 3.8.3, en>es, apertium-eng-spa@0.8.1" in entry.comment


def test_plural_forms_are_gettexts_own_whatever_babel_is_installed():
    """gettext's msginit table, not the installed CLDR (Babel 2.19 gives es and fr a third form)."""
    assert plural_forms("es") == "nplurals=2; plural=(n != 1);"
    assert plural_forms("fr") == "nplurals=2; plural=(n > 1);"
    assert plural_forms("pt_BR") == "nplurals=2; plural=(n > 1);"
    assert plural_forms("es_419") == plural_forms("es")
    assert plural_forms("ru").startswith("nplurals=3;")
    assert plural_forms("ar").startswith("nplurals=6;")
    assert plural_forms("zh") == "nplurals=1; plural=0;"


def test_duplicate_sentence_is_one_entry_with_two_references(drafts):
    config, memory, text, path = drafts
    export_po(path, TextInLanguage(text, "es", memory, config))
    yes = by_sentence(path)["Yes."]
    assert yes.occurrences == [("essay.md", "3"), ("essay.md", "9")]


def test_comments_give_block_context(drafts):
    config, memory, text, path = drafts
    export_po(path, TextInLanguage(text, "es", memory, config))
    entries = by_sentence(path)
    assert entries["The Virtual Factory"].comment.splitlines()[0] == "heading"
    assert entries["Workers sell their labour power."].comment.splitlines()[0] == "list item 2"
    assert entries["We are fifty or a hundred years behind."].comment.splitlines()[0] == "dialogue: Stalin"
    first_yes = entries["Yes."].comment.splitlines()
    assert first_yes[0] == "paragraph 1, sentence 2 of 2"
    assert "previous sentence: Factories socialized workers." in first_yes  # a short sentence's neighbour
    assert entries["Factories socialized workers."].occurrences == [("essay.md", "3")]


def test_glossary_violations_and_flags_from_the_notes(project):
    config = project.configure(["es"]).config
    text = project.add_text("essay.md", ESSAY)
    notes = Notes(violations=[GlossaryViolation("surplus-value", "plusvalía", "term missing")], flagged=True)
    path = project / "essay.po"
    with TranslationMemory(project / "tm.sqlite") as memory:
        store(memory, text, notes)
        export_po(path, TextInLanguage(text, "es", memory, config))
    comment = " ".join(by_sentence(path)["Yes."].comment.split())  # polib wraps long comments
    assert "glossary violation: surplus-value: term missing (expected “plusvalía”)" in comment
    assert "flagged: please check the glossary terms in this sentence" in comment


def test_glossary_terms_that_apply_are_listed(project):
    glossary = from_data(
        {
            "glossary": {"name": "t", "version": "1", "source_language": "en"},
            "concept": [{"id": "labour-power", "terms": {"en": ["labour power"], "es": ["fuerza de trabajo"]}}],
        }
    )
    config = project.configure(["es"]).config
    text = project.add_text("essay.md", ESSAY)
    path = project / "essay.po"
    with TranslationMemory(project / "tm.sqlite") as memory:
        store(memory, text)
        export_po(path, TextInLanguage(text, "es", memory, config, glossary))
    entries = by_sentence(path)
    assert "glossary: labour power → fuerza de trabajo" in entries["Workers sell their labour power."].comment
    assert "glossary:" not in entries["Yes."].comment


# -------------------------------------------------------------------------- stability and round trips


def test_reexport_with_nothing_new_rewrites_nothing(drafts):
    config, memory, text, path = drafts
    assert export_po(path, TextInLanguage(text, "es", memory, config)).changed is True
    before = path.read_bytes()
    os.utime(path, (1_000_000_000, 1_000_000_000))
    assert export_po(path, TextInLanguage(text, "es", memory, config)).changed is False
    assert path.read_bytes() == before
    assert path.stat().st_mtime == 1_000_000_000


def test_approved_entries_lose_fuzzy_and_drafts_stay_fuzzy(drafts):
    config, memory, text, path = drafts
    export_po(path, TextInLanguage(text, "es", memory, config))
    created = polib.pofile(str(path)).metadata["POT-Creation-Date"]
    decide(memory, "Yes.", "Sí.", "edited")
    decide(memory, "The Virtual Factory", machine("The Virtual Factory"))
    first_item = "Capitalists own the means of production."
    decide(memory, first_item, "Segundo punto.", "draft")
    assert export_po(path, TextInLanguage(text, "es", memory, config)).changed is True
    entries = by_sentence(path)
    assert (entries["Yes."].msgstr, entries["Yes."].fuzzy) == ("Sí.", False)
    assert entries["The Virtual Factory"].fuzzy is False
    assert (entries[first_item].msgstr, entries[first_item].fuzzy) == ("Segundo punto.", True)
    # Same sentences: the template date stays, only the revision date may move.
    assert polib.pofile(str(path)).metadata["POT-Creation-Date"] == created


@pytest.mark.gettext
def test_msgcat_output_parses_to_the_same_entries(drafts, tmp_path):
    config, memory, text, path = drafts
    decide(memory, "Yes.", "Sí.", "edited")
    export_po(path, TextInLanguage(text, "es", memory, config))
    out = tmp_path / "msgcat.po"
    subprocess.run(["msgcat", "--no-wrap", str(path), "-o", str(out)], check=True)
    msgfmt_check(out)

    def key(entry):
        return (entry.msgctxt, entry.msgid, entry.msgstr, entry.fuzzy, entry.occurrences, entry.comment)

    ours, theirs = polib.pofile(str(path)), polib.pofile(str(out))
    assert [key(e) for e in ours] == [key(e) for e in theirs]
    assert ours.metadata == theirs.metadata


def test_translator_comments_survive_a_reexport(drafts):
    config, memory, text, path = drafts
    export_po(path, TextInLanguage(text, "es", memory, config))
    po = polib.pofile(str(path))
    po_entry(po, "Capitalists own the means of production.").tcomment = "ask Ana about 'item'"
    po.save(str(path))
    # a comment not imported yet is human work
    assert export_po(path, TextInLanguage(text, "es", memory, config)).changed is False
    import_po(memory, path, config, reviewer="Ana", texts=[text])
    decide(memory, "Yes.", "Sí.", "edited")  # something new, so the file is rewritten
    assert export_po(path, TextInLanguage(text, "es", memory, config)).changed is True
    entries = by_sentence(path)
    assert entries["Yes."].msgstr == "Sí."
    assert entries["Capitalists own the means of production."].tcomment == "ask Ana about 'item'"


def test_unimported_human_changes_are_never_overwritten(drafts):
    config, memory, text, path = drafts
    export_po(path, TextInLanguage(text, "es", memory, config))
    po = polib.pofile(str(path))
    edited = po_entry(po, "Yes.")
    edited.msgstr, edited.flags = "Sí.", []
    po.save(str(path))
    assert unimported_changes(path, memory, "en", "es") == 1
    decide(memory, "Capitalists own the means of production.", "Segundo punto.")
    written = export_po(path, TextInLanguage(text, "es", memory, config))
    assert (written.changed, written.kept) == (False, True)
    assert written.warnings == (
        "essay.po: has reviewer edits not imported yet, left as it is; run `translate review import` first",
    )
    assert by_sentence(path)["Yes."].msgstr == "Sí."


@pytest.mark.gettext
def test_changed_sentence_gets_the_old_approved_text_as_fuzzy_suggestion(drafts, project):
    config, memory, text, path = drafts
    decide(memory, "Workers sell their labour power.", "Los obreros venden su fuerza de trabajo.", "edited")
    export_po(path, TextInLanguage(text, "es", memory, config))
    po = polib.pofile(str(path))
    po_entry(po, "Workers sell their labour power.").tcomment = "Marx's term"
    po.save(str(path))
    import_po(memory, path, config, reviewer="Ana", texts=[text])

    rewritten = ESSAY.replace("Workers sell their labour power.", "Workers sell labour power.")
    changed = project.add_text("essay.md", rewritten)
    record_layout(memory, changed)
    store(memory, changed)
    assert export_po(path, TextInLanguage(changed, "es", memory, config)).changed is True
    msgfmt_check(path)
    entry = by_sentence(path)["Workers sell labour power."]
    assert entry.fuzzy
    assert entry.msgstr == "Los obreros venden su fuerza de trabajo."
    assert entry.previous_msgid == "Workers sell their labour power."
    assert entry.previous_msgctxt is None
    assert entry.tcomment == "Marx's term"
    assert '#| msgid "Workers sell their labour power."' in path.read_text(encoding="utf-8")
    assert "Workers sell their labour power." not in by_sentence(path)
    assert unimported_changes(path, memory, "en", "es") == 0  # our own suggestion is not a human change


@pytest.mark.gettext
def test_approved_translation_of_a_deleted_sentence_stays_as_obsolete_entry(drafts, project):
    config, memory, text, path = drafts
    export_po(path, TextInLanguage(text, "es", memory, config))
    deleted = "Factories socialized workers."
    decide(memory, deleted, "Las fábricas socializaron a los obreros.")
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid == deleted:
            entry.msgstr, entry.flags = "Las fábricas socializaron a los obreros.", []
            entry.tcomment = "checked against the 1999 edition"
    po.save(str(path))
    import_po(memory, path, config, reviewer="Ana", texts=[text])
    shorter = project.add_text("essay.md", ESSAY.replace("Factories socialized workers. ", ""))
    record_layout(memory, shorter)
    assert export_po(path, TextInLanguage(shorter, "es", memory, config)).changed is True
    msgfmt_check(path)
    po = polib.pofile(str(path))
    obsolete = [e for e in po if e.obsolete]
    assert [(e.msgid, e.msgstr, e.tcomment) for e in obsolete] == [
        (deleted, "Las fábricas socializaron a los obreros.", "checked against the 1999 edition")
    ]
    assert deleted not in {e.msgid for e in po if not e.obsolete}
    # the sentence that moved into its place is not offered the deleted one's translation
    neighbour = next(e for e in po if e.msgid == "Yes." and not e.obsolete)
    assert neighbour.msgstr == machine("Yes.") and neighbour.previous_msgid is None
    # and it stays on the next export too
    assert export_po(path, TextInLanguage(shorter, "es", memory, config)).changed is False
    assert [e.msgid for e in polib.pofile(str(path)) if e.obsolete] == [deleted]


def test_po_dates_are_the_contents_own_so_two_clones_write_the_same_file(drafts):
    """POT-Creation-Date and PO-Revision-Date come from the memory's times, not from the clock when the file is
    written: the same decisions give the same bytes on every branch, and a merge finds no date to conflict on."""
    config, memory, text, path = drafts
    decision = ReviewDecision(
        sentence_hash("Yes."), "en", "es", "ana", "2001-02-03T04:05:06Z", machine("Yes."), "Sí.", "edited", source_text="Yes."
    )
    memory.record_review(decision)
    memory.connection.execute("UPDATE entries SET created = '2000-01-01T10:20:30Z', updated = '2000-06-01T00:00:00Z'")
    memory.connection.execute("UPDATE entries SET updated = '2001-02-03T04:05:06Z' WHERE final_text = 'Sí.'")
    export_po(path, TextInLanguage(text, "es", memory, config))
    meta = polib.pofile(str(path)).metadata
    assert (meta["POT-Creation-Date"], meta["PO-Revision-Date"]) == ("2000-01-01 10:20+0000", "2001-02-03 04:05+0000")
    first = path.read_bytes()
    path.unlink()
    assert export_po(path, TextInLanguage(text, "es", memory, config)).changed and path.read_bytes() == first
