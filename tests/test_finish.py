"""Finishing machine drafts: each language's typography and spelling, never the source's English habits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.finish import finish, finish_version
from translate.finish.typography import NBSP, NNBSP, quote_pairs
from translate.memory.notes import Notes, Signal
from translate.run import runner


def test_spanish_questions_open_with_an_inverted_mark_where_the_question_starts():
    assert finish("Stalin: Quizás yo, quién sabe?", "es") == "Stalin: Quizás yo, ¿quién sabe?"
    assert finish("En general. Cómo explicas aquello?", "es") == "En general. ¿Cómo explicas aquello?"
    assert finish("la modernidad — qué puede decimos sobre su cinismo? Amor.", "es") == (
        "la modernidad — ¿qué puede decimos sobre su cinismo? Amor."
    )
    assert finish("Qué bien!", "gl") == "¡Qué bien!"
    assert finish("En canto aos críticos — o que pode dicimos sobre o seu cinismo? Amor.", "gl") == (
        "En canto aos críticos — ¿o que pode dicimos sobre o seu cinismo? Amor."
    )  # 'o que': what
    assert finish("¿Ya está?", "es") == "¿Ya está?"


def test_french_gets_no_break_spaces_before_high_punctuation_and_inside_guillemets():
    text = finish("Staline : Peut-être moi, qui sait? [7]", "fr")
    assert text == f"Staline{NBSP}: Peut-être moi, qui sait{NNBSP}? [7]"
    quoted = finish("Il écrit “la contradiction vivante,” puis; fin!", "fr")
    assert quoted == f"Il écrit «{NBSP}la contradiction vivante{NBSP}», puis{NNBSP}; fin{NNBSP}!"
    assert finish("voir https://example.org/a:b et 10:30", "fr") == "voir https://example.org/a:b et 10:30"


def test_quotation_marks_are_the_languages_own_and_stops_go_outside_them():
    assert finish("refleja su “optimismo de la inteligencia, pesimismo de la voluntad.”", "es") == (
        "refleja su «optimismo de la inteligencia, pesimismo de la voluntad»."
    )
    assert finish("es ‘la contradicción viva,’ [4] el capitalismo.", "es") == "es «la contradicción viva», [4] el capitalismo."
    assert finish("como diz « O espetáculo não é um conjunto » assim", "pt") == "como diz «O espetáculo não é um conjunto» assim"
    assert finish("On kaže “živa protivrečnost” i ‘to’.", "sr") == "On kaže „živa protivrečnost“ i „to“."
    assert finish("Estos radicales’ incapacidad", "es") == "Estos radicales’ incapacidad"  # an apostrophe, not a quote


def test_the_sources_stray_spaces_before_commas_and_semicolons_do_not_reach_the_draft():
    assert finish("una sociedad tecnocapitalista ; antes", "es") == "una sociedad tecnocapitalista; antes"
    assert finish("la producción , una fábrica", "ca") == "la producción, una fábrica"
    assert finish("une société ; avant , après", "fr") == f"une société{NNBSP}; avant, après"


def test_titles_in_english_title_case_become_sentence_case_where_the_language_writes_it():
    assert finish("La Fábrica Virtual", "es", heading=True) == "La fábrica virtual"
    assert finish("L'Usine Virtuelle", "fr", heading=True) == "L'usine virtuelle"
    assert finish("La Fábrica Virtual", "es") == "La Fábrica Virtual"  # only headings
    assert finish("The Virtual Factory", "en", heading=True) == "The Virtual Factory"


def test_portuguese_drafts_follow_the_1990_agreement_and_keep_pronounced_consonants():
    if "+ao90" not in finish_version("pt"):
        pytest.skip("the hunspell pt_PT dictionary is not installed (apt-get install hunspell-pt-pt)")
    text = finish("A acção directa, a tracção de facto, o espectáculo, o contacto e a actividade objectiva.", "pt")
    assert text == "A ação direta, a tração de facto, o espetáculo, o contacto e a atividade objetiva."


def test_european_drafts_made_from_brazilian_ones_take_the_european_spelling_and_brazilian_ones_keep_theirs():
    if "+ao90" not in finish_version("pt"):
        pytest.skip("the hunspell pt_PT dictionary is not installed (apt-get install hunspell-pt-pt)")
    brazilian = "O desenvolvimento econômico do fenômeno, os contatos, a fêmea e o gênero."
    assert finish(brazilian, "pt") == "O desenvolvimento económico do fenómeno, os contactos, a fêmea e o género."
    assert finish(brazilian, "pt_BR") == brazilian


def test_an_apostrophe_inside_a_word_never_closes_a_quotation():
    assert quote_pairs("l’usine ‘vraie’ et dell’arte") == quote_pairs("l’usine ‘vraie’ et dell’arte")[:1]


_CHARS = st.sampled_from(list("ab ,.;:?!¿¡“”‘’«»\"'„—-") + ["\u00a0", "\u202f", "Qué", "quién", " [4]"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARS, max_size=40).map("".join), st.sampled_from(["es", "fr", "pt", "ca", "it", "sr", "eo", "gl"]))
def test_finishing_a_finished_text_changes_nothing(text, language):
    once = finish(text, language)
    assert finish(once, language) == once


@pytest.mark.apertium
def test_new_typography_rules_refinish_stored_drafts_without_an_engine_call(project):
    project.configure(["es"], engine={"default": "apertium"})
    project.add_text("q.txt", "Perhaps I do, who knows?\n")
    first = runner.run(project.config)
    assert first.languages[0].translated == 1
    with project.memory() as memory:
        [entry] = list(memory.entries("en", "es"))
        assert "¿" in entry.machine_text and entry.notes.finished == finish_version("es")
        old = Notes(**{**entry.notes.__dict__, "finished": "typo0", "draft": entry.notes.draft or entry.machine_text})
        memory.store_machine([(entry.source_text, old.draft, old)], "en", "es", entry.signature)
    again = runner.run(project.config)
    assert again.languages[0].translated == 0 and again.languages[0].refinished == 1  # nothing sent to an engine
    with project.memory() as memory:
        [entry] = list(memory.entries("en", "es"))
    assert "¿" in entry.machine_text and entry.notes.finished == finish_version("es")


@pytest.mark.apertium
def test_finishing_again_keeps_the_signals_that_name_words_outside_the_text(project):
    """Quoted source words whose marks could not follow them, or a missing glossary term, are not in the
    draft: a reviewer must still see them after new typography rules finish the draft again."""
    project.configure(["es"], engine={"default": "apertium"})
    project.add_text("q.txt", "Perhaps I do, who knows?\n")
    runner.run(project.config)
    kept = [
        Signal("quotes", "quotation marks not around the quoted words", ("socialist",), 2.0),
        Signal("glossary", "glossary term missing", ("plusvalía",), 2.0),
    ]
    gone = Signal("spelling", "not in the dictionary", ("tracção",), 1.0)  # as if respelled "tração"
    with project.memory() as memory:
        [entry] = list(memory.entries("en", "es"))
        old = Notes(
            **{
                **entry.notes.__dict__,
                "finished": "typo0",
                "draft": "Quizás yo, quién sabe?",
                "signals": [*kept, gone],
                "flagged": True,
            }
        )
        memory.store_machine([(entry.source_text, old.draft, old)], "en", "es", entry.signature)
    assert runner.run(project.config).languages[0].refinished == 1
    with project.memory() as memory:
        [entry] = list(memory.entries("en", "es"))
    assert [s.check for s in entry.notes.signals] == ["quotes", "glossary"] and entry.notes.flagged
