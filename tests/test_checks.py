"""Quality signals on real engine output: what a reviewer is told about a machine draft."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from translate.checks import CHECKS, Unit, check_sentence, dictionaries, is_flagged
from translate.engines.apertium import ApertiumEngine
from translate.memory.notes import GlossaryViolation
from translate.run.pipeline import checked_notes, translate_sentences

ROOT = Path(__file__).resolve().parents[1]
needs_spanish_dictionary = pytest.mark.skipif(
    dictionaries.find_dictionary("es") is None, reason="apt-get install hunspell-es (scripts/install-system-packages.sh)"
)

PANOPTICON = "Factories were designed by capitalists as exploitative panopticon enclosures."
JUGGERNAUTS = "Instead of attacking these juggernauts, the gullible ones cheer them on."
FURNISH = "Police and corporations furnish innumerable examples of abusive monitoring."
PRPERS = (
    "However, it would be a terrible mistake to presume that, just because capitalists designed something, "
    "we cannot use it against them."
)


@pytest.fixture(scope="module")
def engine():
    engine = ApertiumEngine()
    yield engine
    engine.close()


def notes_for(engine, glossary, target: str, sentences: list[str]):
    route = engine.route("en", target)
    results = translate_sentences(engine, route, sentences, glossary)
    return [(r.text, checked_notes(s, r, engine, route, glossary)) for s, r in zip(sentences, results)]


def by_check(notes) -> dict[str, tuple[str, ...]]:
    return {s.check: s.words for s in notes.signals}


def test_the_checks_are_listed_in_one_registry_each_with_an_id_a_name_and_a_description():
    assert len(CHECKS) >= 10
    for check_id, check in CHECKS.items():
        assert check.id == check_id and check.name and check.description and check.weight > 0


@pytest.mark.apertium
def test_a_spanish_draft_names_the_english_words_apertium_did_not_know(engine, glossary):
    ((text, notes),) = notes_for(engine, glossary, "es", [PANOPTICON])
    assert {"exploitative", "panopticon"} <= set(by_check(notes)["unknown-words"])
    assert "*" not in text and "exploitative" in text  # the text is tidied as before, the doubt is kept
    assert "unknown words: exploitative, panopticon" in ", ".join(notes.reasons)


@pytest.mark.apertium
def test_three_unknown_words_or_one_in_a_short_sentence_flag_it_and_one_in_a_long_sentence_does_not(engine, glossary):
    long_one = (
        "However, it would be a terrible mistake to presume that, just because capitalists designed "
        "something, we cannot use it against them."
    )
    (_, many), (_, short), (_, long_) = notes_for(
        engine, glossary, "es", [JUGGERNAUTS + " " + PANOPTICON, "The gullible voter.", long_one]
    )
    assert is_flagged(many.signals) and many.flagged
    assert short.flagged  # one unknown word in three
    assert [s.words for s in long_.signals if s.check == "unknown-words"] == [("presume",)] and not long_.flagged


@pytest.mark.apertium
def test_a_french_draft_names_the_spanish_words_the_pivot_left(engine, glossary):
    ((text, notes),) = notes_for(engine, glossary, "fr", [FURNISH])
    assert "amueblan" in text
    pivot = [s for s in notes.signals if s.check == "pivot-words"]
    assert pivot and "amueblan" in pivot[0].words and pivot[0].hop == "es"


@pytest.mark.apertium
def test_croatian_drafts_carry_engine_error_marks_and_raw_tags(engine, glossary):
    ((text, notes),) = notes_for(engine, glossary, "hr", [PRPERS])
    found = by_check(notes)
    assert len(found["engine-errors"]) >= 3
    assert found.get("leaked-tags") == ("prpers",)
    assert notes.flagged


@pytest.mark.apertium
@pytest.mark.parametrize("mode,target", [("eng-spa", "es"), ("eng-cat", "ca")])
def test_reading_the_marks_leaves_the_text_exactly_as_apertium_u_prints_it(engine, mode, target):
    sentences = [
        "A new kind of factory was birthed, with billions of uncounscious cyber-proletarians.",
        "The immanent, dialectical development of capitalism prepares the ground.",
        "If you read between the lines of *The Capital*, the gullible juggernauts are there.",
        PANOPTICON,
    ]
    plain = subprocess.run(
        ["apertium", "-u", "-f", "txt", mode], input="\n\n".join(sentences) + "\n", capture_output=True, text=True, check=True
    ).stdout
    from translate.engines.apertium import tidy

    expected = [tidy(s, out.strip()) for s, out in zip(sentences, plain.strip("\n").split("\n\n"))]
    assert engine.translate(sentences, engine.route("en", target)) == expected


def test_a_glossary_violation_alone_flags_the_sentence(glossary):
    violation = GlossaryViolation("surplus-value", "plusvalía", "'surplus value' should be rendered 'plusvalía'")
    unit = Unit("Surplus value.", "El valor excedente.", "en", "es", ("en", "es"), violations=(violation,), glossary=glossary)
    signals = check_sentence(unit)
    assert [s.check for s in signals][:1] == ["glossary"] and is_flagged(signals)


def test_a_leftover_placeholder_a_lost_note_marker_and_a_halved_length_are_signals():
    source = "Capitalism itself is ‘the living contradiction’ [4] of its own making, as the book says."
    unit = Unit(source, "El capitalismo XT1.", "en", "es", ("en", "es"))
    found = {s.check: s for s in check_sentence(unit, only=["placeholder", "markup", "length"])}
    assert found["placeholder"].words == ("XT1",)
    assert "[4]" in found["markup"].words
    assert found["length"].words[0].endswith("× the source")


@needs_spanish_dictionary
def test_english_words_copied_into_spanish_are_named_whatever_the_engine(glossary):
    unit = Unit("The clamp-downs are unpaid.", "Los clamp-downs son impagados.", "en", "es", ("en", "es"), glossary=glossary)
    assert "clamp-downs" in {w for s in check_sentence(unit) for w in s.words if s.check == "source-words"}


def test_a_language_without_a_dictionary_gets_no_spelling_signal(monkeypatch, tmp_path):
    monkeypatch.setattr(dictionaries, "SEARCH_PATH", ())
    monkeypatch.setenv("TRANSLATE_HUNSPELL_PATH", str(tmp_path))
    monkeypatch.setattr(dictionaries, "_LOADED", {})
    unit = Unit("The workers.", "Los trabajdores xqzv.", "en", "es", ("en", "es"))
    assert check_sentence(unit, only=["spelling", "glued-words", "source-words", "pivot-words"]) == []
    assert dictionaries.spelling_support("es").startswith("none (apt-get install hunspell-es")
