"""Values from outside are checked where they enter: configuration, language lists, names, codes, characters.

Every refusal is one line on stderr with exit code 2, naming what to change.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from cli_process import cli, one_line_error


@pytest.fixture
def project(project):
    """English → Spanish with Apertium, one short text."""
    project.configure(["es", "ca"], engine={"default": "apertium"})
    project.add_text("note.txt", "Workers of the world, unite.\n")
    return project


@pytest.mark.parametrize(
    "toml, expected",
    [
        ('project = "x"\n', "project must be a [project] table"),
        ('languages = ["es"]\n', "languages must be a [languages] table"),
        ("[engine]\ntimeout = 0\n", "engine.timeout must be between 1 and 86,400"),
        ("[engine]\ntimeout = -5\n", "engine.timeout must be between 1 and 86,400"),
        ("[engine]\nthreads = -1\n", "engine.threads must be between 0 and 1,024"),
        ("[engine]\ntimeout = 'ten'\n", "engine.timeout must be a whole number, not str ('ten')"),
        ("[limits]\nmax_text_bytes = 0\n", "limits.max_text_bytes must be between 1 and"),
        ("[limits]\nmax_output_ratio = 0.5\n", "limits.max_output_ratio must be between 1 and 1,000"),
    ],
)
def test_a_bad_config_value_is_one_line_naming_the_key(project, toml, expected):
    (project / "translate.toml").write_text(toml, encoding="utf-8")
    result = cli("run", cwd=project)
    assert result.returncode == 2
    line = one_line_error(result)
    assert expected in line and "translate.toml" in line
    assert not (project / "outputs").exists()


def test_lang_naming_a_language_twice_runs_it_once(project):
    result = cli("run", "--lang", "es,es, ES", "--json", cwd=project)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [r["language"] for r in report["languages"]] == ["es"]


@pytest.mark.parametrize("value", [",", "", " , "])
def test_lang_naming_nothing_is_refused_instead_of_running_every_language(project, value):
    result = cli("run", "--lang", value, cwd=project)
    assert result.returncode == 2
    assert "no language codes given" in one_line_error(result)
    assert not (project / "outputs").exists()


def test_only_naming_nothing_is_refused_instead_of_running_every_text(project):
    result = cli("run", "--only", ",", cwd=project)
    assert result.returncode == 2
    assert "--only ',' names nothing" in one_line_error(result)


HOSTILE_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"
 adminlang="en" srclang="en" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="en"><seg>Workers of the world, unite.</seg></tuv>
<tuv xml:lang="es"><seg>Trabajadores del mundo, uníos.</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Nothing to lose.</seg></tuv>
<tuv xml:lang="{code}"><seg>Nada que perder.</seg></tuv></tu>
</body></tmx>
"""


@pytest.mark.parametrize("code", ["../../etc", "es/../../x", "e s", "x"])
def test_a_tmx_language_code_that_is_not_one_is_refused_and_nothing_is_stored(project, code):
    (project / "hostile.tmx").write_text(HOSTILE_TMX.format(code=code), encoding="utf-8")
    result = cli("memory", "import", "hostile.tmx", cwd=project)
    assert result.returncode == 2
    line = one_line_error(result)
    assert f"'{code}' is not a language code" in line and "nothing was imported" in line
    exported = cli("memory", "export", "all.tmx", cwd=project)
    assert exported.returncode == 0, exported.stderr
    assert "Trabajadores" not in (project / "all.tmx").read_text(encoding="utf-8")
    assert not list(project.root.rglob("etc"))


def test_a_tmx_with_region_and_script_codes_is_still_welcome(project):
    (project / "regional.tmx").write_text(HOSTILE_TMX.format(code="sr-Latn-RS"), encoding="utf-8")
    result = cli("memory", "import", "regional.tmx", "--json", cwd=project)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["added"] == 2


HOSTILE_TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en"><martifHeader><fileDesc><titleStmt><title>t</title></titleStmt>
</fileDesc></martifHeader><text><body>
<termEntry id="surplus-value"><langSet xml:lang="en"><tig><term>surplus value</term></tig></langSet>
<langSet xml:lang="../../etc"><tig><term>plusvalía</term></tig></langSet></termEntry>
</body></text></martif>
"""


def test_a_tbx_language_code_that_is_not_one_is_refused(project):
    (project / "hostile.tbx").write_text(HOSTILE_TBX, encoding="utf-8")
    result = cli("glossary", "import-tbx", "hostile.tbx", "imported.toml", cwd=project)
    assert result.returncode == 2
    assert "'../../etc' is not a language code" in one_line_error(result)
    assert not (project / "imported.toml").exists()


def test_memory_export_leaves_out_one_entry_xml_cannot_carry_and_exports_the_rest(project):
    """An ESC stored by an older version (texts with control characters are refused now) spoils one entry, not the export."""
    with project.memory() as memory:
        memory.store_machine(
            [
                ("Workers of the world, unite.", "Trabajadores del mundo, uníos.", None),
                ("A \x1b[31mred\x1b[0m word.", "Una palabra \x1b[31mroja\x1b[0m.", None),
                ("Nothing to lose.", "Nada que perder.", None),
            ],
            "en",
            "es",
            "engine:test",
        )
    result = cli("memory", "export", "all.tmx", cwd=project)
    assert result.returncode == 1
    warning = one_line_error(result)
    assert warning.startswith("warning: left out entry ") and "U+001B (ESCAPE)" in warning and "(en>es" in warning
    assert "2 translation units written" in result.stdout
    tmx = (project / "all.tmx").read_text(encoding="utf-8")
    assert "Trabajadores del mundo" in tmx and "Nada que perder" in tmx and "\x1b" not in tmx
    if shutil.which("xmllint"):
        assert subprocess.run(["xmllint", "--noout", str(project / "all.tmx")]).returncode == 0
