"""LibreTranslate's `alternatives`: other translations of a text, from the engine's n-best list.

LibreTranslate asks its model for n + 1 hypotheses of the whole text and
returns all but the first. Here a text is cut into sentences and each is
pinned by the glossary, so an alternative is built sentence by sentence: the
k-th alternative takes each sentence's k-th other hypothesis (or keeps the
main translation where the sentence has fewer). A hypothesis that does not
render the glossary's pinned terms is never offered (a reviewed term must not
come back unpinned through a side door), and an approved sentence stays the
approved text in every alternative. Each is finished in the target's
typography, as the main text is.

Only engines with an n-best list offer any (Argos: the beam gives them, widened
for the call when more are asked than it holds, as LibreTranslate asks its
model for n + 1 hypotheses); Apertium has one translation, so its alternatives
are `[]`, which LibreTranslate's clients already accept (it may return fewer
than asked). How many a request may ask is `api.alternatives_limit`, as
LibreTranslate's `--alternatives-limit`. As in LibreTranslate, format=html
gets none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from translate.engines.base import Engine, Route
from translate.glossary.compliance import check_compliance
from translate.glossary.model import Glossary
from translate.run.finishing import finished_text
from translate.segment import Document


def other_hypotheses(
    engine: Engine, route: Route, glossary: Glossary, sentences: Sequence[str], main: dict[str, str], wanted: int
) -> dict[str, list[str]]:
    """Per sentence, up to `wanted` distinct finished hypotheses other than its main translation,
    each rendering the pinned terms (in an engine thread, holding the engine)."""
    if not sentences or wanted < 1 or engine.max_hypotheses() < 2:
        return {}
    lists = engine.translate_nbest(list(sentences), route, wanted + 1)
    found: dict[str, list[str]] = {}
    for sentence, hypotheses in zip(sentences, lists):
        kept: list[str] = []
        for hypothesis in hypotheses:
            if check_compliance(sentence, hypothesis, glossary, route.source, route.target):
                continue
            text = finished_text(hypothesis, route.target, sentence, set())
            if text != main[sentence] and text not in kept:
                kept.append(text)
        found[sentence] = kept[:wanted]
    return found


def text_alternatives(
    document: Document, target: str, main: Callable[[str], str], others: dict[str, list[str]], wanted: int
) -> list[str]:
    """The text's alternatives: the k-th takes each sentence's k-th other hypothesis."""
    depth = max((len(others.get(s.text, ())) for s in document.segments), default=0)
    rendered = document.render({s.index: main(s.text) for s in document.segments}, target)
    out: list[str] = []
    for k in range(min(depth, wanted)):
        choice = {}
        for segment in document.segments:
            options = others.get(segment.text, ())
            choice[segment.index] = options[k] if k < len(options) else main(segment.text)
        text = document.render(choice, target)
        if text != rendered and text not in out:
            out.append(text)
    return out
