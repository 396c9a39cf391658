"""Apertium: rule-based translation through the `apertium` command and its installed modes.

Apertium pairs are Debian packages (apertium-eng-spa, apertium-es-pt...; see
apertium_packages.py) that install *modes*, pipelines named like 'eng-spa' or 'es-pt_BR'. This engine discovers them with
`apertium -l`, maps mode names to the project's language codes, and reaches languages
without a direct pair through one intermediate language (Spanish first, then Catalan).

A whole list of sentences goes through one `apertium` process per hop: sentences are
joined by blank lines, which Apertium keeps as superblanks, and split back; if the
count ever differs the batch is halved until it does not, so an odd sentence cannot
lose the others. Apertium leaves small traces (doubled spaces, a space before final
punctuation, `#` marks, a lost capital); `tidy` removes only what the source lacks.

Apertium runs without `-u`, so it marks its doubts: `*word` a word it does not
know (passed through as written), `#word` a word it could not generate, `@word`
one it could not transfer. `read_marks` records them per hop with the words
themselves (the quality checks use them: on the essays, 62 of 114 Spanish
sentences hold an unknown English word, and every Croatian sentence generation
or transfer errors). The text must stay the one `-u` gives, and `-u` changes
more than the marks (without it "de *uncounscious" is not elided to
"d'uncounscious": 15 French and 6 Catalan sentences differed), so the sentences
with an unknown word go through the hop a second time with `-u` (62 of 114 in
Spanish: measured, the hop costs about a third more); the others are the same
either way and `tidy` removes their `#` and `@`.
"""

from __future__ import annotations

import copy
import logging
import os
import re
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from translate.config import Config
from translate.engines import apertium_packages
from translate.engines.apertium_packages import PIVOT_PREFERENCE, debian_models
from translate.engines.apertium_pipeline import Pipeline, from_stream, mode_file, to_stream
from translate.engines.apertium_terms import TERMS_VERSION, TermDictionaries
from translate.engines.base import Engine, EngineMark, Progress, Route, with_edges
from translate.engines.lttoolbox import (
    LtProc,
    analysers_for,
    datadir_of,
    generator_of,
    mode_stages,
    postgenerator_of,
)
from translate.errors import EngineError, LanguageError, ModelError
from translate.glossary.model import Glossary
from translate.languages import base_language, normalize, validate
from translate.markup import has_markers

log = logging.getLogger(__name__)

Runner = Callable[[list[str], str, float], "subprocess.CompletedProcess[str]"]
"""Runs argv with text on stdin and a timeout; injectable so tests can count calls."""

TIDY_VERSION = "1"  # bump when tidy() changes, so signatures (and memories) notice
MARKS_KEPT = 200_000  # outputs whose marks are remembered during one run

# ISO 639-3 names in mode names -> the project's codes (ISO 639-1 where one exists).
ISO3_TO_CODE = {
    "afr": "af",
    "arg": "an",
    "ast": "ast",
    "bel": "be",
    "bul": "bg",
    "cat": "ca",
    "ces": "cs",
    "cym": "cy",
    "dan": "da",
    "deu": "de",
    "ell": "el",
    "eng": "en",
    "epo": "eo",
    "spa": "es",
    "est": "et",
    "eus": "eu",
    "fin": "fi",
    "fra": "fr",
    "gle": "ga",
    "glg": "gl",
    "hbs": "hbs",
    "hin": "hi",
    "isl": "is",
    "ind": "id",
    "ita": "it",
    "kaz": "kk",
    "mkd": "mk",
    "mlt": "mt",
    "nld": "nl",
    "nno": "nn",
    "nob": "nb",
    "nor": "no",
    "oci": "oc",
    "pol": "pl",
    "por": "pt",
    "ron": "ro",
    "rus": "ru",
    "slv": "sl",
    "srd": "sc",
    "swe": "sv",
    "tat": "tt",
    "tur": "tr",
    "ukr": "uk",
    "urd": "ur",
    "zlm": "ms",
}

# Mode variants that are languages in their own right; other variants (cat_valencia,
# cat_iec2017, oc_aran, eng_US...) are spelling choices and are not exposed.
VARIANTS = {("hbs", "SR"): "sr", ("hbs", "HR"): "hr", ("hbs", "BS"): "bs", ("pt", "BR"): "pt_BR"}

PIVOT_CACHE_SIZE = 50_000  # sentences

_SEPARATOR = re.compile(r"\n[ \t]*\n")
_BLANK_LINES = re.compile(r"\n\s*\n")
_WORD = re.compile(r"[^\W\d_]+")
_CLOSING_PUNCTUATION = ".,;:!?)…"
_MARKS = "*#@"
_MARK_KINDS = {"*": "unknown", "#": "generation", "@": "transfer"}
_MARKED_WORD = re.compile(r"(?<![\w*#@])([*#@])([^\W\d_]+)")


def available(binary: str = "apertium") -> bool:
    """Whether the apertium command is installed here."""
    return shutil.which(binary) is not None


def run_subprocess(argv: list[str], text: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """The default runner: one process group, text in and out as UTF-8.

    On timeout the whole group is killed, not only the `apertium` shell script, so
    no pipeline stage is left running.
    """
    with subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(text, timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
    return subprocess.CompletedProcess(argv, process.returncode, stdout, stderr)


def _code(part: str) -> str | None:
    """'eng' -> 'en', 'hbs_SR' -> 'sr', 'cat_valencia' -> None (not exposed)."""
    lang, *variant = part.split("_")
    lang = ISO3_TO_CODE.get(lang, lang)
    code = VARIANTS.get((lang, "_".join(variant))) if variant else lang
    if code is None:
        return None
    try:
        return validate(code)
    except LanguageError:
        return None


def parse_mode(mode: str) -> tuple[str, str] | None:
    """A mode name as (source, target) codes, or None for debug/bytecode/old/variant modes."""
    parts = mode.strip().split("-")
    if len(parts) != 2:  # en-eo-bytecode, spa-ast-old, eco-es-fr, eo-en-compounds...
        return None
    source, target = _code(parts[0]), _code(parts[1])
    return (source, target) if source and target and source != target else None


def read_marks(output: str, hop: str) -> list[EngineMark]:
    """The words Apertium marked in a raw output (`*unknown`, `#generation`, `@transfer`), in order."""
    return [EngineMark(_MARK_KINDS[m.group(1)], m.group(2), hop) for m in _MARKED_WORD.finditer(output)]


def _real_marks(source: str, marks: list[EngineMark]) -> tuple[EngineMark, ...]:
    """Marks, less a `*` that is Markdown emphasis: an unknown word is passed through, so the input has it."""
    words = set(_WORD.findall(source))
    return tuple(m for m in marks if m.kind != "unknown" or m.word in words)


def tidy(source: str, output: str) -> str:
    """Remove what Apertium added to a sentence and the source does not have.

    Doubled spaces, spaces before closing punctuation (only for marks the source
    never spaces, so French-style ' ;' survives), unknown-word marks, straight
    apostrophes where the source types curly ones, and a lost initial capital.
    """
    out = output.strip()
    for mark in _MARKS:
        if mark not in source:
            out = out.replace(mark, "")
    if "  " not in source:
        out = re.sub(r" {2,}", " ", out)
    for mark in _CLOSING_PUNCTUATION:
        if f" {mark}" not in source:
            out = re.sub(rf" +(?={re.escape(mark)})", "", out)
    if "’" in source and "'" not in source:
        out = out.replace("'", "’")
    return _fix_initial_case(source, out.strip())


def _fix_initial_case(source: str, output: str) -> str:
    """Capitalize the output when the source starts capitalized, un-shouting a leading run."""
    first_source, first_output = _WORD.search(source), _WORD.search(output)
    if not first_source or not first_output:
        return output
    word = first_source.group(0)
    if not word[0].isupper() or (len(word) > 1 and word.isupper()):
        return output
    shouted = {w for w in _WORD.findall(source) if w.isupper()}
    run, end = [], first_output.start()
    for match in _WORD.finditer(output, end):
        w = match.group(0)
        if output[end : match.start()].strip() or len(w) < 2 or not w.isupper() or w in shouted:
            break
        run.append(match)
        end = match.end()
    if len(run) >= 2:  # a shouted multiword ('EN ÇÒ QUE TANH'), not an acronym ('EUA')
        head = output[: run[0].start()] + output[run[0].start() : end].lower()
        output = head + output[end:]
    i = first_output.start()
    return output[:i] + output[i].upper() + output[i + 1 :]


class ApertiumEngine(Engine):
    """Apertium modes as an engine: discovery, routes (direct or one pivot) and batches."""

    name = "apertium"
    carries_markup = True  # inline markup reaches it as blanks it keeps (translate/markup.py)

    def __init__(
        self,
        binary: str = "apertium",
        datadir: str | None = None,
        timeout: float = 300.0,
        batch_chars: int = 200_000,
        runner: Runner | None = None,
    ) -> None:
        self.binary = binary
        self.datadir = datadir
        self.timeout = timeout
        self.batch_chars = batch_chars
        self.runner = runner or run_subprocess
        # Modes kept running (apertium_pipeline.py), by mode and marks: the API's many small batches turn it on.
        # Off for `translate run`: a kept pipeline's tagger carries its context from one call into the next (the
        # first sentence of a call may come out otherwise: 4 of 114 on en→es→pt), and a run's text must not
        # depend on what was translated before it under the same signature.
        self.keep_running = False
        self.max_kept = 10  # modes kept running at once (about 100 MB each); the least recently used one goes first
        self._pipelines: dict[tuple[str, bool], Pipeline] = {}  # in order of use, the latest last
        self._pairs: dict[tuple[str, str], str] | None = None
        self._version: str | None = None
        # Hops shared by several targets (en→es for es, pt, fr, it...) run once per sentence. A run's
        # jobs run in parallel threads: one lock per mode and list of texts makes a second language's
        # job wait for the first's identical hop and take it from the cache instead of running it
        # again, while two jobs of one language (two lists) run at once. Kept modes (the API) are one
        # process each: one lock per mode.
        self._pivot_cache: dict[tuple[str, str], tuple[str, tuple[EngineMark, ...]]] = {}
        self._mode_locks: dict[str, threading.Lock] = {}
        self._list_locks: dict[tuple[str, int], list] = {}  # (mode, hash of the texts) -> [lock, holders]
        self._locks_lock = threading.Lock()
        # Marks of this run's outputs, by route and output text (see `marks`).
        self._marks: dict[tuple[tuple[str, ...], str], tuple[EngineMark, ...]] = {}
        self.terms: TermDictionaries | None = None  # the glossary in the pairs' own dictionaries (with_glossary)
        self._stock: ApertiumEngine = self
        self._term_sets: dict[str, TermDictionaries] = {}  # by glossary version, shared by every language of a run

    @classmethod
    def from_config(cls, config: Config) -> ApertiumEngine:
        return cls(timeout=config.engine.timeout)

    @classmethod
    def unavailable(cls) -> str | None:
        return None if available() else "apertium is not installed (Debian/Ubuntu: apt-get install apertium)"

    @classmethod
    def install_hint(cls, source: str, target: str) -> str | None:
        return apertium_packages.install_hint(source, target)

    @classmethod
    def environment(cls, config: Config) -> str | None:
        return f"{apertium_packages.installed_stamp()} tidy={TIDY_VERSION}"

    # discovery -----------------------------------------------------------------
    def _argv(self, *args: str) -> list[str]:
        return [self.binary, *(["-d", self.datadir] if self.datadir else []), *args]

    def _run(self, argv: list[str], text: str = "") -> subprocess.CompletedProcess[str]:
        if shutil.which(self.binary) is None:
            raise ModelError(f"'{self.binary}' not found; Debian package: apt-get install apertium")
        try:
            return self.runner(argv, text, self.timeout)
        except FileNotFoundError:
            raise ModelError(f"'{self.binary}' not found; apt-get install apertium") from None
        except subprocess.TimeoutExpired:
            raise EngineError(f"apertium timed out after {self.timeout:g} s ({' '.join(argv[1:])})") from None

    def modes(self) -> dict[tuple[str, str], str]:
        """(source, target) -> mode name for every usable mode `apertium -l` lists."""
        if self._pairs is None:
            done = self._run(self._argv("-l"))
            if done.returncode != 0:
                raise EngineError(f"apertium -l failed: {_last_line(done.stderr)}")
            names = sorted({line.strip() for line in done.stdout.splitlines() if line.strip()})
            pairs: dict[tuple[str, str], str] = {}
            # Plain modes before variants; for the same pair, ISO 639-3 names (newer packages) first.
            for mode in sorted(names, key=lambda m: ("_" in m, -len(m.split("-")[0]), m)):
                pair = parse_mode(mode)
                if pair and pair not in pairs:
                    pairs[pair] = mode
            self._pairs = pairs
        return self._pairs

    def _model(self, mode: str) -> str:
        datadir = self.datadir or os.environ.get("APERTIUM_DATADIR")  # where `apertium` itself looks
        models = debian_models(datadir, tuple(sorted(self.modes().values())))
        return models.get(mode, mode)

    def version(self) -> str:
        if self._version is None:
            done = self._run(self._argv("-V"))
            words = done.stdout.split()
            self._version = words[-1] if done.returncode == 0 and words else "unknown"
        return self._version

    def reads(self, source: str) -> str:
        """The code whose modes read `source`: itself, or for a variant with no mode of its own its language
        (Apertium's Portuguese analysers read Brazilian and European text alike: pt_BR goes through pt-es)."""
        source = normalize(source)
        if any(s == source for s, _ in self.modes()):
            return source
        return base_language(source)

    def routes(self, source: str) -> dict[str, Route]:
        source = normalize(source)
        pairs = self.modes()
        reads = self.reads(source)
        own = base_language(source)
        direct = {t: mode for (s, t), mode in pairs.items() if s == reads and base_language(t) != own}
        routes = {t: Route(self.name, (source, t), (self._model(mode),)) for t, mode in direct.items()}
        for pivot in self._pivots(direct):
            for (s, t), mode in sorted(pairs.items()):
                if s == pivot and base_language(t) != own and t not in routes:
                    models = (self._model(direct[pivot]), self._model(mode))
                    routes[t] = Route(self.name, (source, pivot, t), models)
        return dict(sorted(routes.items()))

    def candidates(self, source: str, target: str) -> list[Route]:
        """The direct pair, then every route through one intermediate language (Spanish, Catalan first)."""
        source, target = normalize(source), normalize(target)
        if base_language(source) == base_language(target):
            return []
        pairs = self.modes()
        reads = self.reads(source)
        direct = {t: mode for (s, t), mode in pairs.items() if s == reads and base_language(t) != base_language(source)}
        found = [Route(self.name, (source, target), (self._model(direct[target]),))] if target in direct else []
        for pivot in self._pivots(direct):
            mode = pairs.get((pivot, target))
            if mode and pivot != target:
                found.append(Route(self.name, (source, pivot, target), (self._model(direct[pivot]), self._model(mode))))
        return found

    @staticmethod
    def _pivots(direct: dict[str, str]) -> list[str]:
        rank = {code: n for n, code in enumerate(PIVOT_PREFERENCE)}
        return sorted(direct, key=lambda c: (rank.get(c, len(rank)), "_" in c, c))

    def sources(self) -> set[str]:
        return {source for source, _ in self.modes()}

    def options(self) -> str:
        terms = f" terms={TERMS_VERSION}" if self.terms else ""
        return f"-f txt -u tidy={TIDY_VERSION} marks=1{terms}"

    def with_glossary(self, glossary: Glossary) -> ApertiumEngine:
        """This engine with the glossary's terms in the pairs' own dictionaries (apertium_terms.py):
        Apertium then inflects them and makes the words around them agree. Shares this engine's
        caches; its outputs are remembered apart from the stock engine's."""
        if not glossary.concepts or not shutil.which("lt-comp") or not shutil.which("lt-append"):
            return self
        stock = self._stock
        with stock._locks_lock:
            terms = stock._term_sets.get(glossary.version)
            if terms is None:
                languages = {code for pair in stock.modes() for code in pair}
                analysers = {code: analysers_for(code, stock.modes(), _code, stock.datadir) for code in languages}
                terms = stock._term_sets[glossary.version] = TermDictionaries(glossary, analysers, datadir_of(stock.datadir))
        engine = copy.copy(stock)
        engine.terms = terms
        return engine

    def without_glossary(self) -> ApertiumEngine:
        return self._stock

    def analyser(self, language: str) -> LtProc | None:
        """An installed analyser of a language (for judging drafts word by word), or None."""
        found = analysers_for(language, self.modes(), _code, self.datadir)
        return LtProc(found[0]) if found else None

    def generators_for(self, language: str) -> tuple[LtProc, LtProc] | None:
        """The generator and post-generator of a mode into `language` (from Spanish first): how the engine
        marks and then elides or contracts its words ('~de usine' → "d'usine")."""
        rank = {code: n for n, code in enumerate(PIVOT_PREFERENCE)}
        for _, mode in sorted(
            ((pair, mode) for pair, mode in self.modes().items() if pair[1] == normalize(language)),
            key=lambda item: (rank.get(item[0][0], len(rank)), item[1]),
        ):
            path = mode_file(mode, self.datadir)
            stages = mode_stages(path.read_text(encoding="utf-8")) if path is not None else []
            generator, postgenerator = generator_of(stages), postgenerator_of(stages)
            if generator and postgenerator:
                return LtProc(generator, ("-g",)), LtProc(postgenerator, ("-p",))
        return None

    def marks(self, route: Route, output: str) -> tuple[EngineMark, ...]:
        return self._marks.get((route.steps, output), ())

    def close(self) -> None:
        self._pivot_cache.clear()
        self._marks.clear()
        with self._locks_lock:
            pipelines, self._pipelines = list(self._pipelines.values()), {}
        for pipeline in pipelines:
            pipeline.close()

    # translation ----------------------------------------------------------------
    def _hop_modes(self, route: Route) -> list[str]:
        pairs = self.modes()
        modes = []
        for source, target in zip(route.steps, route.steps[1:], strict=False):
            mode = pairs.get((source, target)) or pairs.get((self.reads(source), target))
            if mode is None:
                hint = apertium_packages.install_hint(source, target)
                to_add = f"; to add it: {hint}" if hint else ""
                raise ModelError(f"no Apertium pair {source}→{target} installed here{to_add}")
            modes.append(mode)
        return modes

    def translate(self, sentences: Sequence[str], route: Route, progress: Progress | None = None) -> list[str]:
        modes = self._hop_modes(route)
        results = list(sentences)
        todo = [i for i, s in enumerate(sentences) if s.strip()]
        if len(todo) < len(sentences) and progress:
            progress(len(sentences) - len(todo))
        for chunk in self._chunks(todo, sentences):
            # Blank lines are the batch separator, so none may stay inside a sentence.
            texts = [_BLANK_LINES.sub("\n", sentences[i].strip()) for i in chunk]
            marks: list[tuple[EngineMark, ...]] = [()] * len(chunk)
            for hop, mode in enumerate(modes):
                folder = self.terms.folder(modes, route.steps, hop) if self.terms else None
                done = self._hop(mode, texts, f"{route.steps[hop]}>{route.steps[hop + 1]}", folder)
                texts = [text for text, _ in done]
                if self.terms:  # a rendering Apertium glued to the next word ("negaciónabsoluta"), before the next hop
                    texts = self.terms.unglue(modes, route.steps, hop, texts)
                marks = [before + hop_marks for before, (_, hop_marks) in zip(marks, done, strict=True)]
            for i, text, found in zip(chunk, texts, marks, strict=True):
                results[i] = with_edges(sentences[i], text)
                if len(self._marks) < MARKS_KEPT:
                    self._marks[(route.steps, results[i])] = found
            if progress:
                progress(len(chunk))
        return results

    def _hop(self, mode: str, texts: list[str], hop: str, folder: str | None = None) -> list[tuple[str, tuple[EngineMark, ...]]]:
        """One hop for a list of texts: tidied texts and their marks, remembered for the next target
        that passes this way (a pivot, or the direct pair's own language). `folder`: the mode with the
        glossary in its dictionaries (None: the installed one)."""
        key = f"{folder}/{mode}" if folder else mode
        with self._hop_lock(key, texts):
            missing = list(dict.fromkeys(t for t in texts if (key, t) not in self._pivot_cache))
            marked = dict(zip(missing, self._batch(mode, missing, True, folder), strict=True)) if missing else {}
            found = {t: _real_marks(t, read_marks(out, hop)) for t, out in marked.items()}
            unsure = [t for t in missing if "*" in marked[t]]  # `-u` may print these differently, not only unmarked
            plain = dict(zip(unsure, self._batch(mode, unsure, False, folder), strict=True)) if unsure else {}
            done = {t: (tidy(t, plain.get(t, out)), found[t]) for t, out in marked.items()}
            if len(self._pivot_cache) < PIVOT_CACHE_SIZE:
                self._pivot_cache.update(((key, t), out) for t, out in done.items())
            return [done[t] if t in done else self._pivot_cache[(key, t)] for t in texts]

    @contextmanager
    def _hop_lock(self, mode: str, texts: list[str]) -> Iterator[None]:
        """The mode's lock for kept modes (`mode` named as `_kept` names it: folder/mode with the glossary);
        else a lock for this mode and list of texts, dropped when unused."""
        if self.keep_running:
            with self._locks_lock:
                lock = self._mode_locks.setdefault(mode, threading.Lock())
            with lock:
                yield
            return
        key = (mode, hash(tuple(texts)))
        with self._locks_lock:
            entry = self._list_locks.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        try:
            with entry[0]:
                yield
        finally:
            with self._locks_lock:
                entry[1] -= 1
                if not entry[1]:
                    del self._list_locks[key]

    def _chunks(self, todo: list[int], sentences: Sequence[str]) -> list[list[int]]:
        chunks: list[list[int]] = [[]]
        size = 0
        for i in todo:
            if chunks[-1] and size + len(sentences[i]) > self.batch_chars:
                chunks.append([])
                size = 0
            chunks[-1].append(i)
            size += len(sentences[i]) + 2
        return [c for c in chunks if c]

    def _batch(self, mode: str, texts: list[str], marks: bool, folder: str | None = None) -> list[str]:
        """One process for the whole list (with the engine's marks, or as `-u` prints it);
        halve the batch if the count comes back wrong."""
        output = self._call(mode, "\n\n".join(texts) + "\n", marks, folder).strip("\n")
        if len(texts) == 1:
            return [_SEPARATOR.sub("\n", output)]
        parts = _SEPARATOR.split(output)
        if len(parts) == len(texts):
            return parts
        log.warning("apertium %s gave %d sentences for %d; retrying in halves", mode, len(parts), len(texts))
        half = len(texts) // 2
        return self._batch(mode, texts[:half], marks, folder) + self._batch(mode, texts[half:], marks, folder)

    def _call(self, mode: str, text: str, marks: bool = False, folder: str | None = None) -> str:
        """One call of a mode (the caller holds the mode's lock): through its running processes when it can.
        `folder`: the mode with the glossary in its dictionaries (None: the installed one)."""
        if self.keep_running and text.strip():
            kept = self._kept(mode, text, marks, folder)
            if kept is not None:
                return kept
        argv = [self.binary, "-d", folder] if folder else self._argv()
        if has_markers(text):  # inline markup as blanks (translate/markup.py): the stream is made here
            stream = to_stream(self._run(["apertium-destxt"], text).stdout)
            done = self._run([*argv, *(() if marks else ("-u",)), "-f", "none", mode], stream)
            if done.returncode == 0:
                output = self._run(["apertium-retxt"], from_stream(done.stdout)).stdout
                done = subprocess.CompletedProcess(done.args, 0, output, done.stderr)
        else:
            done = self._run([*argv, *(() if marks else ("-u",)), "-f", "txt", mode], text)
        # The pipeline runs without pipefail: a broken stage exits 0 with nothing on stdout.
        if done.returncode != 0 or (text.strip() and not done.stdout.strip()):
            message = _last_line(done.stderr) or f"exit status {done.returncode}"
            if "does not exist" in done.stderr:
                raise ModelError(f"apertium has no mode '{mode}': {message}")
            raise EngineError(f"apertium {mode} failed: {message}")
        return done.stdout

    def _make_room(self, mode: str) -> None:
        """Close the least recently used kept modes past `max_kept - 1` (only idle ones: their mode's lock is free)."""
        with self._locks_lock:
            candidates = [key for key in self._pipelines if key[0] != mode]
        for key in candidates[: max(0, len(self._pipelines) - self.max_kept + 1)]:
            lock = self._mode_locks.get(key[0])
            if lock is None or not lock.acquire(blocking=False):
                continue  # translating right now: it stays
            try:
                with self._locks_lock:
                    pipeline = self._pipelines.pop(key, None)
                if pipeline is not None:
                    pipeline.close()
            finally:
                lock.release()

    def _kept(self, mode: str, text: str, marks: bool, folder: str | None = None) -> str | None:
        """The mode's running processes' answer; None (after a warning) when they cannot give one, so that
        the call goes the usual way and a broken pipeline is started afresh next time."""
        name = f"{folder}/{mode}" if folder else mode  # as `_hop` names the mode's lock
        key = (name, marks)
        pipeline = self._pipelines.get(key)
        try:
            if pipeline is None or not pipeline.alive():
                path = mode_file(mode, folder or self.datadir)
                if path is None or shutil.which("apertium-wblank-mode") is None:
                    self.keep_running = False
                    return None
                if pipeline is not None:
                    pipeline.close()
                self._make_room(name)
                pipeline = Pipeline(path, unknown_marks=marks)
            with self._locks_lock:
                self._pipelines.pop(key, None)
                self._pipelines[key] = pipeline  # the latest used last
            return pipeline.translate(text, self.timeout)
        except (EngineError, OSError, subprocess.SubprocessError) as err:
            log.warning("apertium %s kept running failed (%s); running it once instead", mode, err)
            with self._locks_lock:
                self._pipelines.pop(key, None)
            if pipeline is not None:
                pipeline.close()
            return None


def _last_line(stderr: str) -> str:
    """The most telling line of apertium's stderr (the first line that says Error, else the last)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines or [""])[0 if errors else -1]
