"""Glossary compliance: does a translation render each glossary term of its source?

Each glossary term found in the source must show up in the translation as its
pinned term or an accepted variant (a name without a spelling in the target
language: as written). Endings are tolerated where the target language adds
them (plurals everywhere; declension in the languages that inflect terms, see
`languages.INFLECTING_LANGUAGES`). A missing term is a `GlossaryViolation`,
the record the memory stores in an entry's notes.
"""

from __future__ import annotations

import re

from translate.glossary.matching import matcher
from translate.glossary.model import Glossary
from translate.languages import INFLECTING_LANGUAGES
from translate.memory.notes import GlossaryViolation


def target_regex(term: str, target: str) -> re.Pattern[str]:
    """Find a target term in a translation, tolerating the endings the language adds."""
    words = re.split(r"[\s\u00a0\u2010\u2011-]+", term.strip())
    cjk = all(ord(c) > 0x2E80 for c in term.replace(" ", ""))
    parts = []
    for word in words:
        escaped = re.escape(word).replace("'", "['’]").replace("’", "['’]")
        if not cjk and word[-1:].isalpha():
            cut = 2 if len(word) > 5 else 1 if len(word) > 3 else 0
            if target in INFLECTING_LANGUAGES and cut:  # рабочая сила -> рабочую силу
                escaped = re.escape(word[:-cut]).replace("'", "['’]") + r"\w{0,5}"
            elif word[-1] == "y" and len(word) > 3 and word[-2] not in "aeiou":  # factory -> factories
                escaped = re.escape(word[:-1]) + r"(?:y|ies)"
            else:
                escaped += r"(?:s|es|x)?"
        parts.append(escaped)
    body = r"[\s\u00a0\u2010\u2011-]+".join(parts)
    if cjk:
        return re.compile(body)
    left = "" if target == "ar" else r"(?<!\w)"
    return re.compile(left + body + r"(?!\w)", re.IGNORECASE)


def check_compliance(
    source_text: str, translation: str, glossary: Glossary, source: str, target: str
) -> list[GlossaryViolation]:
    """Each glossary term of the source must show up in the translation as its pinned
    term or an accepted variant (names without a spelling: as written)."""
    violations: list[GlossaryViolation] = []
    seen: set[str] = set()
    for match in matcher(glossary, source).find(source_text):
        concept = match.concept
        if concept.id in seen:
            continue
        seen.add(concept.id)
        expected = concept.terms(target) or ((match.text,) if not concept.translate else ())
        if not expected:
            continue
        if not any(target_regex(term, target).search(translation) for term in expected):
            violations.append(GlossaryViolation(
                concept.id, expected[0], f"'{match.text}' should be rendered '{expected[0]}'"
            ))
    return violations
