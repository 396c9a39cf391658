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
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass
class Dictionary:
    """One hunspell dictionary; answers are remembered (a run asks about the same words often)."""

    language: str
    path: Path
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
            _LOADED[language] = Dictionary(language, path) if path else None
        except (ImportError, OSError):
            _LOADED[language] = None
    return _LOADED[language]


def spelling_support(language: str) -> str:
    """For `translate languages`: the dictionary used, or how to get one."""
    path = find_dictionary(language)
    if path is not None:
        return f"hunspell {path.stem}"
    package = DEBIAN_PACKAGES.get(language)
    return f"none (apt-get install {package})" if package else "none (no hunspell dictionary known)"
