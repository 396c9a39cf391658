"""Finishing: what the pipeline owes a machine translation once the engine is done.

Between the quality checks and the run stage: the run stage hands every
unmasked translation to `finish`, which puts it in its language's typography
(typography.py) and, for Portuguese, the spelling of the 1990 Agreement
(spelling.py). Nothing here calls an engine, so when these rules change a run
finishes the stored drafts again from the text the engine gave (kept in the
entry's notes as `draft`) without translating anything: `finish_version` is
stored beside each draft, not in the signature.
"""

from __future__ import annotations

from translate.finish.cldr_delimiters import CLDR_VERSION
from translate.finish.spelling import SPELLING_VERSION, agreement_dictionary, respell
from translate.finish.typography import TYPOGRAPHY_VERSION, rules_for, typeset
from translate.markup import protect

__all__ = ["finish", "finish_version"]


def finish_version(language: str) -> str:
    """What finishing a draft in this language depends on: 'typo1+cldr41', '+ao90' with the dictionary."""
    version = f"typo{TYPOGRAPHY_VERSION}+cldr{CLDR_VERSION}" if rules_for(language) else "none"
    if agreement_dictionary(language) is not None:
        version += f"+ao90.{SPELLING_VERSION}"
    return version


def finish(text: str, language: str, *, heading: bool = False) -> str:
    """A machine translation as the pipeline should deliver it (idempotent). Inline code, URLs, link
    targets and addresses are left byte for byte: they are tokens while the rules run (translate/markup.py)."""
    protected = protect(text, "md")
    done = respell(protected.text, language)
    done = typeset(done, language, heading=heading, lowercase_ok=_lowercase_checker(language) if heading else None)
    return protected.restore(done)


def _lowercase_checker(language: str):
    """Whether a capitalised word of a heading may be lowered, by the language's dictionary, loaded on the
    first word asked about (a heading the engine already wrote in sentence case never loads it: the
    Brazilian dictionary takes 0.6 s of CPU to load); None when the language has no dictionary."""
    from translate.checks.dictionaries import dictionary, find_dictionary  # hunspell: only for headings

    if find_dictionary(language) is None:
        return None

    def lowercase_ok(word: str) -> bool:
        words = dictionary(language)
        return words is not None and words.knows(word.lower())

    return lowercase_ok
