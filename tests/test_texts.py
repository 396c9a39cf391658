"""The texts folder: every command reads the same files (.md, .markdown, .txt, in any case)."""

from __future__ import annotations

import json
import os

from typer.testing import CliRunner

from translate.cli.glossary import app as glossary_app
from translate.serve.project import ProjectFiles
from translate.texts import TEXT_SUFFIXES, load_texts, read_texts

GLOSSARY = """[glossary]
name = "tiny"
version = "1"
source_language = "en"

[[concept]]
id = "surplus-value"
[concept.terms]
en = ["surplus value"]
es = ["plusvalía"]
"""


def test_run_and_glossary_check_read_the_same_files(project):
    project.configure(["es"])
    (project / "glossaries").mkdir()
    (project / "glossaries" / "tiny.toml").write_text(GLOSSARY, encoding="utf-8")
    project.add_text("essay.markdown", "# Value\n\nSurplus value is unpaid labour.\n")
    project.add_text("NOTES.TXT", "Surplus value again.\n")
    (project / "texts" / "picture.png").write_bytes(b"\x89PNG\r\n")
    assert [t.path.name for t in load_texts(project.config)] == ["NOTES.TXT", "essay.markdown"]
    assert list(read_texts([project / "texts"])) == ["NOTES.TXT", "essay.markdown"]
    assert load_texts(project.config)[1].document.format == "md"
    done = CliRunner().invoke(glossary_app, ["coverage", "--config", str(project / "translate.toml"), "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout) == [
        {"concept": "surplus-value", "text": "NOTES.TXT", "count": 1},
        {"concept": "surplus-value", "text": "essay.markdown", "count": 1},
    ]
    assert ".markdown" in TEXT_SUFFIXES


def test_the_review_server_reads_a_text_replaced_with_one_of_the_same_size_and_time(project):
    """An editor that saves by writing a new file and renaming it over the old one, within the same tick
    and to the same length ("labour" -> "labors"), still gets the new text on the review pages."""
    project.configure(["es"])
    path = project.add_text("essay.md", "# Value\n\nSurplus value is unpaid labour.\n").path
    served = ProjectFiles(project.config)
    assert "labour" in served.texts()[0].document.source()
    before = path.stat()
    replacement = path.with_name("essay.md.new")
    replacement.write_text("# Value\n\nSurplus value is unpaid labors.\n", encoding="utf-8")
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(replacement, path)
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert "labors" in served.texts()[0].document.source()
