"""The glossary and the quality checks on the neural routes: a Firefox Translations hop, alone or before Apertium."""

from __future__ import annotations

import pytest
from readers import through

from translate.engines.registry import Engines

SPANISH_CHAIN = "bergamot:en>pt_BR + apertium:pt_BR>es"


@pytest.fixture
def engines(project):
    project.configure(["es", "pt_BR"])
    found = Engines(project.config)
    yield found
    found.close()


def test_pinned_terms_come_out_pinned_through_the_neural_hop(engines, glossary):
    sentences = [
        "Revolutionaries like Lenin, Stalin, Gramsci, and Mao understood this extremely well.",
        "What the worker sells is his labour power, and the capitalist pockets the surplus value.",
    ]
    [(names, _), (terms, notes)] = through(engines, "bergamot:en>pt_BR", "pt_BR", sentences, glossary)
    assert "Lênin, Stálin, Gramsci e Mao" in names.text
    assert "força de trabalho" in terms.text and "mais-valia" in terms.text and not notes.violations


@pytest.mark.apertium
def test_a_term_the_apertium_hop_leaves_in_portuguese_is_swapped_for_the_spanish_one(engines, glossary):
    sentence = (
        "They appreciated the dialectical potential of every negation, "
        "rather than contrasting each adverse development against an ideal."
    )
    [(result, notes)] = through(engines, SPANISH_CHAIN, "es", [sentence], glossary)
    assert "dialéctico" in result.text and "dialético" not in result.text  # Apertium's pt→es does not know "dialético"
    assert result.method == "pivot-term" and not notes.violations


@pytest.mark.apertium
def test_portuguese_words_passed_through_an_apertium_hop_are_flagged_and_spanish_ones_are_not(engines, glossary):
    sentence = "Nevertheless, they socialized workers and became sites of organization and struggle."
    [(result, notes)] = through(engines, SPANISH_CHAIN, "es", [sentence], glossary)
    pivot = next(s for s in notes.signals if s.check == "pivot-words")
    assert "socializaram" in pivot.words and pivot.hop == "pt_BR"
    cynic = "What can we say about their cynicism?"
    [(other, notes)] = through(engines, SPANISH_CHAIN, "es", [cynic], glossary)
    assert "cinismo" in other.text  # a Portuguese word Apertium does not know, and a Spanish one
    assert not [s for s in notes.signals if s.check == "pivot-words"]


def test_english_words_the_neural_hop_leaves_are_flagged(engines, glossary):
    sentence = "Though this does occur, and buoys the valuation of juggernauts like Google and Facebook, it is not the point."
    [(result, notes)] = through(engines, "bergamot:en>pt_BR", "pt_BR", [sentence], glossary)
    assert "juggernauts" in result.text
    source_words = next(s for s in notes.signals if s.check == "source-words")
    assert "juggernauts" in source_words.words


def test_a_looping_neural_output_is_retried_then_left_untranslated_and_flagged(engines, glossary):
    looping = "Buffalo " * 50  # the model answers with "Buffalo" 106 times
    [(result, notes)] = through(engines, "bergamot:en>pt_BR", "pt_BR", [looping.strip()], glossary)
    assert result.left_untranslated.startswith("degenerate output") and result.text == looping.strip()
    assert result.flagged
