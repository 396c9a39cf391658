"""Term matching by Aho–Corasick finds exactly what the old alternation regex found.

The regex below is the matcher the project used before (one alternation of
every term, longest first, with look-arounds): it is the oracle. Every sentence
of both essays, the Chinese benchmark text and sentences made to provoke the
edge cases (doubled and odd separators, curly apostrophes, case-sensitive
acronyms, CJK terms, a character whose lower case is longer) must give the same
(concept, start, end) in every language of the glossary.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from translate.glossary.matching import find_terms, fold, matcher
from translate.glossary.model import Concept, Glossary
from translate.segment import parse

ROOT = Path(__file__).resolve().parents[1]

_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_SEPARATOR = r"[\s\u00a0\u2010\u2011-]+"
_APOSTROPHE = "['\u2019]"


def _term_pattern(term: str) -> str:
    words = re.split(r"[\s\u00a0\u2010\u2011-]+", term.strip())
    # The old code chained two str.replace calls here, the second rewriting the first's
    # class, so no term with an apostrophe ever matched; the oracle keeps the intent.
    parts = [re.sub("['\u2019]", _APOSTROPHE, re.escape(word)) for word in words]
    left = "" if _CJK.match(term) else r"(?<![\w])"
    right = "" if _CJK.match(term[-1]) else r"(?![\w])"
    return left + _SEPARATOR.join(parts) + right


_ORACLES: dict[tuple[int, str], tuple[list[tuple[str, Concept, bool]], re.Pattern[str] | None]] = {}


def regex_matches(glossary: Glossary, language: str, text: str) -> list[tuple[str, int, int]]:
    """The old matcher, verbatim in its logic (its regex built once per glossary and language, as it cached it)."""
    if (id(glossary), language) not in _ORACLES:
        _ORACLES[(id(glossary), language)] = _oracle(glossary, language)
    pairs, regex = _ORACLES[(id(glossary), language)]
    if regex is None:
        return []
    spans = []
    for m in regex.finditer(text):
        assert m.lastindex is not None  # every alternative is a group
        concept, keep = pairs[m.lastindex - 1][1], pairs[m.lastindex - 1][2]
        if keep:
            spans.append((concept.id, m.start(), m.end()))
    return spans


def _oracle(glossary: Glossary, language: str) -> tuple[list[tuple[str, Concept, bool]], re.Pattern[str] | None]:
    pairs: list[tuple[str, Concept, bool]] = [
        (term, concept, termset.match)
        for concept in glossary.concepts
        if (termset := concept.languages.get(language))
        for term in termset.terms
    ]
    pairs.sort(key=lambda p: -len(p[0]))
    alternatives = [
        f"({_term_pattern(t)})" if (c.case_sensitive or any(ch.isupper() for ch in t[1:])) else f"((?i:{_term_pattern(t)}))"
        for t, c, _ in pairs
    ]
    return pairs, re.compile("|".join(alternatives)) if alternatives else None


def essay_sentences() -> list[str]:
    sentences = []
    for path in sorted((ROOT / "texts").iterdir()):
        sentences += [s.text for s in parse(path.read_text(encoding="utf-8"), path.name, "en").segments]
    return sentences


TRICKY = [
    "Surplus  value and surplus\u2011value and SURPLUS-VALUE, surplus\u00a0\u00a0value.",
    "Pessimism of the intellect, optimism of the will; pessimism of the intellect,optimism of the will.",
    "the bbc, the BBC, uBlock and ublock; GameStop and Gamestop",
    "İstanbul's commodity fetishism — the İ makes lower() longer: surplus value",
    "class struggle-class struggle class-struggle",
    "counter-revolutionary counterrevolution, labour-power of labour power",
    "资本主义的生产和资本家们的剩余价值",
    "",
    "    ",
]


@pytest.mark.slow
def test_every_sentence_of_the_essays_matches_as_the_regex_did(glossary):
    sentences = essay_sentences() + TRICKY
    zh = (ROOT / "bench" / "zh" / "virtual-factory.zh.txt").read_text(encoding="utf-8").split("。")
    languages = sorted({lang for c in glossary.concepts for lang in c.languages})
    compared = 0
    for language in languages:
        found = matcher(glossary, language)
        for sentence in sentences + zh:
            expected = regex_matches(glossary, language, sentence)
            got = [(m.concept.id, m.start, m.end) for m in found.find(sentence)]
            assert got == expected, (language, sentence)
            compared += len(expected)
    assert compared > 300  # the comparison saw real matches, not only empty lists


def test_every_term_of_every_language_is_found_in_its_own_translations(glossary):
    """A glossary's own terms, embedded in text, in every language: the same as the regex."""
    for concept in glossary.concepts:
        for language, termset in concept.languages.items():
            for term in termset.terms:
                text = f"({term}), {term.upper()} y {term.replace(' ', '-')}."
                expected = regex_matches(glossary, language, text)
                got = [(m.concept.id, m.start, m.end) for m in matcher(glossary, language).find(text)]
                assert got == expected, (language, term)


def test_a_term_with_an_apostrophe_is_found_with_either_apostrophe(glossary):
    for apostrophe in "'’":
        text = f"le pessimisme de l{apostrophe}intelligence, optimisme de la volonté"
        assert [m.concept.id for m in matcher(glossary, "fr").find(text)] == ["pessimism-optimism"]


def test_folding_keeps_positions_or_maps_them():
    assert fold("Surplus\u00a0Value’s") == ("surplus value's", None)
    folded, where = fold("a  b")
    assert folded == "a b" and where == [0, 1, 3, 4]


def test_find_terms_finds_each_occurrence_of_target_terms():
    text = "La plusvalía y la plus-valía; PLUSVALÍA. Plusvalías no."
    assert find_terms(text, ["plusvalía", "plus valía"]) == [
        ("plusvalía", 3, 12),
        ("plus valía", 18, 28),
        ("plusvalía", 30, 39),
    ]
