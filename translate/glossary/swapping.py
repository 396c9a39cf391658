"""Repair by swapping: the engine's own rendering of a term replaced in its plain translation.

When no masked attempt brings a term back (the placeholder was lost, or the term
is an adjective, never masked), the term is translated alone, and where that
rendering occurs in the sentence's plain translation it is replaced by the
glossary's rendering, in the form closest to the engine's (its gender and
number: an adjective keeps the agreement the engine gave it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from translate.glossary.compliance import target_regex
from translate.languages import ARTICLES, of_language


class Pin(Protocol):
    """What swapping needs of a pinning.Pin."""

    @property
    def concept(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def variants(self) -> tuple[str, ...]: ...


OPENING = "\"'“‘«‹„¿¡([{*_—–- \u00a0\t\n"


def term_rendering(text: str, target: str) -> str:
    """What an engine made of a term on its own, without final stop or article."""
    text = text.strip().strip(".。!?;:,\"'“”«»()[] ")
    for article in of_language(ARTICLES, target, ()):
        if text.lower().startswith(article + ("" if article.endswith("'") else " ")):
            return text[len(article) :].strip()
    return text


def same_form(pin: Pin, rendered: str) -> str:
    """The accepted rendering closest in form to what the engine wrote (its gender and number:
    'proletario' → 'proletario', 'capitalistas' → 'capitalistas'), else the pinned one."""

    def shared_ending(term: str) -> int:
        n = 0
        while n < min(len(term), len(rendered)) and term[-1 - n].lower() == rendered[-1 - n].lower():
            n += 1
        return n

    best = max(pin.variants or (pin.target,), key=shared_ending)
    return best if shared_ending(best) > shared_ending(pin.target) else pin.target


def swap_renderings(plain: str, pins: Sequence[Pin], renderings: dict[str, str], target: str) -> tuple[str, list[str]]:
    """Replace the engine's own rendering of each term in a plain translation by the
    pinned term, where that rendering can be found; returns text and concepts fixed."""
    fixed: list[str] = []
    for pin in pins:
        rendering = renderings.get(pin.concept, "")
        if len(rendering) < 2:
            continue
        found = target_regex(rendering, target).search(plain) or re.search(re.escape(rendering), plain, re.I)
        if not found:
            continue
        term = same_form(pin, found.group())
        if not plain[: found.start()].strip(OPENING):
            term = term[:1].upper() + term[1:]
        plain = plain[: found.start()] + term + plain[found.end() :]
        fixed.append(pin.concept)
    return plain, fixed
