"""What a run does with sentences an engine cannot be trusted with, so that none is shipped silently.

Two guards sit around every engine call of a run (`guarded_translation`):

- Over-long sentences (more than `limits.max_sentence_words`; in Chinese or
  Japanese each letter counts as a word) are cut at their clause boundaries
  (, ; : and their CJK forms) into pieces under the limit, translated piece by
  piece and joined again. A sentence with a clause still over the limit is not
  sent at all. Measured on the zh→en model: a 1,500-character sentence sent
  whole looped for 169 s; cut into pieces of 200 characters, each piece took
  about 2 s and read as a translation.
- A neural engine's output is checked (`engines.degeneration`); a degenerate
  one is asked again once with the engine's safer settings, and if that is
  degenerate too the sentence is left untranslated.

A sentence left untranslated keeps its source text, is flagged, and carries
the reason (`Guarded.left_untranslated`): the run stores it in the sentence's
notes, the PO file shows it to the reviewer, the report counts it, and
`translate text` warns on stderr.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from translate.engines.base import Engine, Route
from translate.engines.clauses import clause_pieces, join_pieces
from translate.engines.degeneration import degeneration
from translate.languages import is_unspaced
from translate.memory.notes import GlossaryViolation


@dataclass
class Guarded:
    """A sentence's translation as the glossary layer made it (a PinnedResult's fields), and what the guards did:
    the reason it was left untranslated, if it was."""

    text: str
    terms: tuple[str, ...] = ()
    violations: list[GlossaryViolation] = field(default_factory=list)
    flagged: bool = False
    method: str = "plain"
    engine_text: str = ""
    unplaced_quotes: tuple[str, ...] = ()
    left_untranslated: str = ""
    unplaced_markup: tuple[str, ...] = ()  # markup the engine lost, put back at the sentence's end
    harm: str = ""  # what the glossary layer's version would have broken (translate.run.harm)
    quotation: str = ""  # the edition of a published translation taken as it stands (glossary [[quotation]])
    plain: str = ""  # the engine's own translation of the whole sentence (with the glossary in its dictionaries)

    @classmethod
    def of(cls, result: Any) -> Guarded:
        """A PinnedResult as it came from the glossary layer (pinning is imported only when an engine runs)."""
        return cls(
            result.text,
            tuple(result.terms),
            list(result.violations),
            result.flagged,
            result.method,
            result.engine_text,
            tuple(result.unplaced_quotes),
            harm=result.harm,
            plain=result.plain,
            unplaced_markup=tuple(result.unplaced_markup),
        )


@dataclass
class _Pieces:
    """The sentences of one engine job as the pieces actually sent, and where each sentence's pieces are."""

    sent: list[str] = field(default_factory=list)
    spans: list[tuple[int, int] | None] = field(default_factory=list)  # None: not sent (a clause over the limit)


def _cut(sentences: list[str], language: str, max_words: int) -> _Pieces:
    pieces = _Pieces()
    for sentence in sentences:
        cut = clause_pieces(sentence, language, max_words)
        if cut is None:
            pieces.spans.append(None)
            continue
        pieces.spans.append((len(pieces.sent), len(pieces.sent) + len(cut)))
        pieces.sent += cut
    return pieces


Batch = Callable[[list[str]], list[str]]
NBest = Callable[[list[str]], list[list[str]]]


@dataclass
class DegenerationGuard:
    """Wraps a neural engine's calls: degenerate outputs are asked again once, with the engine's safer settings.

    Texts still degenerate after that come back empty (so the glossary step never
    takes them for a translation) and are noted in `gave_up` with the reason. An
    engine that is not neural passes through untouched.
    """

    engine: Engine
    route: Route
    max_ratio: float
    gave_up: dict[str, str] = field(default_factory=dict)

    def reason(self, text: str, output: str) -> str | None:
        return degeneration(text, output, self.route.source, self.route.target, self.max_ratio)

    def batch(self, call: Batch) -> Batch:
        if not self.engine.neural:
            return call

        def checked(texts: list[str]) -> list[str]:
            outputs = list(call(texts))
            bad = [i for i, (text, out) in enumerate(zip(texts, outputs)) if self.reason(text, out)]
            for i, again in zip(bad, self._again([texts[i] for i in bad])):
                outputs[i] = again
            return outputs

        return checked

    def nbest(self, call: NBest) -> NBest:
        """The same for n-best lists: degenerate hypotheses are dropped; a sentence left with none is asked again."""
        if not self.engine.neural:
            return call

        def checked(texts: list[str]) -> list[list[str]]:
            lists = [[h for h in hypotheses if not self.reason(text, h)] for text, hypotheses in zip(texts, call(texts))]
            bad = [i for i, hypotheses in enumerate(lists) if not hypotheses]
            for i, again in zip(bad, self._again([texts[i] for i in bad])):
                lists[i] = [again]
            return lists

        return checked

    def _again(self, texts: list[str]) -> list[str]:
        """One safer attempt per text: its output, or "" (and the reason in gave_up) if that degenerates too."""
        if not texts:
            return []
        outputs = []
        for text, out in zip(texts, self.engine.translate_safely(texts, self.route)):
            reason = self.reason(text, out)
            if reason:
                self.gave_up[text] = reason
            outputs.append("" if reason else out)
        return outputs


def guarded_translation(
    sentences: list[str],
    engine: Engine,
    route: Route,
    translate: Callable[[list[str], DegenerationGuard], list[Any]],
    max_words: int,
    max_ratio: float,
) -> list[Guarded]:
    """Translate `sentences` with both guards around `translate(pieces, guard)` (the glossary step).

    Returns one `Guarded` per sentence: its pieces' translations joined, or its
    source text, flagged, with the reason it was left untranslated.
    """
    pieces = _cut(sentences, route.source, max_words)
    guard = DegenerationGuard(engine, route, max_ratio)
    results = [Guarded.of(r) for r in translate(pieces.sent, guard)] if pieces.sent else []
    joiner = "" if is_unspaced(route.target) else " "
    out: list[Guarded] = []
    for sentence, span in zip(sentences, pieces.spans):
        if span is None:
            reason = f"longer than {max_words} words with no clause boundary to cut it at (limits.max_sentence_words)"
            out.append(Guarded(text=sentence, flagged=True, method="untranslated", left_untranslated=reason))
            continue
        parts = results[span[0] : span[1]]
        reasons = [guard.gave_up[piece] for piece in pieces.sent[span[0] : span[1]] if piece in guard.gave_up]
        if reasons:
            out.append(Guarded(text=sentence, flagged=True, method="untranslated", left_untranslated=reasons[0]))
        elif len(parts) == 1:
            out.append(parts[0])
        else:
            out.append(
                Guarded(
                    text=join_pieces(pieces.sent[span[0] : span[1]], [part.text for part in parts], route.target),
                    terms=tuple(term for part in parts for term in part.terms),
                    violations=[violation for part in parts for violation in part.violations],
                    flagged=any(part.flagged for part in parts),
                    method="pieces",
                    engine_text=joiner.join(part.engine_text for part in parts),
                    unplaced_quotes=tuple(quote for part in parts for quote in part.unplaced_quotes),
                    unplaced_markup=tuple(m for part in parts for m in part.unplaced_markup),
                    harm="; ".join(part.harm for part in parts if part.harm),
                    plain=joiner.join(part.plain or part.text for part in parts),
                )
            )
    return out
