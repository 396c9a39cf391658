"""The test package is a real Argos package: Argos reads it, CTranslate2 runs it, SentencePiece
round-trips the essays with it. Never imports argostranslate.translate (it needs Stanza)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import ctranslate2
import pytest
import sentencepiece as spm
from argostranslate.package import Package, get_installed_packages
from argostranslate.tokenizer import SentencePieceTokenizer
from model_factory import build_argos_package, essay_lines


def essay_sentences(count: int | None = None) -> list[str]:
    """Sentences of the essays, leaving out the few run-ons longer than CTranslate2 decodes by
    default (max_decoding_length=256 pieces)."""
    sentences = [s for line in essay_lines() for s in re.split(r"(?<=[.?!])\s+", line) if s.strip()]
    return [s for s in sentences if len(s.split()) <= 80][:count]


def extract(package_path: Path, into: Path) -> Path:
    """Unpack the way argostranslate.package.install_from_path does; return the package folder."""
    with zipfile.ZipFile(package_path) as archive:
        archive.extractall(into)
    return into / package_path.stem


def translate(package_dir: Path, sentences: list[str]) -> list[str]:
    """Translate as Argos does: its tokenizer, CTranslate2 beam search, its detokenizer."""
    package = Package(package_dir)
    # One thread: for a model this small, more threads only add waiting (5-50x slower under load).
    translator = ctranslate2.Translator(str(package_dir / "model"), device="cpu", intra_threads=1)
    results = translator.translate_batch([package.tokenizer.encode(s) for s in sentences], beam_size=4, replace_unknowns=True)
    return [package.tokenizer.decode(result.hypotheses[0]) for result in results]


@pytest.fixture(scope="module")
def package_dir(argos_test_package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return extract(argos_test_package, tmp_path_factory.mktemp("installed"))


def test_archive_has_the_layout_argos_expects(argos_test_package: Path) -> None:
    assert argos_test_package.name == "translate-en_de-0_1.argosmodel"
    with zipfile.ZipFile(argos_test_package) as archive:
        names = set(archive.namelist())
        metadata = json.loads(archive.read("translate-en_de-0_1/metadata.json"))
    assert {name.split("/")[0] for name in names} == {"translate-en_de-0_1"}
    assert {
        "translate-en_de-0_1/metadata.json",
        "translate-en_de-0_1/README.md",
        "translate-en_de-0_1/sentencepiece.model",
        "translate-en_de-0_1/model/model.bin",
        "translate-en_de-0_1/model/config.json",
        "translate-en_de-0_1/model/shared_vocabulary.json",
    } <= names
    assert metadata == {
        "package_version": "0.1",
        "argos_version": "1.9.0",
        "from_code": "en",
        "from_name": "English",
        "to_code": "de",
        "to_name": "German",
        "type": "translate",
    }


def test_argos_reads_the_package(package_dir: Path) -> None:
    package = Package(package_dir)
    assert (package.from_code, package.to_code, package.package_version) == ("en", "de", "0.1")
    assert str(package) == "English → German"
    assert isinstance(package.tokenizer, SentencePieceTokenizer)
    assert "Test package" in package.get_readme()


def test_argos_lists_the_package_in_a_private_home(argos_test_package: Path, argos_home: Path) -> None:
    assert get_installed_packages() == []
    extract(argos_test_package, argos_home)
    installed = get_installed_packages()
    assert [(p.from_code, p.to_code) for p in installed] == [("en", "de")]
    assert installed[0].package_path.parent == argos_home


def test_ctranslate2_translates_a_batch_of_twenty(package_dir: Path) -> None:
    sentences = essay_sentences(20)
    outputs = translate(package_dir, sentences)
    assert len(outputs) == 20
    assert all(output.strip() for output in outputs)
    # Letters change, so a sentence with words never comes back as is (a bare "[1]" does).
    assert all(o != s for o, s in zip(outputs, sentences, strict=True) if re.search("[a-z]", s))
    # The output follows its own input: one output per word, distinct sentences stay distinct.
    assert [len(o.split()) for o in outputs] == [len(s.split()) for s in sentences]
    assert len(set(outputs)) == len(set(sentences))


def test_translation_is_deterministic_and_keeps_digits(package_dir: Path) -> None:
    first = translate(package_dir, ["In 1917 the workers organized.", "Factories, 42 of them."])
    again = translate(package_dir, ["Factories, 42 of them.", "In 1917 the workers organized."])
    assert first == again[::-1]
    assert "1917" in first[0] and "42," not in first[1] and "42" in first[1]


def test_echo_package_repeats_its_input(tmp_path: Path) -> None:
    package_dir = extract(build_argos_package(tmp_path, echo=True), tmp_path / "installed")
    sentences = essay_sentences(12)
    assert translate(package_dir, sentences) == sentences


def test_sentencepiece_round_trips_the_essays(package_dir: Path) -> None:
    processor = spm.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
    lines = essay_lines()
    # The essays hold what NFKC normalization would change; the round trip must keep it.
    assert any("\N{NO-BREAK SPACE}" in line for line in lines)
    assert any("\N{RIGHT SINGLE QUOTATION MARK}" in line for line in lines)
    for line in lines:
        ids = processor.encode(line)
        assert processor.unk_id() not in ids
        assert processor.decode(ids) == line


def test_same_arguments_give_the_same_bytes(tmp_path: Path) -> None:
    corpus = ["The factory socializes its workers.", "Workers organize and struggle."] * 20
    first = build_argos_package(tmp_path / "a", "en", "xx", corpus=corpus, vocab_size=60)
    second = build_argos_package(tmp_path / "b", "en", "xx", corpus=corpus, vocab_size=60)
    other_seed = build_argos_package(tmp_path / "c", "en", "xx", corpus=corpus, vocab_size=60, seed=1)
    assert first.name == "translate-en_xx-0_1.argosmodel"
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other_seed.read_bytes()
    assert Package(extract(first, tmp_path / "installed")).to_name == "xx"


@pytest.mark.slow
def test_real_zh_en_model_translates(zh_en_package: Path, tmp_path: Path) -> None:
    outputs = translate(extract(zh_en_package, tmp_path), ["工厂是工人组织起来的地方。"])
    assert re.search(r"\b(factory|factories)\b", outputs[0], re.IGNORECASE), outputs
