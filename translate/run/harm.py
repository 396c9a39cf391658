"""Do no harm: a sentence the glossary layer made worse than its engine is not shipped.

Every sentence the layer changed is compared with the raw engine's on the same
route (the installed engine, without the glossary's words: `Engine.without_glossary`)
by `translate.finish.damage`, with the target language's own analyser. Where the
layer's version breaks something the raw engine had right (agreement, word
order, elision, a possessive, casing), the next candidate is tried: the
engine's own sentence with the glossary in its dictionaries (Apertium), then
the raw engine's sentence, all compared as finishing will deliver them. The
kept sentence carries the glossary terms it lacks as violations (the glossary
signal a reviewer sees, with the expected term) and `harm` says what the
layer's version would have broken: a reviewer fixes a word faster than a
broken sentence. Measured in `make bench`, section "damage".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from translate.engines.base import Engine, Route
from translate.errors import TranslateError
from translate.finish import finish
from translate.finish.damage import Judge
from translate.glossary.compliance import check_compliance
from translate.glossary.model import Glossary
from translate.glossary.pinning import PinnedResult, follow_glossary_case
from translate.markup import strip_markers

CHECKED = True
"""Switched off only by `make bench`, which measures the drafts with and without the comparison."""


@cache
def _apertium():
    from translate.engines.apertium import ApertiumEngine, available  # the analysers come with Apertium's pairs

    return ApertiumEngine() if available() else None


def judge_for(engine: Engine, route: Route, glossary: Glossary) -> Judge:
    """The judge of a route's target language: its analyser and post-generator from the installed Apertium
    pairs (any engine's drafts are judged by them), or a judge of casing and possessives only."""
    from translate.engines.apertium import ApertiumEngine  # (as above)

    apertium = engine.without_glossary() if isinstance(engine, ApertiumEngine) else _apertium()
    analyser = generators = None
    if isinstance(apertium, ApertiumEngine):
        try:
            analyser, generators = apertium.analyser(route.target), apertium.generators_for(route.target)
        except (TranslateError, OSError):  # no pair here tells about this language: judge without morphology
            analyser = generators = None
    adjectives = [t for c in glossary.concepts if c.pos == "adjective" for t in c.terms(route.target)]
    renderings = [t for c in glossary.concepts for t in c.terms(route.target)]
    phrases = [t for c in glossary.concepts if c.pos == "phrase" for t in c.terms(route.target)]
    generator, postgenerator = generators or (None, None)
    return Judge(route.target, analyser, postgenerator, adjectives, renderings, phrases, generator)


def no_harm(
    sentences: Sequence[str],
    results: list[PinnedResult],
    raws: Sequence[str],
    judge: Judge,
    glossary: Glossary,
    source: str,
    target: str,
) -> list[PinnedResult]:
    """Each result, or the engine's sentence where the layer's version broke what the raw engine had right."""
    if not CHECKED:
        return results
    out = list(results)
    finished = {
        text: finish(strip_markers(text), target) for text in {*raws, *(r.text for r in results), *(r.plain for r in results)}
    }
    cases = [(s, finished[raw], finished[r.text], ()) for s, r, raw in zip(sentences, results, raws, strict=True)]
    todo = [i for i, (_, raw, text, _) in enumerate(cases) if raw != text]
    written = [[strip_markers(t) for t in (results[i].plain, results[i].engine_text) if t] for i in todo]
    verdicts = dict(zip(todo, judge.judge_many([cases[i] for i in todo], written), strict=True))
    second = [
        i for i, v in verdicts.items() if v.broken and results[i].plain and results[i].plain not in (raws[i], results[i].text)
    ]
    again = judge.judge_many(
        [(sentences[i], finished[raws[i]], finished[results[i].plain], ()) for i in second],
        [[strip_markers(results[i].plain)] for i in second],
    )
    plains = dict(zip(second, again, strict=True))
    for i, verdict in verdicts.items():
        if not verdict.broken:
            continue
        sentence, result = sentences[i], results[i]
        if i in plains and not plains[i].broken:
            text, method = result.plain, "engine"
        else:
            text, method = raws[i], "raw"
        text = follow_glossary_case(text, sentence, glossary, source, target)
        violations = check_compliance(sentence, text, glossary, source, target)
        out[i] = replace(
            result,
            text=text,
            violations=violations,
            flagged=result.flagged or bool(violations),
            method=method,
            engine_text=text,
            harm=verdict.describe(),
        )
    return out
