"""Benchmark section "apertium": quality against human references, and speed per language.

Quality: bench/references/<lang>.tsv holds English sentences of the essays with a
translation written by hand (57 for es, fr, pt and ca, five for the others). They go
through the project's own route choice and glossary layer
(`Engines.choose` + `pipeline.translate_sentences`), so the output is what
`translate run` would store, and are scored with sacrebleu's chrF, sentence by
sentence and as a corpus.

Speed: every segment of both essays through `translate_sentences`, with a fresh
engine per language so that a pivot (en→es→pt) pays for both hops.

Drafts before and after the pipeline's repairs: "chrF before" scores the
drafts with the repairs switched off (`run.finishing.without_repairs`: no
agreement around pinned terms, no quotes moved, no finishing), "chrF" the text
`translate run` stores now (agreement, quotes that follow their words,
typography and Portuguese spelling, translate/finish). The pipeline-made
errors (`translate.finish.defects`: determiners that do not agree with a pinned
noun, missing ¿, French no-break spaces, foreign or empty quotes, stops inside
quotes, stray spaces, title case, lost quotes) are counted over every sentence
of both essays, before and after, by kind in a second table. The glossary is
the current one on both sides (its noun phrases are data, not a switch); the
figures of the pipeline before this work are in bench/README.md.
"""

from __future__ import annotations

import time
from pathlib import Path

from common import HERE, Context, Row, figure, format_table, section

REFERENCES = HERE / "references"
APERTIUM_LANGUAGES = ("es", "ca", "gl", "eo", "pt", "fr", "it", "oc", "ast", "an", "hr", "bs", "sr")


def read_references(path: Path) -> tuple[list[str], list[str], str]:
    """(English sentences, reference translations, confidence) from a references TSV.

    Lines starting with '#' are comments ('# confidence: medium' is read); the first
    other line is the header 'en<TAB><lang>'.
    """
    sources, references, confidence = [], [], "high"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = []
    for line in lines:
        if line.startswith("#"):
            if line.lstrip("# ").startswith("confidence:"):
                confidence = line.split(":", 1)[1].strip()
            continue
        rows.append(line.split("\t"))
    header, *body = rows
    if header[0] != "en" or len(header) != 2:
        raise ValueError(f"{path.name}: the header must be 'en<TAB><lang>', not {header!r}")
    for number, row in enumerate(body, start=2):
        if len(row) != 2:
            raise ValueError(f"{path.name}: row {number} needs exactly two tab-separated columns")
        sources.append(row[0])
        references.append(row[1])
    return sources, references, confidence


def essay_segments(ctx: Context) -> list[str]:
    """Every distinct sentence of the essays, as a run sends them to an engine."""
    from translate.config import load_config
    from translate.texts import load_texts

    config = load_config(ctx.repo / "translate.toml")
    return list(dict.fromkeys(s.text for t in load_texts(config) for s in t.document.segments))


def apertium_config(ctx: Context):
    """The project configuration with every benchmarked language routed to Apertium."""
    from dataclasses import replace

    from translate.config import load_config

    config = load_config(ctx.repo / "translate.toml")
    return replace(config, languages={**config.languages, **dict.fromkeys(APERTIUM_LANGUAGES, "apertium")})


@section("apertium")
def apertium(ctx: Context) -> list[Row]:
    """chrF against the hand-written references, and seconds for both essays, per language."""
    from collections import Counter

    from sacrebleu.metrics import CHRF

    from translate.engines import apertium as apertium_engine
    from translate.engines.registry import Engines
    from translate.finish.defects import DEFECTS, agreement_terms, defects
    from translate.glossary.files import load_glossary
    from translate.run.finishing import finished_text, heading_sentences, without_repairs
    from translate.run.pipeline import translate_sentences
    from translate.texts import load_texts

    if not apertium_engine.available():
        return [figure("apertium", "skipped", "", "apertium is not installed (apt-get install apertium)")]
    config = apertium_config(ctx)
    glossary = load_glossary(config.path("glossary"))
    segments = essay_segments(ctx)
    headings = heading_sentences(t.document for t in load_texts(config))
    metric = CHRF()
    defect_rows: list[Row] = []
    summary: list[Row] = []
    seconds_all = 0.0  # the languages' seconds, as their rows show them
    detail: list[Row] = []
    hypotheses_all: list[str] = []
    drafts_all: list[str] = []
    references_all: list[str] = []
    for language in APERTIUM_LANGUAGES:
        path = REFERENCES / f"{language}.tsv"
        sources, references, confidence = read_references(path)

        engines = Engines(config)  # fresh: no pivot cache carried over between languages
        try:
            engine, route = engines.choose("en", language)
            began = time.perf_counter()
            essay = translate_sentences(engine, route, segments, glossary)
            seconds = time.perf_counter() - began
            seconds_all += round(seconds, 2)
            finished = [r.text for r in translate_sentences(engine, route, sources, glossary)]
            with without_repairs():
                essay_before = translate_sentences(engine, route, segments, glossary)
                drafts = [r.text for r in translate_sentences(engine, route, sources, glossary)]
        finally:
            engines.close()
        outputs = [finished_text(d, language, s, headings) for d, s in zip(finished, sources, strict=True)]
        terms = agreement_terms(glossary, language)
        counted: dict[str, Counter[str]] = {"before": Counter(), "after": Counter()}
        for sentence, before, result in zip(segments, essay_before, essay, strict=True):
            heading = sentence in headings
            counted["before"] += defects(sentence, before.text, language, heading=heading, terms=terms)
            after = finished_text(result.text, language, sentence, headings)
            counted["after"] += defects(sentence, after, language, heading=heading, terms=terms)
        defect_rows.append(
            {"lang": language, **{kind: f"{counted['before'][kind]}→{counted['after'][kind]}" for kind in DEFECTS}}
        )

        scores = [metric.sentence_score(h, [r]).score for h, r in zip(outputs, references, strict=True)]
        corpus = metric.corpus_score(outputs, [references]).score
        corpus_before = metric.corpus_score(drafts, [references]).score
        hypotheses_all += outputs
        drafts_all += drafts
        references_all += references
        for number, (output, reference, score) in enumerate(zip(outputs, references, scores, strict=True), 1):
            detail.append(
                {"lang": language, "#": number, "chrF": round(score, 1), "engine output": output, "reference": reference}
            )
        summary.append(
            {
                "lang": language,
                "route": "→".join(route.steps),
                "chrF before": round(corpus_before, 1),
                "chrF corpus": round(corpus, 1),
                "defects before→after": f"{sum(counted['before'].values())}→{sum(counted['after'].values())}",
                "chrF per sentence": " ".join(f"{s:.0f}" for s in scores),
                "reference": confidence,
                "segments": len(segments),
                "seconds": round(seconds, 2),
                "ms/segment": round(1000 * seconds / len(segments), 1),
            }
        )
    print(format_table("[apertium] engine output beside the reference, sentence chrF", detail), flush=True)
    print(format_table("[apertium] pipeline-made errors in both essays, before→after finishing", defect_rows), flush=True)
    ctx.save(
        "apertium-references.tsv",
        "\n".join("\t".join(str(row[key]) for key in ("lang", "#", "chrF", "engine output", "reference")) for row in detail)
        + "\n",
    )
    overall = metric.corpus_score(hypotheses_all, [references_all]).score
    summary.append(
        {
            "lang": "all",
            "route": "",
            "chrF before": round(metric.corpus_score(drafts_all, [references_all]).score, 1),
            "chrF corpus": round(overall, 1),
            "seconds": round(seconds_all, 2),
        }
    )
    ctx.notes["apertium_chrf_signature"] = str(metric.get_signature())
    return summary
