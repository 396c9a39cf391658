"""Pinned terms keep the grammar around them: the cases a careful read of the drafts found, through real Apertium."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from translate.config import load_config
from translate.engines.registry import Engines
from translate.finish import finish
from translate.finish.defects import agreement_terms, defects
from translate.finish.spans import place_quotes
from translate.glossary.agreement import agree, disagreements
from translate.glossary.tbx import from_tbx, to_tbx
from translate.run.pipeline import translate_sentences

REPO = Path(__file__).resolve().parents[1]
LANGUAGES = ("es", "pt", "fr", "it", "ca")


def apertium_config():
    """The project's configuration with these languages on Apertium (the cases are Apertium's; routes.toml
    takes neural-first routes for them)."""
    config = load_config(REPO / "translate.toml")
    return replace(config, languages={**config.languages, **dict.fromkeys(LANGUAGES, "apertium")})


@pytest.fixture(scope="module")
def drafts(glossary):
    """Sentences of the essays that the drafts got wrong, through the pipeline's glossary layer, per language."""
    sentences = [
        "This was so much the case, that even the probability of a proletarian revolution was seen not as simple "
        "negation of capitalism.",
        "This sentiment exists also in your working class, and applies not only to tractors.",
        "Yet for Marx the prime revolutionary force in bourgeois society, and against it, is ‘the living "
        "contradiction,’ [4] capitalism itself.",
        "It is a capitalist country.",
        "Social networks could enable united fronts heretofore impossible.",
        "while the disciple of Lenin, Stalin and Mao would probably want to make the virtual factory « socialist », "
        "in the hand of the « workers state », because they are left-wing of Capital",
    ]
    engines = Engines(apertium_config())
    out = {}
    try:
        for language in LANGUAGES:
            engine, route = engines.choose("en", language)
            out[language] = [finish(r.text, language) for r in translate_sentences(engine, route, sentences, glossary)]
    finally:
        engines.close()
    return out


@pytest.mark.slow
@pytest.mark.apertium
def test_determiners_agree_with_a_pinned_feminine_noun(drafts):
    assert "una revolución proletaria" in drafts["es"][0] and "un proletaria" not in drafts["es"][0]
    assert "vuestra clase obrera" in drafts["es"][1]
    assert "a contradição viva" in drafts["pt"][2] and "o contradição" not in drafts["pt"][2]
    assert "nella vostra classe operaia" in drafts["it"][1]
    assert "d'une révolution prolétarienne" in drafts["fr"][0]
    assert "nella mano dello «Stato operaio»" in drafts["it"][5]  # the quotation between them changes nothing


@pytest.mark.slow
@pytest.mark.apertium
def test_an_article_agrees_with_a_term_the_engine_rendered_itself(glossary):
    """Apertium writes "the Communists" as "las Comunistas": the glossary accepts the word and says it is
    masculine plural, so the article follows it though nothing was masked."""
    sentence = "The theoretical conclusions of the Communists are in no way based on ideas or principles."
    engines = Engines(load_config(REPO / "translate.toml"))
    try:
        drafts = {}
        for language in ("es", "pt", "ca", "gl"):
            engine, route = engines.choose("en", language)
            drafts[language] = translate_sentences(engine, route, [sentence], glossary)[0].text.lower()
    finally:
        engines.close()
    assert "de los comunistas" in drafts["es"] and "las comunistas" not in drafts["es"]
    assert "dos comunistas" in drafts["pt"] and "dels comunistes" in drafts["ca"] and "dos comunistas" in drafts["gl"]


def test_only_a_possessive_pulls_the_article_before_it_into_agreement():
    assert agree("esiste nel vostro ", "classe operaia", "f", "it") == "esiste nella vostra "
    assert agree("Per quello la ", "fabbrica virtuale", "f", "it") == "Per quello la "  # 'for that', not 'that the'


def test_the_agreement_count_leaves_out_a_word_that_also_renders_an_adjective(glossary):
    french = dict(agreement_terms(glossary, "fr"))
    assert "dialectique" not in french  # 'le dialectique potentiel': the adjective, not 'la dialectique'
    assert french["communistes"] == "mp" and dict(agreement_terms(glossary, "es"))["clase obrera"] == "f"
    assert not defects(
        "Ils ont apprécié le dialectique potentiel.",
        "They appreciated the dialectical potential.",
        "fr",
        terms=agreement_terms(glossary, "fr"),
    )["agreement"]


@pytest.mark.slow
@pytest.mark.apertium
def test_a_french_capitalist_country_keeps_the_adjective_after_its_noun(drafts):
    assert "pays capitaliste" in drafts["fr"][3] and "capitaliste pays" not in drafts["fr"][3]


@pytest.mark.slow
@pytest.mark.apertium
def test_united_fronts_are_pinned_in_the_plural(drafts):
    assert "frentes únicos" in drafts["es"][4] and "frentes únicas" in drafts["pt"][4]
    assert "fronts uniques" in drafts["fr"][4]


@pytest.mark.slow
@pytest.mark.apertium
def test_scare_quotes_travel_with_their_words(drafts):
    assert "«socialista»" in drafts["es"][5] and "«fábrica virtual»" not in drafts["es"][5]
    assert "«socialista»" in drafts["pt"][5]
    assert "«\u00a0socialiste\u00a0»" in drafts["fr"][5]


def test_empty_quotes_are_moved_around_the_quoted_word_or_reported():
    source = "to make the virtual factory « socialist », in the hand"
    moved, unplaced = place_quotes(source, "fari la virtualan fabrikan socialisman « », en la mano", ["socialisma"])
    assert "« socialisman »" in moved and unplaced == []
    kept, unplaced = place_quotes(source, "fari la virtualan fabrikon « », en la mano", ["socialisma"])
    assert unplaced == ["socialist"] and kept == "fari la virtualan fabrikon « », en la mano"


def test_a_quotation_around_its_words_translated_a_little_differently_is_not_reported():
    source = "we can never “take over the factory” by posting"
    draft = "nunca podemos «tomar sobre la fábrica» por posting"
    assert place_quotes(source, draft, ["Toma sobre la fábrica"]) == (draft, [])
    wrong = "hacer el socialista de «fábrica virtual», en la mano"
    assert place_quotes("make the virtual factory “socialist”, in the hand", wrong, ["Socialista"])[1] == []
    assert "«socialista»" in place_quotes("make the virtual factory “socialist”, in the hand", wrong, ["Socialista"])[0]


def test_agreement_covers_contractions_possessives_and_elision():
    assert agree("a través del ", "lucha de clases", "f", "es") == "a través de la "
    assert agree("con su ", "frentes únicos", "mp", "es") == "con sus "
    assert agree("contre le ", "exploitation", "f", "fr") == "contre l'"
    assert agree("con il ", "sciopero", "m", "it") == "con lo "
    assert agree("Es todo el ", "clase obrera", "f", "es") == "Es toda la "
    assert agree("resistir a ", "capitalismo", "m", "pt") == "resistir a "  # 'a' may be the preposition
    assert agree("nella mano del « ", "Stato operaio", "m", "it") == "nella mano dello « "  # across a quotation mark
    assert disagreements("existe en vuestro clase obrera", [("clase obrera", "f")], "es") == ["vuestro clase obrera"]


def test_gender_and_number_survive_the_tbx_round_trip(glossary):
    again = from_tbx(to_tbx(glossary))
    assert again.version == glossary.version
    assert again.concept("working-class").languages["es"].grammar_of("clase obrera") == "f"
    assert again.concept("proletarian").pos == "adjective"


@pytest.mark.slow
@pytest.mark.apertium
def test_glossary_check_lists_the_terms_an_engine_does_not_know(glossary):
    from translate.run.vocabulary import unknown_terms

    found = unknown_terms(apertium_config(), glossary, ["fr"])
    capitalist = [u for u in found if u.concept == "capitalist"]
    assert capitalist and capitalist[0].hop == "es>fr" and capitalist[0].words[0].lower() == "capitalista"
    assert "unknown to en→es→fr at es→fr: capitalista" in str(capitalist[0]).lower()


def test_drafts_stored_before_the_glossary_layer_changed_are_translated_again(tmp_path):
    """A repair like the one above changes drafts without a new glossary or engine: the signature names the
    glossary layer's version, so a memory filled by an older one hands its drafts back as stale."""
    from translate.engines.base import Route
    from translate.glossary import PINNING_VERSION
    from translate.memory.store import TranslationMemory
    from translate.run.signature import Signature

    route = Route("apertium", ("en", "es"), ("apertium-eng-spa@0.8.1-2",))
    now = str(Signature.for_route(route, "3.8.3", "-f txt", "marxism@1+fc79712c", checks="1"))
    assert now.endswith(f"|pin:{PINNING_VERSION}")
    older = now.removesuffix(f"|pin:{PINNING_VERSION}")
    with TranslationMemory(tmp_path / "memory.sqlite", text_record=False) as memory:
        memory.store_machine([("The Communists.", "Las Comunistas.", None)], "en", "es", older)
        assert memory.plan(["The Communists."], "en", "es", now).stale == ["The Communists."]
        assert Signature.parse(now).pinning == PINNING_VERSION
