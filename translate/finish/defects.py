"""Counting the pipeline's own errors in a translation: what finishing is meant to remove.

`make bench` (section "drafts") counts these in the drafts before and after
finishing, per language; tests use them on the regenerated outputs. They are
the errors the pipeline makes, not the engine: a determiner that does not agree with a
pinned noun ("vuestro clase obrera"), a question without ¿ in
Spanish, a French colon without its no-break space, English quotation marks
in a language that has its own, a stop inside a closing quote where the
language puts it outside, quotes around nothing, the source's stray space
before a comma, a heading left in English title case, and a quotation that
lost or gained marks on the way (the source's quoted words no longer quoted).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from translate.finish.cldr_delimiters import QUOTES
from translate.finish.typography import NBSP, NNBSP, SENTENCE_PART, quote_pairs, rules_for
from translate.glossary.agreement import disagreements
from translate.glossary.model import Glossary

DEFECTS = (
    "agreement",
    "missing-inverted",
    "missing-no-break-space",
    "foreign-quotes",
    "stop-inside-quotes",
    "empty-quotes",
    "stray-space",
    "title-case",
    "quotes-lost",
)


def agreement_terms(glossary: Glossary, language: str) -> list[tuple[str, str]]:
    """The glossary's noun renderings in `language` with their gender and number, for the agreement count;
    a word that also renders an adjective is left out (fr "le dialectique potentiel" is not "la dialectique")."""
    adjectives = {t for c in glossary.concepts if c.pos == "adjective" and c.languages.get(language) for t in c.terms(language)}
    return [
        (t, c.languages[language].grammar_of(t))
        for c in glossary.concepts
        if c.pos != "adjective" and c.languages.get(language)
        for t in c.terms(language)
        if t not in adjectives
    ]


def defects(
    source: str, text: str, language: str, *, heading: bool = False, terms: Sequence[tuple[str, str]] = ()
) -> Counter[str]:
    """The pipeline-made errors in one translated sentence, counted by kind. `terms`: the glossary's
    renderings in the language with their gender and number, for the agreement count."""
    found: Counter[str] = Counter()
    found["agreement"] += len(disagreements(text, list(terms), language))
    rules = rules_for(language)
    if rules is None:
        return found
    if rules.inverted:
        for part in SENTENCE_PART.finditer(text):
            mark = part.group().rstrip()[-1]
            if ("¿" if mark == "?" else "¡") not in part.group():
                found["missing-inverted"] += 1
    if rules.french_spacing:
        found["missing-no-break-space"] += len(re.findall(r"(?:[^\s\u00a0\u202f!?;:]|[ \t])[;:!?](?=\s|$)", text))
        found["missing-no-break-space"] += len(re.findall(r"«(?!\u00a0|\u202f)|(?<!\u00a0|\u202f)»", text))
    else:
        found["stray-space"] += len(re.findall(r"\s[,;](?=\s)|\s\.(?=\s|$)", text))
    marks = QUOTES.get(rules.cldr)
    pairs = quote_pairs(text)
    if marks is not None:
        own = set(marks)
        for pair in pairs:
            if text[pair.start] not in own or text[pair.end] not in own:
                found["foreign-quotes"] += 1
            inside = text[pair.start + 1 : pair.end].strip(" " + NBSP + NNBSP)
            if not re.search(r"\w", inside):
                found["empty-quotes"] += 1
            if rules.outside and inside[-1:] in tuple(rules.outside) and inside[-2:-1] not in (".", "…"):
                found["stop-inside-quotes"] += 1
    if len(pairs) < len(quote_pairs(source)):
        found["quotes-lost"] += len(quote_pairs(source)) - len(pairs)
    if heading and rules.sentence_case:
        words = re.findall(r"\w[\w-]*", text)[1:]
        long_words = [w for w in words if len(w) > 3]
        if long_words and all(w[:1].isupper() for w in long_words):
            found["title-case"] += 1
    return found
