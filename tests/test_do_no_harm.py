"""The pipeline never makes a sentence worse than its engine (issue 22): every example a bilingual reading of the
drafts found, through real Apertium with the project's glossary, and the markup a new user tried."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from api_helpers import api_project, api_server, post_json
from cli_process import cli
from readers import route_of

from translate.config import load_config
from translate.engines.apertium import ApertiumEngine
from translate.engines.bergamot import BergamotEngine
from translate.engines.placeholders import MarkupPlaceholders
from translate.engines.registry import Engines
from translate.finish import finish
from translate.finish.damage import Judge
from translate.glossary.matching import matcher
from translate.glossary.pinning import mask, unmask
from translate.markup import protect
from translate.run.harm import judge_for
from translate.run.pipeline import translate_sentences, translate_text

REPO = Path(__file__).resolve().parents[1]
APERTIUM_CASES = ("es", "fr", "it", "pt", "ca", "gl")
pytestmark = pytest.mark.apertium

SENTENCES = {
    "modes": "In a destructive sense, capitalism eats away at the props of the old society, religion, the family, "
    "traditional ideology, the old modes of production, etc.",
    "negation": "the anarcho-primitivists with no plan other than an absolute, abstract negation of modernity",
    "gravediggers": "Capitalists can’t pursue the endless accumulation of profit without handing their gravediggers shovels.",
    "country": "Despite the fact that America is a highly developed capitalist country, the habits prevailing in its "
    "industry have an element of democracy about them.",
    "conclusions": "The theoretical conclusions of the Communists are in no way based on ideas and principles that have "
    "been invented, or discovered, by this or that would-be universal reformer.",
    "development": "The immanent, dialectical development of capitalism prepares the ground for a social transformation.",
    "commodified": "Thus the virtual factory can be understood as an accumulation of commodified social relations mediated "
    "by images in a new form of production of capitalist value.",
    "levine": "Yasha Levine’s superb research into surveillance technology should not lead to numbing cynicism.",
    "intellectuals": "Marx could swim with the current of history, whereas bourgeois intellectuals had to swim against it.",
    "factory": "A new kind of factory was birthed by the technological development of capitalist society, the virtual factory.",
    "capital": "If you read between the lines of *The Capital*, the virtual factory is already predicted.",
    "hand": "Whether we call it Invisible Hand or Commodity Fetishism, the tendency of capitalism is to uncontrollably sow "
    "the seeds of its own destruction.",
    "surplus": "Surplus value is produced by labour power.",
}


def apertium_config():
    """The project's configuration with these languages on Apertium: the cases are the glossary layer over
    Apertium's raw output (routes.toml takes neural-first routes for most of them)."""
    config = load_config(REPO / "translate.toml")
    return replace(config, languages={**config.languages, **dict.fromkeys(APERTIUM_CASES, "apertium")})


@pytest.fixture(scope="module")
def drafts(glossary):
    """The sentences above through the pipeline (as `translate run` stores them), per language."""
    engines = Engines(apertium_config())
    out = {}
    try:
        for language in ("es", "fr", "it", "pt", "ca", "gl"):
            engine, route = engines.choose("en", language)
            results = translate_sentences(engine, route, list(SENTENCES.values()), glossary)
            out[language] = {key: finish(r.text, language) for key, r in zip(SENTENCES, results, strict=True)}
    finally:
        engines.close()
    return out


def test_es_the_old_modes_of_production_is_not_el_viejo_modos(drafts):
    text = drafts["es"]["modes"]
    assert "el viejo modos" not in text and "los modos de producción" in text and "viejos" in text


def test_es_an_absolute_abstract_negation_is_not_un_absoluto_abstracto_negacion(drafts):
    text = drafts["es"]["negation"]
    assert "un absoluto, abstracto negación" not in text
    assert "una negación absoluta, abstracta" in text  # and the engine's glued "negaciónabsoluta" is parted


def test_fr_capitalists_cant_pursue_is_not_capitalistes_ne_peut_pas(drafts):
    text = drafts["fr"]["gravediggers"]
    assert "ne peut pas" not in text and text.startswith("Les capitalistes ne peuvent pas")


def test_fr_a_highly_developed_capitalist_country_keeps_the_adjective_after_its_noun(drafts):
    text = drafts["fr"]["country"]
    assert "développé pays capitaliste" not in text and "pays capitaliste" in text


def test_it_the_theoretical_conclusions_of_the_communists_are_not_e(drafts):
    text = drafts["it"]["conclusions"]
    assert "comunisti è" not in text and "basato" not in text
    assert "sono in nessun modo basate" in text  # where pinning would leave "basati", the engine's sentence is kept


def test_es_dialectical_development_is_not_dialectico_desarrollo(drafts):
    assert "dialéctico desarrollo" not in drafts["es"]["development"] and "desarrollo dialéctico" in drafts["es"]["development"]
    assert "mercantilizado valor" not in drafts["es"]["commodified"]
    assert "relaciones sociales mercantilizadas" in drafts["es"]["commodified"]


@pytest.mark.parametrize(("language", "owner"), [("es", "de "), ("fr", "d'"), ("pt", "de "), ("it", "di ")])
def test_yasha_levines_superb_research_keeps_its_possessive(drafts, language, owner):
    text = drafts[language]["levine"].replace("’", "'")
    assert f"{owner}Yasha Levine" in text and not text.startswith("Yasha Levine ")


def test_fr_no_elision_is_lost_after_a_pinned_word_que_intellectuels_de_usine(drafts):
    assert "que intellectuels" not in drafts["fr"]["intellectuals"] and "intellectuels bourgeois" in drafts["fr"]["intellectuals"]
    assert "de usine" not in drafts["fr"]["factory"] and "d'usine" in drafts["fr"]["factory"].replace("’", "'")


def test_el_capital_and_mano_invisible_are_in_the_glossarys_lower_case(drafts):
    assert "*El capital*" in drafts["es"]["capital"] and "El Capital" not in drafts["es"]["capital"]
    assert "mano invisible" in drafts["es"]["hand"] and "Mano Invisible" not in drafts["es"]["hand"]


@pytest.mark.parametrize("language", ["es", "fr", "it", "pt", "ca", "gl"])
def test_plusvalia_esta_producido_the_word_after_a_sentence_initial_term_keeps_its_case(drafts, language):
    words = drafts[language]["surplus"].split()
    assert words[2:3] and words[2][0].islower(), drafts[language]["surplus"]  # "La plusvalía está", "La plus-value est"


def test_plusvalia_esta_producido_an_unmasked_term_does_not_capitalise_the_next_word(glossary):
    masked = mask("Surplus value is produced by labour power.", glossary, "en", "es", only={"surplus-value"})
    assert (
        unmask("XT1 Está producido por fuerza de trabajo.", masked, target="es")
        == "Plusvalía está producido por fuerza de trabajo."
    )


def test_fr_speaker_label_stalin_is_staline_with_its_no_break_space(tmp_path):
    config = load_config(REPO / "translate.toml")
    dialogue = "Stalin: You exaggerate.\nLudwig: You do not even suspect how right you are.\nStalin: Perhaps I do.\n"
    out = translate_text(dialogue, "dialogue.txt", "en", ["fr", "es"], config)
    assert out["fr"].startswith("Staline\u00a0: ") and "\nStaline\u00a0: " in out["fr"] and "Ludwig\u00a0: " in out["fr"]
    assert out["es"].startswith("Stalin: ")


# ---------------------------------------------------------------- the damage count


def test_the_damage_count_sees_what_a_reader_sees(glossary):
    engine = ApertiumEngine()
    judge = judge_for(engine, route_of(engine, "en", "es"), glossary)
    source = SENTENCES["modes"]
    raw = "En un sentido destructivo, el capitalismo come fuera en el props de la sociedad vieja, los modos viejos de producción."
    broken = judge.judge(source, raw, raw.replace("los modos viejos", "el viejo modos"))
    assert "agreement-broken" in broken.changes and "order-broken" in broken.changes
    assert judge.judge(source, raw, raw.replace("los modos viejos de producción", "los modos de producción viejos")).broken == []
    french = judge_for(engine, route_of(engine, "en", "fr"), glossary)
    elided = french.judge("x", "Il dit qu'intellectuels bourgeois nagent.", "Il dit que intellectuels bourgeois nagent.")
    assert elided.broken == ["elision-broken"]
    assert french.judge("x", "Une classe nouvelle d'usine.", "Une classe nouvelle de usine.").broken == ["elision-broken"]
    levine = judge.judge(SENTENCES["levine"], "Yasha La búsqueda magnífica de Levine", "Yasha Levine búsqueda magnífica")
    assert "possessive-broken" in levine.changes
    cased = judge.judge(SENTENCES["surplus"], "Valor de superávit está producido.", "Plusvalía Está producido.")
    assert "casing-broken" in cased.changes


def test_la_plusvalia_es_producido_is_the_engines_participle_not_a_break(glossary):
    """The raw engine's 'El más-valía es producido' disagrees with its participle as much as 'La plusvalía es
    producido' does (the analyser reads 'valía' as a verb too): not the pipeline's break. Where the engine's own
    noun agreed with the participle, pinning a noun of the other gender still breaks the sentence."""
    engine = ApertiumEngine()
    judge = judge_for(engine, route_of(engine, "en", "es"), glossary)
    source = "The surplus value is produced by workers."
    pinned = "La plusvalía es producido por los trabajadores."
    assert judge.judge(source, "El más-valía es producido por los trabajadores.", pinned).broken == []
    assert judge.judge(source, "El excedente es producido por los trabajadores.", pinned).broken == ["agreement-broken"]
    catalan = judge_for(engine, route_of(engine, "en", "ca"), glossary)
    verdict = catalan.judge(source, "El més-vàlua és produït pels treballadors.", "La plusvàlua és produït pels treballadors.")
    assert verdict.broken == [] and "agreement-repaired" not in verdict.changes, verdict.describe()


def test_a_judge_without_an_analyser_still_sees_casing():
    judge = Judge("xx", None)
    assert judge.judge("Surplus value is produced.", "A b está c.", "A b Está c.").broken == ["casing-broken"]


# ---------------------------------------------------------------- markup


def test_translate_text_markdown_keeps_code_links_autolinks_and_addresses_byte_for_byte():
    config = apertium_config()
    source = (
        "Run `make setup` first.\n\n"
        "Read [the virtual factory](https://example.org/the-virtual-factory) or write to workers@example.org.\n\n"
        "He sees <https://example.org/the-virtual-factory> now.\n"
    )
    out = translate_text(source, "note.md", "en", ["es", "fr"], config)
    for language in ("es", "fr"):
        text = out[language]
        assert "`make setup`" in text and "(https://example.org/the-virtual-factory)" in text, text
        assert "workers@example.org" in text and "<https://example.org/the-virtual-factory>" in text, text
    assert (
        "Marca `corrida setup`" not in out["es"] and "[la fábrica virtual](https://example.org/the-virtual-factory)" in out["es"]
    )
    assert "voit <https://example.org/the-virtual-factory> maintenant" in out["fr"]


NOTE = (
    "Run `make setup` first.\n\n"
    "Read [the virtual factory](https://example.org/the-virtual-factory) or write to workers@example.org.\n\n"
    "He sees <https://example.org/the-virtual-factory> now.\n"
)


def project_routes():
    """The project's own configuration and routes.toml ("auto"): es and fr through the neural first leg."""
    config = load_config(REPO / "translate.toml")
    engines = Engines(config)
    try:
        assert all(engines.choose("en", lang)[1].spec.startswith("bergamot:en>pt_BR + ") for lang in ("es", "fr"))
    finally:
        engines.close()
    return config


def test_translate_text_through_the_neural_routes_keeps_code_links_autolinks_and_addresses_byte_for_byte():
    out = translate_text(NOTE, "note.md", "en", ["es", "fr"], project_routes())
    for language, link_text in (("es", "la fábrica virtual"), ("fr", "l'usine virtuelle")):
        text = out[language]
        assert "`make setup`" in text and f"[{link_text}](https://example.org/the-virtual-factory)" in text, text
        assert " workers@example.org." in text and " <https://example.org/the-virtual-factory> " in text, text
        assert "the-fábrica" not in text and "workers-example" not in text and "«make»" not in text, text


def test_surplus_value_through_the_neural_routes_is_pinned_with_its_article():
    """'The surplus value is produced by workers.' came out 'El más-valía es producido' in es and 'El més-vàlua
    és produït' in ca: the masked retry had 'La plusvalía', but the judge called its participle a broken agreement
    although the raw engine's 'más-valía' disagreed with it too (the analyser read 'valía' as a verb). The
    participle is the engine's: the Firefox Translations model alone writes 'O mais-valia é produzido'."""
    targets = ["es", "ca", "gl", "fr", "it", "pt", "pt_BR"]
    out = translate_text("The surplus value is produced by workers.\n", "note.txt", "en", targets, project_routes())
    opening = {
        "es": "La plusvalía es ",
        "ca": "La plusvàlua és ",
        "gl": "A plusvalía é ",
        "fr": "La plus-value est ",
        "it": "Il plusvalore è ",
        "pt": "A mais-valia é ",
        "pt_BR": "A mais-valia é ",
    }
    assert {lang: text[: len(opening[lang])] for lang, text in out.items()} == opening, out


def test_emphasis_through_the_neural_route_stays_around_the_translated_words():
    source = (
        SENTENCES["capital"] + "\n\n"  # the essay's *The Capital*
        "The **old** modes of production are _quite_ dead, says __Marx__.\n"
    )
    out = translate_text(source, "note.md", "en", ["es", "fr"], project_routes())
    assert "de *El capital*," in out["es"] and "de *Le Capital*," in out["fr"]
    # the model moves the adjective and empties the pair: the words are found in the sentence's translation
    assert "Los **viejos** modos de producción" in out["es"] and "_bastante_" in out["es"] and "__Marx__" in out["es"]
    assert "*" not in out["fr"].replace("*Le Capital*", "").replace("**", ""), out["fr"]


def test_emphasis_around_a_title_stays_around_its_pinned_rendering_on_apertium_routes():
    """'of *The Capital*' through Apertium's pivot routes came out '*de el Capital*': the span's blank was
    copied onto the preposition and the title no longer pinned. Formatting around one whole term now goes
    as superblanks; formatting around other words still follows them ('the **old** modes')."""
    source = SENTENCES["capital"] + "\n\nThe **old** modes of production are dead.\n"
    config = replace(load_config(REPO / "translate.toml"), languages={"es": "apertium", "ast": "apertium", "an": "apertium"})
    out = translate_text(source, "note.md", "en", ["es", "ast", "an"], config)
    for language, title in (("es", "El capital"), ("ast", "El capital"), ("an", "O capital")):
        assert f" de *{title}*," in out[language], out[language]
    assert "**viejos**" in out["es"] and "**vieyos**" in out["ast"], out


def test_a_title_in_emphasis_at_the_start_of_a_sentence_comes_through_apertium_without_its_blanks_leaking():
    """'*The Capital* is read ...' through en>es>an printed 'T:0; t:0LO Capital/ ... **.': Apertium's
    wordbound blank, cut at the sentence start, leaked into the draft. As superblanks nothing leaks."""
    config = replace(load_config(REPO / "translate.toml"), languages={"ast": "apertium", "an": "apertium"})
    out = translate_text("*The Capital* is read between the lines.\n", "note.md", "en", ["ast", "an"], config)
    assert out["ast"].startswith("*El capital* "), out["ast"]
    for text in out.values():
        assert "t:0" not in text.lower() and "/" not in text and text.count("*") == 2 and text.startswith("*"), text


def test_glossary_terms_are_pinned_in_sentences_with_markup_as_without(glossary):
    plain = [
        "The virtual factory produces surplus value, as Capital says.",
        "The working class makes history, says the Manifesto.",
    ]
    marked = [
        "The *virtual factory* produces surplus value, as [Capital](https://example.org/capital) says.",
        "The working class makes history, says `the Manifesto`, see <https://example.org/manifesto>.",
    ]
    assert all(matcher(glossary, "en").find(sentence) for sentence in plain)  # each has glossary terms
    engines = Engines(project_routes())
    try:
        for language in ("es", "fr"):
            engine, route = engines.choose("en", language)
            results = translate_sentences(engine, route, plain + marked, glossary, fmt="md")
            without, within = results[: len(plain)], results[len(plain) :]
            for a, b in zip(without, within, strict=True):
                assert [v.expected for v in a.violations] == [v.expected for v in b.violations] == [], (a, b)
            assert "](https://example.org/capital)" in within[0].text and "`the Manifesto`" in within[1].text
    finally:
        engines.close()


def test_a_sentence_across_formatting_is_translated_whole_and_the_formatting_follows_its_word(glossary):
    engine = ApertiumEngine()
    try:
        route = route_of(engine, "en", "es")
        texts = [
            "The <b>surplus value</b> is produced.",
            "The <b>surplus</b> value is produced.",
            "The <i>old</i> modes of production.",
        ]
        out = [r.text for r in translate_sentences(engine, route, texts, glossary, fmt="md")]
    finally:
        engine.close()
    assert out[0] == "La <b>plusvalía</b> está producida."
    assert out[1] == "La <b>plusvalía</b> está producida."  # the term cut by the tag is still pinned
    assert "<i>viejos</i>" in out[2]


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    project = api_project(tmp_path_factory.mktemp("api-markup") / "project")
    with api_server(project) as url:
        yield url


def test_api_html_the_surplus_value_keeps_the_pinned_term_with_its_article(api):
    for page in ("<p>The <b>surplus value</b> is produced.</p>", "<p>The <b>surplus</b> value is produced.</p>"):
        reply = post_json(api, "/translate", {"q": page, "source": "en", "target": "es", "format": "html"})
        assert reply.status == 200, reply.data
        assert reply.data["translatedText"] == "<p>La <b>plusvalía</b> está producida.</p>"


def test_api_keeps_link_targets_code_and_addresses_byte_for_byte(api):
    page = '<p>Read <a href="https://example.org/the-virtual-factory">the virtual factory</a>, run <code>make setup</code>.</p>'
    reply = post_json(api, "/translate", {"q": page, "source": "en", "target": "fr", "format": "html"})
    assert reply.status == 200, reply.data
    out = reply.data["translatedText"]
    assert '<a href="https://example.org/the-virtual-factory">' in out and "<code>make setup</code>" in out
    plain = post_json(
        api, "/translate", {"q": "Write to workers@example.org. See https://example.org/a-b.", "source": "en", "target": "es"}
    )
    assert "workers@example.org" in plain.data["translatedText"] and "https://example.org/a-b" in plain.data["translatedText"]
    assert "¿" not in plain.data["translatedText"]


def test_markup_placeholders_are_numbered_past_the_glossarys_own_and_come_back_as_markup():
    wrapped = MarkupPlaceholders(BergamotEngine())  # no model is loaded to number placeholders
    shielded = protect("Read [the surplus value](https://example.org/sv), run `make`.", "md")
    masked = shielded.text.replace("surplus value", "ZX1Z")  # the glossary layer's placeholder for its term
    marked = wrapped.to_engine(masked)
    assert marked.text == "Read ZX2Z the ZX1Z ZX3Z, run ZX4Z."
    back = wrapped.back(marked, "Leia ZX2Z a ZX1Z ZX3Z, execute ZX4Z.")
    assert back is not None and shielded.restore(back) == "Leia [a ZX1Z](https://example.org/sv), execute `make`."
    assert wrapped.back(marked, "Leia a ZX1Z ZX2Z ZX3Z, execute ZX4Z.") is None  # an emptied pair is asked again


def test_markup_the_engine_lost_is_put_back_at_the_sentence_end_and_named_for_a_reviewer():
    shielded = protect("Run `make setup` first, see <https://example.org/setup>.", "md")
    engine_output = "Ejecute primero, vea \ue001."  # the model dropped the code span's placeholder
    assert shielded.restore(engine_output) == "Ejecute primero, vea <https://example.org/setup> `make setup`."
    assert shielded.lost_in(engine_output) == ["`make setup`"]


@pytest.fixture(scope="module")
def neural_api(tmp_path_factory):
    """An API whose es and fr take the project's neural routes (its routes.toml)."""
    project = api_project(tmp_path_factory.mktemp("api-neural-markup") / "project")
    (project / "routes.toml").write_text((REPO / "routes.toml").read_text(encoding="utf-8"), encoding="utf-8")
    with api_server(project) as url:
        yield url


def test_api_through_the_neural_route_keeps_tags_code_links_and_addresses(neural_api):
    page = (
        '<p>Read <a href="https://example.org/the-virtual-factory">the virtual factory</a>, '
        "run <code>make setup</code>, the <b>surplus value</b> is produced.</p>"
    )
    for target, link_text in (("es", "la fábrica virtual"), ("fr", "l'usine virtuelle")):
        reply = post_json(neural_api, "/translate", {"q": page, "source": "en", "target": target, "format": "html"})
        assert reply.status == 200, reply.data
        assert reply.data["provenance"]["engine"] == "bergamot+apertium", reply.data["provenance"]
        out = reply.data["translatedText"]
        assert out.startswith("<p>") and out.endswith("</p>") and "<code>make setup</code>" in out, out
        assert f'<a href="https://example.org/the-virtual-factory">{link_text}</a>' in out.replace("&#x27;", "'"), out
        assert out.count("<b>") == out.count("</b>") == 1, out
    plain = post_json(
        neural_api,
        "/translate",
        {"q": "Write to workers@example.org. See https://example.org/a-b.", "source": "en", "target": "es"},
    )
    assert "workers@example.org" in plain.data["translatedText"] and "https://example.org/a-b" in plain.data["translatedText"]


# ---------------------------------------------------------------- quotations


def test_a_quotation_comes_in_its_published_translation_marked_in_the_po_file(project):
    project.configure(["es"], engine={"default": "apertium"})
    glossaries = project / "glossaries"
    glossaries.mkdir()
    (glossaries / "marxism.toml").write_text(
        (REPO / "glossaries" / "marxism.toml").read_text(encoding="utf-8")
        + '\n[[quotation]]\nid = "test-quote"\n[quotation.text]\n'
        + 'en = "Workers of the world, unite!"\nes = "¡Proletarios de todos los países, uníos!"\n'
        + '[quotation.edition]\nen = "Moore, 1888"\nes = "A test edition"\n',
        encoding="utf-8",
    )
    project.add_text("call.txt", "Workers of the world, UNITE\n\nThe virtual factory is here.\n")
    done = cli("run", "--json", cwd=project)
    assert done.returncode == 0, done.stderr
    output = (project / "outputs" / "es" / "call.md").read_text(encoding="utf-8")
    assert "¡Proletarios de todos los países, uníos!" in output and "La fábrica virtual" in output
    po = (project / "outputs" / "es" / "call.po").read_text(encoding="utf-8")
    assert "#. quotation: the published translation, A test edition; keep its wording" in po
