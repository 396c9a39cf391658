"""`translate check texts`: the slips an organizer fixes once instead of in every language."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest
from cli_process import cli
from project_factory import Project

from translate.checks.source import english_dictionary_available

pytestmark = pytest.mark.slow


def check(project: Project, *args: str) -> subprocess.CompletedProcess:
    return cli("check", "texts", *args, cwd=project)


def digests(project: Project) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (project / "texts").iterdir()}


@pytest.fixture
def essays(project: Project) -> Project:
    return project.add_essays().configure(["es"])


def test_the_source_slips_the_issue_names_are_found_per_file_and_line(essays):
    before = digests(essays)
    done = check(essays, "--json")
    assert done.returncode == 0, done.stderr
    findings = json.loads(done.stdout)["findings"]
    found = {(f["file"], f["kind"], f["text"]) for f in findings}
    short = "the-virtual-factory-spectacle.md"
    assert (short, "doubled word", "the the") in found
    assert (short, "lower-case i", "i am") in found
    assert (short, "space before punctuation", " ;") in found and (short, "space before punctuation", " ,") in found
    assert (short, "hyphenated compound", "cyber-proletarians") in found
    assert ("the-virtual-factory.txt", "hyphenated compound", "clamp-downs") in found
    lines = (essays / "texts" / short).read_text(encoding="utf-8").splitlines()
    for f in findings:
        path_lines = (essays / "texts" / f["file"]).read_text(encoding="utf-8").splitlines()
        assert path_lines[f["line"] - 1][f["column"] - 1 :].startswith(f["text"].lstrip() or f["text"]) or f["text"].startswith(
            " "
        )
    assert lines and digests(essays) == before  # never edits a source


@pytest.mark.skipif(not english_dictionary_available(), reason="apt-get install hunspell-en-us")
def test_typos_in_the_source_are_found_with_a_suggestion(essays):
    findings = json.loads(check(essays, "--json").stdout)["findings"]
    typos = {f["text"]: f["suggestion"] for f in findings if f["kind"] == "typo"}
    assert typos["uncounscious"] == "unconscious" and typos["ressource"] == "resource"
    assert "Debord" not in typos and "Marx" not in typos  # names are not typos


def test_the_plain_report_names_file_line_and_column(essays):
    done = check(essays)
    assert done.returncode == 0
    assert any(
        line.startswith("the-virtual-factory-spectacle.md:5:") and "doubled word: the the" in line
        for line in done.stdout.splitlines()
    )
    assert done.stdout.splitlines()[-1].startswith("2 texts: ")
