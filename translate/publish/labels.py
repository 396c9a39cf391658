"""A handout's words in its own language: the printed labels and the names of languages.

The labels are the project's own translations (`templates/handout-labels.toml`,
English where a language or a key is missing); names of languages, dates and
numbers come from CLDR through Babel, loaded only when a handout is rendered.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from translate.languages import WRITTEN_IN, base_language, language_name, normalize


@lru_cache(maxsize=1)
def _all_labels() -> dict[str, dict[str, str]]:
    data = resources.files("translate.publish").joinpath("templates/handout-labels.toml").read_bytes()
    return tomllib.loads(data.decode("utf-8"))


def labels(language: str) -> dict[str, str]:
    """UI strings for a language (the project's own translations), English where missing."""
    table = _all_labels()
    merged = dict(table["en"])
    for code in (base_language(language), normalize(language)):
        merged.update(table.get(code, {}))
    return merged


def locale_for(language: str):
    from babel import Locale, UnknownLocaleError  # Babel loads CLDR data: only when a handout is rendered

    for code in (WRITTEN_IN.get(normalize(language), normalize(language)), base_language(language), "en"):
        try:
            return Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def language_in(code: str, language: str) -> str:
    """The name of language `code` in `language` (Babel/CLDR), English if unknown."""
    from babel import Locale, UnknownLocaleError  # Babel loads CLDR data: only when a handout is rendered

    try:
        name = Locale.parse(WRITTEN_IN.get(normalize(code), normalize(code))).get_display_name(locale_for(language))
    except (UnknownLocaleError, ValueError):
        name = None
    return name or language_name(code)
