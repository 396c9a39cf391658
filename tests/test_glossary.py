"""The glossary: the project's real TOML file, load errors, lint, coverage, TBX, CLI."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from translate.cli.glossary import app
from translate.errors import ConfigError
from translate.glossary.files import load, load_glossary, to_toml
from translate.glossary.lint import coverage, lint
from translate.glossary.matching import matcher
from translate.glossary.tbx import from_tbx, to_tbx

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "glossaries" / "marxism.toml"
TARGETS = ["es", "ca", "gl", "eo", "pt", "fr", "it", "oc", "ast", "an", "sr", "hr", "bs", "ro", "de", "ru", "zh", "ar"]

SMALL = """\
[glossary]
name = "tiny"
version = "2"
source_language = "en"
languages = ["es", "de"]

[[concept]]
id = "surplus-value"
note = "Mehrwert"
source = "Capital I"
[concept.terms]
en = ["surplus value", "surplus-value"]
es = ["plusvalía"]
de = { terms = ["Mehrwert"], status = "proposed", note = "check" }
"""


@pytest.fixture(scope="module")
def glossary():
    return load(GLOSSARY)


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "texts").iterdir())}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "g.toml"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- the real glossary


def test_real_glossary_covers_every_language_the_project_renders(glossary):
    assert len([c for c in glossary.concepts if c.translate]) >= 40
    assert set(TARGETS) <= set(glossary.languages)
    for concept in glossary.concepts:
        if concept.translate:
            missing = [lang for lang in TARGETS if not concept.terms(lang)]
            assert not missing, f"{concept.id} lacks {missing}"


def test_established_renderings_are_pinned_first(glossary):
    expected = {
        "surplus-value": {
            "es": "plusvalía",
            "fr": "plus-value",
            "de": "Mehrwert",
            "ru": "прибавочная стоимость",
            "zh": "剩余价值",
            "ar": "فائض القيمة",
        },
        "commodity-fetishism": {"es": "fetichismo de la mercancía", "de": "Warenfetischismus", "zh": "商品拜物教"},
        "labour-power": {"es": "fuerza de trabajo", "fr": "force de travail", "de": "Arbeitskraft", "zh": "劳动力"},
        "spectacle": {"fr": "spectacle", "es": "espectáculo"},
    }
    for concept_id, renderings in expected.items():
        for language, term in renderings.items():
            assert glossary.concept(concept_id).preferred(language) == term


def test_real_glossary_lints_clean_against_the_essays(glossary, texts):
    issues = lint(glossary, texts)
    assert [str(i) for i in issues if i.severity == "error"] == []
    # the essays' own terms of art are all found
    used = {row.concept for row in coverage(glossary, texts) if row.count}
    for concept_id in (
        "virtual-factory",
        "commodity-fetishism",
        "sows-the-seeds",
        "sow-the-seeds",
        "pessimism-optimism",
        "models-of-identification",
        "workers-state",
        "gramsci",
        "ublock-origin",
    ):
        assert concept_id in used


def test_version_is_short_stable_and_follows_content(tmp_path, glossary):
    assert glossary.version == load(GLOSSARY).version
    assert glossary.version.startswith("marxism@1+") and len(glossary.version.split("+")[1]) == 8
    first = load(write(tmp_path, SMALL)).version
    assert load(write(tmp_path, SMALL.replace("plusvalía", "plusvalor"))).version != first
    # layout and comments do not count, content does
    assert load(write(tmp_path, "# a comment\n" + SMALL.replace('"2"', '"2" ', 1))).version == first


# ---------------------------------------------------------------- load errors


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('es = ["plusvalía"]', 'es = ["plusvalía"'), "malformed TOML"),
        (lambda t: t.replace('note = "Mehrwert"', 'nota = "Mehrwert"'), "concept 'surplus-value': unknown key 'nota'"),
        (lambda t: t.replace('status = "proposed"', 'status = "maybe"'), "concept 'surplus-value' language 'de'"),
        (lambda t: t.replace('name = "tiny"\n', ""), "missing or empty 'name'"),
        (lambda t: t.replace("[concept.terms]", "[concept.words]"), "concept 'surplus-value': unknown key 'words'"),
        (lambda t: t + '\n[[concept]]\nid = "surplus-value"\nterms.en = ["x"]\n', "'surplus-value': duplicate id"),
    ],
)
def test_load_errors_name_file_and_entry_in_one_line(tmp_path, change, message):
    path = write(tmp_path, change(SMALL))
    with pytest.raises(ConfigError) as err:
        load(path)
    text = str(err.value)
    assert message in text and str(path) in text and "\n" not in text


def test_load_glossary_of_a_folder_and_of_nothing(tmp_path):
    write(tmp_path, SMALL)
    assert load_glossary(tmp_path).concept("surplus-value").preferred("es") == "plusvalía"
    empty = load_glossary(tmp_path / "missing")
    assert empty.version == "none" and empty.concepts == ()


# ---------------------------------------------------------------- matching, lint, coverage


def test_matcher_longest_first_variants_case_and_cjk(glossary):
    found = matcher(glossary, "en").find("Whether we call it Invisible Hand or Commodity Fetishism, the capitalists")
    assert [m.concept.id for m in found] == ["invisible-hand", "commodity-fetishism", "capitalists"]
    assert [m.concept.id for m in matcher(glossary, "en").find("the left- and ultra-communists")] == ["ultra-communists"]
    # acronyms and brand spellings are case-sensitive; no match inside a word
    assert matcher(glossary, "en").find("the bbc and Leninism") == []
    zh = matcher(glossary, "zh").find("资本主义的生产和资本家的剩余价值")
    assert [m.text for m in zh] == ["资本主义的", "资本家", "剩余价值"]


def test_the_glossary_corrections_checked_against_established_translations(glossary):
    """it: the Manifesto's 'seppellitori'; zh: 资本家 (no plural suffix); es plusvalía cites Roces;
    pt: European Portuguese of the 1990 Agreement; ru: общественно-экономическая формация."""
    preferred = {c.id: c for c in glossary.concepts}
    assert preferred["gravediggers"].preferred("it") == "seppellitori"
    assert preferred["capitalists"].preferred("zh") == "资本家"
    assert "Roces" in preferred["surplus-value"].source and "plusvalor" in preferred["surplus-value"].terms("es")
    assert preferred["social-formation"].preferred("ru") == "общественно-экономическая формация"
    pt = {t for c in glossary.concepts for t in c.terms("pt")}
    assert {"espetáculo", "espetador", "pessimismo da inteligência, otimismo da vontade"} <= pt
    assert not {t for t in pt if "espectá" in t or "optimismo" in t or "acção" in t}


def test_lint_finds_duplicates_conflicts_missing_and_unused(tmp_path):
    text = (
        SMALL
        + """
[[concept]]
id = "value"
[concept.terms]
en = ["surplus value", "value", "Value"]
es = ["valor"]
"""
    )
    issues = lint(load(write(tmp_path, text)), {"essay": "Surplus value and surplus-value."})
    kinds = {(i.kind, i.concept, i.language) for i in issues}
    assert ("conflict", "value", "en") in kinds
    assert ("duplicate", "value", "en") in kinds
    assert ("missing", "value", "de") in kinds
    assert ("unused", "value", "en") in kinds
    assert not any(i.concept == "surplus-value" for i in issues)


def test_coverage_counts_per_text(glossary, texts):
    rows = {(r.concept, r.text): r.count for r in coverage(glossary, texts)}
    assert rows["virtual-factory", "the-virtual-factory-spectacle.md"] == 13
    assert rows["virtual-factory", "the-virtual-factory.txt"] == 1  # the title
    assert rows["sows-the-seeds", "the-virtual-factory.txt"] == 1


# ---------------------------------------------------------------- TBX


def test_tbx_round_trip_equals_the_toml_glossary(glossary):
    data = to_tbx(glossary)
    again = from_tbx(data)
    assert again == glossary
    assert again.version == glossary.version
    root = ET.fromstring(data)
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    entries = root.findall("./text/body/termEntry")
    assert len(entries) == len(glossary.concepts) + len(glossary.quotations)  # a quotation is an entry marked x-quotation
    entry = next(e for e in entries if e.get("id") == "surplus-value")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    es = next(ls for ls in entry.findall("langSet") if ls.get(lang) == "es")
    assert es.findtext("tig/term") == "plusvalía"
    assert es.findtext("tig/termNote[@type='administrativeStatus']") == "preferredTerm-admn-sts"


def test_toml_writer_round_trips(glossary, tmp_path):
    assert load(write(tmp_path, to_toml(glossary))) == glossary


def test_tbx_v3_from_another_tool():
    data = b"""<?xml version="1.0"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Core" style="dct" xml:lang="en">
 <tbxHeader><fileDesc><sourceDesc><p>from a CAT tool</p></sourceDesc></fileDesc></tbxHeader>
 <text><body>
  <conceptEntry id="c1">
   <descrip type="definition">Arbeitskraft</descrip>
   <langSec xml:lang="en"><termSec><term>labour power</term></termSec></langSec>
   <langSec xml:lang="fr"><termSec><term>force de travail</term>
     <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec>
  </conceptEntry>
 </body></text></tbx>"""
    imported = from_tbx(data, "weblate.tbx")
    concept = imported.concept("c1")
    assert concept.preferred("fr") == "force de travail" and concept.note == "Arbeitskraft"
    assert imported.source_language == "en"
    with pytest.raises(ConfigError, match="weblate.tbx: malformed TBX"):
        from_tbx(b"<martif><text>", "weblate.tbx")


# ---------------------------------------------------------------- CLI


def test_cli_check_export_import(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(app, ["check", str(GLOSSARY), "--texts", str(ROOT / "texts")])
    assert ok.exit_code == 0, ok.output
    tbx, toml = tmp_path / "g.tbx", tmp_path / "g.toml"
    assert runner.invoke(app, ["export-tbx", str(GLOSSARY), str(tbx)]).exit_code == 0
    assert runner.invoke(app, ["import-tbx", str(tbx), str(toml)]).exit_code == 0
    assert load(toml) == load(GLOSSARY)
    refused = runner.invoke(app, ["import-tbx", str(tbx), str(toml)])
    assert refused.exit_code == 2 and "--force" in refused.output
    bad = write(tmp_path, SMALL.replace('"proposed"', '"unsure"'))
    failed = runner.invoke(app, ["check", str(bad), "--texts", str(ROOT / "texts")])
    assert failed.exit_code == 2 and "bad status" in failed.output


def test_cli_coverage_lists_counts():
    result = CliRunner().invoke(app, ["coverage", str(GLOSSARY), "--texts", str(ROOT / "texts")])
    assert result.exit_code == 0
    assert "virtual-factory\tthe-virtual-factory-spectacle.md\t13" in result.output


def test_cli_check_and_coverage_answer_in_json_for_the_configured_project():
    runner = CliRunner()
    config = str(ROOT / "translate.toml")
    check = runner.invoke(app, ["check", "--config", config, "--json"])
    assert check.exit_code == 0, check.output
    report = json.loads(check.stdout)
    explicit = json.loads(
        runner.invoke(app, ["check", str(ROOT / "glossaries"), "--texts", str(ROOT / "texts"), "--json"]).stdout
    )
    assert report == explicit  # the project's glossary and texts are the defaults
    assert report["glossary"] == load_glossary(ROOT / "glossaries").version
    assert report["concepts"] == len(load(GLOSSARY).concepts) and report["errors"] == 0
    assert all(issue["severity"] == "warning" for issue in report["issues"])
    rows = json.loads(runner.invoke(app, ["coverage", "--config", config, "--json"]).stdout)
    assert {"concept": "virtual-factory", "text": "the-virtual-factory-spectacle.md", "count": 13} in rows
    assert all(row["count"] > 0 for row in rows)
