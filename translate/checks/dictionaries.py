"""Spelling dictionaries: Debian's hunspell dictionaries, read through chunspell.

The spelling, glued-word, source-word and pivot-word checks ask whether a word
exists in a language. Debian packages real, maintained dictionaries
(hunspell-es, hunspell-fr, hunspell-pt-pt, hunspell-ca, hunspell-it,
hunspell-gl, hunspell-hr, hunspell-sr, hunspell-bs, hunspell-oc, hunspell-an,
myspell-eo, hunspell-en-us: scripts/install-system-packages.sh installs them).
chunspell is a maintained binding with the hunspell library inside its wheel;
measured here, it loads the Spanish dictionary in 0.14 s and checks the 2,500
words of the long essay in 7 ms, ten times faster than the pure-Python spylls.
A language without a dictionary simply gets no spelling signal
(`translate languages` says which).

Hunspell's affix rules miss forms a language builds freely: Spanish verbs with
their pronouns glued on ("trayéndolo", "inspirarles", "Combinándoles") and the
rarer persons of a defective verb ("acaecíamos") were reported as "not in the
dictionary", and Portuguese hunspell has no "internet". A word hunspell rejects
is therefore asked of the language's Apertium analyser (the morphology every
installed pair carries, which reads those four), kept running in null-flush
mode: one process per language, a few milliseconds a word where starting
`lt-proc` per word took 0.23 s on this machine under load. Only a common word
counts: an analysis as a proper noun or abbreviation does not, as the French
analyser of the fr-es pair reads the Spanish "EE.UU." as a place. And only in
the languages where the analyser was right (`MORPHOLOGY_LANGUAGES`): measured
on every word the checks named in the essays' drafts, the analyser would have
cleared 8 Spanish words (online, Quedándolos, constitutivamente...: all
Spanish), 4 Galician, 2 Catalan and 58 Esperanto ones (1 wrong: "elReta"), but
also Apertium's own wrong French and Italian forms ("appuye", "serieux",
"espasero", "Percepo": the analyser reads what its generator writes), Spanish
words in Aragonese and Occitan, and Brazilian forms in European Portuguese
(one analyser serves both). A language variant instead borrows its sibling's
dictionary for source words only (`sibling_dictionaries`): Portuguese
hunspell lacks "internet", which the Brazilian one has.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from translate.engines.apertium_pipeline import Pipeline
from translate.engines.lttoolbox import escape, parse_units
from translate.errors import EngineError

SEARCH_PATH = ("/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts")
"""Where Debian installs hunspell dictionaries; $TRANSLATE_HUNSPELL_PATH (colon-separated) comes first."""

DICTIONARY_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("en_US", "en_GB"),
    "en_GB": ("en_GB",),
    "es": ("es_ES", "es"),
    "fr": ("fr_FR", "fr"),
    "pt": ("pt_PT", "pt"),
    "pt_BR": ("pt_BR",),
    "ca": ("ca_ES", "ca"),
    "it": ("it_IT", "it"),
    "gl": ("gl_ES", "gl"),
    "hr": ("hr_HR", "hr"),
    "sr": ("sr_Latn_RS", "sr-Latn"),
    "bs": ("bs_BA", "bs"),
    "eo": ("eo", "eo_EO"),
    "oc": ("oc_FR", "oc"),
    "an": ("an_ES", "an"),
    "de": ("de_DE", "de_DE_frami", "de"),
    "ru": ("ru_RU", "ru"),
    "ro": ("ro_RO", "ro"),
    "nl": ("nl", "nl_NL"),
    "pl": ("pl_PL", "pl"),
    "uk": ("uk_UA", "uk"),
}
"""Dictionary file names per language, first found wins (Serbian: the Latin-script one Apertium writes)."""

DEBIAN_PACKAGES: dict[str, str] = {
    "en": "hunspell-en-us",
    "en_GB": "hunspell-en-gb",
    "es": "hunspell-es",
    "fr": "hunspell-fr",
    "pt": "hunspell-pt-pt",
    "pt_BR": "hunspell-pt-br",
    "ca": "hunspell-ca",
    "it": "hunspell-it",
    "gl": "hunspell-gl",
    "hr": "hunspell-hr",
    "sr": "hunspell-sr",
    "bs": "hunspell-bs",
    "eo": "myspell-eo",
    "oc": "hunspell-oc",
    "an": "hunspell-an",
    "de": "hunspell-de-de",
    "ru": "hunspell-ru",
    "ro": "hunspell-ro",
    "nl": "hunspell-nl",
    "pl": "hunspell-pl",
    "uk": "hunspell-uk",
}


def search_path() -> list[Path]:
    extra = [p for p in os.environ.get("TRANSLATE_HUNSPELL_PATH", "").split(":") if p]
    return [Path(p) for p in (*extra, *SEARCH_PATH)]


def find_dictionary(language: str) -> Path | None:
    """The .dic file (beside its .aff) for a language, or None."""
    for name in DICTIONARY_NAMES.get(language, (language,)):
        for folder in search_path():
            dic = folder / f"{name}.dic"
            if dic.is_file() and dic.with_suffix(".aff").is_file():
                return dic
    return None


NOT_COMMON = frozenset({"np", "abbr", "acr"})
"""Analyses that do not make a word common in the language: names and abbreviations an analyser carries
from the other language of its pair."""
MORPHOLOGY_TIMEOUT = 30.0
"""Seconds one word may take (a loaded machine; an answer takes milliseconds)."""


class Morphology:
    """A language's Apertium analyser, kept running, asked whether a word is a common word of the language."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._pipeline: Pipeline | None = None
        self._lock = threading.Lock()

    def knows(self, word: str) -> bool:
        with self._lock:
            try:
                if self._pipeline is None or not self._pipeline.alive():
                    self._pipeline = Pipeline.command(["lt-proc", "-z", self.path])
                answer = self._pipeline.ask(escape(word), MORPHOLOGY_TIMEOUT)
            except (EngineError, OSError):
                self.close()
                return False
        units = parse_units(answer)
        return len(units) == 1 and units[0].surface == word and any(r.category not in NOT_COMMON for r in units[0].readings)

    def close(self) -> None:
        if self._pipeline is not None:
            self._pipeline.close()
            self._pipeline = None


MORPHOLOGY_LANGUAGES = frozenset({"es", "ca", "gl", "eo"})
"""Languages whose Apertium analyser tells their words from others' (measured: see the module's docstring)."""


def morphology(language: str) -> Morphology | None:
    """The language's Apertium analyser (from any installed pair), or None without Apertium or one, or where
    the analyser was not measured to be right (`MORPHOLOGY_LANGUAGES`)."""
    from translate.engines.apertium import ApertiumEngine, available  # runs `apertium -l`: only for a checked language

    if language not in MORPHOLOGY_LANGUAGES or not available():
        return None
    try:
        analyser = ApertiumEngine().analyser(language)
    except (EngineError, OSError):
        return None
    return Morphology(analyser.path) if analyser is not None else None


@dataclass
class Dictionary:
    """One hunspell dictionary; answers are remembered (a run asks about the same words often).
    `morphology`, when given, is asked about the words hunspell rejects."""

    language: str
    path: Path
    morphology: Morphology | None = None
    _known: dict[str, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        import hunspell  # chunspell loads the dictionary's files: only when a language is checked

        self._speller = hunspell.Hunspell(self.path.stem, hunspell_data_dir=str(self.path.parent))

    @property
    def name(self) -> str:
        return self.path.stem

    def knows(self, word: str) -> bool:
        """Whether the language has this word (either apostrophe; a hyphenated word: all its parts)."""
        if word not in self._known:
            self._known[word] = self._lookup(word)
        return self._known[word]

    def entries(self) -> set[str]:
        """The dictionary's stems as its .dic file lists them, lower-cased (without affix flags)."""
        raw = self.path.read_bytes().decode("utf-8", errors="replace").splitlines()[1:]
        return {line.split("/", 1)[0].split("\t", 1)[0].strip().lower() for line in raw if line.strip()}

    def suggest(self, word: str) -> list[str]:
        """The dictionary's likely corrections, best first."""
        try:
            return list(self._speller.suggest(word.replace("’", "'")))
        except UnicodeError:
            return []

    def _lookup(self, word: str) -> bool:
        word = word.replace("’", "'")
        try:
            if self._speller.spell(word):
                return True
            if self.morphology is not None and self.morphology.knows(word):
                return True
            if "'" in word:  # l'usine, dell'intelligenza: the word after the elided article
                head, _, tail = word.rpartition("'")
                return len(head) <= 4 and bool(tail) and self.knows(tail)
            if "-" in word:
                return all(part and self.knows(part) for part in word.split("-"))
        except UnicodeError:  # a word the dictionary's 8-bit encoding cannot hold: not one of its words
            return False
        return False


_LOADED: dict[str, Dictionary | None] = {}


def dictionary(language: str) -> Dictionary | None:
    """The language's dictionary, loaded once per process; None when none is installed."""
    if language not in _LOADED:
        path = find_dictionary(language)
        try:
            _LOADED[language] = Dictionary(language, path, morphology(language)) if path else None
        except (ImportError, OSError):
            _LOADED[language] = None
    return _LOADED[language]


def sibling_dictionaries(language: str) -> list[Dictionary]:
    """The dictionaries of the language's other variants (pt_BR for pt, pt for pt_BR): a word one of them
    has is a word of the language, though not necessarily of this variant's spelling."""
    base = language.split("_")[0]
    siblings = [code for code in DICTIONARY_NAMES if code != language and code.split("_")[0] == base]
    return [d for d in (dictionary(code) for code in siblings) if d is not None]


def spelling_support(language: str) -> str:
    """For `translate languages`: the dictionary used, or how to get one."""
    path = find_dictionary(language)
    if path is not None:
        return f"hunspell {path.stem}"
    package = DEBIAN_PACKAGES.get(language)
    return f"none (apt-get install {package})" if package else "none (no hunspell dictionary known)"
