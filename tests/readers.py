"""What the tests read out of files and pages: an entry by its sentence, a stored translation, a regex group.

Each fails the test, saying what was missing, where the library would return None.
"""

from __future__ import annotations

import os
import re

import polib

from translate.engines.base import Engine, Route
from translate.memory.records import MemoryEntry
from translate.memory.store import TranslationMemory
from translate.run.pipeline import checked_notes, translate_sentences


def po_entry(po: polib.POFile | str | os.PathLike[str], msgid: str) -> polib.POEntry:
    """The entry of one sentence in a PO file (read from a path, or already read)."""
    catalog = po if isinstance(po, polib.POFile) else polib.pofile(os.fspath(po))
    found = catalog.find(msgid)
    assert found is not None, f"no entry for {msgid!r}"
    return found


def stored(memory: TranslationMemory, sentence: str, source: str = "en", target: str = "es") -> MemoryEntry:
    """The memory's entry for one sentence in one language."""
    entry = memory.get(sentence, source, target)
    assert entry is not None, f"the memory has no {source}→{target} entry for {sentence!r}"
    return entry


def first_group(pattern: str, text: str, flags: int = 0) -> str:
    """Group 1 of the first match of `pattern` in `text`."""
    found = re.search(pattern, text, flags)
    assert found is not None, f"{pattern!r} not found"
    return found.group(1)


def route_of(engine: Engine, source: str, target: str) -> Route:
    """The engine's route source→target, failing the test with the pair's name when it has none."""
    route = engine.route(source, target)
    assert route is not None, f"no route {source}→{target} in {engine.name}"
    return route


def through(engines, spec: str, target: str, sentences, glossary):
    """Sentences through a real route, each with the notes a run stores beside its draft."""
    route = engines.resolve(spec, "en", target)
    engine = engines.engine_for(route)
    results = translate_sentences(engine, route, sentences, glossary)
    return [(result, checked_notes(s, result, engine, route, glossary)) for s, result in zip(sentences, results)]
