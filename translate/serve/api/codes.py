"""Language codes as LibreTranslate's clients write them, and as this project does.

Clients send LibreTranslate's spellings: lower or mixed case, `zh-Hans` and
`zh-Hant`, its internal `pb` for Brazilian Portuguese, sometimes `pt_BR`.
The project uses ISO 639 codes with `_` before a region (`pt_BR`, `zh`, `zt`).
Replies use BCP 47 (`pt-BR`).

Where clients and engines disagree, the listing follows the clients:

- Chinese is listed twice, as `zh` and `zh-Hans`: Weblate's LibreTranslate
  backend maps its zh_Hans to `zh` and looks that up in /languages, Mastodon
  posts carry `zh`, and LibreTranslate itself (1.6 on) lists `zh-Hans`.
- Apertium translates from and into Serbo-Croatian (`hbs`), which no client
  asks for: they send `sr`, `hr` or `bs`. The three are listed, as sources
  (Apertium's analyser reads all three standards) and as targets (its hbs_SR,
  hbs_HR and hbs_BS generators); `hbs` and `sh` are still understood.
- Serbian is written in Latin script here (Apertium's hbs_SR output, and
  `languages.WRITTEN_IN`), so `sr` is named "Serbian (Latin script)", `sr-Latn`
  is accepted for it and `sr-Cyrl` is refused as not served.

A translation between two spellings of one language (pt to pt-BR, hr to sr)
would go through a pivot language here (pt→es→pt_BR): it is not offered.
"""

from __future__ import annotations

from translate import languages
from translate.errors import LanguageError

ALIASES = {
    "zh-hans": "zh",
    "zh-cn": "zh",
    "zh-sg": "zh",
    "zh-hant": "zt",
    "zh-tw": "zt",
    "zh-hk": "zt",
    "pb": "pt_BR",
    "sh": "hbs",
    "sr-latn": "sr",
}
"""LibreTranslate's and browsers' spellings that are not the project's code with '-' for '_'."""

MACROLANGUAGE = {"sr": "hbs", "hr": "hbs", "bs": "hbs"}
"""Client languages an engine here translates from as one language (Apertium's hbs analyser)."""

LISTED_AS_SOURCE = {"hbs": ("bs", "hr", "sr"), "zh": ("zh", "zh-Hans"), "zt": ("zh-Hant",)}
LISTED_AS_TARGET = {"hbs": (), "zh": ("zh", "zh-Hans"), "zt": ("zh-Hant",)}
"""How a project code appears in /languages (default: itself in BCP 47); hbs as a target is
listed through its three standards, which the engines also reach."""

REPLY = {"zt": "zh-Hant"}
"""Project codes written otherwise in replies."""

NAMES = {
    "sr": "Serbian (Latin script)",
    "zh": "Chinese",
    "zh-Hans": "Chinese (Simplified)",
    "zh-Hant": "Chinese (Traditional)",
    "hbs": "Serbo-Croatian",
}
"""Names that say more than CLDR's for the way a language is served here."""


def from_client(code: object) -> str | None:
    """The project's code for what a client sent, or None when it is no language code at all."""
    if not isinstance(code, str) or not code.strip():
        return None
    text = code.strip()
    text = ALIASES.get(text.lower().replace("_", "-"), text)
    try:
        return languages.validate(text)
    except LanguageError:
        return None


def to_client(code: str) -> str:
    """How a reply writes a project code: 'pt_BR' -> 'pt-BR', 'zt' -> 'zh-Hant'."""
    return REPLY.get(code, languages.bcp47(code))


def served_source(code: str, sources: list[str] | set[str]) -> str | None:
    """The source language an engine here translates `code` from: itself, or its macrolanguage."""
    if code in sources:
        return code
    wider = MACROLANGUAGE.get(code)
    return wider if wider in sources else None


def same_language(a: str, b: str) -> bool:
    """Two project codes for one language (pt and pt_BR, hr and hbs): nothing to translate between them."""
    family = {c: MACROLANGUAGE.get(languages.base_language(c), languages.base_language(c)) for c in (a, b)}
    return family[a] == family[b]


def listed(code: str, as_source: bool) -> tuple[str, ...]:
    """The client codes under which /languages lists a project code."""
    table = LISTED_AS_SOURCE if as_source else LISTED_AS_TARGET
    return table.get(code, (languages.bcp47(code),))


def name(code: str) -> str:
    """The English name /languages gives a client code ('Spanish', 'Serbian (Latin script)')."""
    return NAMES.get(code) or languages.name_or_code(code)
