"""Apertium's own morphology, read and written through lttoolbox (`lt-proc`, `lt-comp`, `lt-append`).

Every Apertium pair installs compiled dictionaries beside its modes: an analyser
of its source language (`*.automorf.bin`: "negación" → negación<n><f><sg>), a
bilingual dictionary (`*.autobil.bin`) and a generator of its target language
(`*.autogen.bin`: negación<n><f><pl> → "negaciones"). The glossary layer uses
them in two ways: the project's terms are compiled into dictionaries of the same
shape and appended to a pair's own (`apertium_terms.py`), and the quality of a
draft is judged word by word with the analyser of its language (the damage
count of `translate.finish.damage`), which knows gender, number and part of
speech without any word list of ours.

A mode file names its stages; `mode_stages` reads them, `analyser_for` finds an
analyser of a language among the installed modes (any mode whose source is that
language starts with one), and `LtProc` runs one compiled dictionary over many
lines in one process.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from translate.errors import EngineError
from translate.languages import normalize

_UNIT = re.compile(r"\^((?:\\.|[^$\\])*)\$")
_TAG = re.compile(r"<([^<>]+)>")
DEFAULT_DATADIR = "/usr/share/apertium"


def datadir_of(datadir: str | None = None) -> str:
    """Where the installed modes are: the engine's own folder, else where `apertium` itself looks."""
    return datadir or os.environ.get("APERTIUM_DATADIR") or DEFAULT_DATADIR


def available() -> bool:
    """Whether lt-proc is installed (it comes with every Apertium pair)."""
    return shutil.which("lt-proc") is not None


@dataclass(frozen=True)
class Reading:
    """One analysis of a word: 'negación', ('n', 'f', 'sg'). A joined analysis ('del' = de<pr>+el<det>...)
    keeps its parts; its lemma and tags are the last part's (the word that agrees)."""

    lemma: str
    tags: tuple[str, ...]
    parts: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def category(self) -> str:
        return self.tags[0] if self.tags else ""

    def text(self) -> str:
        return self.lemma + "".join(f"<{t}>" for t in self.tags)


@dataclass(frozen=True)
class Unit:
    """A word (or multiword) of an analysed text, with every reading; none when unknown (`*word`)."""

    surface: str
    readings: tuple[Reading, ...]
    start: int = 0  # where it starts in the analysed line
    end: int = 0

    @property
    def known(self) -> bool:
        return bool(self.readings)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def parse_reading(text: str) -> Reading:
    parts: list[tuple[str, tuple[str, ...]]] = []
    for part in text.split("+"):
        cut = part.find("<")
        word, tagtext = (part, "") if cut < 0 else (part[:cut], part[cut:])
        parts.append((_unescape(word), tuple(_TAG.findall(tagtext))))
    lemma, tags = parts[-1]
    if len(parts) > 1 and not parts[-1][0]:  # a clitic glued to a verb: the verb's reading
        lemma, tags = parts[0]
    return Reading(lemma, tags, tuple(parts) if len(parts) > 1 else ())


def parse_units(line: str) -> list[Unit]:
    """The units of one line of lt-proc's analysis output ('^word/reading/reading$'), in order."""
    units = []
    for match in _UNIT.finditer(line):
        fields = re.split(r"(?<!\\)/", match.group(1))
        surface = _unescape(fields[0])
        readings = () if len(fields) < 2 or fields[1].startswith("*") else tuple(parse_reading(f) for f in fields[1:])
        units.append(Unit(surface, readings, match.start(), match.end()))
    return units


def escape(text: str) -> str:
    """Text as lt-proc reads it: its stream's reserved characters escaped."""
    return re.sub(r"([\^$@/<>\[\]{}\\*#+~])", r"\\\1", text)


class LtProc:
    """One compiled dictionary run over many lines at once (`flags`: () analysis, ('-g',) generation,
    ('-b',) bilingual lookup, ('-p',) post-generation). One process per call for the lines it has
    not seen yet; what it answered is remembered."""

    def __init__(self, path: str | os.PathLike[str], flags: tuple[str, ...] = (), timeout: float = 120.0) -> None:
        self.path = str(path)
        self.flags = flags
        self.timeout = timeout
        self._seen: dict[str, str] = {}

    def run(self, lines: list[str]) -> list[str]:
        if any("\n" in line for line in lines):
            raise ValueError("one line per input")
        todo = [line for line in dict.fromkeys(lines) if line not in self._seen]
        if todo:
            text = "\n".join(todo) + "\n"
            argv = ["lt-proc", *self.flags, self.path]
            try:
                done = subprocess.run(argv, input=text, capture_output=True, text=True, timeout=self.timeout)
            except (OSError, subprocess.SubprocessError) as err:
                raise EngineError(f"{' '.join(argv)} failed: {err}") from None
            out = done.stdout.split("\n")
            if done.returncode != 0 or len(out) < len(todo):
                raise EngineError(f"{' '.join(argv)} failed: {done.stderr.strip()[-200:]}")
            self._seen.update(zip(todo, out, strict=False))
        return [self._seen[line] for line in lines]

    def analyse(self, lines: list[str]) -> list[list[Unit]]:
        """Each line's units (this must be an analyser)."""
        return [parse_units(line) for line in self.run(lines)]

    def generate(self, readings: list[str]) -> list[str | None]:
        """Each lexical form's surface form ('valía<n><f><pl>' → 'valías'); None where the generator
        does not know it (this must be a generator)."""
        out = self.run([f"^{r}$" for r in readings])
        return [None if not text or "#" in text else text for text in out]


# ---------------------------------------------------------------- mode files


@dataclass(frozen=True)
class Stage:
    """One program of a mode's pipeline, as its words."""

    argv: tuple[str, ...]

    @property
    def program(self) -> str:
        return self.argv[0] if self.argv else ""

    def files(self, suffix: str) -> list[str]:
        return [a for a in self.argv if a.endswith(suffix)]

    def text(self) -> str:
        return " ".join(a if a.startswith("$") else shlex.quote(a) for a in self.argv)


def mode_file(mode: str, datadir: str | None = None) -> Path:
    return Path(datadir_of(datadir)) / "modes" / f"{mode}.mode"


def mode_stages(text: str) -> list[Stage]:
    """A mode file's pipeline, stage by stage ('$1', '$2' stay as written for `apertium` to fill)."""
    stages = []
    for part in text.strip().split("|"):
        words = shlex.split(part.replace("$1", "DOLLAR1").replace("$2", "DOLLAR2"))
        stages.append(Stage(tuple(w.replace("DOLLAR1", "$1").replace("DOLLAR2", "$2") for w in words if w)))
    return [s for s in stages if s.argv]


def stages_text(stages: list[Stage]) -> str:
    return " | ".join(stage.text() for stage in stages) + "\n"


def analyser_of(stages: list[Stage]) -> str | None:
    """The analyser a mode starts with."""
    first = stages[0] if stages else None
    if first and first.program == "lt-proc" and first.files(".automorf.bin"):
        return first.files(".automorf.bin")[0]
    return None


def generator_of(stages: list[Stage]) -> str | None:
    for stage in stages:
        if stage.program == "lt-proc" and stage.files(".autogen.bin"):
            return stage.files(".autogen.bin")[0]
    return None


def postgenerator_of(stages: list[Stage]) -> str | None:
    for stage in reversed(stages):
        if stage.program == "lt-proc" and "-p" in stage.argv:
            return stage.argv[-1]
    return None


def analysers_for(
    language: str, modes: dict[tuple[str, str], str], code_of: Callable[[str], str | None], datadir: str | None = None
) -> list[str]:
    """Every installed analyser of `language`, largest first (`modes`: (source, target) -> mode name, as the
    engine found them; `code_of`: a dictionary file's language name, 'ast' or 'spa', as a project code).

    An analyser is named by its pair, source first ('ast-spa.automorf.bin'), and a package installs both
    directions' even where it offers one mode (Asturian is read, though only Spanish → Asturian is a
    mode here). Serbian, Croatian and Bosnian share Serbo-Croatian's."""
    wanted = {normalize(language), normalize(language).split("_")[0]}
    if wanted & {"sr", "hr", "bs"}:
        wanted |= {"sr", "hr", "bs", "hbs"}
    folders = set()
    for mode in modes.values():
        path = mode_file(mode, datadir)
        if path.is_file():
            folders |= {str(Path(a).parent) for s in mode_stages(path.read_text(encoding="utf-8")) for a in s.files(".bin")}
    found: dict[str, int] = {}
    for folder in sorted(folders):
        for analyser in Path(folder).glob("*.automorf.bin"):
            head = analyser.name.split(".")[0].split("-")[0]
            if "@" not in analyser.name and (code_of(head) in wanted or head in wanted):
                found[str(analyser)] = analyser.stat().st_size
    return sorted(found, key=lambda a: (-found[a], a))
