"""Benchmark section "damage": every sentence the pipeline changed, against the raw engine, classified.

For every language the project routes to Apertium (the route `Engines.choose`
gives, whatever its hops), every distinct sentence of both essays goes through
the raw engine (the installed pairs, no glossary: `Engine.without_glossary`) and
through the pipeline (`run.pipeline.translate_sentences`, then finishing), in
three set-ups:

- masking: the glossary layer as it was, placeholders only, nothing compared;
- masking + guard: the same, with every changed sentence compared with the raw
  engine's and the engine's kept where the layer's is worse (`run.harm`);
- terms + guard: the glossary in Apertium's own dictionaries
  (`engines.apertium_terms`), masking only for what they cannot carry, and the
  guard: what `translate run` does now.

Each changed sentence is classified by `finish.damage.Judge` (the target
language's Apertium analyser and post-generator, finished raw against finished
draft): term pinned, typography, agreement / order / elision repaired or broken,
possessive broken, casing repaired or broken, other. The first table counts
sentences per class for the current set-up; the second compares the set-ups
per language: sentences with a broken class (must be 0), glossary compliance
(terms rendered as pinned over terms expected, both essays), and chrF against
the hand-written references of bench/references/<lang>.tsv.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import contextmanager

import sections_apertium
from common import Context, Row, figure, format_table, section

SETUPS = ("masking", "masking + guard", "terms + guard")


@contextmanager
def setup(name: str):
    """The pipeline switched to one of SETUPS for the duration."""
    from translate.run import harm, pipeline

    saved = pipeline.ENGINE_TERMS, harm.CHECKED
    pipeline.ENGINE_TERMS, harm.CHECKED = name == "terms + guard", name != "masking"
    try:
        yield
    finally:
        pipeline.ENGINE_TERMS, harm.CHECKED = saved


def compliance_cases(essay: list[tuple[str, str, str]], glossary, language: str) -> tuple[list[tuple], int, int]:
    """(sentence, raw, draft) triples as the judge takes them (with the terms the draft pinned that the raw
    engine missed), and the glossary terms expected and rendered as pinned over all of them."""
    from translate.glossary.compliance import check_compliance
    from translate.glossary.matching import matcher

    cases, expected, found = [], 0, 0
    for sentence, raw, draft in essay:
        wanted = {
            m.concept.id for m in matcher(glossary, "en").find(sentence) if m.concept.terms(language) or not m.concept.translate
        }
        missing = {v.concept for v in check_compliance(sentence, draft, glossary, "en", language)}
        raw_missing = {v.concept for v in check_compliance(sentence, raw, glossary, "en", language)}
        expected, found = expected + len(wanted), found + len(wanted - missing)
        cases.append((sentence, raw, draft, sorted(raw_missing - missing)))
    return cases, expected, found


@section("damage")
def damage(ctx: Context) -> list[Row]:
    """Sentences the pipeline made worse than the raw engine, per class and language; compliance; chrF."""
    from sacrebleu.metrics import CHRF

    from translate.engines import apertium as apertium_engine
    from translate.engines.registry import Engines
    from translate.finish import finish
    from translate.finish.damage import BROKEN, CLASSES
    from translate.glossary.files import load_glossary
    from translate.run.finishing import finished_text, heading_sentences
    from translate.run.harm import judge_for
    from translate.run.pipeline import translate_sentences
    from translate.texts import load_texts

    if not apertium_engine.available():
        return [figure("damage", "skipped", "", "apertium is not installed (apt-get install apertium)")]
    config = sections_apertium.apertium_config(ctx)
    glossary = load_glossary(config.path("glossary"))
    segments = sections_apertium.essay_segments(ctx)
    headings = heading_sentences(t.document for t in load_texts(config))
    metric = CHRF()
    classes: list[Row] = []
    compared: list[Row] = []
    for language in sections_apertium.APERTIUM_LANGUAGES:
        sources, references, _ = sections_apertium.read_references(sections_apertium.REFERENCES / f"{language}.tsv")
        engines = Engines(config)
        try:
            engine, route = engines.choose("en", language)
            raws = engine.without_glossary().translate(segments + sources, route)
            judge = judge_for(engine, route, glossary)
            runs = {}
            for name in SETUPS:
                began = time.perf_counter()
                with setup(name):
                    results = translate_sentences(engine, route, segments + sources, glossary)
                engine_texts = [[r.plain, r.engine_text] for r in results]
                runs[name] = (
                    [finished_text(r.text, language, s, headings) for r, s in zip(results, segments + sources, strict=True)],
                    time.perf_counter() - began,
                    engine_texts,
                )
        finally:
            engines.close()
        raw_finished = [finish(r, language, heading=s in headings) for r, s in zip(raws, segments + sources, strict=True)]
        row: Row = {"lang": language, "route": "→".join(route.steps)}
        for name in SETUPS:
            drafts, seconds, engine_texts = runs[name]
            essay = list(zip(segments, raw_finished[: len(segments)], drafts[: len(segments)], strict=True))
            cases, expected, found = compliance_cases(essay, glossary, language)
            verdicts = judge.judge_many(cases, engine_texts[: len(segments)])  # the engine's own pairs are its elision
            broken = sum(bool(v.broken) for v in verdicts)
            score = metric.corpus_score(drafts[len(segments) :], [references]).score
            row[f"{name}: broken"] = broken
            row[f"{name}: compliance %"] = round(100 * found / expected, 1) if expected else ""
            row[f"{name}: chrF"] = round(score, 1)
            if name == SETUPS[-1]:
                counted = Counter(kind for v in verdicts for kind in v.changes)
                classes.append(
                    {
                        "lang": language,
                        "changed": sum(bool(v.changes) for v in verdicts),
                        **{kind: counted[kind] for kind in CLASSES},
                        "broken sentences": broken,
                        "seconds": round(seconds, 1),
                    }
                )
                ctx.save(
                    f"damage-{language}.tsv",
                    "".join(
                        f"{s}\t{r}\t{d}\t{v.describe()}\n" for (s, r, d, _), v in zip(cases, verdicts, strict=True) if v.changes
                    ),
                )
        row["raw chrF"] = round(metric.corpus_score(raw_finished[len(segments) :], [references]).score, 1)
        compared.append(row)
    print(
        format_table("[damage] sentences of both essays per class, pipeline against the raw engine (terms + guard)", classes),
        flush=True,
    )
    ctx.notes["damage_broken_classes"] = list(BROKEN)
    ctx.notes["damage_chrf_signature"] = str(metric.get_signature())
    return compared


NEURAL_LANGUAGES = ("es", "ca", "gl", "pt", "pt_BR", "fr", "it")
"""The languages routes.toml sends through the Firefox Translations model first (alone, or before Apertium)."""


@section("damage-neural")
def damage_neural(ctx: Context) -> list[Row]:
    """The same judge on the project's own routes (routes.toml): the neural hop, then Apertium or the variant
    step. The raw engine is the same chain without the glossary; every sentence the pipeline changed is
    classified, and a broken class must be 0 here too."""
    from translate.config import load_config
    from translate.engines.registry import Engines
    from translate.finish import finish
    from translate.finish.damage import CLASSES
    from translate.glossary.files import load_glossary
    from translate.run.finishing import finished_text, heading_sentences
    from translate.run.harm import judge_for
    from translate.run.pipeline import translate_sentences
    from translate.texts import load_texts

    config = load_config(ctx.repo / "translate.toml")
    glossary = load_glossary(config.path("glossary"))
    segments = sections_apertium.essay_segments(ctx)
    headings = heading_sentences(t.document for t in load_texts(config))
    rows: list[Row] = []
    for language in NEURAL_LANGUAGES:
        engines = Engines(config)
        try:
            engine, route = engines.choose("en", language)
            if not engine.name.startswith("bergamot"):
                continue  # the route file sends it elsewhere on this machine
            began = time.perf_counter()
            raws = engine.without_glossary().translate(segments, route)
            results = translate_sentences(engine, route, segments, glossary)
            seconds = time.perf_counter() - began
            judge = judge_for(engine, route, glossary)
        finally:
            engines.close()
        raw_finished = [finish(r, language, heading=s in headings) for r, s in zip(raws, segments, strict=True)]
        drafts = [finished_text(r.text, language, s, headings) for r, s in zip(results, segments, strict=True)]
        essay = list(zip(segments, raw_finished, drafts, strict=True))
        cases, expected, found = compliance_cases(essay, glossary, language)
        verdicts = judge.judge_many(cases, [[r.plain, r.engine_text] for r in results])
        counted = Counter(kind for v in verdicts for kind in v.changes)
        rows.append(
            {
                "lang": language,
                "route": "→".join(route.steps),
                "changed": sum(bool(v.changes) for v in verdicts),
                **{kind: counted[kind] for kind in CLASSES},
                "broken sentences": sum(bool(v.broken) for v in verdicts),
                "compliance %": round(100 * found / expected, 1) if expected else "",
                "seconds": round(seconds, 1),
            }
        )
        ctx.save(
            f"damage-neural-{language}.tsv",
            "".join(f"{s}\t{r}\t{d}\t{v.describe()}\n" for (s, r, d, _), v in zip(cases, verdicts, strict=True) if v.changes),
        )
    print(
        format_table("[damage] the project's neural routes: pipeline against the same chain without the glossary", rows),
        flush=True,
    )
    return rows
