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

Engine work runs in worker threads, never on the event loop; one batch per
engine at a time, as the engines were written for, so a batch has every core.
Routes and the languages served are found once per server start: restart it
after installing a model or an Apertium pair.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from starlette.concurrency import run_in_threadpool

from translate.checks import CHECKS_VERSION
from translate.engines.base import Engine, Route
from translate.engines.credits import model_attribution
from translate.engines.registry import Engines
from translate.errors import TranslateError
from translate.glossary.matching import matcher
from translate.glossary.model import Glossary
from translate.memory.journal import Journal
from translate.memory.notes import Notes, Signal
from translate.run.finishing import finish_notes, finished_text
from translate.run.pipeline import checked_notes, translate_sentences
from translate.run.signature import Signature
from translate.segment import Document, parse
from translate.serve.api import codes, markup
from translate.serve.api.alternatives import other_hypotheses, text_alternatives
from translate.serve.api.batching import Batcher, BatchStats, WorkQueue
from translate.serve.api.detect import Guess, LazyDetector
from translate.serve.api.errors import ApiError
from translate.serve.api.requests import TranslateRequest
from translate.serve.state import ServerState

ENGINE_THREADS = 2  # batches of different engines (Apertium, Argos) side by side


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
    """One text of q: its pieces (markup and text nodes) and each node's sentences."""

    pieces: list[markup.Piece]
    documents: dict[int, Document] = field(default_factory=dict)  # piece index -> its sentences


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
        self._engine_locks: dict[str, threading.Lock] = {}
        self._sources: list[str] | None = None
        self._targets: dict[str, list[str]] = {}
        self.executor = ThreadPoolExecutor(max_workers=ENGINE_THREADS, thread_name_prefix="translate-api")
        self.queue = WorkQueue(options.queue_limit)
        self.stats = BatchStats()
        self.preparing = 0  # requests being read and cut into sentences (a batch waits for them)
        self.batchers: dict[tuple[str, str], Batcher[tuple[str, Notes]]] = {}
        self.detector = LazyDetector(self.sources, state.config.source_language)

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
                        try:
                            self.engines.choose(source, target)
                            found.append(target)
                        except TranslateError:
                            continue
                self._targets[source] = found
            return self._targets[source]

    def languages(self) -> list[dict[str, object]]:
        """GET /languages: one entry per source language, with its targets."""
        return [
            {"code": codes.to_client(s), "name": codes.name(s), "targets": sorted(codes.to_client(t) for t in self.targets(s))}
            for s in self.sources()
        ]

    def pair(self, source: str, target: str) -> tuple[Engine, Route, str]:
        """Engine, route and engine version for a pair this server serves."""
        with self._registry:
            engine, route = self.engines.choose(source, target)
            return engine, route, engine.version()

    def detect(self, text: str) -> list[Guess]:
        return self.detector.get().detect(text)

    # -- translation -----------------------------------------------------------

    def _source(self, request: TranslateRequest, items: list[Item]) -> tuple[str, Guess | None]:
        if request.source.strip().lower() == "auto":
            guess = self.detect(" ".join(markup.visible_text(item.pieces) for item in items))[0]
            return guess.language, guess
        source = codes.from_client(request.source)
        if source is None or source not in self.sources():
            raise ApiError(400, f"{request.source} is not supported")
        return source, None

    def _check_target(self, request: TranslateRequest, source: str) -> str:
        target = codes.from_client(request.target)
        if target is None or not any(target in self.targets(s) or target == s for s in self.sources()):
            raise ApiError(400, f"{request.target} is not supported")
        if target not in self.targets(source):
            raise ApiError(
                400,
                f"{codes.name(target)} ({codes.to_client(target)}) is not available as a "
                f"target language from {codes.name(source)} ({codes.to_client(source)})",
            )
        return target

    def prepare(self, request: TranslateRequest) -> Prepared:
        """Check the languages, cut the texts into sentences, read the memory (in a worker thread)."""
        if request.format == "html":
            items = [Item(markup.split(text)) for text in request.texts]
        else:
            items = [Item([markup.TextNode(text, text)]) for text in request.texts]
        source, detected = self._source(request, items)
        target = self._check_target(request, source)
        engine, route, version = self.pair(source, target)
        glossary = self.state.files.glossary()
        signature = str(Signature.for_route(route, version, engine.options(), glossary.version, checks=CHECKS_VERSION))
        sentences: list[str] = []
        for item in items:
            for n, piece in enumerate(item.pieces):
                if isinstance(piece, markup.TextNode):
                    document = parse(piece.text, "-", source, fmt="txt")
                    item.documents[n] = document
                    sentences += [s.text for s in document.segments]
        unique = list(dict.fromkeys(sentences))
        known = self._from_memory(unique, source, target, signature)
        todo = [s for s in unique if s not in known]
        return Prepared(request, source, target, detected, engine, route, signature, glossary, items, known, todo)

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

    def _run_batch(self, source: str, target: str) -> Callable[[list[str]], object]:
        async def run(sentences: list[str]) -> list[tuple[str, Notes]]:
            return await _in_executor(self.executor, self._translate_now, source, target, sentences)

        return run

    def _translate_now(self, source: str, target: str, sentences: list[str]) -> list[tuple[str, Notes]]:
        """One engine call (with its glossary retry) holding the engine, then the quality checks
        `translate run` stores with each machine text (in an engine thread)."""
        engine, route, _ = self.pair(source, target)
        glossary = self.state.files.glossary()
        with self._registry:
            lock = self._engine_locks.setdefault(engine.name, threading.Lock())
        with lock:
            results = translate_sentences(engine, route, sentences, glossary)
        rows = []
        for sentence, result in zip(sentences, results):  # finished in the target's typography, as `translate run` stores
            text = finished_text(result.text, target, sentence, set())
            notes = checked_notes(sentence, replace(result, text=text), engine, route, glossary)
            rows.append((text, finish_notes(notes, result.text, text, target)))
        return rows

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
            )  # type: ignore[arg-type]
        return self.batchers[key]

    async def translate(self, request: TranslateRequest) -> dict[str, object]:
        """POST /translate: LibreTranslate's reply, plus each text's provenance."""
        self.preparing += 1
        try:
            prepared = await run_in_threadpool(self.prepare, request)
        finally:
            self.preparing -= 1
        todo = prepared.todo
        self.queue.reserve(len(todo))
        try:
            results = await self.batcher(prepared.source, prepared.target).translate(todo) if todo else []
        finally:
            self.queue.release(len(todo))
        done = dict(prepared.known)
        done.update((s, Sentence.from_engine(s, r)) for s, r in zip(todo, results))
        others: dict[str, list[str]] = {}
        if request.alternatives > 0 and request.format == "text":
            machine = list(dict.fromkeys(s for s, sentence in done.items() if sentence.origin != "approved"))
            others = await _in_executor(self.executor, self._alternatives, prepared, machine, done)  # type: ignore[assignment]
        return reply(prepared, done, others)

    def _alternatives(self, prepared: Prepared, sentences: list[str], done: dict[str, Sentence]) -> dict[str, list[str]]:
        """Other pinned hypotheses of the machine sentences (in an engine thread, holding the engine)."""
        with self._registry:
            lock = self._engine_locks.setdefault(prepared.engine.name, threading.Lock())
        main = {s: done[s].text for s in sentences}
        with lock:
            return other_hypotheses(
                prepared.engine, prepared.route, prepared.glossary, sentences, main, prepared.request.alternatives
            )

    def close(self) -> None:
        for batcher in self.batchers.values():
            batcher.close()
        self.executor.shutdown(wait=False, cancel_futures=True)
        with self._registry:
            self.engines.close()


async def _in_executor(executor: ThreadPoolExecutor, function: Callable, *args: object) -> object:
    return await asyncio.get_running_loop().run_in_executor(executor, function, *args)


def _render(prepared: Prepared, item: Item, done: dict[str, Sentence]) -> str:
    def node(n: int) -> str | None:
        document = item.documents[n]
        if not document.segments:
            return None
        return document.render({s.index: done[s.text].text for s in document.segments}, prepared.target)

    if prepared.request.format == "html":
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
    if prepared.detected is not None:
        detected = prepared.detected.to_dict(codes.to_client(prepared.detected.language))
        out["detectedLanguage"] = [detected] * len(texts) if request.is_list else detected
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
