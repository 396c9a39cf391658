"""Pinning glossary terms through real engines: masking, recovery, compliance."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from translate.glossary.compliance import check_compliance
from translate.glossary.matching import matcher
from translate.glossary.model import from_data
from translate.glossary.pinning import KNOWN_SHAPES, Shape, mask, translate_pinned, unmask

ROOT = Path(__file__).resolve().parents[1]


def apertium(*modes: str):
    """The real apertium command as a translate_batch (one process per hop, blank-line separated)."""
    if not shutil.which("apertium"):
        pytest.skip("apertium is not installed")

    def translate_batch(sentences: list[str]) -> list[str]:
        texts = list(sentences)
        for mode in modes:
            out = subprocess.run(
                ["apertium", "-u", "-f", "txt", mode], input="\n\n".join(texts) + "\n", capture_output=True, text=True, check=True
            ).stdout
            texts = [t.strip() for t in re.split(r"\n[ \t]*\n", out.strip("\n"))]
        return texts

    return translate_batch


def counting(translate_batch, calls: list[list[str]]):
    def run(batch: list[str]) -> list[str]:
        calls.append(list(batch))
        return translate_batch(batch)

    return run


def no_placeholder(text: str) -> bool:
    return not any(shape.pattern().search(text) for shape in KNOWN_SHAPES)


# ---------------------------------------------------------------- mask and unmask


def test_mask_replaces_terms_longest_first_and_unmask_restores_target_terms(glossary):
    sentence = "Capitalism sows the seeds of its own destruction, Gramsci said."
    masked = mask(sentence, glossary, "en", "es", "XT1")
    assert masked.text == "XT1 XT2, XT3 said."
    assert [p.concept for p in masked.pins] == ["capitalism", "sows-the-seeds", "gramsci"]
    restored = unmask("XT1 XT2, dijo XT3.", masked, target="es")
    assert restored == "Capitalismo siembra las semillas de su propia destrucción, dijo Gramsci."
    # names keep their spelling in each language
    assert (unmask("XT3 a dit : XT1 XT2.", mask(sentence, glossary, "en", "fr"), target="fr") or "").startswith("Gramsci")
    assert "Грамши" in (unmask("XT1 XT2, XT3.", mask(sentence, glossary, "en", "ru"), target="ru") or "")


def test_unmask_refuses_lost_duplicated_or_mangled_placeholders(glossary):
    masked = mask("The spectacle and the commodity.", glossary, "en", "es", "{1}")
    assert masked.text == "The {1} and the {2}."
    assert unmask("El { 1 } y la {2}.", masked, target="es") == "El espectáculo y la mercancía."
    assert unmask("El y la {2}.", masked, target="es") is None
    assert unmask("El {1} {1} y la {2}.", masked, target="es") is None
    assert unmask("El 1 y la {2}.", masked, target="es") is None


def test_english_article_follows_the_pinned_term(glossary):
    masked = mask("工人阶级出卖劳动力。", glossary, "zh", "en", "XT1")
    assert unmask("XT1 sells an XT2.", masked, target="en") == "Working class sells a labour power."


def test_a_shape_already_in_the_text_is_not_used(glossary):
    calls: list[list[str]] = []
    results = translate_pinned(
        ["Item #1 is the spectacle."],
        counting(lambda b: b, calls),
        glossary,
        "en",
        "fr",
        shapes=("#1", "XT1"),
        strategy="mask-first",
    )
    assert calls[0] == ["Item #1 is the XT1."]
    assert results[0].text == "Item #1 is the spectacle." and results[0].terms == ("spectacle",)


# ---------------------------------------------------------------- compliance


def test_compliance_accepts_variants_and_inflection_and_names_what_is_missing(glossary):
    source = "The proletariat sells its labour power; this is commodity fetishism."
    good = "Пролетариат продаёт свою рабочую силу; это товарный фетишизм."
    assert check_compliance(source, good, glossary, "en", "ru") == []
    bad = check_compliance(source, "El proletariado vende su fuerza laboral.", glossary, "en", "es")
    assert {(v.concept, v.expected) for v in bad} == {
        ("labour-power", "fuerza de trabajo"),
        ("commodity-fetishism", "fetichismo de la mercancía"),
    }
    assert check_compliance("He cites the BBC.", "Cita la BBC.", glossary, "en", "es") == []
    assert [v.concept for v in check_compliance("He cites the BBC.", "Cita la bbc.", glossary, "en", "es")] == []


# ---------------------------------------------------------------- recovery, batching


def test_lost_placeholders_are_retried_once_with_other_shapes(glossary):
    """An engine that drops 'XT' placeholders (the real zh->en model drops '{1}'):
    the second and last call carries only the failed sentence."""
    calls: list[list[str]] = []

    def drops_xt(batch: list[str]) -> list[str]:
        return [re.sub(r"XT\d+", "", s) for s in batch]

    sentences = ["The spectacle is here.", "Nothing to pin here."]
    results = translate_pinned(sentences, counting(drops_xt, calls), glossary, "en", "fr", strategy="mask-first")
    assert len(calls) == 2
    assert calls[0] == ["The XT1 is here.", "Nothing to pin here."]
    assert all("Nothing" not in s for s in calls[1])  # only the sentence that failed
    assert results[0].text == "The spectacle is here." and results[0].method == "retry"
    assert not results[0].flagged and results[1].text == "Nothing to pin here."


def test_when_every_shape_is_lost_the_engines_own_rendering_is_swapped(glossary):
    def drops_everything(batch: list[str]) -> list[str]:
        return [re.sub(r"XT\d+|#\d+|TERM\d+", "", s).replace("spectacle", "show") for s in batch]

    result = translate_pinned(["The spectacle is here."], drops_everything, glossary, "en", "fr", shapes=("XT1", "#1", "TERM1"))[
        0
    ]
    assert result.text == "The spectacle is here." and result.method == "substituted"
    assert not result.flagged and result.terms == ("spectacle",)


def test_when_nothing_recovers_the_segment_is_flagged_never_shown_with_a_placeholder(glossary):
    def drops_everything(batch: list[str]) -> list[str]:
        # in a sentence the term becomes "show", alone it becomes "display": not detectable
        return [re.sub(r"XT\d+|#\d+|TERM\d+", "", s).replace("spectacle", "show" if " " in s else "display") for s in batch]

    result = translate_pinned(["The spectacle is here."], drops_everything, glossary, "en", "fr", shapes=("XT1", "#1", "TERM1"))[
        0
    ]
    assert result.flagged and result.text == "The show is here." and no_placeholder(result.text)
    assert [(v.concept, v.expected) for v in result.violations] == [("spectacle", "spectacle")]


def test_apertium_eng_spa_keeps_the_pinned_terms(glossary):
    calls: list[list[str]] = []
    sentences = [
        "A central idea of Marxism, born out of dialectics, is that capitalism sows the seeds of its own destruction.",
        "This is what “pessimism of the intellect, optimism of the will” means",
        "The Virtual Factory",
    ]
    results = translate_pinned(sentences, counting(apertium("eng-spa"), calls), glossary, "en", "es")
    texts = [r.text for r in results]
    assert "siembra las semillas de su propia destrucción" in texts[0] and "cerdas" not in texts[0].lower()
    assert "pesimismo de la inteligencia, optimismo de la voluntad" in texts[1]
    assert texts[2] == "La fábrica virtual"  # the term in the glossary's case, the article agreeing
    assert all(no_placeholder(t) and not r.flagged for t, r in zip(texts, results, strict=True))
    assert len(calls) == 2 and len(calls[0]) == 3 and "The Virtual Factory" not in calls[1]


def test_apertium_pivot_keeps_names_and_terms(glossary):
    sentences = ["Revolutionaries like Lenin, Stalin, Gramsci, and Mao understood the value form."]
    result = translate_pinned(sentences, apertium("eng-spa", "es-pt"), glossary, "en", "pt")[0]
    for term in ("Lenine", "Estaline", "Gramsci", "Mao", "forma de valor"):  # European Portuguese names
        assert term in result.text
    assert no_placeholder(result.text) and not result.flagged


# ---------------------------------------------------------------- the real zh->en model


@pytest.fixture(scope="module")
def zh_en(zh_en_package):
    sys.path.insert(0, str(ROOT / "bench"))
    from glossary_accuracy import PARAGRAPH, zh_en_translator

    return zh_en_translator(zh_en_package), PARAGRAPH


@pytest.mark.slow
def test_zh_en_model_reaches_every_pinned_term(glossary, zh_en):
    translate_batch, paragraph = zh_en
    concepts = {m.concept.id for sentence in paragraph for m in matcher(glossary, "zh").find(sentence)}
    assert len(concepts) >= 8, concepts
    plain = translate_batch(paragraph)
    assert "remaining value" in plain[0] or "residual value" in plain[0]  # what the glossary is for
    for strategy in ("check-first", "mask-first"):
        results = translate_pinned(paragraph, translate_batch, glossary, "zh", "en", strategy=strategy)
        assert [r.violations for r in results] == [[]] * len(paragraph), strategy
        assert all(no_placeholder(r.text) for r in results)
    assert "surplus value" in results[0].text and "commodity fetishism" in results[1].text


@pytest.mark.slow
def test_zh_en_model_drops_brace_placeholders_and_the_retry_recovers(glossary, zh_en):
    translate_batch, paragraph = zh_en
    calls: list[list[str]] = []
    results = translate_pinned(
        paragraph, counting(translate_batch, calls), glossary, "zh", "en", shapes=("{1}", "XT1", "#1"), strategy="mask-first"
    )
    assert len(calls) == 2 and len(calls[1]) > 0  # the braces were lost, a retry happened
    assert all(no_placeholder(r.text) for r in results)
    assert sum(r.flagged for r in results) == 0
    assert Shape.parse("{1}").pattern().search(" ".join(calls[0]))


def test_an_inflected_placeholder_does_not_double_the_ending():
    glossary = from_data(
        {
            "glossary": {"name": "t", "version": "1", "source_language": "zh", "languages": ["zh", "en"]},
            "concept": [{"id": "gravediggers", "terms": {"zh": ["掘墓人"], "en": ["gravediggers"]}}],
        }
    )

    # An engine that pluralizes whatever stands for the term, as the zh→en model did ("XT1s").
    def engine(batch):
        return [s.replace("掘墓人", "gravedigger").replace("XT1", "XT1s") for s in batch]

    results = translate_pinned(["资产阶级生产了自己的掘墓人。"], engine, glossary, "zh", "en")
    assert "gravediggers" in results[0].text and "gravediggerss" not in results[0].text


def test_english_plural_in_y_is_accepted(glossary):
    english = "Virtual factories are part of the social factory."
    assert check_compliance("虚拟工厂是社会工厂的一部分。", english, glossary, "zh", "en") == []


@pytest.mark.slow
def test_zh_en_a_lower_ranked_hypothesis_with_the_term_is_kept_without_a_retry(glossary, zh_en_package, tmp_path):
    """统一战线: the model's best is "a new unified front"; one of its n-best says "united front"."""
    from translate.engines.argos import ArgosEngine
    from translate.engines.argos_store import ArgosStore
    from translate.run.pipeline import translate_counting

    store = ArgosStore(tmp_path / "packages")
    store.install_file(zh_en_package)
    engine = ArgosEngine(store, beam_size=4, threads=2)
    route = engine.routes("zh")["en"]
    sentence = "我们的目标不是逃离网络，而是建立新的统一战线。"
    assert check_compliance(sentence, engine.translate([sentence], route)[0], glossary, "zh", "en")
    counted = translate_counting(engine, route, [sentence], glossary)
    [result] = counted.results
    assert result.method == "n-best" and "united front" in result.text and not result.flagged
    assert counted.calls == [1]  # one engine call: no masked retry
