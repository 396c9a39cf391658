"""Per text and language: how complete, reviewed, fresh and printable a translation is (`translate status`).

Like handouts, status never runs an engine: it reads what the translation
memory holds for each sentence and the signatures stored with it, so it is
cheap and says exactly what produced the text a reader would get.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from translate.config import Config, ReviewOptions
from translate.engines import route_file
from translate.engines.route_file import RouteFile
from translate.errors import InputFileError
from translate.memory import health
from translate.memory.records import MemoryEntry
from translate.memory.store import TranslationMemory
from translate.publish.gate import NOT_TRANSLATED, verdict
from translate.review.decisions import unimported_changes
from translate.run.signature import Signature
from translate.texts import SourceText, output_path


@dataclass
class TextStatus:
    """How complete and how fresh one text is in one language."""

    text: str
    language: str
    segments: int
    translated: int  # sentences with any translation in the memory
    approved: int
    draft: int
    flagged: int  # glossary problems a reviewer must look at
    signatures: int  # distinct machine signatures among the sentences
    engine: str
    updated: str  # newest change among the sentences
    publishable: bool = False  # the language gate: a handout is built without --force (translate/publish/gate.py)
    reasons: list[str] = field(default_factory=list)  # the figures behind the state
    state: str = NOT_TRANSLATED  # reviewed, machine draft fit to read, draft for review only (or not translated)
    needing_person: int = 0  # sentences predicted to need a person (gate.needs_person), untranslated ones included
    route: str = ""  # the route that wrote the unreviewed drafts
    route_chrf: float | None = None  # its chrF on the route file's reference set; None: not measured
    po_unimported: int = 0  # entries of its PO file holding edits not imported yet (-1: the file is unreadable)

    @property
    def complete(self) -> float:
        return self.translated / self.segments if self.segments else 0.0


def text_entries(memory: TranslationMemory, text: SourceText, source: str, language: str) -> dict[str, MemoryEntry]:
    """The memory's entries for a text's sentences in one language, keyed by sentence."""
    return memory.lookup([s.text for s in text.document.segments], source, language)


def text_status(
    memory: TranslationMemory,
    text: SourceText,
    source: str,
    language: str,
    review: ReviewOptions | None = None,
    routes: RouteFile | None = None,
) -> TextStatus:
    entries = text_entries(memory, text, source, language)
    gate = verdict(text, language, entries, review, routes)
    segments = text.document.segments
    found = [entries[s.text] for s in segments if s.text in entries]
    engines = Counter(Signature.parse(e.signature).engine for e in found if e.signature)
    return TextStatus(
        text=text.path.name,
        language=language,
        segments=len(segments),
        translated=len(found),
        approved=sum(e.status == "approved" for e in found),
        draft=sum(e.status == "draft" for e in found),
        flagged=sum(e.notes.needs_review for e in found),
        signatures=len({e.signature for e in found if e.status == "machine"}),
        engine=engines.most_common(1)[0][0] if engines else "",
        updated=max((e.updated for e in found), default=""),
        publishable=gate.publishable,
        reasons=gate.reasons,
        state=gate.state,
        needing_person=gate.needing_person,
        route=gate.route,
        route_chrf=gate.route_chrf,
    )


def status(config: Config, texts: list[SourceText], targets: list[str] | None = None) -> list[TextStatus]:
    """Per text and language: segments, translated, approved, freshness (the caller reads the texts,
    `load_batch` when one it cannot read should not hide the others, as a run carries on past it)."""
    rows = []
    path = config.path("memory")
    if not health.present(path):
        return [
            TextStatus(t.path.name, lang, len(t.document.segments), 0, 0, 0, 0, 0, "", "", False, ["not translated yet"])
            for t in texts
            for lang in targets or config.targets
        ]
    routes = route_file.load(config.path("routes"))
    with TranslationMemory(path, readonly=True) as memory:
        for text in texts:
            for language in targets or config.targets:
                row = text_status(memory, text, config.source_language, language, config.review, routes)
                row.po_unimported = po_unimported(memory, config, text, language)
                rows.append(row)
    return rows


def po_unimported(memory: TranslationMemory, config: Config, text: SourceText, language: str) -> int:
    """How many entries of the text's PO file hold edits not imported yet; -1 if it cannot be read."""
    path = output_path(config, language, text, ".po")
    if not path.exists():
        return 0
    try:
        return unimported_changes(path, memory, config.source_language, language)
    except (InputFileError, OSError, ValueError, UnicodeDecodeError, LookupError):
        return -1
