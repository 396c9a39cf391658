"""Set-up a newcomer can trust: `make setup` on a fresh copy says ERROR or WARNING only when something is wrong,
and the main job after it leaves the clone as it was."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import distributions
from pathlib import Path

import pytest
from cli_process import cli
from packaging.markers import Marker

REPO = Path(__file__).resolve().parents[1]
MODEL = REPO / "models" / "translate-zh_en-1_9.argosmodel"

# pip's complaint about a location named in this machine's own pip configuration
# (a find-links or index folder that does not exist): about the machine, not the project.
_MACHINE_PIP_CONFIG = re.compile(r"^WARNING: Location '.*' is ignored: it is neither a file nor a directory\.$")


def fresh_copy(destination: Path) -> Path:
    """The repository's tracked files as a fresh clone has them (uncommitted edits included)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source, target = REPO / name, destination / name
        if source.is_file() and not (source.is_symlink() and name.startswith("models/")):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target, follow_symlinks=False)
    return destination


@pytest.mark.slow
@pytest.mark.setup
def test_make_setup_on_a_fresh_copy_prints_no_error_or_warning(tmp_path):
    if not MODEL.is_file():
        pytest.skip("the zh→en model is not in models/ (`make zh-model`); set-up would download it")
    checkout = fresh_copy(tmp_path / "translate")
    done = subprocess.run(
        ["make", "setup", f"MODEL_MIRROR={MODEL.resolve().parent}"],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    alarming = [
        line
        for line in output.splitlines()
        if re.search(r"\b(ERROR|WARNING)\b", line, re.IGNORECASE) and not _MACHINE_PIP_CONFIG.match(line)
    ]
    assert alarming == [], "\n".join(alarming)
    assert (checkout / ".venv" / "bin" / "translate").is_file()
    version = subprocess.run([checkout / ".venv" / "bin" / "translate", "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("translate ")


def committed_copy(destination: Path) -> Path:
    """A fresh copy made a git repository of its own, everything committed: `git status` then shows what a run changed."""
    checkout = fresh_copy(destination)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "a fresh clone"]):
        subprocess.run([*git, *command], cwd=checkout, check=True, capture_output=True)
    return checkout


@pytest.mark.slow
@pytest.mark.apertium
def test_the_main_job_twice_on_a_fresh_clone_changes_no_tracked_file(tmp_path, argos_home):
    """`make translate` on a fresh clone, as an organizer's scheduled job runs it: the committed outputs are
    what a run writes, so the job writes nothing and a commit after it has no diff nobody made."""
    checkout = committed_copy(tmp_path / "translate")
    for _ in range(2):
        result = cli("run", "--quiet", cwd=checkout)
        assert result.returncode == 0, result.stderr
        status = subprocess.run(["git", "status", "--porcelain"], cwd=checkout, capture_output=True, text=True, check=True)
        assert status.stdout == "", f"the run changed tracked files:\n{status.stdout}"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_for_this_machine(lock: dict) -> dict[str, str]:
    """name -> version of every package uv.lock installs here: the project, its dependencies and its dev group,
    followed through each dependency whose marker holds for this interpreter and platform (extras included)."""
    packages: dict[str, list[dict]] = {}
    for package in lock["package"]:
        packages.setdefault(_canonical(package["name"]), []).append(package)
    [root] = [p for p in lock["package"] if p.get("source", {}).get("editable") == "."]
    wanted: dict[str, str] = {}
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    todo: list[tuple[dict, list[str]]] = [(root, [])]
    while todo:
        package, extras = todo.pop()
        name = _canonical(package["name"])
        if (name, package["version"], tuple(extras)) in seen:
            continue
        seen.add((name, package["version"], tuple(extras)))
        wanted[name] = package["version"]
        dependencies = list(package.get("dependencies", []))
        dependencies += [d for group in package.get("dev-dependencies", {}).values() for d in group]
        dependencies += [d for extra in extras for d in package.get("optional-dependencies", {}).get(extra, [])]
        for dependency in dependencies:
            if "marker" in dependency and not Marker(dependency["marker"]).evaluate():
                continue
            candidates = packages[_canonical(dependency["name"])]
            if "version" in dependency:
                candidates = [c for c in candidates if c["version"] == dependency["version"]]
            assert len(candidates) == 1, f"uv.lock names {dependency['name']} ambiguously: {dependency}"
            todo.append((candidates[0], list(dependency.get("extra", []))))
    return wanted


def test_the_installed_environment_is_exactly_the_lock():
    """What `make setup` installed is what uv.lock pins: every package at its locked version, none missing, none more."""
    lock = tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))
    locked = locked_for_this_machine(lock)
    installed = {_canonical(d.metadata["Name"]): d.version for d in distributions(path=sys.path)}
    assert {name: version for name, version in installed.items() if locked.get(name) != version} == {}, (
        "installed at another version than uv.lock pins, or not in it at all: `make python-packages` installs the lock"
    )
    assert set(locked) - set(installed) == set(), "locked but not installed: `make python-packages` installs them"
