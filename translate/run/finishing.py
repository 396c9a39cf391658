"""Finishing machine drafts in the run: new ones after the engine, stored ones when the rules change.

`translate.finish` puts a draft in its language's typography and spelling. New
translations are finished as they come from the glossary layer; the engine's
own text is kept in the notes (`draft`) with the finishing version
(`finished`). When the finishing rules change (a new typography table, CLDR
data, the Portuguese dictionary appearing), a run finishes every stored
machine draft again from that text, with no engine call: the rules are
deliberately not part of the signature, which would send every unreviewed
sentence back to the engine. Reviewed text is never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace

from translate.finish import finish, finish_version
from translate.finish.spans import place_quotes, quoted_spans
from translate.glossary import agreement
from translate.glossary.matching import matcher
from translate.glossary.model import Glossary
from translate.glossary.pinning import PinnedResult
from translate.memory.notes import Notes
from translate.memory.records import MemoryEntry
from translate.segment import Document

Row = tuple[str, str, Notes]

QUOTES_TRAVEL = True
"""Switched off only by `without_repairs` (make bench measures the drafts both ways)."""


@contextmanager
def without_repairs() -> Iterator[None]:
    """The pipeline as it was before its repairs: no agreement around pinned terms, no quotes moved
    (finishing itself is left out by not calling `finish`). For `make bench`'s before/after figures."""
    global QUOTES_TRAVEL
    saved = QUOTES_TRAVEL, agreement.REPAIR
    QUOTES_TRAVEL, agreement.REPAIR = False, False
    try:
        yield
    finally:
        QUOTES_TRAVEL, agreement.REPAIR = saved


def quotes_follow_their_words(
    sentences: Sequence[str], results: list[PinnedResult], translate: Callable[[list[str]], list[PinnedResult]]
) -> list[PinnedResult]:
    """Each short quotation of a source around the words that translate it (translate.finish.spans):
    the quoted spans of every sentence go through `translate` once, in one batch; a quotation that
    cannot be placed is named in the result, for the quality signals."""
    if not QUOTES_TRAVEL:
        return results
    spans = {i: quoted_spans(s) for i, s in enumerate(sentences)}
    unique = list(dict.fromkeys(span for found in spans.values() for span in found))
    if not unique:
        return results
    rendered = dict(zip(unique, (r.text for r in translate(unique)), strict=True))
    out = []
    for i, (sentence, result) in enumerate(zip(sentences, results, strict=True)):
        if not spans[i]:
            out.append(result)
            continue
        text, unplaced = place_quotes(sentence, result.text, [rendered[s] for s in spans[i]])
        out.append(replace(result, text=text, unplaced_quotes=tuple(unplaced)))
    return out


def speaker_label(glossary: Glossary, source: str, target: str) -> Callable[[str], str]:
    """How a dialogue's speaker label ("Stalin:") is written in `target`: the name as the glossary spells it
    there ("Staline"), in the language's typography ("Staline\u00a0:" in French)."""
    names = matcher(glossary, source)

    def label(text: str) -> str:
        name = text.rstrip(":")
        found = [m for m in names.find(name) if m.start == 0 and m.end == len(name)]
        rendering = (found[0].concept.preferred(target) or name) if found else name
        return finish(rendering + ":", target).rstrip()

    return label


def heading_sentences(documents: Iterable[Document]) -> set[str]:
    """The sentences that are headings in some document (they get sentence case where the language writes it)."""
    return {s.text for d in documents for s in d.segments if s.kind == "heading"}


def finished_text(draft: str, target: str, sentence: str, headings: set[str]) -> str:
    return finish(draft, target, heading=sentence in headings)


def finish_notes(notes: Notes, draft: str, text: str, target: str) -> Notes:
    """Notes recording the engine's draft (when finishing changed it) and the finishing version."""
    return replace(notes, draft=draft if draft != text else None, finished=finish_version(target))


def refinished(entries: Mapping[str, MemoryEntry], target: str, headings: set[str]) -> list[Row]:
    """Stored machine drafts finished by older rules, finished again: the rows to store (no engine)."""
    version = finish_version(target)
    rows: list[Row] = []
    for sentence, entry in entries.items():
        if entry.status != "machine" or entry.machine_text is None or entry.notes.finished == version:
            continue
        if entry.notes.left_untranslated:  # the source stands in, as written
            continue
        draft = entry.notes.draft or entry.machine_text
        text = finished_text(draft, target, sentence, headings)
        notes = finish_notes(entry.notes, draft, text, target)
        notes.signals = _still_there(notes.signals, text)
        rows.append((sentence, text, notes))
    return rows


def _still_there(signals: Sequence | None, text: str) -> list | None:
    """The signals, less a spelling signal whose words the finished text no longer has (a respelled word
    is gone). The other checks' words need not be in the text: quoted source words whose marks could
    not follow them, missing glossary terms, a pivot step's unknown words; they stay."""
    if signals is None:
        return None
    lowered = text.lower()
    return [s for s in signals if s.check != "spelling" or any(w.lower() in lowered for w in s.words)]
