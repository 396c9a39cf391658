"""The Argos engine: real CTranslate2 inference, batching, pivots, no network."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from translate.engines.argos import ArgosEngine
from translate.engines.argos_store import ArgosStore
from translate.errors import ModelError
from translate.glossary.files import load_glossary
from translate.run.pipeline import translate_sentences

pytestmark = pytest.mark.slow

CHINESE = [
    "工人们在工厂里劳动。",
    "互联网是一个没有围墙的工厂。",
    "我们必须学会有效地使用搜索引擎。",
    "机器翻译正在变得非常好。",
]


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to open a network connection fails, as on an unplugged machine."""

    def refuse(*args, **kwargs):
        raise OSError("network is unplugged in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def zh_engine(argos_home, zh_en_package):
    store = ArgosStore(argos_home)
    store.install_file(zh_en_package)
    return ArgosEngine(store, beam_size=4, threads=2)


def test_real_model_translates_chinese_offline(zh_engine, no_network):
    route = zh_engine.routes("zh")["en"]
    assert route.steps == ("zh", "en") and route.models == ("translate-zh_en@1.9",)
    english = zh_engine.translate(CHINESE, route)
    assert len(english) == len(CHINESE)
    assert "factor" in english[0].lower() and "work" in english[0].lower()
    assert "internet" in english[1].lower() and "wall" in english[1].lower()
    assert "search" in english[2].lower()
    assert "translation" in english[3].lower()
    for line in english:
        assert line == line.strip() and "▁" not in line


def test_batch_order_and_progress_match_inputs(zh_engine):
    sentences = CHINESE * 20 + ["好。"]
    seen: list[int] = []
    out = zh_engine.translate(sentences, zh_engine.routes("zh")["en"], progress=seen.append)
    assert sum(seen) == len(sentences)
    assert out[: len(CHINESE)] == out[len(CHINESE) : 2 * len(CHINESE)]  # same input, same output, same place
    assert out[-1] != out[0]


def test_model_loaded_once_per_engine(zh_engine):
    route = zh_engine.routes("zh")["en"]
    zh_engine.translate(CHINESE[:1], route)
    first = dict(zh_engine._translators)
    zh_engine.translate(CHINESE[1:2], route)
    assert zh_engine._translators == first and len(first) == 1


def test_english_source_package_and_pivot(argos_home, argos_test_package, zh_en_package):
    store = ArgosStore(argos_home)
    store.install_file(argos_test_package)
    store.install_file(zh_en_package)
    engine = ArgosEngine(store)
    routes = engine.routes("zh")
    assert routes["en"].steps == ("zh", "en")
    assert routes["de"].steps == ("zh", "en", "de") and routes["de"].is_pivot
    assert engine.routes("en")["de"].models == ("translate-en_de@0.1",)
    out = engine.translate(["工人们在工厂里劳动。"], routes["de"])
    assert len(out) == 1 and out[0]


def test_missing_package_for_route_is_model_error(argos_home, argos_test_package):
    store = ArgosStore(argos_home)
    store.install_file(argos_test_package)
    engine = ArgosEngine(store)
    route = engine.routes("en")["de"]
    store.remove("en", "de")
    with pytest.raises(ModelError, match="translate models install en de"):
        engine.translate(["Hello."], route)


def test_no_packages_no_routes(argos_home):
    assert ArgosEngine(ArgosStore(Path(argos_home))).routes("en") == {}


def test_nbest_lists_start_with_the_plain_translation_and_hold_distinct_alternatives(zh_engine):
    route = zh_engine.routes("zh")["en"]
    assert zh_engine.max_hypotheses() == 4
    lists = zh_engine.translate_nbest(CHINESE, route, 4)
    assert [hypotheses[0] for hypotheses in lists] == zh_engine.translate(CHINESE, route)
    assert all(1 <= len(hypotheses) <= 4 and len(set(hypotheses)) == len(hypotheses) for hypotheses in lists)
    assert any(len(hypotheses) > 1 for hypotheses in lists)


def test_chinese_markdown_through_argos_keeps_code_links_autolinks_and_addresses(zh_engine):
    route = zh_engine.routes("zh")["en"]
    glossary = load_glossary(Path(__file__).resolve().parents[1] / "glossaries" / "marxism.toml")
    sentences = [
        "运行 `make setup` 然后阅读 [虚拟工厂](https://example.org/the-virtual-factory)，或写信给 workers@example.org。",
        "他现在看到 <https://example.org/the-virtual-factory>。",
    ]
    raw = zh_engine.translate(sentences, route)
    assert "`make setup`" not in raw[0] or "workers@example.org" not in raw[0]  # the model alone mangles them
    first, second = (r.text for r in translate_sentences(zh_engine, route, sentences, glossary, fmt="md"))
    assert "`make setup`" in first and "](https://example.org/the-virtual-factory)" in first, first
    assert "virtual factory](" in first and "workers@example.org" in first, first
    assert "<https://example.org/the-virtual-factory>" in second, second
