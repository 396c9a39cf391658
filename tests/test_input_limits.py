"""Input is read in bounded chunks: an endless or huge input stops at once with one line, in little memory.

`translate text /dev/zero` used to read until it held 9 GB. Each child here
runs under an address-space limit of 2 GB, so reading without a bound fails
the test (with a MemoryError) instead of taking the machine down.
"""

from __future__ import annotations

import json
import resource
import subprocess

import pytest
from cli_process import TRANSLATE, cli, one_line_error

ADDRESS_SPACE = 2 << 30


def limited() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def bounded_cli(*args: str, cwd, stdin=None) -> subprocess.CompletedProcess[str]:
    """`translate ARGS` under the address-space limit."""
    return subprocess.run(
        [*TRANSLATE, *args],
        cwd=cwd,
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        preexec_fn=limited,
        timeout=120,
    )


@pytest.fixture
def project(project):
    return project.configure(["es"], engine={"default": "apertium"}, limits={"max_text_bytes": 1_000_000})


def test_translate_text_of_dev_zero_stops_at_once_with_one_line(project):
    result = bounded_cli("text", "/dev/zero", "--to", "es", cwd=project)
    assert result.returncode == 2
    assert "/dev/zero: is a device, not a file to read" in one_line_error(result)  # refused before reading


def test_an_endless_stream_on_stdin_stops_at_the_limit_with_one_line(project):
    feeder = subprocess.Popen(["yes", "All work and no play makes a long text."], stdout=subprocess.PIPE)
    try:
        result = bounded_cli("text", "-", "--to", "es", cwd=project, stdin=feeder.stdout)
    finally:
        feeder.kill()
        feeder.wait()
    assert result.returncode == 2
    line = one_line_error(result)
    assert "<stdin>: larger than 1,000,000 bytes (limits.max_text_bytes in translate.toml)" in line


@pytest.mark.apertium
def test_a_text_over_the_size_limit_is_reported_and_the_others_are_translated(project):
    project.add_text("small.md", "Workers of the world, unite.\n")
    (project / "texts" / "huge.md").write_text("All work and no play.\n" * 60_000, encoding="utf-8")
    result = cli("run", "--json", cwd=project)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert [t["text"] for t in report["failed_texts"]] == ["huge.md"]
    assert "larger than 1,000,000 bytes" in report["failed_texts"][0]["error"]
    assert (project / "outputs" / "es" / "small.md").is_file()
    assert not (project / "outputs" / "es" / "huge.md").exists()
