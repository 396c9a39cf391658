"""What independent engines say of a run's new drafts: measures the review queue's prediction reads.

The quality checks (translate/checks/) see the words of a draft; a fluent but wrong
sentence ("A Revolucionarios les gusta Lenin" for "Revolutionaries like Lenin") has
none they can name. Three measures look at meaning and grammar instead, for the
sentences translated in this run only (a reused draft keeps the measures stored with it):

- **roundtrip**: the draft back into the source language through a route independent of
  the forward one where one exists (Spanish → Portuguese with Apertium → English with the
  neural pt→en model; Portuguese straight through the neural model), chrF against the
  source. Through the same rule-based engine it predicts nothing (AUC 0.51–0.58 on the
  readings of issue 24); through the neural model it does (see the bench's "signals").
- **disagreement**: the same source through a second candidate route (`Engines.candidates`,
  one whose first engine differs from the draft's), chrF between the two drafts.
- **agreement**: the problems the do-no-harm judge (translate.run.harm) finds in the draft
  itself: agreement, order, elision, doubled words.

chrF is sacrebleu's (chrF nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no), rounded to one
decimal so the memory's text record stays the same from run to run.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from translate.engines.base import Route
from translate.engines.registry import ENGINES, Engines
from translate.errors import TranslateError
from translate.glossary.model import Glossary


@dataclass(frozen=True)
class CrossRoutes:
    """The routes a language's drafts are checked by: back to the source, and a second way there."""

    back: Route | None = None
    second: Route | None = None

    def specs(self) -> list[str]:
        return [f"{name} {route.spec}" for name, route in (("back", self.back), ("second", self.second)) if route]


@dataclass
class Measured:
    """The measures of each sentence (same order), and what measuring cost."""

    measures: list[dict[str, float]] = field(default_factory=list)
    seconds: float = 0.0
    routes: list[str] = field(default_factory=list)
    problem: str = ""  # why a measure is missing (an engine failed): said in the run's report


def first_engine(route: Route) -> str:
    return route.legs[0].engine if route.legs else route.engine


def _neural(engines: Engines) -> list[str]:
    names = []
    for name in ENGINES:
        try:
            engine = engines.get(name)
        except TranslateError:
            continue
        if engine is not None and engine.neural:
            names.append(name)
    return names


def back_route(engines: Engines, target: str, source: str) -> Route | None:
    """The draft's way back to the source language, through a neural model where one is here: its own pair
    (pt→en), else a rule-based hop into a language it reads (es→pt with Apertium, then pt→en). None without."""
    neural = _neural(engines)
    for name in neural:
        direct = engines.candidates_of(name, target, source)
        if direct:
            return direct[0]
    found: list[Route] = []
    for name in neural:
        engine = engines.get(name)
        for pivot in sorted(engine.sources() if engine else ()):
            if pivot in (target, source):
                continue
            for tail in engines.candidates_of(name, pivot, source):
                for head in engines.candidates(target, pivot):
                    if head.legs or head.engine in neural or set(head.steps[:-1]) & set(tail.steps[1:]):
                        continue
                    try:
                        found.append(Route.chain([head, tail]))
                    except ValueError:
                        continue
    return min(found, key=lambda r: len(r.steps), default=None)


def second_route(engines: Engines, route: Route) -> Route | None:
    """Another candidate route for the same pair, one whose first engine differs from the draft's where
    possible (the shortest such), so that the two drafts share as little as can be."""
    others = [r for r in engines.candidates(route.source, route.target) if r.spec != route.spec]
    independent = [r for r in others if first_engine(r) != first_engine(route)]
    return min(independent or others, key=lambda r: len(r.steps), default=None)


def cross_routes(engines: Engines, route: Route) -> CrossRoutes:
    return CrossRoutes(back_route(engines, route.target, route.source), second_route(engines, route))


def chrf(hypothesis: str, reference: str) -> float:
    from sacrebleu.metrics import CHRF  # sacrebleu takes ~0.1 s to import: only when a run measures

    return round(CHRF().sentence_score(hypothesis, [reference]).score, 1)


def measure(
    engines: Engines,
    route: Route,
    sources: Sequence[str],
    drafts: Sequence[str],
    glossary: Glossary,
    routes: CrossRoutes | None = None,
) -> Measured:
    """Each draft's roundtrip, disagreement and agreement measures (those that could be taken); `routes`: the
    ones the run's coordinator chose (a cluster worker measures along them), else chosen here."""
    from translate.run.harm import judge_for  # the analyser: only when a run has drafts to measure

    began = time.perf_counter()
    routes = routes if routes is not None else cross_routes(engines, route)
    result = Measured([{} for _ in sources], routes=routes.specs())
    problems = []
    if sources:
        for key, through, texts, against in (
            ("roundtrip", routes.back, drafts, sources),
            ("disagreement", routes.second, sources, drafts),
        ):
            if through is None:
                continue
            scores, problem = _chrf_through(engines, through, texts, against)
            for found, score in zip(result.measures, scores, strict=False):
                found[key] = score
            problems += [f"{key} through {through.spec}: {problem}"] if problem else []
        try:
            judge = judge_for(engines.engine_for(route), route, glossary)
            for found, tokens in zip(result.measures, judge.tokens(list(drafts)), strict=True):
                found["agreement"] = float(len(judge.issues(tokens)))
        except (TranslateError, OSError) as err:
            problems.append(f"agreement: {err}")
    result.problem = "; ".join(problems)
    result.seconds = round(time.perf_counter() - began, 2)
    return result


def _chrf_through(engines: Engines, route: Route, texts: Sequence[str], against: Sequence[str]) -> tuple[list[float], str]:
    """Each text along `route`, scored by chrF against its counterpart; or no scores and why not."""
    try:
        out = engines.engine_for(route).translate(list(texts), route)
    except TranslateError as err:
        return [], str(err)
    return [chrf(text, other) for text, other in zip(out, against, strict=True)], ""
