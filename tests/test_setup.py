"""Set-up a newcomer can trust: `make setup` on a fresh copy says ERROR or WARNING only when something is wrong."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

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
