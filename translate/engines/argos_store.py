"""Argos model management: list, install (from the index or a file), remove.

Package metadata, the index format and downloads come from
`argostranslate.package`. Installing and removing are done here: Argos's own
`install_from_path` and `uninstall` import `argostranslate.translate` to clear a
cache, and that module imports Stanza (and through it torch), which this
project deliberately does not install. Doing the file work here also lets us
validate the archive first and install atomically (extract beside, rename).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from translate.errors import ModelError, UsageError
from translate.fileio import atomic_write_bytes

if TYPE_CHECKING:
    from argostranslate.package import AvailablePackage, Package


@dataclass(frozen=True)
class InstalledModel:
    """An installed Argos package, as `translate models list` shows it."""

    name: str  # folder name, e.g. translate-zh_en-1_9
    source: str
    target: str
    version: str
    path: Path

    @property
    def label(self) -> str:
        """Name and version as it appears in signatures: translate-zh_en@1.9."""
        return f"translate-{self.source}_{self.target}@{self.version}"


class ArgosStore:
    """One folder of Argos packages and the index that says what can be installed."""

    def __init__(self, packages_dir: Path | None = None, index_url: str = "") -> None:
        settings = _argos_settings()
        self.packages_dir = Path(packages_dir) if packages_dir else Path(settings.package_data_dir)
        self.index_url = index_url or settings.remote_package_index
        self.local_index = Path(settings.local_package_index)
        if packages_dir:
            self.local_index = self.packages_dir.parent / f".{self.packages_dir.name}-index.json"

    # -- installed ---------------------------------------------------------
    def installed(self) -> list[InstalledModel]:
        """Every translate package in the folder, sorted by language pair."""
        if not self.packages_dir.is_dir():
            return []
        models = []
        for folder in sorted(self.packages_dir.iterdir()):
            if folder.is_dir() and not folder.name.startswith(".") and (folder / "metadata.json").is_file():
                pkg = self.load(folder)
                if pkg.type == "translate":
                    models.append(InstalledModel(folder.name, pkg.from_code, pkg.to_code, str(pkg.package_version), folder))
        return models

    def load(self, folder: Path) -> Package:
        """Read an installed package's metadata through argostranslate."""
        from argostranslate.package import Package  # argostranslate reads its settings on import: only on use

        try:
            return Package(folder)
        except (OSError, ValueError, KeyError) as err:
            raise ModelError(f"{folder.name}: broken Argos package ({err}); remove it and install again") from None

    def find(self, source: str, target: str) -> InstalledModel | None:
        """The installed package for a pair (the highest version if several)."""
        matches = [m for m in self.installed() if (m.source, m.target) == (source, target)]
        return max(matches, key=lambda m: _version_key(m.version)) if matches else None

    # -- install / remove --------------------------------------------------
    def install_file(self, archive: Path | str) -> InstalledModel:
        """Install a .argosmodel file: validate, extract beside, rename into place."""
        archive = Path(archive)
        if not archive.is_file():
            raise UsageError(f"{archive}: no such file")
        if not zipfile.is_zipfile(archive):
            raise UsageError(f"{archive}: not an Argos package (.argosmodel files are zip archives)")
        self.packages_dir.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(archive) as zf:
            top = _check_members(archive, zf.namelist())
            staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=self.packages_dir))
            try:
                zf.extractall(staging)
                folder = staging / top
                if not (folder / "metadata.json").is_file() or not (folder / "model").is_dir():
                    raise UsageError(f"{archive}: not an Argos translate package (no metadata.json or model/)")
                pkg = self.load(folder)
                if pkg.type != "translate" or not pkg.from_code or not pkg.to_code:
                    raise UsageError(f"{archive}: package type {pkg.type!r} is not a translation model")
                final = self.packages_dir / top
                backup = None
                if final.exists():
                    backup = final.with_name(f".{top}.old")
                    shutil.rmtree(backup, ignore_errors=True)
                    final.rename(backup)
                folder.rename(final)
                if backup:
                    shutil.rmtree(backup, ignore_errors=True)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        model = next(m for m in self.installed() if m.path == final)
        return model

    def remove(self, source: str, target: str) -> InstalledModel:
        """Remove the installed package for a pair."""
        model = self.find(source, target)
        if model is None:
            raise UsageError(f"no Argos package {source}→{target} is installed")
        doomed = model.path.with_name(f".{model.name}.removing")
        model.path.rename(doomed)
        shutil.rmtree(doomed)
        return model

    # -- the package index ---------------------------------------------------
    def update_index(self) -> int:
        """Fetch the package index and store it atomically; return its size."""
        import urllib.error  # urllib takes ~20 ms to import: only when the index is fetched
        import urllib.request  # (the same reason)

        try:
            with urllib.request.urlopen(self.index_url, timeout=30) as response:
                data = response.read()
        except (urllib.error.URLError, OSError, ValueError) as err:
            reason = getattr(err, "reason", err)
            raise ModelError(
                f"cannot reach the Argos package index at {self.index_url} ({reason}); "
                "install from a file instead: translate models install FILE.argosmodel"
            ) from None
        try:
            entries = json.loads(data)
            assert isinstance(entries, list)
        except (ValueError, AssertionError):
            raise ModelError(f"the package index at {self.index_url} is not a JSON list of packages") from None
        atomic_write_bytes(self.local_index, data)
        return len(entries)

    def available(self, refresh: bool = False) -> list[AvailablePackage]:
        """Packages the index offers (fetching the index on first use)."""
        from argostranslate.package import AvailablePackage  # argostranslate reads its settings on import: only on use

        if refresh or not self.local_index.is_file():
            self.update_index()
        entries = json.loads(self.local_index.read_text(encoding="utf-8"))
        return [AvailablePackage(e) for e in entries if e.get("type", "translate") == "translate"]

    def install_pair(self, source: str, target: str, refresh: bool = True) -> InstalledModel:
        """Download the index's package for a pair and install it."""
        candidates = [p for p in self.available(refresh) if (p.from_code, p.to_code) == (source, target)]
        if not candidates:
            raise UsageError(f"the Argos index has no package {source}→{target}; see: translate models available")
        best = max(candidates, key=lambda p: _version_key(str(p.package_version)))
        try:
            path = best.download()
        except Exception as err:  # argostranslate raises a bare Exception on failed downloads
            raise ModelError(f"download of {source}→{target} failed: {err}") from None
        try:
            return self.install_file(path)
        finally:
            Path(path).unlink(missing_ok=True)


def install_command(source: str, target: str) -> str:
    """The exact command that installs an Argos package for a pair."""
    return f"translate models install {source} {target}"


def _check_members(archive: Path, names: list[str]) -> str:
    """One top folder, no absolute paths or '..': refuse archives that would escape."""
    tops = {name.split("/", 1)[0] for name in names if name.strip("/")}
    for name in names:
        parts = Path(name).parts
        if name.startswith("/") or ".." in parts:
            raise UsageError(f"{archive}: unsafe path in archive: {name}")
    if len(tops) != 1:
        raise UsageError(f"{archive}: an Argos package holds exactly one top folder, found {len(tops)}")
    top = tops.pop()
    if top.startswith("."):
        raise UsageError(f"{archive}: bad package folder name {top!r}")
    return top


def _version_key(version: str) -> tuple:
    from packaging.version import InvalidVersion, Version  # only needed to compare package versions

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def _argos_settings():
    try:
        from argostranslate import settings  # optional dependency, and it creates folders on import
    except ImportError:
        raise ModelError(
            "argostranslate is not installed; install it without its heavy dependencies: pip install --no-deps argostranslate"
        ) from None
    return settings
