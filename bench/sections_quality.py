"""Benchmark section "quality": do the quality signals point at the sentences that are bad?

For es, fr, pt and ca, bench/references/ holds 57 sentences of the essays with a
translation written by hand. Every sentence of both essays goes through the
project's route, glossary layer and quality checks (`translate_sentences` +
`checked_notes`, as `translate run` stores them). A reference sentence counts as
*bad* when its machine translation's sentence chrF against the reference is below
`BAD_CHRF` (chrF 100 is identical; the corpus figures are around 60, and a
sentence under 50 has lost or garbled a good part of its meaning), and as
*flagged* when its signals reach the flag score (the front of the review queue).
Precision: of the flagged reference sentences, the share that are bad; recall: of
the bad ones, the share flagged. The same for "any signal" (a sentence the queue
raises at all). Queue front: flagged sentences among all 114 of the essays.
"""

from __future__ import annotations

import time

import sections_apertium
from common import Context, Row, figure, section

QUALITY_LANGUAGES = ("es", "fr", "pt", "ca")
BAD_CHRF = 50.0


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.0%}" if whole else "-"


@section("quality")
def quality(ctx: Context) -> list[Row]:
    """Precision and recall of the flag against sentence chrF on the references, and the queue front."""
    from sacrebleu.metrics import CHRF

    from translate.engines import apertium as apertium_engine
    from translate.engines.registry import Engines
    from translate.glossary.files import load_glossary
    from translate.run.pipeline import checked_notes, translate_sentences

    if not apertium_engine.available():
        return [figure("quality", "skipped", "", "apertium is not installed (apt-get install apertium)")]
    config = sections_apertium.apertium_config(ctx)
    glossary = load_glossary(config.path("glossary"))
    segments = sections_apertium.essay_segments(ctx)
    metric = CHRF()
    rows: list[Row] = []
    for language in QUALITY_LANGUAGES:
        sources, references, _ = sections_apertium.read_references(sections_apertium.REFERENCES / f"{language}.tsv")
        engines = Engines(config)
        try:
            engine, route = engines.choose("en", language)
            results = translate_sentences(engine, route, segments, glossary)
            began = time.perf_counter()
            notes = {s: checked_notes(s, r, engine, route, glossary) for s, r in zip(segments, results, strict=True)}
            check_seconds = time.perf_counter() - began
        finally:
            engines.close()
        text = {s: r.text for s, r in zip(segments, results, strict=True)}
        bad = {s for s, ref in zip(sources, references, strict=True) if metric.sentence_score(text[s], [ref]).score < BAD_CHRF}
        flagged = {s for s in sources if notes[s].flagged}
        raised = {s for s in sources if notes[s].signals}
        rows.append(
            {
                "lang": language,
                "references": len(sources),
                f"bad (chrF<{BAD_CHRF:g})": len(bad),
                "flagged": len(flagged),
                "precision": _ratio(len(flagged & bad), len(flagged)),
                "recall": _ratio(len(flagged & bad), len(bad)),
                "any signal": len(raised),
                "precision (any)": _ratio(len(raised & bad), len(raised)),
                "recall (any)": _ratio(len(raised & bad), len(bad)),
                "queue front (of 114)": sum(bool(n.flagged) for n in notes.values()),
                "checks ms/sentence": round(1000 * check_seconds / len(segments), 2),
            }
        )
    return rows
