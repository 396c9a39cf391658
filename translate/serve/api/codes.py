"""Language codes as LibreTranslate's clients write them, and as this project does.

Clients send LibreTranslate's spellings: lower or mixed case, `zh-Hans` and
`zh-Hant`, its internal `pb` for Brazilian Portuguese, sometimes `pt_BR`.
The project uses ISO 639 codes with `_` before a region (`pt_BR`, `zh`, `zt`).
Replies use BCP 47 (`pt-BR`) and plain `zh` for Simplified Chinese rather
than LibreTranslate's `zh-Hans`: Weblate's LibreTranslate backend maps its
zh_Hans to `zh` before it looks the code up in /languages, and Mastodon
posts carry `zh`, so `zh` is what both find.
"""

from __future__ import annotations

from translate import languages
from translate.errors import LanguageError

ALIASES = {"zh-hans": "zh", "zh-cn": "zh", "zh-sg": "zh", "zh-hant": "zt", "zh-tw": "zt", "zh-hk": "zt", "pb": "pt_BR"}
"""LibreTranslate's and browsers' spellings that are not the project's code with '-' for '_'."""

REPLY = {"zt": "zh-Hant"}
"""Project codes written otherwise in replies."""


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


def name(code: str) -> str:
    """The English name LibreTranslate's /languages gives ('Spanish')."""
    return languages.name_or_code(code)
