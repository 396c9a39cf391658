"""One bad text or one unwritable folder never takes a scheduled run down.

The broken part is reported on the terminal (one line), in the run report and
by exit code 1; every other text and language is translated and written.
Permissions are real: the command runs without capabilities, so chmod holds
even for root.
"""

from __future__ import annotations

import json

import pytest
from cli_process import can_drop_privileges, cli

pytestmark = [pytest.mark.slow, pytest.mark.apertium]

GOOD_TEXTS = {f"text-{n:02}.txt": f"Text number {n}.\n\nThe workers of text {n} unite.\n" for n in range(1, 12)}


@pytest.fixture
def project(project):
    """Eleven good texts into Spanish and Catalan with Apertium."""
    project.configure(["es", "ca"], engine={"default": "apertium"})
    for name, body in GOOD_TEXTS.items():
        project.add_text(name, body)
    return project


def report(project) -> dict:
    return json.loads((project / "reports" / "latest.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "name, content, said",
    [
        ("latin1.txt", "Caf\u00e9 society.\n".encode("latin-1"), "not valid UTF-8 (byte 0xe9 at line 1)"),
        ("escape.txt", b"One line.\nA \x1b[31mred\x1b[0m line.\n", "line 2 holds the control character U+001B (ESCAPE)"),
        ("late-nul.txt", b"Words.\n" * 3000 + b"Then\x00 a NUL.\n", "a NUL byte at line 3001"),
        ("form\nfeed.txt", b"A name with a newline.\n", "the file name holds the control character U+000A"),
    ],
)
def test_one_unreadable_text_among_twelve_is_reported_and_the_eleven_others_are_translated(project, name, content, said):
    (project / "texts" / name).write_bytes(content)
    result = cli("run", cwd=project)
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and said in errors[0] and "Traceback" not in result.stderr
    for language in ("es", "ca"):
        for text in GOOD_TEXTS:
            po = project / "outputs" / language / text.replace(".txt", ".po")
            assert po.is_file(), po
    assert not any("\n" in p.name for p in (project / "outputs" / "es").iterdir())
    written = report(project)
    assert written["exit_code"] == 1
    assert [t["text"] for t in written["failed_texts"]] == [name]
    assert said in written["failed_texts"][0]["error"]
    assert sorted(written["texts"]) == sorted(GOOD_TEXTS)
    assert all(r["status"] == "ok" for r in written["languages"])


@pytest.mark.skipif(not can_drop_privileges(), reason="needs setpriv to drop root's capabilities")
def test_an_unwritable_language_folder_fails_that_language_and_the_others_are_written(project):
    assert cli("run", "--lang", "es", cwd=project).returncode == 0
    with (project / "texts" / "text-01.txt").open("a", encoding="utf-8") as text:
        text.write("\nA new sentence for every language.\n")
    spanish = project / "outputs" / "es"
    spanish.chmod(0o555)
    try:
        result = cli("run", cwd=project, unprivileged=True)
    finally:
        spanish.chmod(0o755)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    failed = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(failed) == 1 and failed[0].startswith("es ")
    assert "cannot write" in failed[0] and "Permission denied" in failed[0] and "permissions" in failed[0]
    for text in GOOD_TEXTS:
        assert (project / "outputs" / "ca" / text.replace(".txt", ".po")).is_file()
        assert (project / "outputs" / "ca" / text.replace(".txt", ".md")).is_file()
    statuses = {r["language"]: r["status"] for r in report(project)["languages"]}
    assert statuses == {"es": "failed", "ca": "ok"}
