"""Handouts and reports against hostile titles, killed processes and hurried schedules.

A U+202E (right-to-left override) in a text's title must not reverse the review
status printed after it on every page; a killed `translate handouts` leaves a
Chromium profile behind only until the next start; two runs in one second keep
two reports.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from cli_process import cli, run_in_spanish
from readers import first_group

from translate.config import load_config
from translate.publish.chromium import PROFILE_PREFIX, html_to_pdf
from translate.publish.handouts import HandoutMeta, render_html, status_line
from translate.run.report import RunReport, write_report
from translate.segment import parse

pytestmark = pytest.mark.slow

RLO = "\u202e"
HOSTILE = f"# The Virtual {RLO}Factory\n\nWorkers of the world, unite.\n\nSecond paragraph here.\n"


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_user_text_is_isolated_in_title_subtitle_speaker_and_footer():
    doc = parse(HOSTILE + "\nLudwig: Yes?\n\nStalin: No.\n", "hostile.md", "en")
    page = render_html(doc, {}, HandoutMeta(language="en", source_title=f"Original {RLO}title"))
    assert f"<h1><bdi>The Virtual {RLO}Factory</bdi></h1>" in page
    assert f"<q><bdi>Original {RLO}title</bdi></q>" in page
    assert "<b><bdi>Ludwig</bdi>:</b>" in page
    footer = first_group(r"@bottom-left \{ content: (\"[^\"]*\")", page)
    assert footer.startswith('"\\2068 The Virtual \\202e Factory\\2069 ')  # FSI ... PDI around the title
    assert "Machine translation, not reviewed" in footer.replace("\\2c ", ",")


@pytest.mark.chromium
@pytest.mark.poppler
def test_a_right_to_left_override_in_the_title_does_not_reverse_the_printed_status(tmp_path):
    doc = parse(HOSTILE, "hostile.md", "en")
    meta = HandoutMeta(language="en", date="2026-01-01")
    html = tmp_path / "hostile.html"
    html.write_text(render_html(doc, {}, meta), encoding="utf-8")
    pdf = html_to_pdf(html, tmp_path / "hostile.pdf")
    text = pdf_text(pdf)
    status = status_line(meta)  # "Machine translation, not reviewed"
    reversed_status = status[::-1]
    assert text.count(status) >= 2, text  # the masthead and at least the first page's footer
    assert reversed_status not in text
    assert "English" in text and "hsilgnE" not in text  # the subtitle after the quoted title reads forward


@pytest.fixture
def translated(project):
    """A project with one short text translated into Spanish by Apertium."""
    return run_in_spanish(project, "# A note\n\nWorkers of the world, unite.\n")


def profiles(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{PROFILE_PREFIX}*"))


@pytest.fixture
def temp():
    """A private TMPDIR for the command, with a short path: Chromium's singleton socket must fit in 108 bytes."""
    folder = Path(tempfile.mkdtemp(prefix="tr-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def handouts_started(project, temp: Path) -> subprocess.Popen:
    """`translate handouts` in its own process group, once its Chromium profile exists (or it ended)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "translate.cli", "handouts", "--force"],  # Apertium's Spanish: a draft for review only
        cwd=project,
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not profiles(temp) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    return process


@pytest.mark.chromium
@pytest.mark.poppler
@pytest.mark.apertium
def test_a_killed_handouts_leaves_its_chromium_profile_only_until_the_next_start(translated, temp):
    process = handouts_started(translated, temp)
    assert profiles(temp), "handouts never started Chromium"
    os.killpg(process.pid, signal.SIGKILL)  # translate and its Chromium, as the OOM killer or kill -9 would
    process.wait()
    left = profiles(temp)
    assert left, "the profile was removed although its process was killed"
    assert cli("handouts", "--no-pdf", "--force", cwd=translated, env={"TMPDIR": str(temp)}, process=True).returncode == 0
    assert profiles(temp) == left  # HTML only: no browser, nothing cleaned
    result = cli("handouts", "--force", cwd=translated, env={"TMPDIR": str(temp)}, process=True)
    assert result.returncode == 0, result.stderr
    assert profiles(temp) == []
    assert (translated / "outputs" / "es" / "note.pdf").is_file()


@pytest.mark.chromium
@pytest.mark.poppler
@pytest.mark.apertium
def test_a_terminated_handouts_removes_its_chromium_profile(translated, temp):
    process = handouts_started(translated, temp)
    process.terminate()
    _, err = process.communicate(timeout=60)
    if process.returncode != 0:  # terminated before it finished: it cleaned up and said so
        assert process.returncode == 143 and err.strip() == "error: terminated"
    assert profiles(temp) == []


def test_two_runs_in_the_same_second_keep_two_reports(project):
    project.configure(["es"])
    config = load_config(project / "translate.toml")
    first = RunReport(started="2026-11-22T03:08:55Z", texts=["a.md"])
    second = RunReport(started="2026-11-22T03:08:55Z", texts=["b.md"])
    paths = [write_report(config, first), write_report(config, second)]
    assert paths[0] != paths[1]
    assert [json.loads(p.read_text(encoding="utf-8"))["texts"] for p in paths] == [["a.md"], ["b.md"]]
    latest = json.loads((project / "reports" / "latest.json").read_text(encoding="utf-8"))
    assert latest["texts"] == ["b.md"]
    assert sorted(p.name for p in (project / "reports").glob("run-*.json")) == [
        "run-20261122T030855Z-2.json",
        "run-20261122T030855Z.json",
    ]
