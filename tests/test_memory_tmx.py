"""TMX 1.4 export/import: valid files other tools can read, lossless round trips, safe merges."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from translate import __version__
from translate.errors import UsageError
from translate.memory.notes import Notes
from translate.memory.records import ReviewDecision
from translate.memory.store import TranslationMemory
from translate.memory.tmx import XML_LANG, export_tmx, from_tmx_date, import_tmx, to_tmx_date
from translate.segment import sentence_hash

SIG = "engine:apertium|v:3.9.4|route:en>es|models:apertium-eng-spa@0.8.2|glossary:g1|seg:translate-seg-1"
TMX_DATE = re.compile(r"^\d{8}T\d{6}Z$")


def review(tm, text, target, final, status="approved", reviewer="ana"):
    entry = tm.get(text, "en", target)
    tm.record_review(
        ReviewDecision(sentence_hash(text), "en", target, reviewer, "2024-05-02T10:00:00Z", entry.machine_text, final, status)
    )


@pytest.fixture
def tm(tmp_path):
    """A memory with every kind of entry in two target languages, and awkward characters."""
    with TranslationMemory(tmp_path / "memory.sqlite") as memory:
        memory.store_machine(
            [
                ("The factory is virtual.", "La fábrica es virtual.", Notes.from_dict({"violations": [{"term": "factory"}]})),
                ("Capital & labour <together>.", 'Capital y trabajo <juntos> & "más".', Notes()),
                ("  Spaces, tabs\tand 'quotes' stay.  ", "  Espacios\ty 'comillas'.  ", Notes()),
                ("Approved as is.", "Aprobada tal cual.", Notes()),
                ("Edited.", "Editada mal.", Notes()),
                ("Draft.", "Borrador máquina.", Notes()),
                ("Rejected.", "Rechazada.", Notes()),
                ("A line\r\nbreak.", "Un salto\r\nde línea.", Notes()),  # a bare CR must survive XML
            ],
            "en",
            "es",
            SIG,
        )
        memory.store_machine([("The factory is virtual.", "A fábrica é virtual.", Notes())], "en", "pt_BR", SIG)
        review(memory, "Approved as is.", "es", "Aprobada tal cual.")
        review(memory, "Edited.", "es", "Editada bien. 工場 ✓", status="edited")
        review(memory, "Draft.", "es", "Borrador humano.", status="draft", reviewer="luis")
        review(memory, "Rejected.", "es", "", status="rejected")
        review(memory, "The factory is virtual.", "pt_BR", "A fábrica é virtual!")
        yield memory


def test_export_is_well_formed_tmx_14(tm, tmp_path):
    path = tmp_path / "out" / "memory.tmx"
    assert export_tmx(tm, path, "en").units == 9
    root = ET.parse(path).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None
    assert {k: header.get(k) for k in ("creationtool", "creationtoolversion", "srclang", "adminlang", "datatype", "segtype")} == {
        "creationtool": "translate",
        "creationtoolversion": __version__,
        "srclang": "en",
        "adminlang": "en",
        "datatype": "plaintext",
        "segtype": "sentence",
    }
    assert header.get("o-tmf") and TMX_DATE.match(header.get("creationdate", ""))
    units = root.findall("body/tu")
    assert len(units) == 9
    for tu in units:
        assert TMX_DATE.match(tu.get("creationdate", "")) and TMX_DATE.match(tu.get("changedate", ""))
        assert [child.tag for child in tu][-2:] == ["tuv", "tuv"]  # props first, as the DTD requires
        assert all(child.tag == "prop" for child in list(tu)[:-2])
        assert tu.findall("tuv")[0].get(XML_LANG) == "en"
    portuguese = [tu for tu in units if tu.findall("tuv")[1].get(XML_LANG) == "pt-BR"]
    assert len(portuguese) == 1
    props = {p.get("type"): p.text for p in portuguese[0].findall("prop")}
    assert props["x-translate-status"] == "approved" and props["x-translate-signature"] == SIG
    assert props["x-translate-reviewer"] == "ana" and portuguese[0].get("changeid") == "ana"
    assert portuguese[0].findtext("tuv[2]/seg") == "A fábrica é virtual!"
    assert portuguese[0].get("changedate") == "20240502T100000Z"


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint not installed")
def test_export_passes_xmllint(tm, tmp_path):
    path = tmp_path / "memory.tmx"
    export_tmx(tm, path, "en", "es")
    result = subprocess.run(["xmllint", "--noout", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_round_trip_into_a_new_memory_gives_identical_entries(tm, tmp_path):
    path = tmp_path / "memory.tmx"
    export_tmx(tm, path, "en")
    with TranslationMemory(tmp_path / "copy.sqlite") as copy:
        summary = import_tmx(copy, path)
        assert (summary.units, summary.added, summary.conflicts) == (9, 9, [])

        def same(entry):  # the same entries; only how they arrived differs, and the machine texts say so
            return replace(entry, via="", decision_id="", notes=replace(entry.notes, origin=None))

        for target in ("es", "pt_BR"):
            assert [same(e) for e in copy.entries("en", target)] == [same(e) for e in tm.entries("en", target)]
            assert {e.via for e in copy.entries("en", target) if e.status != "machine"} == {"tmx"}
            assert {e.notes.origin for e in copy.entries("en", target)} == {"imported from memory.tmx"}
        again = import_tmx(copy, path)
        assert (again.added, again.updated, again.unchanged) == (0, 0, 9)
        reviewed = [e for t in ("es", "pt_BR") for e in copy.entries("en", t) if e.status != "machine"]
        assert len(copy.review_log()) == len(reviewed) == 4  # each imported review is on record, once
        export_tmx(copy, tmp_path / "again.tmx", "en")
    with TranslationMemory(tmp_path / "third.sqlite") as third:
        import_tmx(third, tmp_path / "again.tmx")
        for target in ("es", "pt_BR"):
            assert [same(e) for e in third.entries("en", target)] == [same(e) for e in tm.entries("en", target)]


def test_export_of_one_target_and_unchanged_memory_is_byte_stable(tm, tmp_path):
    path = tmp_path / "es.tmx"
    assert export_tmx(tm, path, "en", "es").units == 8
    first = path.read_bytes()
    export_tmx(tm, path, "en", "es")
    assert path.read_bytes() == first
    assert b'xml:lang="pt-BR"' not in first


FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="OmegaT" creationtoolversion="6" segtype="sentence" o-tmf="OmegaT TMX"
          adminlang="EN-US" srclang="EN-US" datatype="plaintext"/>
  <body>
    <tu creationid="maria" creationdate="20230101T120000Z">
      <tuv xml:lang="EN-US"><seg>The factory is virtual.</seg></tuv>
      <tuv xml:lang="ES"><seg>La fábrica es <hi>virtual</hi>.</seg></tuv>
      <tuv xml:lang="FR"><seg>L'usine est virtuelle.</seg></tuv>
    </tu>
    <tu creationid="maria"><tuv xml:lang="en-US"><seg>Approved as is.</seg></tuv>
      <tuv xml:lang="es"><seg>Otra traducción.</seg></tuv></tu>
    <tu><tuv xml:lang="en-US"><seg>Edited.</seg></tuv>
      <tuv xml:lang="es"><seg>Editada bien. 工場 ✓</seg></tuv></tu>
    <tu><tuv xml:lang="en-US"><seg>Only a source.</seg></tuv></tu>
  </body>
</tmx>
"""


def test_import_from_another_tool_approves_but_never_overwrites_approvals(tm, tmp_path):
    path = tmp_path / "omegat.tmx"
    path.write_text(FOREIGN, encoding="utf-8")
    approved_before = tm.get("Approved as is.", "en", "es")
    summary = import_tmx(tm, path, language_map={"en_US": "en"})
    assert (summary.units, summary.added, summary.updated, summary.unchanged, summary.skipped) == (4, 1, 1, 1, 1)
    assert [(c.source_text, c.memory_text, c.tmx_text) for c in summary.conflicts] == [
        ("Approved as is.", "Aprobada tal cual.", "Otra traducción.")
    ]
    assert "1 conflicts" in summary.describe()
    assert tm.get("Approved as is.", "en", "es") == approved_before

    factory = tm.get("The factory is virtual.", "en", "es")
    assert (factory.status, factory.final_text, factory.reviewer) == ("approved", "La fábrica es virtual.", "maria")
    assert factory.machine_text == "La fábrica es virtual." and factory.signature == SIG  # machine side kept
    french = tm.get("The factory is virtual.", "en", "fr")
    assert (french.status, french.best_text, french.machine_text) == ("approved", "L'usine est virtuelle.", None)
    assert french.created == "2023-01-01T12:00:00Z"
    notes = [d.note for d in tm.review_log(source_hash=sentence_hash("The factory is virtual."))]
    assert notes.count("imported from omegat.tmx") == 2


@pytest.mark.parametrize(
    "content, message",
    [
        ("<tmx version='1.4'><header srclang='en'/><body><tu></body></tmx>", "malformed TMX"),
        ("", "malformed TMX"),
        ("<html><body/></html>", "not a TMX file"),
    ],
)
def test_bad_files_are_one_line_usage_errors(tm, tmp_path, content, message):
    path = tmp_path / "bad.tmx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=message) as err:
        import_tmx(tm, path)
    assert "\n" not in str(err.value) and "bad.tmx" in str(err.value)


def test_a_bad_unit_aborts_the_whole_import(tm, tmp_path):
    path = tmp_path / "odd.tmx"
    path.write_text(
        "<tmx version='1.4'><header srclang='en'/><body>"
        "<tu><tuv xml:lang='en'><seg>New one.</seg></tuv><tuv xml:lang='de'><seg>Neu.</seg></tuv></tu>"
        "<tu><prop type='x-translate-status'>perfect</prop>"
        "<tuv xml:lang='en'><seg>Two.</seg></tuv><tuv xml:lang='de'><seg>Zwei.</seg></tuv></tu>"
        "</body></tmx>",
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match="<tu> 2 has unknown x-translate-status 'perfect'"):
        import_tmx(tm, path)
    assert tm.pairs() == [("en", "es"), ("en", "pt_BR")]


def test_export_leaves_out_an_entry_xml_cannot_carry_and_says_which(tm, tmp_path):
    tm.store_machine([("Bell\x07.", "Campana.", Notes()), ("Hand.", "Hand.", Notes())], "en", "de", SIG)
    written = export_tmx(tm, tmp_path / "de.tmx", "en", "de")
    left_out = written.left_out
    assert written.units == 1 and len(left_out) == 1 and "U+0007 (BELL)" in left_out[0] and "(en>de" in left_out[0]
    assert "Bell" not in (tmp_path / "de.tmx").read_text(encoding="utf-8")


def test_tmx_dates_convert_both_ways():
    assert to_tmx_date("2024-05-01T09:30:00Z") == "20240501T093000Z"
    assert from_tmx_date("20240501T093000Z") == "2024-05-01T09:30:00Z"
    assert from_tmx_date("yesterday") is None and from_tmx_date(None) is None
