"""The benchmark's reference translations (bench/references/<lang>.tsv) stay usable.

A reference is only worth its English side: chrF before/after and the precision and
recall of the quality signals compare a reference with what the memory stores for the
same sentence, so every English sentence must be one the segmenter cuts from the texts
today, byte for byte. A typo fixed in a text, or a change to the segmenter, must show
up here instead of silently dropping sentences from the benchmark.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from translate.segment import parse

ROOT = Path(__file__).resolve().parents[1]
REFERENCES = sorted((ROOT / "bench" / "references").glob("*.tsv"))
CAREFUL_LANGUAGES = ("es", "fr", "pt", "ca")  # the languages the quality signals are measured on


@pytest.fixture(scope="module")
def read_references():
    """The benchmark's own reader, so a file it cannot read fails here too."""
    sys.path.insert(0, str(ROOT / "bench"))
    from sections_apertium import read_references

    return read_references


@pytest.fixture(scope="module")
def sentences_by_text() -> dict[str, set[str]]:
    return {
        path.name: {s.text for s in parse(path.read_text(encoding="utf-8"), path.name).segments}
        for path in sorted((ROOT / "texts").glob("*.*"))
    }


def test_the_references_folder_has_the_careful_languages():
    assert {path.stem for path in REFERENCES} >= set(CAREFUL_LANGUAGES)


@pytest.mark.parametrize("path", REFERENCES, ids=lambda p: p.stem)
def test_every_reference_sentence_is_a_sentence_of_the_texts(path, read_references, sentences_by_text):
    sources, _, _ = read_references(path)
    every_sentence = set().union(*sentences_by_text.values())
    strangers = [source for source in sources if source not in every_sentence]
    assert strangers == [], f"{path.name}: not a sentence of texts/ as the segmenter cuts it"
    assert len(sources) == len(set(sources)), f"{path.name}: a sentence is listed twice"


@pytest.mark.parametrize("path", REFERENCES, ids=lambda p: p.stem)
def test_every_reference_line_is_a_sentence_and_its_translation(path, read_references):
    raw = path.read_bytes()
    raw.decode("utf-8")  # raises on anything but UTF-8
    assert b"\r" not in raw
    rows = [line for line in raw.decode("utf-8").splitlines() if line.strip() and not line.startswith("#")]
    assert rows[0] == f"en\t{path.stem}", "the header names the file's language"
    for row in rows[1:]:
        source, target = row.split("\t")  # exactly two fields
        assert source.strip() == source and target.strip() == target and target, row
    sources, translations, _ = read_references(path)
    assert len(sources) == len(translations) == len(rows) - 1


def test_careful_languages_share_enough_sentences_from_both_essays(read_references, sentences_by_text):
    sources = {lang: read_references(ROOT / "bench" / "references" / f"{lang}.tsv")[0] for lang in CAREFUL_LANGUAGES}
    first = sources[CAREFUL_LANGUAGES[0]]
    for lang, listed in sources.items():
        assert listed == first, f"{lang}.tsv lists other English sentences than {CAREFUL_LANGUAGES[0]}.tsv"
    assert len(first) >= 45
    for name, sentences in sentences_by_text.items():
        assert len(sentences.intersection(first)) >= 5, f"too few references from {name}"
