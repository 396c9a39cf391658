"""Apertium's Debian packages: which one provides a language pair, and which version is installed.

Apertium pairs come as Debian packages (apertium-eng-spa, apertium-es-pt...). A
missing pair is reported with the exact `apt-get install` that would add it,
directly or through a pivot language; an installed pair's package and version
go into every signature, read from dpkg's own file lists.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from translate.fileio import stamp_text
from translate.languages import normalize

# Debian packages and the pairs they serve (both directions unless listed in ONE_WAY),
# for hints when a pair is missing. Codes are the project's.
DEBIAN_PACKAGES = {
    "apertium-eng-spa": ("en", "es"),
    "apertium-eng-cat": ("en", "ca"),
    "apertium-en-gl": ("en", "gl"),
    "apertium-eo-en": ("en", "eo"),
    "apertium-hbs-eng": ("en", "hbs"),
    "apertium-es-pt": ("es", "pt"),
    "apertium-fr-es": ("es", "fr"),
    "apertium-spa-ita": ("es", "it"),
    "apertium-oc-es": ("es", "oc"),
    "apertium-spa-ast": ("es", "ast"),
    "apertium-spa-arg": ("es", "an"),
    "apertium-es-ro": ("es", "ro"),
    "apertium-spa-cat": ("es", "ca"),
    "apertium-es-gl": ("es", "gl"),
    "apertium-eo-es": ("es", "eo"),
    "apertium-eu-es": ("es", "eu"),
    "apertium-eu-en": ("en", "eu"),
    "apertium-isl-eng": ("en", "is"),
    "apertium-mkd-eng": ("en", "mk"),
    "apertium-fra-cat": ("ca", "fr"),
    "apertium-cat-ita": ("ca", "it"),
    "apertium-por-cat": ("ca", "pt"),
    "apertium-oc-ca": ("ca", "oc"),
    "apertium-arg-cat": ("ca", "an"),
    "apertium-eo-ca": ("ca", "eo"),
    "apertium-cat-srd": ("ca", "sc"),
    "apertium-oci-fra": ("fr", "oc"),
    "apertium-br-fr": ("br", "fr"),
    "apertium-eo-fr": ("fr", "eo"),
    "apertium-pt-gl": ("gl", "pt"),
    "apertium-nno-nob": ("nb", "nn"),
    "apertium-swe-dan": ("da", "sv"),
    "apertium-swe-nor": ("no", "sv"),
    "apertium-dan-nor": ("da", "no"),
    "apertium-isl-swe": ("is", "sv"),
    "apertium-afr-nld": ("af", "nl"),
    "apertium-rus-ukr": ("ru", "uk"),
    "apertium-bel-rus": ("be", "ru"),
    "apertium-mkd-bul": ("bg", "mk"),
    "apertium-hbs-mkd": ("hbs", "mk"),
    "apertium-hbs-slv": ("hbs", "sl"),
    "apertium-ind-zlm": ("id", "ms"),
    "apertium-urd-hin": ("hi", "ur"),
    "apertium-srd-ita": ("it", "sc"),
    "apertium-pol-szl": ("pl", "szl"),
}
ONE_WAY = {("es", "ro"), ("es", "eu"), ("en", "eu"), ("fr", "br"), ("es", "eo"), ("ca", "eo"), ("fr", "eo")}
PIVOT_PREFERENCE = ("es", "ca", "en")
"""Pivot languages in the order routes try them (and hints name the first two)."""


def _package_pair(code: str) -> str:
    """The code Debian package names are keyed by: 'sr' -> 'hbs', 'pt_BR' -> 'pt'."""
    base = normalize(code).split("_")[0]
    return "hbs" if base in {"sr", "hr", "bs"} else base


def package_for(source: str, target: str) -> str | None:
    """The Debian package known to provide source -> target, if any."""
    pair = (_package_pair(source), _package_pair(target))
    for package, (a, b) in DEBIAN_PACKAGES.items():
        if pair in {(a, b), (b, a)} and pair not in ONE_WAY:
            return package
    return None


def install_hint(source: str, target: str) -> str | None:
    """The apt-get command that would give source -> target, directly or via Spanish/Catalan (None for one language)."""
    if _package_pair(source) == _package_pair(target):
        return None
    direct = package_for(source, target)
    if direct:
        return f"apt-get install {direct}"
    for pivot in PIVOT_PREFERENCE[:2]:
        first, second = package_for(source, pivot), package_for(pivot, target)
        if first and second:
            return f"apt-get install {' '.join(dict.fromkeys([first, second]))}"
    return None


@lru_cache(maxsize=32)
def debian_models(datadir: str | None, modes: tuple[str, ...]) -> dict[str, str]:
    """mode -> 'package@version' from dpkg, in two calls; {} where dpkg cannot tell."""
    if not modes or shutil.which("dpkg") is None or shutil.which("dpkg-query") is None:
        return {}
    try:
        package_of = _mode_owners(set(modes), datadir)
        packages = sorted(set(package_of.values()))
        versions: dict[str, str] = {}
        if packages:
            query = ["dpkg-query", "-W", "-f", "${Package}\t${Version}\n", *packages]
            for line in subprocess.run(query, capture_output=True, text=True, timeout=30).stdout.splitlines():
                name, _, version = line.partition("\t")
                versions[name] = version
    except (OSError, subprocess.SubprocessError):
        return {}
    return {m: f"{p}@{versions[p]}" for m, p in package_of.items() if versions.get(p)}


def installed_stamp() -> str:
    """What the installed modes and their versions depend on, by file stats: the apertium command,
    its modes folder (a mode file renamed in or out changes it) and dpkg's status file (every
    package install or upgrade rewrites it)."""
    binary = shutil.which("apertium")
    if binary is None:
        return "absent"
    datadir = os.environ.get("APERTIUM_DATADIR") or "/usr/share/apertium"
    stamps = [binary, stamp_text(binary), datadir, stamp_text(os.path.join(datadir, "modes"))]
    return " ".join([*stamps, stamp_text("/var/lib/dpkg/status")])


DPKG_INFO = Path("/var/lib/dpkg/info")


def _mode_owners(modes: set[str], datadir: str | None) -> dict[str, str]:
    """mode -> owning Debian package, from dpkg's file lists (what `dpkg -S` reads, 10x faster)."""
    package_of: dict[str, str] = {}
    listings = sorted(DPKG_INFO.glob("apertium*.list")) if DPKG_INFO.is_dir() else []
    for listing in listings:
        package = listing.name.removesuffix(".list").split(":")[0]
        for line in listing.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.endswith(".mode") and "/modes/" in line and (not datadir or line.startswith(datadir.rstrip("/"))):
                mode = line.rsplit("/", 1)[-1].removesuffix(".mode")
                if mode in modes:
                    package_of.setdefault(mode, package)
    if package_of or not shutil.which("dpkg"):
        return package_of
    pattern = f"{datadir.rstrip('/')}/modes/*.mode" if datadir else "*/modes/*.mode"
    owners = subprocess.run(["dpkg", "-S", pattern], capture_output=True, text=True, timeout=30).stdout
    for line in owners.splitlines():
        packages, sep, path = line.partition(": ")
        mode = path.rsplit("/", 1)[-1].removesuffix(".mode")
        if sep and mode in modes and not line.startswith("diversion"):
            package_of.setdefault(mode, packages.split(",")[0].strip())
    return package_of
