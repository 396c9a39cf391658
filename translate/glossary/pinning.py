"""Pinning glossary terms through a machine translation engine.

Engines mistranslate terms of art (剩余价值 "surplus value" comes out as "the
remaining value"). Before translation a matched source term is replaced by a
placeholder the engine passes through untouched (`XT1`); afterwards the pinned
target term is put back. Engines sometimes drop or mangle a placeholder, so
every result is checked, retried with another placeholder shape, and otherwise
repaired or flagged for review: a placeholder never reaches a reader.

Masking also costs grammar (the engine cannot inflect or agree with what it
cannot see), so by default a sentence is first translated as is and pinned only
when the check finds a glossary term missing ("check-first"); any rendering the
glossary accepts (a variant, an inflection) counts, so the engine's own agreeing
form stays. A masked noun's determiners agree with its gender and number
(agreement.py). Adjectives are never masked alone ("capitaliste pays"): their
noun phrases are concepts, and a bare one is swapped in place (swapping.py). A neural engine's
n-best list costs nothing more: the best hypothesis carrying every pinned term is
kept, and only sentences with none go to the masked retry (`make bench`, "zhen").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from translate.errors import EngineError
from translate.glossary.agreement import agree_with_renderings, repair
from translate.glossary.compliance import check_compliance, target_regex
from translate.glossary.matching import matcher
from translate.glossary.model import Concept, Glossary
from translate.glossary.swapping import OPENING, swap_renderings, term_rendering
from translate.memory.notes import GlossaryViolation

# Order measured with bench/placeholders.py on the essays (sentences with every
# placeholder back): XT1 survives every Apertium route but en-gl (which splits
# 'XT1' when it reorders a modifier, 29/40) and 7/8 on the zh->en model; '#1'
# fails where XT1 does not (es-fr 34/40, en-eo 37/40: "#1's" is torn apart) and
# keeps 8/8 on zh->en; TERM1 is translated by en-gl (PRAZO1); '{1}', '<1>', '⟦1⟧'
# are dropped by the zh->en model (0-2/8). Retries take the next shapes in order.
DEFAULT_SHAPES: tuple[str, ...] = ("XT1", "#1", "TERM1", "@1", "ZX1Z", "[1]", "{1}", "<1>", "⟦1⟧")

# Every shape measured; any of them left in an output means a placeholder leaked.
KNOWN_SHAPES_TEXT: tuple[str, ...] = DEFAULT_SHAPES + ("__1__", "%1")

Strategy = Literal["check-first", "mask-first"]
TranslateBatch = Callable[[list[str]], list[str]]
TranslateNBest = Callable[[list[str]], list[list[str]]]
"""Up to n translations per sentence, best first (an engine's n-best list)."""

_AN = re.compile(r"(?<![\w])([Aa])n? $")


@dataclass(frozen=True)
class Shape:
    """A placeholder shape written with '1' where the number goes: 'XT1', '{1}'."""

    prefix: str
    suffix: str

    @classmethod
    def parse(cls, shape: str) -> Shape:
        if shape.count("1") != 1 or any(c.isdigit() for c in shape.replace("1", "")):
            raise ValueError(f"placeholder shape {shape!r} needs exactly one '1' marking the number")
        prefix, suffix = shape.split("1")
        return cls(prefix, suffix)

    def __str__(self) -> str:
        return f"{self.prefix}1{self.suffix}"

    def render(self, n: int) -> str:
        return f"{self.prefix}{n}{self.suffix}"

    def pattern(self, n: int | None = None) -> re.Pattern[str]:
        """Tolerant regex for the placeholder (`None`: any number): case and a space
        inside may change (`xt 1`, `{ 1 }`), the token itself may not."""
        number = r"\d+" if n is None else str(n)
        left = r"(?<![A-Za-z0-9])" if self.prefix[:1].isalnum() or not self.prefix else ""
        body = re.escape(self.prefix) + r"\s?" + number + (r"\s?" + re.escape(self.suffix) if self.suffix else "")
        right = r"(?![0-9])" if not self.suffix else ""
        return re.compile(left + body + right, re.IGNORECASE)


@dataclass(frozen=True)
class Pin:
    concept: str
    index: int
    source_text: str  # the term as matched in the source
    target: str  # the pinned target term
    grammar: str = ""  # its gender and number ('f', 'mp'), for the determiners before it
    variants: tuple[str, ...] = ()  # every rendering the glossary accepts (an adjective's genders and numbers)


@dataclass(frozen=True)
class MaskedSentence:
    source: str
    text: str  # what the engine gets
    shape: Shape | None  # None when nothing was masked
    pins: tuple[Pin, ...] = ()


@dataclass
class PinnedResult:
    text: str  # the final translation, never with a placeholder
    terms: tuple[str, ...] = ()  # concept ids pinned through placeholders
    violations: list[GlossaryViolation] = field(default_factory=list)
    flagged: bool = False  # a reviewer must look: a glossary term is still missing
    method: str = "plain"  # plain | n-best | masked | retry | substituted | unmasked
    engine_text: str = ""  # what the engine returned for the attempt kept (placeholders and all), for its marks
    unplaced_quotes: tuple[str, ...] = ()  # quoted source words whose quotation marks could not follow them
    unplaced_markup: tuple[str, ...] = ()  # markup the engine lost, put back at the sentence's end (translate/markup.py)
    plain: str = ""  # the engine's own translation of the whole sentence (its first, unmasked one)
    harm: str = ""  # why the layer's version was not kept: what it broke (translate.run.harm)


KNOWN_SHAPES: tuple[Shape, ...] = tuple(Shape.parse(s) for s in KNOWN_SHAPES_TEXT)


def pinned_target(concept: Concept, matched: str, target: str) -> str | None:
    """The target term for a matched source term; names without a spelling stay as written."""
    term = concept.preferred(target)
    if term is None and not concept.translate:
        return matched
    return term


def mask(
    sentence: str,
    glossary: Glossary,
    source: str,
    target: str,
    shape: str | Shape = "XT1",
    only: set[str] | None = None,
    adjectives: bool = False,
) -> MaskedSentence:
    """Replace each glossary term (longest first) by a numbered placeholder.

    `only` limits masking to some concept ids (the ones a check found missing).
    Adjectives are left to the engine unless `adjectives` (their pins are then
    listed for swapping, see `swap_renderings`).
    """
    shape = Shape.parse(shape) if isinstance(shape, str) else shape
    pins: list[Pin] = []
    pieces: list[str] = []
    last = 0
    for match in matcher(glossary, source).find(sentence):
        if only is not None and match.concept.id not in only:
            continue
        if (match.concept.pos == "adjective") != adjectives:
            continue
        target_term = pinned_target(match.concept, match.text, target)
        if target_term is None:
            continue
        termset = match.concept.languages.get(target)
        grammar = termset.grammar_of(target_term) if termset else ""
        pin = Pin(match.concept.id, len(pins) + 1, match.text, target_term, grammar, termset.terms if termset else (target_term,))
        pins.append(pin)
        pieces += [sentence[last : match.start], shape.render(pin.index)]
        last = match.end
    if not pins:
        return MaskedSentence(sentence, sentence, None)
    pieces.append(sentence[last:])
    return MaskedSentence(sentence, "".join(pieces), shape, tuple(pins))


_GLUED = re.compile(r"[^\W\d_]{1,3}(?!\w)")


def unmask(translation: str, masked: MaskedSentence, shapes: Sequence[Shape] = (), target: str = "") -> str | None:
    """Put pinned terms back; None when a placeholder was lost, duplicated or mangled."""
    if masked.shape is None:
        return translation
    text = translation
    for pin in masked.pins:
        found = list(masked.shape.pattern(pin.index).finditer(text))
        if len(found) != 1:
            return None
        start, end = found[0].span()
        glued = _GLUED.match(text, end)
        if glued and not masked.shape.suffix:  # the engine inflected the placeholder (XT1s): the term is pinned as is
            end = glued.end()
        term = pin.target
        if not text[:start].strip(OPENING):  # sentence start: capitalise, and the engine took the next word for
            term = term[:1].upper() + term[1:]  # the sentence's first ("XT1 Está producido"): its case as in the source
            after = re.match(r"(\s+)([^\W\d_])([^\W\d_]*)", text[end:])
            if after and after.group(2).isupper() and not _capitalised_in(masked.source, after.group(2) + after.group(3)):
                text = text[:end] + after.group(1) + after.group(2).lower() + text[end + after.end(2) :]
        before = _repair_across_formatting(text[:start], term, pin.grammar, target)
        if target == "en":  # the engine chose a/an for a placeholder, not for the term
            article = "n " if term[:1].lower() in "aeiou" else " "
            before = _AN.sub(rf"\g<1>{article}", before)
        text = before + term + text[end:]
    for shape in {masked.shape, *shapes}:
        if shape.pattern().search(text) and not shape.pattern().search(masked.source):
            return None
    return text


_OPENINGS_AT_END = re.compile("(?:\\s*[\ue400-\ue7ff])+\\s*$")


def _repair_across_formatting(before: str, term: str, grammar: str, target: str) -> str:
    """The determiners before a term made to agree with it, across the formatting that opens on the term
    ("Le <b>plus-value</b>" → "La <b>plus-value</b>": translate/markup.py's markers are not words)."""
    openings = _OPENINGS_AT_END.search(before)
    if openings is None:
        return repair(before, term, grammar, target)
    tail = before[openings.start() :]
    space = tail[: len(tail) - len(tail.lstrip())]
    return repair(before[: openings.start()] + space, term, grammar, target) + tail[len(space) :]


def _capitalised_in(source: str, word: str) -> bool:
    """Whether a word (a name: 'Marx') is written capitalised in the source, past its first word."""
    words = re.findall(r"[^\W\d_]+", source)[1:]
    return word in words or word.isupper()


_OPENER = re.compile(r"[.!?…:«“„‘\"(\[—–]\s*$")


def _opens(before: str) -> bool:
    """Whether a word after `before` opens a sentence, a quotation or a parenthesis."""
    return not before.strip(OPENING) or bool(_OPENER.search(before))


def follow_glossary_case(text: str, sentence: str, glossary: Glossary, source: str, target: str) -> str:
    """Each rendering of a term the sentence names, in the glossary's case where it does not open the
    sentence: an engine copies the source's capitals ("Invisible Hand" → "Mano Invisible", "*El Capital*")
    where the glossary writes "mano invisible", "El capital". Its inflected ending is kept. A name kept as
    written is written as the source writes it ("de marx" → "de Marx")."""
    for match in matcher(glossary, source).find(sentence):
        renderings = match.concept.terms(target) or ((match.text,) if not match.concept.translate else ())
        for term in renderings:
            if term.isupper() or term.lower() == term.upper():
                continue
            for found in list(target_regex(term, target).finditer(text)):
                written = found.group()
                if _opens(text[: found.start()]) or written == term[: len(written)]:
                    continue
                cased = "".join(t if w.lower() == t.lower() else w for w, t in zip(written, term, strict=False))
                cased += written[len(term) :]
                if cased != written:
                    text = text[: found.start()] + cased + text[found.end() :]
    return text


def _usable(shapes: Sequence[Shape], sentence: str) -> list[Shape]:
    """Shapes that do not already occur in the sentence (a '#1' in the text itself)."""
    return [shape for shape in shapes if not shape.pattern().search(sentence)]


def translate_pinned(
    sentences: list[str],
    translate_batch: TranslateBatch,
    glossary: Glossary,
    source: str,
    target: str,
    shapes: Sequence[str] = DEFAULT_SHAPES,
    strategy: Strategy = "check-first",
    translate_nbest: TranslateNBest | None = None,
    pivots: Sequence[str] = (),
    attempts: int | None = None,
) -> list[PinnedResult]:
    """Translate sentences so every glossary term comes out as its pinned rendering.

    At most two engine calls: one with every sentence, one with only the
    sentences that need another attempt. "check-first" translates plainly (with
    `translate_nbest`, when given, keeping the best hypothesis that carries every
    term), then masks the terms a sentence still got wrong; "mask-first" masks
    every term up front. A lost placeholder is retried with the next shapes in the same second
    call; failing that the plain translation is repaired by swapping the engine's
    rendering of the term, and failing that the segment is flagged. On a route through
    `pivots` (en→pt_BR→es), a term a later hop passed through in the pivot's own words
    (Apertium's pt→es leaves "dialético", which it does not know) is swapped for the
    target's term (`swap_pivot_terms`). `attempts`: masked attempts per sentence in the second
    call (default: one with an n-best list, else two).
    """
    if not sentences:
        return []
    parsed = [Shape.parse(s) for s in shapes]
    if not parsed:
        raise ValueError("no placeholder shapes given")
    if strategy not in ("check-first", "mask-first"):
        raise ValueError(f"unknown strategy {strategy!r}")
    job = _Pinning(list(sentences), translate_batch, glossary, source, target, parsed, translate_nbest, tuple(pivots), attempts)
    if strategy == "mask-first":
        todo = job.first_masked()
    else:
        todo = job.first_plain()
    if todo:
        job.retry(todo)
    return [r for r in job.results if r is not None]


@dataclass
class _Pinning:
    """One `translate_pinned` call: its sentences, engine, glossary and pair, and what is known so far."""

    sentences: list[str]
    translate_batch: TranslateBatch
    glossary: Glossary
    source: str
    target: str
    shapes: list[Shape]
    translate_nbest: TranslateNBest | None = None
    pivots: tuple[str, ...] = ()
    attempts: int | None = None
    results: list[PinnedResult | None] = field(default_factory=list)
    plains: dict[int, str] = field(default_factory=dict)  # plain translations, by sentence number
    first_shape: dict[int, Shape] = field(default_factory=dict)  # the shape a first masked attempt used

    def __post_init__(self) -> None:
        self.results = [None] * len(self.sentences)

    def call(self, batch: list[str]) -> list[str]:
        out = list(self.translate_batch(batch))
        if len(out) != len(batch):
            raise EngineError(f"engine returned {len(out)} translations for {len(batch)} sentences")
        return out

    def mask(self, sentence: str, shape: str | Shape, only: set[str] | None = None, adjectives: bool = False) -> MaskedSentence:
        return mask(sentence, self.glossary, self.source, self.target, shape, only, adjectives)

    def result(
        self,
        i: int,
        text: str,
        pins: Sequence[Pin],
        method: str,
        engine_text: str,
        violations: list[GlossaryViolation] | None = None,
    ) -> PinnedResult:
        if violations is None:
            violations = check_compliance(self.sentences[i], text, self.glossary, self.source, self.target)
        terms = tuple(dict.fromkeys(pin.concept for pin in pins))
        text = self.tidy(i, text)
        plain = self.tidy(i, self.plains[i]) if i in self.plains else ""
        return PinnedResult(
            text=text,
            terms=terms,
            violations=violations,
            flagged=bool(violations),
            method=method,
            engine_text=engine_text,
            plain=plain,
        )

    def tidy(self, i: int, text: str) -> str:
        """A translation of sentence `i` with the determiners before every rendering agreeing with it and
        each rendering in the glossary's case (what the engine wrote itself as much as what was unmasked)."""
        sentence = self.sentences[i]
        text = agree_with_renderings(text, sentence, self.glossary, self.source, self.target)
        return follow_glossary_case(text, sentence, self.glossary, self.source, self.target)

    def first_plain(self) -> dict[int, set[str] | None]:
        """First call, check-first: every sentence as is; returns the ones missing a term, with those terms.

        With an n-best list, a lower-ranked hypothesis that carries every term is
        kept before any masking (grammar intact, no second call).
        """
        if self.translate_nbest is not None:
            lists = list(self.translate_nbest(list(self.sentences)))
            if len(lists) != len(self.sentences) or any(not hypotheses for hypotheses in lists):
                raise EngineError(f"engine returned {len(lists)} n-best lists for {len(self.sentences)} sentences")
        else:
            lists = [[text] for text in self.call(list(self.sentences))]
        todo: dict[int, set[str] | None] = {}
        for i, sentence in enumerate(self.sentences):
            self.plains[i] = lists[i][0]
            missing: set[str] | None = None
            for rank, hypothesis in enumerate(lists[i]):
                violations = check_compliance(sentence, hypothesis, self.glossary, self.source, self.target)
                if not violations:
                    method = "plain" if rank == 0 else "n-best"
                    text = agree_with_renderings(hypothesis, sentence, self.glossary, self.source, self.target)
                    self.results[i] = self.result(i, text, (), method, hypothesis, violations)
                    break
                if missing is None:
                    missing = {v.concept for v in violations}
            else:
                todo[i] = missing
        return todo

    def first_masked(self) -> dict[int, set[str] | None]:
        """First call, mask-first: every term masked; returns the sentences whose placeholders were lost."""
        first = []
        for i, sentence in enumerate(self.sentences):
            usable = _usable(self.shapes, sentence)
            masked = self.mask(sentence, usable[0]) if usable else None
            first.append(masked or MaskedSentence(sentence, sentence, None))
            if masked and masked.shape:
                self.first_shape[i] = masked.shape
        todo: dict[int, set[str] | None] = {}
        for i, (masked, out) in enumerate(zip(first, self.call([m.text for m in first]), strict=True)):
            text = unmask(out, masked, self.shapes, self.target)
            if text is not None:
                self.results[i] = self.result(i, text, masked.pins, "masked" if masked.pins else "plain", out)
            else:
                todo[i] = None
        return todo

    def retry(self, todo: dict[int, set[str] | None]) -> None:
        """The second engine call. Per sentence: a masked attempt with another shape (only the
        missing terms, if known), its plain form if not translated yet, each term on its own (to
        repair by swapping), and without an n-best list one more attempt masking every term with
        a third shape (it saves 3 of 27 flagged segments on Apertium); with one, the masked
        attempt's hypotheses are the further chances, at no extra cost."""
        batch: list[str] = []
        plans: dict[int, _RetryPlan] = {}
        attempts_each = self.attempts or (1 if self.translate_nbest is not None else 2)
        for i, only in todo.items():
            sentence = self.sentences[i]
            candidates = [s for s in _usable(self.shapes, sentence) if s != self.first_shape.get(i)][:attempts_each]
            scopes = [only, None] if only is not None else [None, None]
            attempts = [
                self.mask(sentence, shape, scope) for shape, scope in zip(candidates, scopes[: len(candidates)], strict=True)
            ]
            attempts = [m for m in attempts if m.pins]
            pins = attempts[0].pins if attempts else self.mask(sentence, "XT1", only).pins
            adjectives = self.mask(sentence, "XT1", only, adjectives=True).pins
            plans[i] = _RetryPlan(
                attempts=[(m, _push(batch, m.text)) for m in attempts],
                pins=pins,
                plain=None if i in self.plains else _push(batch, sentence),
                terms={pin.concept: _push(batch, pin.source_text) for pin in (*pins, *adjectives)},
                adjectives=adjectives,
            )
        lists: list[list[str]] = []
        if batch and self.translate_nbest is not None:
            lists = list(self.translate_nbest(batch))
            if len(lists) != len(batch) or any(not hypotheses for hypotheses in lists):
                raise EngineError(f"engine returned {len(lists)} n-best lists for {len(batch)} sentences")
        elif batch:
            lists = [[text] for text in self.call(batch)]
        for i, plan in plans.items():
            best = None
            for masked, at in plan.attempts:
                for hypothesis in lists[at]:
                    text = unmask(hypothesis, masked, self.shapes, self.target)
                    if text is None:
                        continue
                    result = self.result(i, text, masked.pins, "retry", hypothesis)
                    if best is None or len(result.violations) < len(best.violations):
                        best = result
                    if not result.violations:
                        break
            renderings = {c: term_rendering(lists[at][0], self.target) for c, at in plan.terms.items()}
            if best is None:
                plain = self.plains[i] if plan.plain is None else lists[plan.plain][0]
                text, fixed = swap_renderings(plain, (*plan.pins, *plan.adjectives), renderings, self.target)
                pins = tuple(p for p in (*plan.pins, *plan.adjectives) if p.concept in fixed)
                best = self.result(i, text, pins, "substituted" if fixed else "unmasked", plain)
            elif best.violations and plan.adjectives:  # nouns pinned; a bare adjective swapped in place
                missing = {v.concept for v in best.violations}
                text, fixed = swap_renderings(
                    best.text, [p for p in plan.adjectives if p.concept in missing], renderings, self.target
                )
                if fixed:
                    best = self.result(
                        i, text, (*plan.pins, *(p for p in plan.adjectives if p.concept in fixed)), "retry", best.engine_text
                    )
            if best.violations and self.pivots:
                missing = {v.concept for v in best.violations}
                stranded = [p for p in (*plan.pins, *plan.adjectives) if p.concept in missing]
                text, fixed = swap_pivot_terms(best.text, stranded, self.glossary, self.pivots, self.target)
                if fixed:
                    best = self.result(
                        i,
                        text,
                        (*best_pins(best, plan), *(p for p in stranded if p.concept in fixed)),
                        "pivot-term",
                        best.engine_text,
                    )
            self.results[i] = best


def swap_pivot_terms(
    text: str, pins: Sequence[Pin], glossary: Glossary, pivots: Sequence[str], target: str
) -> tuple[str, list[str]]:
    """Terms a later hop left in a pivot language's words, swapped for the target's pinned ones (in the
    form closest to the one written): returns the text and the concepts fixed."""
    fixed: list[str] = []
    for pin in pins:
        concept = glossary.concept(pin.concept)
        for pivot in pivots:
            for term in sorted(concept.terms(pivot), key=len, reverse=True):
                if term.lower() == pin.target.lower():
                    continue
                text, done = swap_renderings(text, [pin], {pin.concept: term}, target)
                if done:
                    fixed.append(pin.concept)
                    break
            if pin.concept in fixed:
                break
    return text, fixed


def best_pins(result: PinnedResult, plan: _RetryPlan) -> tuple[Pin, ...]:
    """The pins a result already carries (by concept), from a retry plan."""
    return tuple(p for p in (*plan.pins, *plan.adjectives) if p.concept in result.terms)


@dataclass
class _RetryPlan:
    """Where one sentence's second-call texts sit in the batch."""

    attempts: list[tuple[MaskedSentence, int]]  # masked attempts and their batch positions
    pins: tuple[Pin, ...]  # the terms to pin (from the first attempt)
    plain: int | None  # batch position of the plain sentence, if it was not translated yet
    terms: dict[str, int]  # concept id -> batch position of its term alone
    adjectives: tuple[Pin, ...] = ()  # bare adjectives to swap in place (never masked)


def _push(batch: list[str], text: str) -> int:
    batch.append(text)
    return len(batch) - 1
