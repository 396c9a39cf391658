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
from translate.run.jobs import Draft, EngineJob, JobResult, cut_jobs
from translate.run.report import LanguageResult
from translate.run.signature import Signature
from translate.run.text_in_language import TextInLanguage
from translate.segment import parse
from translate.texts import SourceText

if TYPE_CHECKING:
    from translate.glossary.pinning import PinnedResult
    from translate.run.crosscheck import CrossRoutes

CrossCheck = tuple[Engines, "CrossRoutes"]
"""The engines a job's new drafts are measured with, and the routes (translate.run.crosscheck)."""


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
    engine_span: tuple[float, float] | None = None  # perf_counter when its first job began and its last one came back
    advance: Progress | None = None  # its progress bar, once its jobs are handed out
    unrecorded: bool = False  # drafts stored whose drafts file is not rewritten yet (`record_drafts`)
    cross: CrossRoutes | None = None  # the routes its new drafts are measured along (review.crosscheck), once planned

    @property
    def source(self) -> str:
        return self.config.source_language

    def text_in_language(self, text: SourceText) -> TextInLanguage:
        """One of its texts in its language, with its memory, configuration and glossary (for `deliver`)."""
        return TextInLanguage(text, self.target, self.memory, self.config, self.glossary)

    def sentences(self) -> list[str]:
        """The distinct sentences of all texts, in reading order."""
        return list(dict.fromkeys(s.text for t in self.texts for s in t.document.segments))

    def translate(self) -> None:
        """Plan against the memory, translate what is new or stale, store it (nothing when a dry run)."""
        todo = self.plan()
        if todo and not self.dry_run:
            self.store(self.work(todo))
            self.settle_message()

    def plan(self) -> list[str]:
        """Choose engine and route, sign, and ask the memory what is new or stale: the sentences to translate.

        Reads the memory: runs in the thread that owns it.
        """
        source, target, result = self.source, self.target, self.result
        engine, route = self.engines.choose(source, target)
        signature = sign(engine, route, self.glossary)
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
        if todo and self.config.review.crosscheck:
            from translate.run.crosscheck import cross_routes  # (as above)

            self.cross = cross_routes(self.engines, route)
        return todo

    def crosscheck_plan(self) -> tuple[tuple[str, Route, str], ...] | None:
        """The routes this language's drafts are measured along, each with its engine's signature: what a
        cluster worker must reproduce to measure them as this process would (translate.run.cluster);
        None when they are not measured."""
        cross = self.cross
        if cross is None:
            return None
        return tuple(
            (role, route, str(sign_measure(self.engines.engine_for(route), route)))
            for role, route in (("back", cross.back), ("second", cross.second))
            if route is not None
        )

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

    def jobs(self, todo: list[str]) -> list[EngineJob]:
        """The sentences to translate as jobs (translate.run.jobs): cut the same way whichever executor runs them."""
        assert self.route is not None, "plan() first"
        formats = {s.text: t.document.format for t in reversed(self.texts) for s in t.document.segments}
        return cut_jobs(self.target, self.route, todo, self.headings, self.config.engine.job_chars, formats)

    def run_job(self, job: EngineJob) -> JobResult:
        """One of this language's jobs in this process, with the run's engine (its progress bar advancing inside)."""
        assert self.engine is not None, "plan() first"
        cross = (self.engines, self.cross) if self.cross is not None else None
        return run_job(job, self.engine, self.glossary, self.config.limits, self.advance, crosscheck=cross)

    def work(self, todo: list[str]) -> list[tuple[str, str, Notes]]:
        """Every job of `todo` in this thread, one after another: the rows to store."""
        self.advance = self.start_task(f"{self.source}→{self.target} ({self.engine_name})", len(todo))
        return [row for job in self.jobs(todo) for row in self.absorb(self.run_job(job))]

    @property
    def engine_name(self) -> str:
        return self.engine.name if self.engine is not None else ""

    def absorb(self, done: JobResult) -> list[tuple[str, str, Notes]]:
        """Count a finished job into the language's result; its rows to store (in the thread that owns the memory)."""
        result = self.result
        result.engine_seconds = round(result.engine_seconds + done.engine_seconds, 3)
        result.engine_calls += done.engine_calls
        rows = []
        for draft in done.drafts:
            notes = draft.notes
            rows.append((draft.sentence, draft.text, notes))
            result.flagged += int(bool(notes.flagged))
            result.untranslated += int(bool(notes.left_untranslated))
            result.glossary_violations += len(notes.violations or ())
            for signal in notes.signals or ():
                result.signals[signal.check] = result.signals.get(signal.check, 0) + 1
        if done.crosscheck_sentences:
            result.crosscheck_sentences += done.crosscheck_sentences
            result.crosscheck_seconds = round(result.crosscheck_seconds + done.crosscheck_seconds, 2)
            result.crosscheck_routes = list(done.crosscheck_routes)
        warning = f"cross-check incomplete: {done.crosscheck_problem}"
        if done.crosscheck_problem and warning not in result.warnings:  # said once, however many jobs
            result.warnings.append(warning)
        return rows

    def settle_message(self) -> None:
        """Say in the result's message how many sentences were left untranslated for a reviewer."""
        if self.result.untranslated:
            left = f"{self.result.untranslated} sentences left untranslated for a reviewer (see the PO file's comments)"
            self.result.message = "; ".join(filter(None, [self.result.message, left]))

    def store(self, rows: list[tuple[str, str, Notes]], record: bool = True) -> None:
        """The rows `work` made into the memory, in one transaction (in the thread that owns the memory);
        `record=False`: the drafts file later, once for all of the language's jobs (`record_drafts`)."""
        assert self.signature is not None
        if self.memory.store_machine(rows, self.source, self.target, str(self.signature), record=record) and not record:
            self.unrecorded = True

    def record_drafts(self) -> None:
        """The language's drafts file, rewritten once after its jobs were stored without it."""
        if self.unrecorded:
            self.memory.record_drafts(self.source, self.target)
            self.unrecorded = False


_DICTIONARY_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


def sign(engine: Engine, route: Route, glossary: Glossary) -> Signature:
    """The signature of what `engine` makes along `route` with `glossary`: stored with each draft, and what a
    cluster worker must reproduce to take a run's jobs (translate.run.cluster)."""
    from translate.checks import CHECKS_VERSION  # the checks load dictionaries: only for a language with work

    native = engine.with_glossary(glossary) if ENGINE_TERMS else engine  # the glossary in its dictionaries
    options = native.options()  # changes its output: part of the signature
    return Signature.for_route(route, engine.version(), options, glossary.version, checks=CHECKS_VERSION)


def sign_measure(engine: Engine, route: Route) -> Signature:
    """The signature of what `engine` makes along a cross-check's route: the raw engine, no glossary
    (translate.run.crosscheck measures drafts with the engine as it stands)."""
    return Signature.for_route(route, engine.version(), engine.options())


def load_dictionaries(languages: Sequence[str]) -> None:
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


def run_job(
    job: EngineJob,
    engine: Engine,
    glossary: Glossary,
    limits: LimitsOptions,
    progress: Progress | None = None,
    worker: str = "this machine",
    crosscheck: CrossCheck | None = None,
) -> JobResult:
    """A job's sentences through the guards, the glossary layer and the engine, then finished and checked;
    with `crosscheck`, its new drafts then measured by independent engines (`crosschecked`).

    Touches no memory: runs in any thread of any process holding the engine
    (translate.run.jobs says why the job boundary sits here). The checks'
    dictionaries load in a thread of their own meanwhile (hunspell releases the
    GIL while it reads them: about 0.15 s a language, hidden behind the engine's time).
    """
    from translate.run.finishing import finish_notes, finished_text  # (as in LanguageRun.plan)

    began, started = time.perf_counter(), time.time()
    route = job.route
    dictionaries = threading.Thread(target=load_dictionaries, args=(route.steps[1:],), daemon=True)
    dictionaries.start()
    formats = dict(zip(job.sentences, job.formats, strict=True)) if job.formats else "txt"
    counted = translate_counting(engine, route, list(job.sentences), glossary, progress, limits, fmt=formats)
    pinned, calls = counted.results, counted.calls
    engine_seconds = time.perf_counter() - began
    dictionaries.join()
    headings = set(job.headings)
    drafts = []
    for sentence, outcome in zip(job.sentences, pinned, strict=True):
        draft = outcome.text
        if outcome.quotation:  # a published translation: as it stands, like an approved entry
            drafts.append(Draft(sentence, outcome.text, Notes(quotation=outcome.quotation, flagged=False), outcome.text))
            continue
        if not outcome.left_untranslated:  # the source standing in is kept as written
            outcome = replace(outcome, text=finished_text(draft, job.target, sentence, headings))
        notes = checked_notes(sentence, outcome, engine, route, glossary)
        notes = finish_notes(notes, draft, outcome.text, job.target)
        if outcome.left_untranslated:
            notes.left_untranslated, notes.flagged = outcome.left_untranslated, True
        drafts.append(Draft(sentence, outcome.text, notes, outcome.engine_text))
    done = JobResult(job.key, job.target, drafts, worker, 0.0, round(engine_seconds, 3), len(calls), round(started, 3))
    if crosscheck is not None:
        done = crosschecked(done, route, glossary, *crosscheck)
    done.seconds = round(time.perf_counter() - began, 3)
    return done


def crosschecked(done: JobResult, route: Route, glossary: Glossary, engines: Engines, routes: CrossRoutes) -> JobResult:
    """A job's new drafts with what independent engines say of them (translate.run.crosscheck), and what
    that cost. Published translations and sentences left untranslated are not measured.

    Measured in the job, where it runs, along the routes the coordinator chose: a job on a cluster
    worker comes back with the same measures as one in this process (measures are per sentence)."""
    from translate.run.crosscheck import measure  # sacrebleu and a second route: only for a job with drafts

    asked = [i for i, d in enumerate(done.drafts) if not (d.notes.quotation or d.notes.left_untranslated)]
    if not asked:
        return done
    sources, texts = [done.drafts[i].sentence for i in asked], [done.drafts[i].text for i in asked]
    measured = measure(engines, route, sources, texts, glossary, routes)
    drafts = list(done.drafts)
    for i, found in zip(asked, measured.measures, strict=True):
        drafts[i] = replace(drafts[i], notes=replace(drafts[i].notes, measures=found or None))
    return replace(
        done,
        drafts=drafts,
        crosscheck_sentences=len(asked),
        crosscheck_seconds=measured.seconds,
        crosscheck_routes=measured.routes,
        crosscheck_problem=measured.problem,
    )


Deliver = Callable[[LanguageRun], None]
"""What becomes of a language once its sentences are stored (the workflow writes its files)."""


ENGINE_TERMS = True
"""Switched off only by `make bench`, which measures the glossary in the engine's dictionaries against masking alone."""


@dataclass(frozen=True)
class Counted:
    """Sentences through the pipeline (`translate_counting`): their outcomes, and the size of each engine call."""

    results: list[Guarded]
    calls: list[int]


def translate_sentences(
    engine: Engine,
    route: Route,
    sentences: list[str],
    glossary: Glossary,
    progress: Progress | None = None,
    limits: LimitsOptions | None = None,
    fmt: str | Mapping[str, str] = "txt",
) -> list[Guarded]:
    """Sentences through the guards, the glossary layer and batched engine calls (`translate_counting`)."""
    return translate_counting(engine, route, sentences, glossary, progress, limits, fmt).results


def translate_counting(
    engine: Engine,
    route: Route,
    sentences: list[str],
    glossary: Glossary,
    progress: Progress | None = None,
    limits: LimitsOptions | None = None,
    fmt: str | Mapping[str, str] = "txt",
) -> Counted:
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
    raw engine's (translate.run.harm), and one it made worse is not kept. The
    result holds each engine call's size too. Over-long sentences are cut at
    clause boundaries and degenerate outputs retried (translate.run.guards); a
    sentence neither can save comes back untranslated, flagged, with its reason.
    """
    from translate.glossary.matching import matcher  # (the same reason)
    from translate.glossary.pinning import translate_pinned  # with the engine's first sentence, not for a no-op run
    from translate.glossary.quotations import quotation_for  # (the same reason)
    from translate.run.finishing import quotes_follow_their_words  # (the same reason)
    from translate.run.harm import judge_for, no_harm  # (the same reason)

    made: list[int] = []
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
    return Counted([done[s] for s in sentences], made)


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


@dataclass(frozen=True)
class TextTranslation:
    """One document in each target language, without the memory (`translate_document`)."""

    texts: dict[str, str]  # target -> the document translated
    glossary_use: dict[str, dict[str, object]]  # target -> what the glossary layer did (sentences, n-best, retried...)
    untranslated: list[str]  # one line per sentence left in the source: where and why


def translate_text(
    text: str, name: str, source: str, targets: list[str], config: Config, start_task: StartTask = no_progress
) -> dict[str, str]:
    """Translate one document into each target, without the memory (`translate_document` says more)."""
    return translate_document(text, name, source, targets, config, start_task).texts


def translate_document(
    text: str, name: str, source: str, targets: list[str], config: Config, start_task: StartTask = no_progress
) -> TextTranslation:
    """Translate one document into each target, without the memory.

    With the texts come, per target, what the glossary layer did: sentences, how
    many an n-best hypothesis served, how many went to the masked retry, how many
    are still flagged, and the size of each engine call. A sentence left
    untranslated (translate.run.guards) keeps its source text and is named, with
    where and why, in `untranslated`.
    """
    untranslated: list[str] = []
    glossary_use: dict[str, dict[str, object]] = {}
    document = parse(text, name, source)
    sentences = [s.text for s in document.segments]
    glossary = load_project_glossary(config)
    engines = Engines(config)
    results = {}
    try:
        for target in targets:
            engine, route = engines.choose(source, target)
            advance = start_task(f"{source}→{target}", len(sentences))
            counted = translate_counting(engine, route, sentences, glossary, advance, config.limits, fmt=document.format)
            pinned = counted.results
            untranslated += [
                f"{name} line {segment.line} ({target}): {outcome.left_untranslated}"
                for segment, outcome in zip(document.segments, pinned)
                if outcome.left_untranslated
            ]
            glossary_use[target] = {
                "sentences": len(sentences),
                "n-best": sum(r.method == "n-best" for r in pinned),
                "retried": sum(r.method not in ("plain", "n-best") for r in pinned),
                "flagged": sum(r.flagged for r in pinned),
                "engine_calls": counted.calls,
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
    return TextTranslation(results, glossary_use, untranslated)


def load_project_glossary(config: Config) -> Glossary:
    """The project's glossary."""
    from translate.glossary.files import load_glossary  # TOML parsing and validation: only when a language has work

    return load_glossary(config.path("glossary"))


def record_layout(memory: TranslationMemory, text: SourceText, source: str) -> None:
    """Remember where each sentence sits, so a changed sentence's old version can be found."""
    memory.record_layout(text.path.name, source, text.document.layout())
