"""The glossary check a volunteer relies on: no flag on a sentence that renders every
pinned term, and a flag on every sentence that does not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from translate.glossary.compliance import check_compliance, word_forms

ROOT = Path(__file__).resolve().parents[1]
FALSE_ALARMS = json.loads((Path(__file__).parent / "data" / "flagged-false-alarms.json").read_text(encoding="utf-8"))
"""The 10 segments (fr 5, ca 3, it 2) the November run flagged although each holds its pinned term."""


NOUN_PHRASES = {
    "capitalist-production",
    "techno-capitalist-society",
    "capitalist-society",
    "capitalist-country",
    "capitalist-countries",
    "proletarian-revolution",
    "bourgeois-society",
    "bourgeois-intellectuals",
    "socialist-countries",
    "united-fronts",
    "anti-capitalist-struggle",
}


def concepts(violations) -> set[str]:
    return {v.concept for v in violations}


@pytest.mark.parametrize("case", FALSE_ALARMS, ids=lambda c: f"{c['language']}:{c['source'][:30]}")
def test_the_ten_flagged_segments_holding_their_pinned_terms_are_no_longer_flagged(glossary, case):
    violations = check_compliance(case["source"], case["machine"], glossary, "en", case["language"])
    # The noun phrases added since (issue 14) rightly find "le parfait capitaliste production" in these
    # old drafts; the terms these ten segments were flagged for are all there.
    assert [v for v in violations if v.concept not in NOUN_PHRASES] == []


def test_false_alarm_data_is_the_ten_segments_the_issue_counts():
    assert sorted(c["language"] for c in FALSE_ALARMS) == ["ca"] * 3 + ["fr"] * 5 + ["it"] * 2


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_a_term_with_an_apostrophe_matches_with_either_apostrophe(glossary, apostrophe):
    source = "This is what “pessimism of the intellect, optimism of the will” means."
    french = f"Voilà ce que « pessimisme de l{apostrophe}intelligence, optimisme de la volonté » veut dire."
    assert check_compliance(source, french, glossary, "en", "fr") == []


def test_spanish_words_the_pivot_leaves_in_italian_are_caught(glossary):
    source = "The proletariat produces the commodity."
    assert concepts(check_compliance(source, "Il proletariado produce la mercanzia.", glossary, "en", "it")) == {
        "proletariat",
        "commodity",
    }
    assert check_compliance(source, "Il proletariato produce la merce.", glossary, "en", "it") == []
    assert check_compliance("The proletariat produces commodities.", "Il proletariato produce merci.", glossary, "en", "it") == []


def test_an_esperanto_noun_in_place_of_the_pinned_adjective_is_caught(glossary):
    source = "They want to make the virtual factory « socialist »."
    wrong = "Ili volas fari la virtualan fabrikan socialismon."
    assert "socialist" in concepts(check_compliance(source, wrong, glossary, "en", "eo"))
    right = "Ili volas fari la virtualan fabrikon « socialisma »."
    assert "socialist" not in concepts(check_compliance(source, right, glossary, "en", "eo"))


def test_esperanto_plural_and_accusative_endings_are_accepted():
    assert {"socialisma", "socialismaj", "socialisman", "socialismajn"} <= set(word_forms("socialisma", "eo"))
    assert "socialismon" not in word_forms("socialisma", "eo")


def test_a_second_occurrence_rendered_wrongly_is_caught(glossary):
    source = "Surplus value is taken; surplus value is hidden."
    once = check_compliance(source, "La plusvalía se toma; el valor excedente se oculta.", glossary, "en", "es")
    assert concepts(once) == {"surplus-value"}
    assert "1 of 2" in once[0].message
    assert check_compliance(source, "La plusvalía se toma; la plusvalía se oculta.", glossary, "en", "es") == []


def test_a_longer_term_is_not_counted_again_for_a_shorter_one(glossary):
    source = "The workers' state is not the state of the workers."
    violations = check_compliance(source, "El Estado obrero no es el Estado de los obreros.", glossary, "en", "es")
    assert "workers-state" not in concepts(violations)


def test_slavic_case_endings_and_fleeting_vowels_are_accepted():
    assert {"socijalizma", "socijalizmu", "socijalizmom"} <= set(word_forms("socijalizam", "hr"))
    assert {"viška", "višku"} <= set(word_forms("višak", "hr"))
    assert "рабочую" in word_forms("рабочая", "ru")


def test_romance_plurals_are_accepted_and_nothing_else():
    assert {"plusvalías", "naciones"} <= set(word_forms("plusvalía", "es")) | set(word_forms("nación", "es"))
    assert "capitais" in word_forms("capital", "pt")
    assert "mercaderies" in word_forms("mercaderia", "ca")
    assert "capitaux" in word_forms("capital", "fr")
    assert "proletariado" not in word_forms("proletariato", "it")
