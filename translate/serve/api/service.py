"""The API's translations: the pipeline's engines, glossary and memory behind LibreTranslate's requests.

A request's texts (or, with format=html, their text nodes) are cut into
sentences by the project's segmenter, as `translate run` cuts the essays. Each
sentence the translation memory holds approved for the same pair comes back
as the approved text; one it holds as machine text of the current signature
comes back as stored; the rest go through the glossary pinning and check of
`translate run` (`run.pipeline.translate_sentences`), batched with other
requests' sentences of the same pair (`batching.py`). The memory is only read:
what the API translates is not stored, so it never mixes outside texts into
the project's memory.

Engine work runs in worker threads, never on the event loop, as many at once
as `translate run` translates languages (`engine.jobs`: the number of cores by
default). Apertium runs each call as its own processes, so batches for
different pairs run side by side (its mode locks keep a hop two routes share
from running twice), and the modes the API uses are kept running between
batches (`api.kept_modes`, engines/apertium_pipeline.py); Argos gets one batch
at a time, as CTranslate2 already spreads one over every core. Fifty clients
spread over five target languages were answered at 14.6 requests a second when
one batch ran at a time across all pairs, each starting its processes afresh;
at 225 a second with both (`make bench`, section "api", 2 cores at load 14.7,
beside 270 a second for one language).

A text whose source and target are the same language comes back as sent, as
LibreTranslate answers it. Routes and the languages served are found once per
server start: restart it after installing a model or an Apertium pair.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from translate.checks import CHECKS_VERSION
from translate.engines.apertium import ApertiumEngine
from translate.engines.base import Engine, Route
from translate.engines.credits import model_attribution
from translate.engines.registry import Engines
from translate.errors import TranslateError
from translate.glossary.matching import matcher
from translate.glossary.model import Glossary
from translate.markup import has_markers
from translate.memory.journal import Journal
from translate.memory.notes import Notes, Signal
from translate.run.finishing import finish_notes, finished_text
from translate.run.pipeline import checked_notes, translate_sentences, widen_over_terms
from translate.run.runner import jobs
from translate.run.signature import Signature
from translate.segment import Document, parse
from translate.serve.api import codes, markup
from translate.serve.api.alternatives import other_hypotheses, text_alternatives
from translate.serve.api.batching import Batcher, BatchStats, WorkQueue
from translate.serve.api.detect import Guess, LazyDetector
from translate.serve.api.errors import ApiError
from translate.serve.api.requests import TranslateRequest
from translate.serve.state import ServerState

R = TypeVar("R")

PAIRS_AT_ONCE = {"apertium"}
"""Engines whose batches for different pairs may run at the same time (each Apertium call is its own processes)."""


@dataclass(frozen=True)
class Sentence:
    """One translated sentence, where its text came from, and what the checks found in it."""

    text: str
    origin: str  # approved | memory | engine
    notes: Notes = field(default_factory=Notes)

    @classmethod
    def from_engine(cls, source: str, translated: tuple[str, Notes]) -> Sentence:
        text, notes = translated
        return cls(_initial_case(source, text), "engine", notes)

    @property
    def missing(self) -> list[str]:
        """Glossary concepts not rendered as pinned."""
        return [v.concept for v in self.notes.violations or ()]


def _initial_case(source: str, text: str) -> str:
    """A piece that starts in lower case (text after an inline tag: 'the <b>factory</b>') stays so:
    Apertium capitalises whatever it is given first ('factory' -> 'Fábrica')."""
    first, start = source.lstrip()[:1], len(text) - len(text.lstrip())
    head = text[start : start + 2]
    if first.islower() and head[:1].isupper() and not head[1:].isupper():
        return text[:start] + head[:1].lower() + text[start + 1 :]
    return text


@dataclass
class Item:
    """One text of q: its pieces (markup, and text nodes or runs of inline text) and each one's sentences."""

    pieces: Sequence[markup.Piece | markup.Run]
    documents: dict[int, Document] = field(default_factory=dict)  # piece index -> its sentences


@dataclass
class Plan:
    """A request's texts and languages, checked before it is charged to anyone's limit."""

    request: TranslateRequest
    items: list[Item]
    source: str  # project code of the language translated from (the target's own, for an echo)
    target: str
    detected: Guess | None
    echo: bool = False  # source and target are one language: the texts come back as sent
    unserved: str | None = None  # why nothing is translated (Weblate's settings check of a pair not served)


@dataclass
class Prepared:
    """A request cut into sentences, with what the memory already holds."""

    request: TranslateRequest
    source: str
    target: str
    detected: Guess | None
    engine: Engine
    route: Route
    signature: str
    glossary: Glossary
    items: list[Item]
    known: dict[str, Sentence]
    todo: list[str]


class ApiService:
    """Languages, detection and translation for the API routes; one per server."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.config = state.config
        options = state.config.api
        self.engines = Engines(state.config)
        self._registry = threading.Lock()  # Engines creates engines and finds routes lazily
        self._engine_locks: dict[tuple[str, ...], threading.Lock] = {}
        self._sources: list[str] | None = None
        self._targets: dict[str, list[str]] = {}
        self.executor = ThreadPoolExecutor(max_workers=max(2, jobs(state.config)), thread_name_prefix="translate-api")
        self.queue = WorkQueue(options.queue_limit)
        self.stats = BatchStats()
        self.preparing = 0  # requests being read and cut into sentences (a batch waits for them)
        self.batchers: dict[tuple[str, str], Batcher[tuple[str, Notes]]] = {}
        self.detector = LazyDetector(codes.to_client(state.config.source_language))

    # -- languages -------------------------------------------------------------

    def sources(self) -> list[str]:
        """Every language some engine here translates from (found once)."""
        with self._registry:
            if self._sources is None:
                self._sources = sorted(self.engines.sources())
            return self._sources

    def targets(self, source: str) -> list[str]:
        """Every language reachable from `source` with the engine the configuration chooses."""
        sources = self.sources()
        with self._registry:
            if source not in self._targets:
                found = []
                if source in sources:
                    for target in sorted(self.engines.reachable(source)):
                        if codes.same_language(source, target):  # pt→es→pt_BR, hbs→en→hr: not a translation
                            continue
                        try:
                            self.engines.choose(source, target)
                            found.append(target)
                        except TranslateError:
                            continue
                self._targets[source] = found
            return self._targets[source]

    def languages(self) -> list[dict[str, object]]:
        """GET /languages: every language served, as a source (with its targets) or only as a target.

        Weblate offers a pair only when both codes are listed, so a language
        nothing here translates from (Asturian, Serbian...) is listed too, with
        no targets, as LibreTranslate lists a language that has no outgoing model.
        """
        entries: dict[str, set[str]] = {}
        for source in self.sources():
            reached = {code for target in self.targets(source) for code in codes.listed(target, as_source=False)}
            for code in codes.listed(source, as_source=True):
                entries.setdefault(code, set()).update(reached - {code})
            for code in reached:
                entries.setdefault(code, set())
        return [{"code": code, "name": codes.name(code), "targets": sorted(found)} for code, found in sorted(entries.items())]

    def pair(self, source: str, target: str) -> tuple[Engine, Route, str]:
        """Engine, route and engine version for a pair this server serves."""
        with self._registry:
            engine, route = self.engines.choose(source, target)
            if isinstance(engine, ApertiumEngine) and self.config.api.kept_modes:
                # many small batches: modes kept running (engines/apertium_pipeline.py)
                engine.keep_running, engine.max_kept = True, self.config.api.kept_modes
            return engine, route, engine.version()

    def detect(self, texts: str | list[str]) -> list[Guess]:
        return self.detector.get().detect(texts)

    # -- translation -----------------------------------------------------------

    def plan(self, request: TranslateRequest, settings_check: bool = False) -> Plan:
        """The request's languages checked (400 naming the first problem), `auto` detected (in a worker thread).

        `settings_check`: the request is Weblate's settings check ("test", en→de, sent whatever
        /languages says); a pair not served is then answered without a translation instead of 400.
        """
        if request.format == "html":
            items = [Item(markup.split(text)) for text in request.texts]
        else:
            items = [Item([markup.TextNode(text, text)]) for text in request.texts]
        detected = None
        if request.source.strip().lower() == "auto":
            detected = self.detect([markup.visible_text(item.pieces) for item in items])[0]
            named, asked = detected.language, codes.from_client(detected.language)
            if detected.confidence == 0:  # no letters: LibreTranslate's fallback, the project's source
                asked = self.config.source_language
        else:
            named, asked = request.source, codes.from_client(request.source)
        target = codes.from_client(request.target)
        if asked is not None and asked == target:
            return Plan(request, items, target, target, detected, echo=True)
        source = codes.served_source(asked, self.sources()) if asked else None
        if source is None:
            raise ApiError(400, f"{named} is not supported")
        try:
            target = self._check_target(request, source)
        except ApiError as refused:
            if not settings_check:
                raise
            why = f"not translated: {refused.message} (Weblate's settings check asks for it whatever /languages lists)"
            return Plan(request, items, source, target or request.target, detected, unserved=why)
        return Plan(request, items, source, target, detected)

    def _check_target(self, request: TranslateRequest, source: str) -> str:
        target = codes.from_client(request.target)
        if target is None or not any(target in self.targets(s) or target == s for s in self.sources()):
            raise ApiError(400, f"{request.target} is not supported")
        if target not in self.targets(source):
            raise ApiError(
                400,
                f"{codes.name(codes.to_client(target))} ({codes.to_client(target)}) is not available as a "
                f"target language from {codes.name(codes.to_client(source))} ({codes.to_client(source)})",
            )
        return target

    def prepare(self, plan: Plan) -> Prepared:
        """Cut the texts into sentences, read the memory (in a worker thread).

        HTML is cut into runs of inline text (a sentence across a tag is translated whole, its tags as
        tokens: an engine that cannot carry them gets them as placeholders it carries)."""
        source, target = plan.source, plan.target
        engine, route, version = self.pair(source, target)
        glossary = self.state.files.glossary()
        if plan.request.format == "html":  # a tag cutting a term is widened over it
            plan.items = [Item(markup.runs(text)) for text in plan.request.texts]
            for item in plan.items:
                for piece in item.pieces:
                    if isinstance(piece, markup.Run):
                        widen_over_terms(piece.protected, glossary, source)
        signature = str(Signature.for_route(route, version, engine.options(), glossary.version, checks=CHECKS_VERSION))
        sentences: list[str] = []
        for item in plan.items:
            for n, piece in enumerate(item.pieces):
                if isinstance(piece, (markup.TextNode, markup.Run)):
                    text = piece.protected.text if isinstance(piece, markup.Run) else piece.text
                    document = parse(text, "-", source, fmt="txt")
                    item.documents[n] = document
                    sentences += [s.text for s in document.segments]
        unique = list(dict.fromkeys(sentences))
        known = self._from_memory(unique, source, target, signature)
        todo = [s for s in unique if s not in known]
        return Prepared(plan.request, source, target, plan.detected, engine, route, signature, glossary, plan.items, known, todo)

    def _from_memory(self, sentences: list[str], source: str, target: str, signature: str) -> dict[str, Sentence]:
        """Approved text, or stored machine text of this very signature; no memory is created where none is."""
        path = self.config.path("memory")
        if not sentences or not (path.is_file() or Journal(path).exists()):
            return {}
        with self.state.files.memory() as memory:
            entries = memory.lookup(sentences, source, target)
        known = {}
        for text, entry in entries.items():
            if entry.status == "approved" and entry.final_text is not None:
                known[text] = Sentence(entry.final_text, "approved")
            elif entry.machine_text is not None and entry.signature == signature:
                known[text] = Sentence(entry.machine_text, "memory", entry.notes)
        return known

    def _run_batch(self, source: str, target: str) -> Callable[[list[str]], Awaitable[list[tuple[str, Notes]]]]:
        async def run(sentences: list[str]) -> list[tuple[str, Notes]]:
            return await _in_executor(self.executor, self._translate_now, source, target, sentences)

        return run

    def _translate_now(self, source: str, target: str, sentences: list[str]) -> list[tuple[str, Notes]]:
        """One engine call (with its glossary retry) holding the engine, then the quality checks
        `translate run` stores with each machine text (in an engine thread)."""
        engine, route, _ = self.pair(source, target)
        glossary = self.state.files.glossary()
        # A sentence of an HTML run holds its tags as tokens already (put back by `_render`); a plain one may hold
        # URLs and addresses, which the engine gets as tokens too.
        formats = {s: "marked" if has_markers(s) else "txt" for s in sentences}
        with self._engine_lock(engine, route):
            results = translate_sentences(engine, route, sentences, glossary, fmt=formats)
        rows = []
        for sentence, result in zip(sentences, results):  # finished in the target's typography, as `translate run` stores
            if result.quotation:  # a published translation, as it stands
                rows.append((result.text, Notes(quotation=result.quotation, flagged=False)))
                continue
            text = finished_text(result.text, target, sentence, set())
            notes = checked_notes(sentence, replace(result, text=text), engine, route, glossary)
            rows.append((text, finish_notes(notes, result.text, text, target)))
        return rows

    def _engine_lock(self, engine: Engine, route: Route) -> threading.Lock:
        """What a batch holds while it runs: the engine, or (Apertium) only its pair."""
        key = (engine.name, *route.steps) if engine.name in PAIRS_AT_ONCE else (engine.name,)
        with self._registry:
            return self._engine_locks.setdefault(key, threading.Lock())

    def batcher(self, source: str, target: str) -> Batcher[tuple[str, Notes]]:
        key = (source, target)
        if key not in self.batchers:
            options = self.config.api
            self.batchers[key] = Batcher(
                self._run_batch(source, target),
                options.batch_wait_ms / 1000,
                options.max_batch,
                self.stats,
                lambda: self.preparing,
            )
        return self.batchers[key]

    async def translate(self, plan: Plan, unthrottled: bool = False) -> dict[str, object]:
        """POST /translate: LibreTranslate's reply, plus each text's provenance.

        `unthrottled` (a Weblate key): never refused for a full work queue.
        """
        if plan.echo or plan.unserved:
            return unchanged_reply(plan)
        request = plan.request
        self.preparing += 1
        try:
            prepared = await run_in_threadpool(self.prepare, plan)
        finally:
            self.preparing -= 1
        todo = prepared.todo
        self.queue.reserve(len(todo), force=unthrottled)
        try:
            results = await self.batcher(prepared.source, prepared.target).translate(todo) if todo else []
        finally:
            self.queue.release(len(todo))
        done = dict(prepared.known)
        done.update((s, Sentence.from_engine(s, r)) for s, r in zip(todo, results))
        others: dict[str, list[str]] = {}
        if request.alternatives > 0 and request.format == "text":
            machine = list(dict.fromkeys(s for s, sentence in done.items() if sentence.origin != "approved"))
            others = await _in_executor(self.executor, self._alternatives, prepared, machine, done)
        return reply(prepared, done, others)

    def _alternatives(self, prepared: Prepared, sentences: list[str], done: dict[str, Sentence]) -> dict[str, list[str]]:
        """Other pinned hypotheses of the machine sentences (in an engine thread, holding the engine)."""
        main = {s: done[s].text for s in sentences}
        with self._engine_lock(prepared.engine, prepared.route):
            return other_hypotheses(
                prepared.engine, prepared.route, prepared.glossary, sentences, main, prepared.request.alternatives
            )

    def close(self) -> None:
        for batcher in self.batchers.values():
            batcher.close()
        self.executor.shutdown(wait=False, cancel_futures=True)
        with self._registry:
            self.engines.close()


async def _in_executor(executor: ThreadPoolExecutor, function: Callable[..., R], *args: object) -> R:
    return await asyncio.get_running_loop().run_in_executor(executor, function, *args)


def _render(prepared: Prepared, item: Item, done: dict[str, Sentence]) -> str:
    def node(n: int) -> str | None:
        document = item.documents[n]
        if not document.segments:
            return None
        return document.render({s.index: done[s.text].text for s in document.segments}, prepared.target)

    if prepared.request.format == "html":
        runs = {n: piece for n, piece in enumerate(item.pieces) if isinstance(piece, markup.Run)}
        if runs:
            out = []
            for n, piece in enumerate(item.pieces):
                translated = node(n) if n in runs else None
                out.append(
                    piece if isinstance(piece, str) else runs[n].protected.restore(translated) if translated else runs[n].raw
                )
            return "".join(out)
        return markup.join(item.pieces, node)
    translated = node(0)
    return item.documents[0].source() if translated is None else translated


def _provenance(prepared: Prepared, item: Item, done: dict[str, Sentence]) -> dict[str, object]:
    sentences = [s.text for d in item.documents.values() for s in d.segments]
    origins = [done[s].origin for s in sentences]
    found = matcher(prepared.glossary, prepared.source)
    terms = sorted({m.concept.id for s in sentences for m in found.find(s)})
    missing = sorted({c for s in sentences for c in done[s].missing})
    quality: dict[str, Signal] = {}
    for sentence in sentences:
        for signal in done[sentence].notes.signals or ():
            seen = quality.get(signal.check)
            words = tuple(dict.fromkeys((*seen.words, *signal.words))) if seen else signal.words
            quality[signal.check] = Signal(signal.check, signal.reason, words, signal.weight, signal.hop)
    return {
        "engine": prepared.engine.name,
        "route": "→".join(prepared.route.steps),
        "routeLegs": prepared.route.spec,
        "credits": model_attribution(prepared.engine.name, " ".join(prepared.route.models)) or "",
        "signature": prepared.signature,
        "sentences": len(sentences),
        "approvedSentences": origins.count("approved"),
        "approved": bool(sentences) and all(o == "approved" for o in origins),
        "fromMemory": origins.count("approved") + origins.count("memory"),
        "glossary": {"version": prepared.glossary.version, "terms": terms, "missing": missing},
        "flagged": any(done[s].notes.flagged for s in sentences) or bool(missing),
        "checks": [{"check": q.check, "reason": q.reason, "words": list(q.words)} for q in quality.values()],
    }


def reply(prepared: Prepared, done: dict[str, Sentence], others: dict[str, list[str]] | None = None) -> dict[str, object]:
    """The JSON reply: translatedText mirrors q (string or list), LibreTranslate's optional keys, provenance."""
    request = prepared.request
    texts = [_render(prepared, item, done) for item in prepared.items]
    provenance = [_provenance(prepared, item, done) for item in prepared.items]
    out: dict[str, object] = {"translatedText": texts if request.is_list else texts[0]}
    _add_detected(out, prepared.detected, request)
    if request.alternatives > 0:
        alternatives = [
            text_alternatives(item.documents[0], prepared.target, lambda s: done[s].text, others or {}, request.alternatives)
            if request.format == "text" and item.documents.get(0) is not None
            else []
            for item in prepared.items
        ]
        out["alternatives"] = alternatives if request.is_list else alternatives[0]
    out["provenance"] = provenance if request.is_list else provenance[0]
    return out


def _add_detected(out: dict[str, object], detected: Guess | None, request: TranslateRequest) -> None:
    """LibreTranslate's detectedLanguage: one per text of a list (the whole list is identified at once)."""
    if detected is not None:
        found = detected.to_dict()
        out["detectedLanguage"] = [found] * len(request.texts) if request.is_list else found


def unchanged_reply(plan: Plan) -> dict[str, object]:
    """The texts as sent, for source and target of one language (as LibreTranslate echoes them); or, for
    Weblate's settings check of a pair not served, empty texts and the reason: no translation is pretended."""
    request = plan.request
    texts = ["" if plan.unserved else text for text in request.texts]
    why = plan.unserved or "source and target are the same language: nothing to translate"
    provenance = {"engine": None, "translated": False, "reason": why}
    out: dict[str, object] = {"translatedText": texts if request.is_list else texts[0]}
    _add_detected(out, plan.detected, request)
    if request.alternatives > 0:
        out["alternatives"] = [[] for _ in texts] if request.is_list else []
    out["provenance"] = [provenance] * len(texts) if request.is_list else provenance
    return out
