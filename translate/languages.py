"""Every per-language fact the project uses, in one place.

Codes are ISO 639 (two letters where one exists: en, es, zh), optionally with a
script or region (sr_Latn, pt_BR). An unknown code is a usage error, caught
before any model is loaded. Names come from CLDR (through Babel), plural rules
from gettext's own table (`plural_forms.py`); the rest are small tables:
right-to-left scripts, scripts written without spaces between sentences,
languages whose terms inflect, articles.
Quotation marks are not here: only the handout stylesheet uses them
(`publish/templates/handout.css`, by `:lang()`).

A regional variant is a language of its own wherever it is named (pt_BR:
outputs/pt-BR/, its own glossary terms, labels, quotation marks and spelling
dictionary; never labelled pt), and shares its language's entries in the tables
below unless it has its own (`of_language`: Brazilian Portuguese takes pt's
articles and determiners).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import TypeVar

from translate.errors import LanguageError
from translate.plural_forms import PLURAL_FORMS

T = TypeVar("T")

# Codes engines use that CLDR does not list as locales.
EXTRA_LANGUAGES = {
    "hbs": "Serbo-Croatian",
    "zt": "Chinese (Traditional)",
}

RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"}

UNSPACED_LANGUAGES = {"zh", "zt", "ja", "th", "lo", "km", "my"}
"""Scripts that put no space between sentences (segment joins, handouts drop the gaps)."""

CJK_LANGUAGES = {"zh", "ja", "ko"}
"""Languages sacrebleu's TER tokenizes with its Asian support."""

ARTICLES = {
    "en": ("the", "a", "an"),
    "es": ("el", "la", "los", "las", "un", "una"),
    "pt": ("o", "a", "os", "as", "um", "uma"),
    "fr": ("le", "la", "les", "l'", "un", "une"),
    "it": ("il", "lo", "la", "i", "gli", "le", "l'", "un", "una"),
    "ca": ("el", "la", "els", "les", "l'", "un", "una"),
    "gl": ("o", "a", "os", "as", "un", "unha"),
    "de": ("der", "die", "das", "den", "dem", "des", "ein", "eine"),
}
"""Articles an engine may put before a term translated on its own."""

ADJECTIVE_AFTER_NOUN = {"es", "pt", "fr", "it", "ca", "gl", "oc", "ast", "an", "ro", "sc", "ar", "he", "fa", "ga", "cy", "br"}
"""Languages whose ordinary adjective follows its noun (la fábrica virtual); elsewhere it precedes (the
virtual factory, virtuala fabriko). The glossary layer builds head phrases and judges word order by it."""

DOUBLED_ABBREVIATIONS = {"es", "gl", "ast", "an"}
"""Languages that write a plural abbreviation by doubling its letters ("EE.UU.", "FF.AA."): Spanish and its
neighbours. Elsewhere the form is a pivot's leftover (French writes "É.-U.", Italian "USA", Portuguese "EUA")."""

WRITTEN_IN = {"sr": "sr_Latn"}
"""The script a language variant is written in here, decided once: Serbian in Latin script, as the
Apertium eng-hbs_SR output and the glossary write it; handout labels, language names and dates follow
(CLDR's plain "sr" is Cyrillic)."""

HTML_LANG = {"zt": "zh-Hant", "hbs": "sh", "sr": "sr-Latn"}
"""HTML lang tags for the engine codes that are not BCP 47 as they stand."""

DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
"""What gettext (msgfmt, libintl) assumes for a catalog without a Plural-Forms header."""


def normalize(code: str) -> str:
    """Canonical spelling of a code: lower-case language, '_' before script/region."""
    code = code.strip().replace("-", "_")
    if not code:
        raise LanguageError("empty language code")
    head, *rest = code.split("_")
    parts = [head.lower()] + [p.title() if len(p) == 4 else p.upper() for p in rest]
    return "_".join(parts)


_CODE_SHAPE = re.compile(r"[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|[0-9]{3}))?(?:_[A-Za-z0-9]{4,8})*")


def check_code(code: str) -> str:
    """The normalized code if it has the shape of a language tag (es, pt_BR, sr_Latn, es_419), else LanguageError.

    For codes from files made elsewhere (TMX, TBX): a code becomes a folder name
    under outputs/ and a key in the memory, so '../../etc' must never pass. Unlike
    `validate` it accepts languages CLDR does not list (a TMX may hold any).
    """
    normalized = normalize(code)
    if len(normalized) > 35 or not _CODE_SHAPE.fullmatch(normalized):
        shown = code if code.isprintable() else code.encode("unicode_escape").decode("ascii")
        raise LanguageError(f"'{shown}' is not a language code (expected the shape of es, pt-BR, sr-Latn, es-419)")
    return normalized


@cache
def language_name(code: str) -> str:
    """English name of a language, e.g. 'es' -> 'Spanish'; raises for unknown codes."""
    code = normalize(code)
    if code in EXTRA_LANGUAGES:
        return EXTRA_LANGUAGES[code]
    from babel import Locale, UnknownLocaleError  # Babel loads CLDR data: only when a name is asked for

    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        raise LanguageError(f"unknown language code '{code}' (use ISO 639 codes such as es, fr, zh, pt_BR)") from None
    return locale.get_display_name("en") or code


def validate(code: str) -> str:
    """Return the normalized code, or raise LanguageError naming the bad one."""
    code = normalize(code)
    language_name(code)
    return code


def parse_list(value: str | list[str]) -> list[str]:
    """Parse 'es,fr, pt' (or a list) into validated, de-duplicated codes."""
    items = value.split(",") if isinstance(value, str) else list(value)
    codes: list[str] = []
    for item in items:
        if item.strip():
            code = validate(item)
            if code not in codes:
                codes.append(code)
    if not codes:
        raise LanguageError("no language codes given")
    return codes


def base_language(code: str) -> str:
    """The language part of a code: 'pt_BR' -> 'pt'."""
    return normalize(code).split("_")[0]


def of_language(table: Mapping[str, T], code: str, default: T) -> T:
    """A per-language table's entry for a code, else for its language: pt_BR shares pt's articles
    and determiners unless a table lists pt_BR itself."""
    found = table.get(normalize(code))
    if found is None:
        found = table.get(base_language(code))
    return default if found is None else found


def adjective_before_noun(code: str) -> bool:
    """Whether the language puts an ordinary adjective before its noun (en, eo, sr, de...), not after (es, fr...)."""
    return base_language(code) not in ADJECTIVE_AFTER_NOUN


def is_rtl(code: str) -> bool:
    """Whether a language is written right to left."""
    return base_language(code) in RTL_LANGUAGES


def name_or_code(code: str) -> str:
    """The English name of a language, or the code itself where CLDR has none (for headers)."""
    try:
        return language_name(code)
    except LanguageError:
        return code


def is_unspaced(code: str) -> bool:
    """Whether a language's script puts no space between sentences (Chinese, Japanese, Thai...)."""
    return code.replace("-", "_").split("_")[0].lower() in UNSPACED_LANGUAGES


def bcp47(code: str) -> str:
    """'pt_BR' -> 'pt-BR' (TMX and HTML want BCP 47 tags)."""
    return code.replace("_", "-")


def html_lang(code: str) -> str:
    """The lang attribute of a page in this language: 'zt' -> 'zh-Hant', 'pt_BR' -> 'pt-BR'."""
    code = normalize(code)
    return HTML_LANG.get(code, bcp47(code))


def plural_forms(language: str) -> str:
    """The gettext Plural-Forms header as msginit writes it, e.g. 'nplurals=2; plural=(n != 1);' for es.

    From the committed table in `plural_forms.py` (gettext's own, made by
    scripts/plural_forms.py), never from the installed Babel: a newer CLDR gives
    Spanish and French a third form, and a header that moved with a library
    upgrade would rewrite every committed PO file. A region or script falls back
    to its language (es_419 -> es); 'hbs' is written as Serbian. A language
    nobody lists gets gettext's own default, what msgfmt assumes without a header.
    """
    code = normalize(language)
    for candidate in (code, base_language(code), "sr" if code == "hbs" else ""):
        if candidate in PLURAL_FORMS:
            return PLURAL_FORMS[candidate]
    return DEFAULT_PLURAL_FORMS
