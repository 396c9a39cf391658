"""The run stage: texts → segments → memory plan → glossary mask → engine → memory.

A `LanguageRun` is one target language of `translate run`: it collects the
sentences of its texts, reuses what the translation memory already holds
(human-approved text first), sends only new or stale sentences to the engine in
one batched call, and stores the results. `translate.run.runner` drives the
languages of a run (several at once) and hands each stored one to `deliver`.
`translate_text()` is the memory-less path for one file or stdin.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from translate.config import Config, LimitsOptions
from translate.engines.base import Engine, EngineMark, Route
from translate.engines.placeholders import MarkupPlaceholders, carrying_markup
from translate.engines.registry import Engines
from translate.glossary.model import Glossary
from translate.markup import MARKERS, Protected, fence_terms, protect, widen_to_terms
from translate.memory.notes import Notes, Signal
from translate.memory.store import TranslationMemory
from translate.progress import Progress, StartTask, no_progress
from translate.run.guards import DegenerationGuard, Guarded, guarded_translation
from translate.run.report import LanguageResult
from translate.run.signature import Signature
from translate.segment import parse
from translate.texts import SourceText

if TYPE_CHECKING:
    from translate.glossary.pinning import PinnedResult


@dataclass
class LanguageRun:
    """One target language of one run: what the run stage needs, and what it hands on.

    The run stage fills `engine`, `route` and `signature`, translates what the
    memory lacks and stores it, and counts what it did in `result`; `deliver`
    then finds every sentence of `texts` in `memory`.
    """

    config: Config
    memory: TranslationMemory
    engines: Engines
    glossary: Glossary
    texts: list[SourceText]
    target: str
    result: LanguageResult
    dry_run: bool = False
    start_task: StartTask = no_progress
    engine: Engine | None = None
    route: Route | None = None
    signature: Signature | None = None
    delivered: list[str] = field(default_factory=list)  # texts whose every file `deliver` wrote as built
    headings: set[str] = field(default_factory=set)  # sentences that are headings (sentence case where written so)
    engine_span: tuple[float, float] | None = None  # perf_counter at the engine's start and end

    @property
    def source(self) -> str:
        return self.config.source_language

    def sentences(self) -> list[str]:
        """The distinct sentences of all texts, in reading order."""
        return list(dict.fromkeys(s.text for t in self.texts for s in t.document.segments))

    def translate(self) -> None:
        """Plan against the memory, translate what is new or stale, store it (nothing when a dry run)."""
        todo = self.plan()
        if todo and not self.dry_run:
            self.store(self.work(todo))

    def plan(self) -> list[str]:
        """Choose engine and route, sign, and ask the memory what is new or stale: the sentences to translate.

        Reads the memory: runs in the thread that owns it.
        """
        from translate.checks import CHECKS_VERSION  # the checks load dictionaries: only for a language with work

        source, target, result = self.source, self.target, self.result
        engine, route = self.engines.choose(source, target)
        native = engine.with_glossary(self.glossary) if ENGINE_TERMS else engine  # the glossary in its dictionaries
        options = native.options()  # changes its output: part of the signature
        signature = Signature.for_route(route, engine.version(), options, self.glossary.version, checks=CHECKS_VERSION)
        self.engine, self.route, self.signature = engine, route, signature
        result.engine, result.route, result.signature = engine.name, route.describe(), str(signature)
        sentences = self.sentences()
        result.segments = len(sentences)
        plan = self.memory.plan(sentences, source, target, str(signature))
        recheck = self.rechecks(plan.stale, signature)
        todo = list(plan.translate) + [s for s in plan.stale if s not in recheck]
        result.reused, result.stale, result.translated = len(plan.reuse), len(plan.stale) - len(recheck), len(todo)
        result.rechecked = len(recheck)
        from translate.run.finishing import heading_sentences, refinished  # typography tables: only with work

        self.headings = heading_sentences(t.document for t in self.texts)
        refresh = refinished(plan.reuse, target, self.headings)
        result.refinished = len(refresh)
        if self.dry_run:
            result.status = "planned"
            return todo
        if refresh:  # finished again by new rules, no engine call (in the thread that owns the memory)
            self.memory.store_machine(refresh, source, target, str(signature))
        if recheck:  # only the checks changed: the stored drafts checked again, no engine call
            self.memory.store_machine(list(recheck.values()), source, target, str(signature))
        return todo

    def rechecks(self, stale: Sequence[str], signature: Signature) -> dict[str, tuple[str, str, Notes]]:
        """The stale sentences whose draft only needs today's checks (the signature differs in the checks'
        version alone, and the memory kept the engine's marks beside the draft), as rows to store.

        A draft stored before the marks were kept is translated again, once."""
        assert self.route is not None
        found: dict[str, tuple[str, str, Notes]] = {}
        if not stale:
            return found
        for sentence, entry in self.memory.lookup(list(stale), self.source, self.target).items():
            notes = entry.notes
            if entry.machine_text is None or notes.engine_marks is None or notes.quotation or not entry.signature:
                continue
            if str(replace(Signature.parse(entry.signature), checks=signature.checks)) != str(signature):
                continue
            found[sentence] = (
                sentence,
                entry.machine_text,
                rechecked_notes(sentence, entry.machine_text, notes, self.route, self.glossary),
            )
        return found

    def work(self, todo: list[str]) -> list[tuple[str, str, Notes]]:
        """Sentences through the engine and the glossary layer, then the quality checks: the rows to store.

        Touches no memory: may run in any thread. The checks' dictionaries load in
        a thread of their own meanwhile (hunspell releases the GIL while it reads
        them: about 0.15 s a language, hidden behind the engine's time).
        """
        assert self.engine is not None and self.route is not None, "plan() first"
        dictionaries = threading.Thread(target=_load_dictionaries, args=(self.route.steps[1:],), daemon=True)
        dictionaries.start()
        advance = self.start_task(f"{self.source}→{self.target} ({self.engine.name})", len(todo))
        began = time.perf_counter()
        calls: list[int] = []
        formats = {s.text: t.document.format for t in reversed(self.texts) for s in t.document.segments}
        pinned = translate_sentences(
            self.engine, self.route, todo, self.glossary, advance, calls, self.config.limits, fmt=formats
        )
        self.engine_span = (began, time.perf_counter())
        self.result.engine_seconds = round(self.engine_span[1] - began, 3)
        self.result.engine_calls = len(calls)
        dictionaries.join()
        rows = []
        from translate.run.finishing import finish_notes, finished_text  # (the same reason as in plan)

        for sentence, outcome in zip(todo, pinned, strict=True):
            draft = outcome.text
            if outcome.quotation:  # a published translation: as it stands, like an approved entry
                rows.append((sentence, outcome.text, Notes(quotation=outcome.quotation, flagged=False)))
                continue
            if not outcome.left_untranslated:  # the source standing in is kept as written
                outcome = replace(outcome, text=finished_text(draft, self.target, sentence, self.headings))
            notes = checked_notes(sentence, outcome, self.engine, self.route, self.glossary)
            notes = finish_notes(notes, draft, outcome.text, self.target)
            if outcome.left_untranslated:
                notes.left_untranslated, notes.flagged = outcome.left_untranslated, True
            rows.append((sentence, outcome.text, notes))
            self.result.flagged += int(bool(notes.flagged))
            self.result.untranslated += int(bool(outcome.left_untranslated))
            self.result.glossary_violations += len(outcome.violations)
            for signal in notes.signals or ():
                self.result.signals[signal.check] = self.result.signals.get(signal.check, 0) + 1
        if self.config.review.crosscheck:
            rows = self.crosscheck(rows)
        if self.result.untranslated:
            self.result.message = "; ".join(
                filter(
                    None,
                    [
                        self.result.message,
                        (f"{self.result.untranslated} sentences left untranslated for a reviewer (see the PO file's comments)"),
                    ],
                )
            )
        return rows

    def crosscheck(self, rows: list[tuple[str, str, Notes]]) -> list[tuple[str, str, Notes]]:
        """The run's new drafts with what independent engines say of them (translate.run.crosscheck), its cost
        in the report. Published translations and sentences left untranslated are not measured."""
        from translate.run.crosscheck import measure  # sacrebleu and a second route: only for a language with work

        assert self.route is not None
        asked = [i for i, (_, _, notes) in enumerate(rows) if not (notes.quotation or notes.left_untranslated)]
        if not asked:
            return rows
        measured = measure(self.engines, self.route, [rows[i][0] for i in asked], [rows[i][1] for i in asked], self.glossary)
        self.result.crosscheck_sentences, self.result.crosscheck_seconds = len(asked), measured.seconds
        self.result.crosscheck_routes = measured.routes
        if measured.problem:
            self.result.warnings.append(f"cross-check incomplete: {measured.problem}")
        out = list(rows)
        for i, found in zip(asked, measured.measures, strict=True):
            sentence, text, notes = rows[i]
            out[i] = (sentence, text, replace(notes, measures=found or None))
        return out

    def store(self, rows: list[tuple[str, str, Notes]]) -> None:
        """The rows `work` made into the memory, in one transaction (in the thread that owns the memory)."""
        assert self.signature is not None
        self.memory.store_machine(rows, self.source, self.target, str(self.signature))


_DICTIONARY_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


def _load_dictionaries(languages: Sequence[str]) -> None:
    """Load the spelling dictionaries a language's checks will ask (its own and its pivots')."""
    from translate.checks.dictionaries import dictionary  # the checks' module: only for a language with work

    for language in languages:
        with _LOCKS_LOCK:
            lock = _DICTIONARY_LOCKS.setdefault(language, threading.Lock())
        with lock:  # two languages through the same pivot load its dictionary once
            dictionary(language)


def checked_notes(sentence: str, outcome: PinnedResult | Guarded, engine: Engine, route: Route, glossary: Glossary) -> Notes:
    """The notes stored with a machine translation: glossary violations, the quality
    checks' signals (with the engine's own marks), and the flag when they add up."""
    from translate.checks import Unit, check_sentence, is_flagged, sentence_words  # (as in LanguageRun.plan)

    marks = engine.marks(route, outcome.engine_text)
    unit = Unit(
        source=sentence,
        target=outcome.text,
        source_lang=route.source,
        target_lang=route.target,
        route=route.steps,
        marks=marks,
        violations=tuple(outcome.violations),
        glossary=glossary,
    )
    signals = check_sentence(unit)
    if outcome.harm:
        expected = tuple(v.expected for v in outcome.violations) or ("(none)",)
        signals.append(Signal("glossary", f"{HARM_REASON} ({outcome.harm})", expected, 1.0))
    if outcome.unplaced_markup:
        signals.append(Signal("markup", "markup the engine lost, put back at the sentence's end", outcome.unplaced_markup, 2.0))
    if outcome.unplaced_quotes:
        signals.append(Signal("quotes", "quotation marks not around the quoted words", outcome.unplaced_quotes, 2.0))
    return Notes(
        violations=list(outcome.violations),
        flagged=is_flagged(signals, sentence_words(unit)),
        signals=signals,
        engine_text=outcome.engine_text if outcome.engine_text and outcome.engine_text != outcome.text else None,
        engine_marks=[(m.kind, m.word, m.hop) for m in marks],
    )


HARM_REASON = "the engine's sentence kept: pinning would break it"
"""The start of the reason the run gives when do-no-harm kept the engine's sentence (translate.run.harm)."""


def rechecked_notes(sentence: str, machine_text: str, notes: Notes, route: Route, glossary: Glossary) -> Notes:
    """A stored draft's notes with today's checks run on it again, from what the memory kept beside it (the
    engine's marks, the glossary's verdict): no engine call. The run's own findings (do-no-harm, quotation
    marks, markup put back) are engine-made and kept as they were; so are the independent engines' measures."""
    from translate.checks import Unit, check_sentence, is_flagged, sentence_words  # (as in LanguageRun.plan)

    unit = Unit(
        source=sentence,
        target=machine_text,
        source_lang=route.source,
        target_lang=route.target,
        route=route.steps,
        marks=tuple(EngineMark(*mark) for mark in notes.engine_marks or ()),
        violations=tuple(notes.violations or ()),
        glossary=glossary,
    )
    kept = [
        s
        for s in notes.signals or ()
        if s.check in ("quotes", "markup") or (s.check == "glossary" and s.reason.startswith(HARM_REASON))
    ]
    signals = check_sentence(unit) + kept
    flagged = is_flagged(signals, sentence_words(unit)) or bool(notes.left_untranslated)
    return replace(notes, signals=signals, flagged=flagged)


Deliver = Callable[[LanguageRun], None]
"""What becomes of a language once its sentences are stored (the workflow writes its files)."""


ENGINE_TERMS = True
"""Switched off only by `make bench`, which measures the glossary in the engine's dictionaries against masking alone."""


def translate_sentences(
    engine: Engine,
    route: Route,
    sentences: list[str],
    glossary: Glossary,
    progress: Progress | None = None,
    calls: list[int] | None = None,
    limits: LimitsOptions | None = None,
    fmt: str | Mapping[str, str] = "txt",
) -> list[Guarded]:
    """Sentences through the guards, the glossary layer and batched engine calls.

    `fmt` says what inline markup a sentence may hold ("md", "txt", or "marked": already
    tokens, put back by the caller), one for all or per sentence: the engine gets it as tokens it
    neither translates nor moves (translate/markup.py; an engine that cannot carry them, as numbered
    placeholders it carries: translate/engines/placeholders.py), put back after.

    The engine gets the glossary's terms as its own words where it can take them
    (`Engine.with_glossary`: Apertium's dictionaries). The first call carries every
    sentence (and the progress bar), as an n-best list where the engine offers one;
    a second one, if any, only re-asks the sentences no hypothesis of which carried
    their pinned terms. Every sentence the layer changed is then compared with the
    raw engine's (translate.run.harm), and one it made worse is not kept. Each
    call's size is appended to `calls` when given. Over-long sentences are cut at
    clause boundaries and degenerate outputs retried (translate.run.guards); a
    sentence neither can save comes back untranslated, flagged, with its reason.
    """
    from translate.glossary.matching import matcher  # (the same reason)
    from translate.glossary.pinning import translate_pinned  # with the engine's first sentence, not for a no-op run
    from translate.glossary.quotations import quotation_for  # (the same reason)
    from translate.run.finishing import quotes_follow_their_words  # (the same reason)
    from translate.run.harm import judge_for, no_harm  # (the same reason)

    made: list[int] = [] if calls is None else calls
    limits = limits or LimitsOptions()
    natively = engine.carries_markup  # Apertium: formatting around one whole term goes as superblanks (fence_terms)
    engine = carrying_markup(engine)  # a neural model gets the markup as placeholders it carries
    native = engine.with_glossary(glossary) if ENGINE_TERMS else engine

    def batch(texts: list[str]) -> list[str]:
        made.append(len(texts))
        return native.translate(texts, route, progress if len(made) == 1 else None)

    def nbest(texts: list[str]) -> list[list[str]]:
        made.append(len(texts))
        first = len(made) == 1
        return native.translate_nbest(texts, route, native.max_hypotheses(), progress if first else None, retry=not first)

    def pinned(sentences: list[str], guard: DegenerationGuard) -> list[PinnedResult]:
        shields = [
            shield(s, fmt if isinstance(fmt, str) else fmt.get(s, "txt"), glossary, route.source, fence=natively)
            for s in sentences
        ]
        pieces = [s.text for s in shields]
        offered = guard.nbest(nbest) if native.max_hypotheses() > 1 else None
        checked = guard.batch(batch)
        shapes = native.placeholder_shapes()
        layer: dict[str, Any] = {
            "pivots": route.steps[1:-1],
            "attempts": native.masked_attempts(),
            **({"shapes": shapes} if shapes else {}),
        }
        results = translate_pinned(pieces, checked, glossary, route.source, route.target, translate_nbest=offered, **layer)
        results = quotes_follow_their_words(
            pieces, results, lambda spans: translate_pinned(spans, checked, glossary, route.source, route.target, **layer)
        )
        raws = [r.plain or r.text for r in results]
        if native is not engine:  # the raw engine, for the sentences the glossary has a word in
            found = matcher(glossary, route.source)
            asked = [i for i, piece in enumerate(pieces) if found.find(piece)]
            if asked:
                made.append(len(asked))
                for i, raw in zip(
                    asked, guard.batch(lambda texts: engine.translate(texts, route))([pieces[i] for i in asked]), strict=True
                ):
                    raws[i] = raw
        results = no_harm(pieces, results, raws, judge_for(engine, route, glossary), glossary, route.source, route.target)
        return [
            replace(
                r,
                text=s.restore(r.text),
                plain=s.restore(r.plain) if r.plain else "",
                engine_text=native.engine_wrote(r.engine_text) if isinstance(native, MarkupPlaceholders) else r.engine_text,
                unplaced_markup=tuple(lost),
                flagged=r.flagged or bool(lost),
            )
            for r, s in zip(results, shields, strict=True)
            for lost in [s.lost_in(r.text)]
        ]

    quoted = {s: q for s in sentences if (q := quotation_for(s, glossary, route.source, route.target)) is not None}
    rest = [s for s in sentences if s not in quoted]
    done = dict(
        zip(
            rest,
            guarded_translation(rest, engine, route, pinned, limits.max_sentence_words, limits.max_output_ratio) if rest else [],
            strict=True,
        )
    )
    for sentence, quotation in quoted.items():  # published translations, as they stand
        done[sentence] = Guarded(
            text=quotation.text(route.target) or sentence, method="quotation", quotation=quotation.editions[route.target]
        )
    return [done[s] for s in sentences]


def shield(sentence: str, fmt: str, glossary: Glossary, source: str, fence: bool = False) -> Protected:
    """A sentence with its inline markup as tokens (translate/markup.py), formatting widened over any
    glossary term it cuts ("the <b>surplus</b> value": the term stays one word for the engine); with
    `fence`, formatting around exactly one term goes as two opaque tokens (translate.markup.fence_terms)."""
    if fmt == "marked":
        return Protected(sentence)
    protected = widen_over_terms(protect(sentence, fmt), glossary, source)
    if fence and protected.spans:
        from translate.glossary.matching import matcher  # (as in translate_sentences)

        plain = MARKERS.sub("", protected.text)
        fence_terms(protected, [(m.start, m.end) for m in matcher(glossary, source).find(plain)])
    return protected


def widen_over_terms(protected: Protected, glossary: Glossary, source: str) -> Protected:
    """Formatting that cuts a glossary term widened over the whole term (translate.markup.widen_to_terms)."""
    from translate.glossary.matching import matcher  # (as in translate_sentences)

    if protected.spans:
        plain = MARKERS.sub("", protected.text)
        widen_to_terms(protected, [(m.start, m.end) for m in matcher(glossary, source).find(plain)])
    return protected


def translate_text(
    text: str,
    name: str,
    source: str,
    targets: list[str],
    config: Config,
    start_task: StartTask = no_progress,
    glossary_use: dict[str, dict[str, object]] | None = None,
    untranslated: list[str] | None = None,
) -> dict[str, str]:
    """Translate one document into each target, without the memory.

    `glossary_use`, when given, receives per target what the glossary layer did:
    sentences, how many an n-best hypothesis served, how many went to the masked
    retry, how many are still flagged, and the size of each engine call. A
    sentence left untranslated (translate.run.guards) keeps its source text and
    adds a line saying where and why to `untranslated`, when given.
    """
    untranslated = [] if untranslated is None else untranslated
    document = parse(text, name, source)
    sentences = [s.text for s in document.segments]
    glossary = load_project_glossary(config)
    engines = Engines(config)
    results = {}
    try:
        for target in targets:
            engine, route = engines.choose(source, target)
            advance = start_task(f"{source}→{target}", len(sentences))
            calls: list[int] = []
            pinned = translate_sentences(engine, route, sentences, glossary, advance, calls, config.limits, fmt=document.format)
            for segment, outcome in zip(document.segments, pinned):
                if outcome.left_untranslated:
                    untranslated.append(f"{name} line {segment.line} ({target}): {outcome.left_untranslated}")
            if glossary_use is not None:
                glossary_use[target] = {
                    "sentences": len(sentences),
                    "n-best": sum(r.method == "n-best" for r in pinned),
                    "retried": sum(r.method not in ("plain", "n-best") for r in pinned),
                    "flagged": sum(r.flagged for r in pinned),
                    "engine_calls": calls,
                }
            from translate.run.finishing import finished_text, heading_sentences, speaker_label  # (as in LanguageRun.plan)

            headings = heading_sentences([document])
            translations = {
                s.index: r.text if r.left_untranslated or r.quotation else finished_text(r.text, target, s.text, headings)
                for s, r in zip(document.segments, pinned)
            }
            results[target] = document.render(translations, target, speaker_label(glossary, source, target))
    finally:
        engines.close()
    return results


def load_project_glossary(config: Config) -> Glossary:
    """The project's glossary."""
    from translate.glossary.files import load_glossary  # TOML parsing and validation: only when a language has work

    return load_glossary(config.path("glossary"))


def record_layout(memory: TranslationMemory, text: SourceText, source: str) -> None:
    """Remember where each sentence sits, so a changed sentence's old version can be found."""
    memory.record_layout(text.path.name, source, text.document.layout())
