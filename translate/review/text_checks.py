"""The quality checks on a person's own text, before it is approved and when it is printed.

The checks (translate/checks/) were run on the machine draft only: a sentence
still holding "immanent, leftists, constructively" (English words the engine
did not know) was approved with one tap and printed without a margin mark, and
replacing a pinned term ("socialismo" → "comunismo") gave no warning. Here the
same checks run on the text a person wrote or kept, less those that read the
engine's own marks (unknown words and engine errors are the engine's doubts,
pivot words its route's): the glossary terms, placeholders, source-language
words left, words the dictionary rejects, engine tags, markup, numbers and
length. The review pages show what they find as the person types, and Approve
asks once when they find anything; a handout's margin marks come from the
printed text's checks (translate/publish/gate.py).
"""

from __future__ import annotations

from translate.checks import Signal, Unit, check_sentence
from translate.glossary.compliance import check_compliance
from translate.glossary.model import Glossary

TEXT_CHECKS = ("glossary", "placeholder", "source-words", "glued-words", "spelling", "leaked-tags", "markup", "length")
"""The checks that judge any text, whoever wrote it (in CHECKS order)."""


def check_text(source: str, text: str, source_lang: str, target_lang: str, glossary: Glossary | None) -> list[Signal]:
    """What the checks find in a person's translation of `source` (empty when nothing)."""
    if not text.strip():
        return []
    violations = check_compliance(source, text, glossary, source_lang, target_lang) if glossary is not None else []
    unit = Unit(
        source=source,
        target=text,
        source_lang=source_lang,
        target_lang=target_lang,
        route=(source_lang, target_lang),
        violations=tuple(violations),
        glossary=glossary,
    )
    return check_sentence(unit, only=list(TEXT_CHECKS))
