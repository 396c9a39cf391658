"""The scheduling recipes in contrib/: valid syntax, and their exact commands work.

Each recipe is rewritten to point at a temporary project (its only change), checked
by the tool that reads it (systemd-analyze, a cron field check, a YAML parser), and
its command is run as written.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from project_factory import Project

REPO = Path(__file__).resolve().parents[1]
CONTRIB = REPO / "contrib"


@pytest.fixture
def project(project):
    """A project where the recipes expect one: texts, glossary, a config, and .venv/bin/translate."""
    project.add_essays().configure(["es"], engine={"default": "apertium"})
    (project / ".venv").symlink_to(Path(sys.prefix))
    assert (project / ".venv" / "bin" / "translate").exists()
    (project / "reports").mkdir()
    return project


def rewrite(text: str, project: Project) -> str:
    return text.replace("/srv/translate", str(project))


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_units_verify(project, tmp_path):
    units = tmp_path / "units"
    units.mkdir()
    for name in ("translate.service", "translate.timer"):
        text = rewrite((CONTRIB / "systemd" / name).read_text(), project)
        (units / name).write_text(text.replace("User=translate", f"User={getpass.getuser()}"))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(units / "translate.timer"), str(units / "translate.service")],
        capture_output=True,
        text=True,
    )
    problems = [line for line in result.stderr.splitlines() if "translate." in line]
    assert result.returncode == 0 and not problems, result.stderr


@pytest.mark.slow
@pytest.mark.apertium
def test_systemd_service_command_runs(project):
    text = rewrite((CONTRIB / "systemd" / "translate.service").read_text(), project)
    fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))
    result = subprocess.run(fields["ExecStart"].split(), cwd=fields["WorkingDirectory"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""  # --quiet: nothing to mail when all went well
    assert (project / "outputs" / "es" / "the-virtual-factory.md").is_file()


CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")


@pytest.mark.slow
@pytest.mark.apertium
def test_crontab_line_is_valid_and_its_command_runs(project):
    lines = [line for line in (CONTRIB / "cron" / "translate.crontab").read_text().splitlines() if line.strip()]
    entries = [line for line in lines if not line.lstrip().startswith("#")]
    assert len(entries) == 1
    fields = entries[0].split(None, 5)
    for field, (low, high) in zip(fields[:5], [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]):
        assert CRON_FIELD.match(field), field
        for number in map(int, re.findall(r"\d+", field.split("/")[0])):
            assert low <= number <= high
    command = rewrite(fields[5], project)
    result = subprocess.run(["sh", "-c", command], capture_output=True, text=True, env={"PATH": os.defpath})
    assert result.returncode == 0, (project / "reports" / "cron.log").read_text()
    assert (project / "outputs" / "es" / "the-virtual-factory.po").is_file()
    again = subprocess.run(["sh", "-c", command], env={"PATH": os.defpath})
    assert again.returncode == 0


def test_ci_workflow_is_valid_and_runs_the_readme_command():
    workflow = yaml.safe_load((CONTRIB / "ci" / "translate-nightly.yml").read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    cron = triggers["schedule"][0]["cron"].split()
    assert len(cron) == 5 and all(CRON_FIELD.match(f) for f in cron)
    steps = workflow["jobs"]["translate"]["steps"]
    commands = [step.get("run", "") for step in steps]
    assert "make setup translate" in commands  # the README's set-up and main command, as CI runs it
    assert "make setup translate" in (REPO / "README.md").read_text()
    assert "make setup translate" in (REPO / ".ci" / "run").read_text()


CONTAINER_INSTRUCTIONS = {"FROM", "ENV", "RUN", "WORKDIR", "COPY", "ENTRYPOINT", "CMD", "ARG", "LABEL", "USER", "EXPOSE"}


def container_instructions(path: Path) -> list[tuple[str, str]]:
    """(instruction, arguments) per logical line of a Containerfile: comments dropped, continuations joined."""
    logical, current = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line[:-1] + " " if line.endswith("\\") else line
        if not line.endswith("\\"):
            logical.append(current)
            current = ""
    assert not current, "a continuation runs past the end of the file"
    return [(text.split(None, 1)[0], text.split(None, 1)[1]) for text in logical]


def test_the_worker_container_recipe_is_well_formed():
    steps = container_instructions(CONTRIB / "cluster" / "Containerfile")
    assert steps[0][0] == "FROM" and steps[0][1].startswith("debian:bookworm")  # the release the setup is made on
    assert {name for name, _ in steps} <= CONTAINER_INSTRUCTIONS
    for name, arguments in steps:
        if name == "RUN":
            check = subprocess.run(["sh", "-n", "-c", arguments], capture_output=True, text=True)
            assert check.returncode == 0, (arguments, check.stderr)
        if name == "COPY":
            for source in arguments.split()[:-1]:
                assert (REPO / source).exists(), source
    entry = json.loads(dict(steps)["ENTRYPOINT"])
    assert entry[0].endswith("/.venv/bin/translate") and entry[1:] == ["worker"]
    assert any(name == "RUN" and arguments == "make python-packages" for name, arguments in steps)  # uv.lock, as set-up


def test_the_worker_container_installs_the_debian_packages_set_up_installs():
    script = (REPO / "scripts" / "install-system-packages.sh").read_text(encoding="utf-8")
    listed = re.search(r'PACKAGES="([^"]*)"', script)
    assert listed is not None
    installs = [
        arguments.split("--no-install-recommends", 1)[1].split("&&")[0].split()
        for name, arguments in container_instructions(CONTRIB / "cluster" / "Containerfile")
        if name == "RUN" and "apertium" in arguments
    ]
    assert len(installs) == 1 and sorted(installs[0]) == sorted(listed.group(1).split())
