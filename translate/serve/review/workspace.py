"""What the review pages show, read from the project: texts, glossary, memory, review log.

Each function here is plain blocking code (SQLite, file reads): the routes run
them in a worker thread so the server keeps answering while one waits. The
memory is read afresh on every request, so a page always shows the newest
decision, whoever made it and however (browser or PO).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from translate import languages
from translate.glossary.matching import matcher
from translate.glossary.model import Glossary
from translate.glossary.pinning import pinned_target
from translate.memory.records import MemoryEntry, ReviewDecision
from translate.memory.store import TranslationMemory
from translate.review.po_export import block_label, check_comments, notes_comments
from translate.review.queue import QueueItem, front_count, review_queue
from translate.segment import Segment
from translate.serve.project import ProjectFiles
from translate.texts import SourceText


def distinct_segments(text: SourceText) -> list[Segment]:
    """Each sentence once, where it first occurs (the memory keys by sentence, as the PO files do)."""
    seen: dict[str, Segment] = {}
    for segment in text.document.segments:
        seen.setdefault(segment.text, segment)
    return list(seen.values())


@dataclass(frozen=True)
class Queue:
    """A text's sentences in the order the pages offer them: the review queue, then the rest."""

    order: list[str]  # source hashes: unapproved sentences most in need of a person first, then the others
    waiting: dict[str, QueueItem]  # the review queue's items by source hash (not approved, translated)

    @property
    def flagged(self) -> int:
        return front_count(list(self.waiting.values()))


def text_queue(memory: TranslationMemory, text: SourceText, language: str, source: str) -> Queue:
    """The project's review queue for one text (translate.review.queue: flagged first, then drafts, then
    the others by score and reading order), followed by the approved and untranslated sentences in
    reading order, so that every sentence can be reached."""
    items = review_queue(memory, [text], language, source)
    waiting = {item.source_hash: item for item in items}
    rest = [s.source_hash for s in distinct_segments(text) if s.source_hash not in waiting]
    return Queue([item.source_hash for item in items] + rest, waiting)


# ---------------------------------------------------------------- progress


@dataclass
class TextProgress:
    stem: str
    file: str
    title: str
    sentences: int
    approved: int = 0
    drafts: int = 0
    untranslated: int = 0
    flagged: int = 0  # at the front of the review queue

    @property
    def to_review(self) -> int:
        return self.sentences - self.approved

    @property
    def percent(self) -> int:
        return round(100 * self.approved / self.sentences) if self.sentences else 100


@dataclass
class LanguageProgress:
    code: str
    name: str
    texts: list[TextProgress] = field(default_factory=list)


def progress(files: ProjectFiles, memory: TranslationMemory, langs: tuple[str, ...]) -> list[LanguageProgress]:
    """Per language and text: sentences, approved, drafts, not yet translated."""
    texts = files.texts()
    source = files.config.source_language
    out = []
    for lang in langs:
        row = LanguageProgress(lang, languages.name_or_code(lang))
        for text in texts:
            segments = distinct_segments(text)
            entries = memory.lookup([s.text for s in segments], source, lang)
            item = TextProgress(text.stem, text.path.name, text.document.title, len(segments))
            for segment in segments:
                entry = entries.get(segment.text)
                if entry is None or (entry.machine_text is None and entry.final_text is None):
                    item.untranslated += 1
                elif entry.status == "approved":
                    item.approved += 1
                elif entry.status == "draft":
                    item.drafts += 1
            item.flagged = text_queue(memory, text, lang, source).flagged
            row.texts.append(item)
        out.append(row)
    return out


# ---------------------------------------------------------------- one sentence


@dataclass(frozen=True)
class SourcePiece:
    """A stretch of the source sentence; `term` is set where a glossary term sits."""

    text: str
    term: str = ""  # the pinned rendering in the target language ('' = not a term)
    concept: str = ""


@dataclass(frozen=True)
class TermNote:
    source: str
    rendering: str  # '' when the glossary has no term in this language yet
    status: str  # approved | proposed
    keep: bool  # kept as written (a name)
    note: str


@dataclass(frozen=True)
class ContextSentence:
    source: str
    target: str
    current: bool
    source_hash: str


@dataclass
class SentenceView:
    """Everything the review page shows for one sentence in one language."""

    text: SourceText
    language: str
    segment: Segment
    entry: MemoryEntry | None
    position: int  # 1-based place in the text (distinct sentences in reading order): stable while reviewing
    total: int
    waiting: int  # sentences of the text in the review queue (not approved yet)
    place: str  # 'paragraph 3, sentence 2 of 4'
    pieces: list[SourcePiece]
    terms: list[TermNote]
    paragraph: list[ContextSentence]
    notes: list[str]
    queued: QueueItem | None  # its place in the review queue and why (None: approved or untranslated)
    history: list[ReviewDecision]
    previous: str | None  # source hash of the previous sentence in the queue
    next: str | None

    @property
    def source_hash(self) -> str:
        return self.segment.source_hash

    @property
    def machine_text(self) -> str:
        return (self.entry.machine_text or "") if self.entry else ""

    @property
    def current_text(self) -> str:
        """What the editor starts with: the recorded human text, else the machine draft."""
        if self.entry is None:
            return ""
        if self.entry.status in ("draft", "approved") and self.entry.final_text is not None:
            return self.entry.final_text
        return self.entry.machine_text or ""

    @property
    def status(self) -> str:
        return self.entry.status if self.entry else "untranslated"

    @property
    def rtl(self) -> bool:
        return languages.is_rtl(self.language)


def _pieces(sentence: str, glossary: Glossary, source: str, target: str) -> tuple[list[SourcePiece], list[TermNote]]:
    pieces: list[SourcePiece] = []
    notes: dict[tuple[str, str], TermNote] = {}
    at = 0
    for match in matcher(glossary, source).find(sentence):
        if match.start < at:
            continue
        if match.start > at:
            pieces.append(SourcePiece(sentence[at : match.start]))
        rendering = pinned_target(match.concept, match.text, target) or ""
        pieces.append(SourcePiece(match.text, rendering or "?", match.concept.id))
        key = (match.concept.id, match.text.lower())
        if key not in notes:
            termset = match.concept.languages.get(target)
            notes[key] = TermNote(
                source=match.text,
                rendering=rendering,
                status=match.concept.status_in(target),
                keep=not match.concept.translate and rendering == match.text,
                note=(termset.note if termset and termset.note else match.concept.note),
            )
        at = match.end
    if at < len(sentence):
        pieces.append(SourcePiece(sentence[at:]))
    return pieces, list(notes.values())


def _place(text: SourceText, segment: Segment) -> str:
    in_block = [s for s in text.document.segments if s.block == segment.block]
    label = block_label(text.document, segment.block)
    if len(in_block) > 1:
        position = next(k for k, s in enumerate(in_block) if s.index == segment.index)
        label += f", sentence {position + 1} of {len(in_block)}"
    return label


def find_segment(text: SourceText, source_hash: str) -> Segment | None:
    """A sentence of the text by its hash (its first occurrence), or None."""
    return next((s for s in distinct_segments(text) if s.source_hash == source_hash), None)


def sentence_view(
    files: ProjectFiles,
    memory: TranslationMemory,
    language: str,
    text: SourceText,
    source_hash: str,
    queue: Queue | None = None,
) -> SentenceView | None:
    """The page data of one sentence, or None if the text has no such sentence (`queue`: the text's, if known)."""
    segments = distinct_segments(text)
    segment = next((s for s in segments if s.source_hash == source_hash), None)
    if segment is None:
        return None
    source = files.config.source_language
    in_block = [s for s in text.document.segments if s.block == segment.block]
    entries = memory.lookup([s.text for s in in_block], source, language)
    queue = queue or text_queue(memory, text, language, source)
    index = queue.order.index(source_hash)
    pieces, terms = _pieces(segment.text, files.glossary(), source, language)
    entry = entries.get(segment.text)
    paragraph = [
        ContextSentence(s.text, entries[s.text].best_text if s.text in entries else "", s.index == segment.index, s.source_hash)
        for s in in_block
    ]
    notes = list(dict.fromkeys(notes_comments(entry.notes) + check_comments(entry.notes))) if entry else []
    return SentenceView(
        text=text,
        language=language,
        segment=segment,
        entry=entry,
        position=segments.index(segment) + 1,
        total=len(segments),
        waiting=len(queue.waiting),
        place=_place(text, segment),
        pieces=pieces,
        terms=terms,
        paragraph=paragraph,
        notes=notes,
        queued=queue.waiting.get(source_hash),
        history=list(reversed(memory.history(segment.text, source, language))),
        previous=queue.order[index - 1] if index > 0 else None,
        next=queue.order[index + 1] if index + 1 < len(queue.order) else None,
    )


def next_to_review(
    files: ProjectFiles,
    memory: TranslationMemory,
    language: str,
    text: SourceText,
    after: str | None = None,
    order: list[str] | None = None,
    queue: Queue | None = None,
) -> str | None:
    """The sentence to offer next: the first after `after` in `order` (the queue as the person saw it before
    deciding; default: the queue now) that still waits for a person, wrapping round; None when none waits.
    `queue` is the text's queue now, if the caller has it."""
    queue = queue or text_queue(memory, text, language, files.config.source_language)
    order = order or queue.order
    start = order.index(after) + 1 if after in order else 0
    for source_hash in order[start:] + order[:start]:
        if source_hash != after and source_hash in queue.waiting:
            return source_hash
    return None
