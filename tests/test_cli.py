"""The command line as a user meets it: help, one-line errors, exit codes, JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TRANSLATE = [sys.executable, "-m", "translate.cli"]


def cli(*args: str, cwd: Path | None = None, stdin: bytes | None = None, env: dict | None = None):
    return subprocess.run(
        [*TRANSLATE, *args],
        cwd=cwd or REPO,
        input=stdin,
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


@pytest.fixture
def project(project):
    """An empty project configured for English → German with its own Argos packages folder."""
    return project.configure(["de"], argos={"packages_dir": "packages"}, engine={"threads": 1})


def test_help_teaches_the_commands():
    result = cli("--help")
    assert result.returncode == 0
    out = result.stdout.decode()
    for command in ("run", "text", "languages", "models", "status", "handouts", "memory"):
        assert command in out
    assert "translate run" in out


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        (b"", "file is empty"),
        (b"  \n\n", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary"),
        ("Caf\u00e9 cr\u00e8me.\n".encode("latin-1"), "not valid UTF-8 (byte 0xe9 at line 1)"),
    ],
)
def test_bad_input_files_are_one_line_errors(tmp_path, content, message):
    path = tmp_path / "input.txt"
    if content is not None:
        path.write_bytes(content)
    result = cli("text", str(path), "--to", "es")
    err = result.stderr.decode()
    assert result.returncode == 2
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_unknown_language_code_is_a_usage_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Hello.\n")
    result = cli("text", str(path), "--to", "es,xx")
    assert result.returncode == 2
    assert "unknown language code 'xx'" in result.stderr.decode()


def test_missing_model_names_the_install_command(project):
    (project / "texts" / "a.txt").write_text("Hello world.\n")
    result = cli("text", "texts/a.txt", "--to", "de", cwd=project)
    assert result.returncode == 2
    assert "translate models install en de" in result.stderr.decode()


@pytest.mark.slow
def test_text_with_an_installed_test_model(project, argos_test_package):
    installed = cli("models", "install", str(argos_test_package), cwd=project)
    assert installed.returncode == 0, installed.stderr
    listed = cli("models", "list", "--json", cwd=project)
    assert json.loads(listed.stdout)[0]["from"] == "en"
    source = "# The Virtual Factory\n\nWorkers produce value. Capital accumulates [1]\n\n  1. First item.\n"
    (project / "texts" / "essay.md").write_text(source)
    result = cli("text", "texts/essay.md", "--to", "de", cwd=project)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert out.startswith("# ") and "\n\n  1. " in out and out.rstrip().endswith(".")
    assert "[1]\n\n" in out
    assert out != source  # the model did change the words
    piped = cli("text", "-", "--to", "de", "--format", "md", "--json", stdin=source.encode(), cwd=project)
    answer = json.loads(piped.stdout)
    assert answer["translations"]["de"] == out
    use = answer["glossary"]["de"]  # what the glossary layer did, for the curious and for make bench
    assert use["sentences"] == 4 and use["engine_calls"][0] == 4
    assert use["n-best"] + use["retried"] <= use["sentences"] and use["flagged"] <= use["retried"]


@pytest.mark.slow
def test_models_remove_and_bad_archive(project, tmp_path, argos_test_package):
    assert cli("models", "install", str(argos_test_package), cwd=project).returncode == 0
    assert cli("models", "remove", "en", "de", cwd=project).returncode == 0
    assert cli("models", "remove", "en", "de", cwd=project).returncode == 2
    bogus = tmp_path / "x.argosmodel"
    bogus.write_text("nope")
    result = cli("models", "install", str(bogus), cwd=project)
    assert result.returncode == 2 and "zip archives" in result.stderr.decode()


def test_unreachable_index_is_a_clear_error(project):
    (project / "translate.toml").write_text(
        '[argos]\npackages_dir = "packages"\nindex_url = "http://127.0.0.1:9/index.json"\n', encoding="utf-8"
    )
    result = cli("models", "install", "en", "fr", cwd=project)
    assert result.returncode == 1
    assert "cannot reach the Argos package index" in result.stderr.decode()


def test_bad_configuration_is_exit_2(project):
    (project / "translate.toml").write_text("[engine]\nbeam_sise = 3\n")
    result = cli("run", cwd=project)
    assert result.returncode == 2 and "unknown key 'engine.beam_sise'" in result.stderr.decode()


@pytest.mark.apertium
def test_languages_shows_routes_and_hints():
    result = cli("languages", "--json")
    assert result.returncode == 0
    rows = {row["target"]: row for row in json.loads(result.stdout)}
    assert "en→es" in rows["es"]["routes"]["apertium"]  # every engine's route is shown...
    assert rows["es"]["chosen"] == "bergamot+apertium"  # ...and the one routes.toml chose is taken
    assert rows["es"]["route"] == "bergamot:en>pt_BR + apertium:pt_BR>es" and "on field" in rows["es"]["figures"]
    assert "en→es→pt" in rows["pt"]["routes"]["apertium"]
    assert rows["de"]["chosen"] is None and "translate models install en de" in rows["de"]["hints"]


@pytest.mark.parametrize("heavy", ["torch", "stanza", "spacy", "minisbd"])
def test_the_install_is_lean(heavy):
    """argostranslate is installed without its declared dependencies; none of them is needed."""
    import importlib.util

    assert importlib.util.find_spec("argostranslate.package") is not None
    assert importlib.util.find_spec(heavy) is None, f"{heavy} is installed; the project never needs it"


def test_handouts_for_a_language_with_nothing_to_render_say_so_and_exit_1(project):
    (project / "texts" / "a.md").write_text("# A title\n\nOne sentence.\n", encoding="utf-8")
    done = cli("handouts", "--lang", "de", "--no-pdf", cwd=project.root)
    assert done.returncode == 1, done.stderr
    message = done.stderr.decode()
    assert "nothing to render for de" in message and "translate run --lang de" in message
    assert message.count("\n") == 1  # one line
