"""What the review pages show, read from the project: texts, glossary, memory, review log.

Each function here is plain blocking code (SQLite, file reads): the routes run
them in a worker thread so the server keeps answering while one waits. The
memory is read afresh on every request, so a page always shows the newest
decision, whoever made it and however (browser or PO).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from translate import languages
from translate.glossary.matching import matcher
from translate.glossary.model import Glossary
from translate.glossary.pinning import pinned_target
from translate.memory.history import open_suggestions, same_person
from translate.memory.notes import Signal
from translate.memory.records import MemoryEntry, ReviewDecision
from translate.memory.store import TranslationMemory
from translate.review.po_export import block_label, check_comments, notes_comments
from translate.review.queue import QueueItem, front_count, review_queue
from translate.review.text_checks import check_text
from translate.segment import Segment
from translate.serve.project import ProjectFiles
from translate.texts import SourceText

FILTERS = {
    "all": "All",
    "flagged": "Flagged",
    "unreviewed": "Not approved",
    "needs-work": "Needs work",
    "suggestions": "With suggestions",
    "mine": "Mine",
}
"""The sentence list's filters, by the name its address uses, with their labels."""


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

    def after(self, source_hash: str | None, order: list[str] | None = None) -> list[str]:
        """The waiting sentences to offer after `source_hash`, in `order` (default: this queue's), wrapping
        round, the sentence itself last (offered again only when nothing else waits)."""
        order = order or self.order
        start = order.index(source_hash) + 1 if source_hash in order else 0
        rotated = [h for h in order[start:] + order[:start] if h in self.waiting and h != source_hash]
        return rotated + ([source_hash] if source_hash in self.waiting else [])


def text_queue(memory: TranslationMemory, text: SourceText, language: str, source: str) -> Queue:
    """The project's review queue for one text (translate.review.queue: flagged first, then drafts, then
    the others by score and reading order), followed by the approved and untranslated sentences in
    reading order, so that every sentence can be reached."""
    items = review_queue(memory, [text], language, source)
    waiting = {item.source_hash: item for item in items}
    rest = [s.source_hash for s in distinct_segments(text) if s.source_hash not in waiting]
    return Queue([item.source_hash for item in items] + rest, waiting)


def state_of(entry: MemoryEntry | None) -> str:
    """A sentence's state as the pages name it: untranslated, machine, draft, needs-work or approved."""
    if entry is None or (entry.machine_text is None and entry.final_text is None):
        return "untranslated"
    if entry.status == "draft" and entry.needs_work:
        return "needs-work"
    return entry.status


STATE_LABELS = {
    "untranslated": "not translated yet",
    "machine": "machine draft",
    "draft": "draft",
    "needs-work": "needs work",
    "approved": "approved",
}


# ---------------------------------------------------------------- progress


@dataclass
class TextProgress:
    stem: str
    file: str
    title: str
    sentences: int
    approved: int = 0
    drafts: int = 0
    needs_work: int = 0
    untranslated: int = 0
    flagged: int = 0  # at the front of the review queue
    suggestions: int = 0  # sentences with open suggestions

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


def _suggested(memory: TranslationMemory, source: str, language: str, entries: dict[str, MemoryEntry]) -> dict[str, int]:
    """Open suggestions per source hash, for the sentences in `entries`."""
    by_hash: dict[str, list[ReviewDecision]] = {}
    for decision in memory.review_log(source, language):
        by_hash.setdefault(decision.source_hash, []).append(decision)
    found = {}
    for entry in entries.values():
        log = by_hash.get(entry.source_hash)
        if log:
            count = len(open_suggestions(log, entry))
            if count:
                found[entry.source_hash] = count
    return found


def progress(files: ProjectFiles, memory: TranslationMemory, langs: tuple[str, ...]) -> list[LanguageProgress]:
    """Per language and text: sentences, approved, drafts, needing work, not yet translated, with suggestions."""
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
                state = state_of(entries.get(segment.text))
                item.untranslated += state == "untranslated"
                item.approved += state == "approved"
                item.drafts += state == "draft"
                item.needs_work += state == "needs-work"
            item.flagged = text_queue(memory, text, lang, source).flagged
            item.suggestions = len(_suggested(memory, source, lang, {e.source_text: e for e in entries.values()}))
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


@dataclass(frozen=True)
class ThreadItem:
    """One message of a sentence's comment thread: a note from the pages, or a PO file's translator comment."""

    who: str
    time: str
    text: str
    kind: str  # 'note' | 'translator comment'


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
    history: list[ReviewDecision]  # newest first
    thread: list[ThreadItem]  # oldest first
    suggestions: list[ReviewDecision]  # open, oldest first
    checks: list[Signal]  # what the checks find in the text shown
    next: str | None
    previous: str | None = None  # the sentence before this one on the person's trail

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
        return state_of(self.entry)

    @property
    def status_label(self) -> str:
        return STATE_LABELS[self.status]

    @property
    def credit(self) -> str:
        """'Translated by Teo, approved by Ana' (who wrote the text in force, who decided it)."""
        entry = self.entry
        if entry is None or entry.status == "machine":
            return ""
        wrote = f"translated by {entry.translator}" if entry.translator else "the machine draft"
        if entry.status == "approved":
            return f"{wrote[0].upper()}{wrote[1:]}, approved by {entry.reviewer}"
        return f"Draft by {entry.translator or entry.reviewer}"

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


def thread_of(history: Iterable[ReviewDecision]) -> list[ThreadItem]:
    """The comment thread in a sentence's history (oldest first): every note, and every translator comment set."""
    items = []
    for d in history:
        if d.status == "note" and d.comment:
            items.append(ThreadItem(d.reviewer, d.time, d.comment, "note"))
        elif d.status == "comment" and d.comment and d.outcome != "conflict":
            items.append(ThreadItem(d.reviewer, d.time, d.comment, "translator comment"))
    return items


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
    glossary = files.glossary()
    pieces, terms = _pieces(segment.text, glossary, source, language)
    entry = entries.get(segment.text)
    paragraph = [
        ContextSentence(s.text, entries[s.text].best_text if s.text in entries else "", s.index == segment.index, s.source_hash)
        for s in in_block
    ]
    notes = list(dict.fromkeys(notes_comments(entry.notes) + check_comments(entry.notes))) if entry else []
    history = memory.history(segment.text, source, language)
    shown = (
        (entry.final_text or "")
        if entry is not None and entry.status != "machine"
        else (entry.machine_text or "" if entry else "")
    )
    following = queue.after(source_hash)
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
        history=list(reversed(history)),
        thread=thread_of(history),
        suggestions=open_suggestions(history, entry),
        checks=check_text(segment.text, shown, source, language, glossary)
        if entry is not None and entry.status != "machine"
        else [],
        next=next((h for h in following if h != source_hash), None),
    )


# ---------------------------------------------------------------- the sentence list


@dataclass(frozen=True)
class ListedSentence:
    """One row of the sentence list."""

    number: int  # its place in the text (distinct sentences in reading order)
    source_hash: str
    source: str
    text: str  # what the memory holds now (the person's text, else the machine draft)
    state: str
    flagged: bool
    suggestions: int
    mine: bool
    holder: str  # someone else on it now ('' = no one)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def _matches(row: ListedSentence, show: str) -> bool:
    return {
        "all": True,
        "flagged": row.flagged,
        "unreviewed": row.state in ("machine", "draft", "needs-work"),
        "needs-work": row.state == "needs-work",
        "suggestions": row.suggestions > 0,
        "mine": row.mine,
    }[show]


def sentence_list(
    files: ProjectFiles,
    memory: TranslationMemory,
    language: str,
    text: SourceText,
    person: str,
    show: str = "all",
    query: str = "",
    holders: dict[str, str] | None = None,
) -> tuple[list[ListedSentence], dict[str, int]]:
    """The text's sentences in document order that pass filter `show` and contain `query` (in the source or
    the translation, case ignored), and how many sentences each filter holds."""
    source = files.config.source_language
    segments = distinct_segments(text)
    entries = memory.lookup([s.text for s in segments], source, language)
    queue = text_queue(memory, text, language, source)
    log: dict[str, list[ReviewDecision]] = {}
    for decision in memory.review_log(source, language):
        log.setdefault(decision.source_hash, []).append(decision)
    rows = []
    for number, segment in enumerate(segments, 1):
        entry = entries.get(segment.text)
        history = log.get(segment.source_hash, [])
        item = queue.waiting.get(segment.source_hash)
        rows.append(
            ListedSentence(
                number=number,
                source_hash=segment.source_hash,
                source=segment.text,
                text=entry.review_text if entry is not None else "",
                state=state_of(entry),
                flagged=bool(item and item.flagged),
                suggestions=len(open_suggestions(history, entry)) if history else 0,
                mine=any(same_person(d.reviewer, person) for d in history),
                holder=(holders or {}).get(segment.source_hash, ""),
            )
        )
    counts = {name: sum(_matches(row, name) for row in rows) for name in FILTERS}
    needle = query.casefold().strip()
    shown = [
        row
        for row in rows
        if _matches(row, show) and (not needle or needle in row.source.casefold() or needle in row.text.casefold())
    ]
    return shown, counts
