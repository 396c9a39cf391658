"""Language codes: validation and display names from CLDR (through Babel).

Codes are ISO 639 (two letters where one exists: en, es, zh), optionally with a
script or region (sr_Latn, pt_BR). An unknown code is a usage error, caught
before any model is loaded.
"""

from __future__ import annotations

from functools import cache

from translate.errors import LanguageError

# Codes engines use that CLDR does not list as locales.
EXTRA_LANGUAGES = {
    "hbs": "Serbo-Croatian",
    "zt": "Chinese (Traditional)",
}

RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"}


def normalize(code: str) -> str:
    """Canonical spelling of a code: lower-case language, '_' before script/region."""
    code = code.strip().replace("-", "_")
    if not code:
        raise LanguageError("empty language code")
    head, *rest = code.split("_")
    parts = [head.lower()] + [p.title() if len(p) == 4 else p.upper() for p in rest]
    return "_".join(parts)


@cache
def language_name(code: str) -> str:
    """English name of a language, e.g. 'es' -> 'Spanish'; raises for unknown codes."""
    code = normalize(code)
    if code in EXTRA_LANGUAGES:
        return EXTRA_LANGUAGES[code]
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        raise LanguageError(
            f"unknown language code '{code}' (use ISO 639 codes such as es, fr, zh, pt_BR)"
        ) from None
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


def is_rtl(code: str) -> bool:
    """Whether a language is written right to left."""
    return base_language(code) in RTL_LANGUAGES
