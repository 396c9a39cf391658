"""Every reason a volunteer reads names what is in the text in front of them, and is true of it.

A reading of the essays' drafts found reasons that were false: valid Spanish called "not in the
dictionary", French sentences said to hold engine errors in Spanish words they do not contain, a
glossary placeholder's letters shown as an unknown word, "internet" called an untranslated English
word in Portuguese; and the Spanish "EE.UU." left in French and Italian was never flagged. Each case
runs through the real engine that produced it.
"""

from __future__ import annotations

import pytest
from readers import through

from translate.checks import Unit, check_sentence
from translate.engines.registry import Engines
from translate.run.pipeline import checked_notes, translate_sentences

SPANISH_CHAIN = "bergamot:en>pt_BR + apertium:pt_BR>es"
PORTUGUESE = "bergamot:en>pt_BR + variant:pt_BR>pt"
US_SENTENCE = (
    "As his work shows, the internet is built atop US military infrastructure, and popular social networks are "
    "managed by corporations in close collaboration, for purposes of social control."
)


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    from project_factory import Project

    project = Project(tmp_path_factory.mktemp("reasons") / "project").configure(["es", "fr", "it", "pt", "pt_BR"])
    found = Engines(project.config)
    yield found
    found.close()


def named(notes, check: str | None = None) -> set[str]:
    return {w for s in notes.signals or () if check is None or s.check == check for w in s.words}


@pytest.mark.apertium
def test_valid_spanish_clitic_forms_are_not_reported_not_in_the_dictionary(engines, glossary):
    """trayéndolo, inspirarles, Combinándoles, acaecíamos: Spanish hunspell lacks them, Spanish has them."""
    cases = {
        "trayéndolo": "Though this does occur, and buoys the valuation of juggernauts like Google and Facebook, bringing "
        "it up in this context would be misleading, since I do not want to argue that being online locks us into any "
        "kind of “common struggle” on that basis.",
        "inspirarles": "[The capitalist] searches for means to spur [the workers] on to consumption, to give his wares "
        "new charms, to inspire them with new needs by constant chatter, etc.",
        "Combinándoles": "Combining them with just a little quality control can allow atomized communities to understand "
        "each other and form united fronts heretofore impossible.",
        "acaecíamos": "In my case, after a certain degree of trust was established with certain people, we simply became "
        "“real life friends.”",
    }
    done = through(engines, "apertium:en>es", "es", list(cases.values()), glossary)
    for word, (result, notes) in zip(cases, done):
        assert word in result.text  # the form the engine wrote, in the text the volunteer reads
        assert word not in named(notes), f"{word}: {notes.signals}"


@pytest.mark.apertium
def test_french_engine_errors_never_name_spanish_pivot_words_missing_from_the_french(engines, glossary):
    """The en>es hop could not generate "muro", "programa", "puesto"; es>fr translated them: the reason
    named Spanish words the French sentence does not hold."""
    sentences = [
        "Communicate with other people on your terms, not just the ones offered by a platform.",
        "Before quoting someone, look up their past positions on subjects you feel strongly about.",
        "A new kind of factory was birthed by the technological development of capitalist society, the virtual "
        "factory, subset of the social factory.",
    ]
    route = engines.resolve("apertium:en>es>fr", "en", "fr")
    engine = engines.engine_for(route)
    results = translate_sentences(engine, route, sentences, glossary)
    pivot_errors = [
        m.word
        for r in results
        for m in engine.marks(route, r.engine_text)
        if m.kind in ("generation", "transfer") and m.hop == "en>es"
    ]
    assert pivot_errors  # the engine did mark Spanish words at the first hop
    for sentence, result in zip(sentences, results):
        notes = checked_notes(sentence, result, engine, route, glossary)
        french = result.text.lower()
        for word in named(notes, "engine-errors"):
            assert word.lower() in french, f"{word} is not in {result.text!r}"


@pytest.mark.apertium
def test_a_glossary_placeholder_never_leaks_into_a_reason_as_unknown_words_XT(engines):
    """Apertium marks the letters of the placeholder XT1 as an unknown word; the names are back in the
    text by the time a volunteer reads it, and "XT" is only inside "extremamente"."""
    route = engines.resolve("apertium:en>es>pt", "en", "pt")
    engine = engines.engine_for(route)
    masked = "Revolutionaries like XT1, XT2, XT3, and XT4 understood this extremely well."
    [output] = engine.translate([masked], route)
    marks = engine.marks(route, output)
    assert any(m.word == "XT" for m in marks) and "extremamente" in output
    text = output
    for n, name in enumerate(["Lenine", "Estaline", "Gramsci", "Mao"], 1):
        text = text.replace(f"XT{n}", name)
    unit = Unit(
        source="Revolutionaries like Lenin, Stalin, Gramsci, and Mao understood this extremely well.",
        target=text,
        source_lang="en",
        target_lang="pt",
        route=route.steps,
        marks=marks,
    )
    assert "XT" not in {w for s in check_sentence(unit) for w in s.words}


@pytest.mark.apertium
def test_internet_is_not_an_untranslated_source_word_in_portuguese_nor_online_in_spanish(engines, glossary):
    [(portuguese, notes)] = through(engines, PORTUGUESE, "pt", [US_SENTENCE], glossary)
    assert "internet" in portuguese.text and "internet" not in named(notes)
    online = "The hyper online crowd is not the only one online."
    [(spanish, notes)] = through(engines, SPANISH_CHAIN, "es", [online], glossary)
    assert "online" in spanish.text.lower() and not {w.lower() for w in named(notes)} & {"online"}


@pytest.mark.apertium
@pytest.mark.parametrize("target", ["fr", "it"])
def test_the_spanish_abbreviation_EE_UU_left_in_french_and_italian_is_flagged(engines, glossary, target):
    [(result, notes)] = through(engines, f"apertium:en>es>{target}", target, [US_SENTENCE], glossary)
    assert "EE.UU." in result.text
    assert "EE.UU." in named(notes, "pivot-words")


@pytest.mark.apertium
def test_the_abbreviation_EE_UU_is_spanish_in_spanish(engines, glossary):
    [(result, notes)] = through(engines, "apertium:en>es", "es", [US_SENTENCE], glossary)
    assert "EE.UU." in result.text and "EE.UU." not in named(notes)
