"""How the review pages show things: the Jinja environment with its filters and globals, the labels of
decisions, the messages after one, the keyboard shortcuts, and text made safe to display.

routes.py decides what a request gets; this module only says how it looks, so a page's wording or a
filter changes here without touching a route.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from starlette.templating import Jinja2Templates

from translate import languages
from translate.serve.review import workspace
from translate.serve.review.presence import RENEW_SECONDS

HERE = Path(__file__).parent

BIDI_CONTROLS = {
    "\u061c": "ALM",
    "\u200e": "LRM",
    "\u200f": "RLM",
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
}
"""Invisible characters that reorder what follows them: shown as visible marks, never obeyed, in displayed text."""
_BIDI = re.compile("[" + "".join(BIDI_CONTROLS) + "]")


def shown(text: object) -> Markup:
    """Text for display: HTML-escaped, with bidirectional controls made visible ([RLO]) instead of obeyed."""
    escaped = str(escape("" if text is None else text))
    return Markup(
        _BIDI.sub(
            lambda m: (
                f'<span class="control" title="invisible control character '
                f'{BIDI_CONTROLS[m.group()]}">[{BIDI_CONTROLS[m.group()]}]</span>'
            ),
            escaped,
        )
    )


def when(stamp: str | None) -> str:
    """'2026-11-22T03:31:16Z' -> '2026-11-22 03:31 UTC' (the memory's times are UTC)."""
    match = re.match(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)", stamp or "")
    return f"{match.group(1)} {match.group(2)} UTC" if match else (stamp or "")


DECISION_LABELS = {
    "approved": "approved the text shown",
    "edited": "approved with changes",
    "draft": "saved a draft",
    "rejected": "sent back to the machine",
    "comment": "changed the translator comment",
    "suggested": "suggested",
    "note": "commented",
    "dismissed": "dismissed a suggestion",
}


def decision_label(d: Any) -> str:
    """How the history names a decision; a refused one says its text was kept as a suggestion."""
    label = DECISION_LABELS.get(d.status, d.status)
    if d.status == "draft" and getattr(d, "note", "") == "needs work":
        label = "saved as needing work"
    if getattr(d, "outcome", "") == "conflict":
        return f"{label}: refused, someone had changed it meanwhile (kept as a suggestion)"
    if getattr(d, "author", ""):
        return f"{label}: accepted {d.author}'s suggestion"
    return label


templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals["decision_label"] = decision_label
templates.env.filters["shown"] = shown
templates.env.filters["when"] = when
templates.env.globals["language_name"] = languages.name_or_code
templates.env.globals["html_lang"] = languages.html_lang
templates.env.globals["is_rtl"] = languages.is_rtl
templates.env.globals["filters"] = workspace.FILTERS
templates.env.globals["renew_seconds"] = RENEW_SECONDS
SHORTCUTS = [
    ("Ctrl+Enter", "Save the edit as a draft and go to the next sentence"),
    ("Ctrl+Shift+Enter", "Approve and go to the next sentence (reviewers)"),
    ("Alt+↓", "Next free sentence (Skip)"),
    ("Alt+↑", "Previous: the sentence you were on before"),
    ("Ctrl+Shift+Y", "Needs work: keep as a draft and say it needs more work"),
    ("Escape", "Undo your changes in the editor (Undo, or Ctrl+Z, brings them back)"),
]
AFTER_MESSAGES = {
    "draft": "Draft saved.",
    "approved": "Approved.",
    "edited": "Approved with your changes.",
    "needs-work": "Saved as needing work.",
    "suggested": "This sentence is approved: your text is kept as a suggestion for a reviewer.",
    "": "Nothing changed.",
}
