"""What comes back from reviewers and other tools is bounded: one huge or broken translation never bloats the memory.

A 20 MB msgstr once grew the append-only memory from 1.5 to 81 MB for good and
made every later run take 64 s. A translation over limits.max_import_chars, or
holding a character no export can carry, is refused with one line naming it;
the rest of the file is imported, and the exit code says something was left out.
"""

from __future__ import annotations

import json

import polib
import pytest
from cli_process import cli, run_in_spanish

pytestmark = pytest.mark.apertium

EDITED = "¡Proletarios de todos los países, uníos!"


@pytest.fixture
def project(project):
    return run_in_spanish(project)


def edit_po(project, texts: dict[str, str]) -> str:
    """Approve these msgid -> msgstr edits in the Spanish PO file, as a reviewer's editor saves them."""
    path = project / "outputs" / "es" / "note.po"
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid in texts:
            entry.msgstr, entry.flags = texts[entry.msgid], []
    po.save(str(path))
    return str(path)


def record_size(project) -> int:
    return sum(p.stat().st_size for p in (project / "memory").rglob("*") if p.is_file() and "sqlite" not in p.name)


@pytest.mark.parametrize(
    "huge, said",
    [
        ("Cadenas. " * 3000, "refused: 27,000 characters, more than limits.max_import_chars (20,000)"),
        ("Nada que perder \x1b[31msalvo\x1b[0m cadenas.", "refused: line 1 holds the control character U+001B"),
    ],
    ids=["27000-characters", "escape-character"],
)
@pytest.mark.slow
def test_an_oversized_or_unwritable_msgstr_is_refused_and_the_rest_of_the_file_imported(project, huge, said):
    before = record_size(project)
    path = edit_po(project, {"Workers of the world, unite.": EDITED, "Nothing to lose but chains.": huge})
    result = cli("review", "import", path, "--reviewer", "Ana", cwd=project)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Nothing to lose but chains." in lines[0] and said in lines[0]
    assert "1 edited" in result.stdout
    assert record_size(project) - before < 5_000  # Ana's one edit, not the refused text
    assert cli("run", cwd=project).returncode == 0
    spanish = (project / "outputs" / "es" / "note.md").read_text(encoding="utf-8")
    assert EDITED in spanish and huge not in spanish


def test_a_tmx_unit_over_the_limit_is_refused_and_the_others_imported(project):
    config = project / "translate.toml"
    config.write_text(config.read_text(encoding="utf-8") + "[limits]\nmax_import_chars = 60\n", encoding="utf-8")
    long_text = "Nada que perder salvo las cadenas, " * 5
    (project / "other.tmx").write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"
 adminlang="en" srclang="en" datatype="plaintext"/><body>
<tu><tuv xml:lang="en"><seg>Workers of the world, unite.</seg></tuv><tuv xml:lang="es"><seg>{EDITED}</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Nothing to lose but chains.</seg></tuv><tuv xml:lang="es"><seg>{long_text}</seg></tuv></tu>
</body></tmx>
""",
        encoding="utf-8",
    )
    result = cli("memory", "import", "other.tmx", "--json", cwd=project)
    assert result.returncode == 1
    summary = json.loads(result.stdout)
    assert summary["updated"] == 1 and len(summary["refused"]) == 1
    assert "more than limits.max_import_chars (60)" in result.stderr and "Nothing to lose" in result.stderr
