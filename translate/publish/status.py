"""Publishing: handouts from the memory's best text, and per-text status.

Handouts and `translate status` never run an engine: they read what the
translation memory holds for each sentence (approved human text over machine
draft) and the signatures stored with it, so they are cheap and say exactly
what produced the text they show.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from translate.config import Config
from translate.memory import MemoryEntry, TranslationMemory
from translate.pipeline import SourceText, load_texts, output_path
from translate.signature import Signature


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

    @property
    def complete(self) -> float:
        return self.translated / self.segments if self.segments else 0.0


def text_entries(memory: TranslationMemory, text: SourceText, source: str, language: str) -> dict[str, MemoryEntry]:
    return memory.lookup([s.text for s in text.document.segments], source, language)


def text_status(memory: TranslationMemory, text: SourceText, source: str, language: str) -> TextStatus:
    entries = text_entries(memory, text, source, language)
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
        flagged=sum(bool(e.notes.get("flagged") or e.notes.get("violations")) for e in found),
        signatures=len({e.signature for e in found if e.status == "machine"}),
        engine=engines.most_common(1)[0][0] if engines else "",
        updated=max((e.updated for e in found), default=""),
    )


def status(config: Config, only: list[str] | None = None, targets: list[str] | None = None) -> list[TextStatus]:
    """Per text and language: segments, translated, approved, freshness."""
    texts = load_texts(config, only)
    rows = []
    path = config.path("memory")
    if not path.exists():
        return [
            TextStatus(t.path.name, lang, len(t.document.segments), 0, 0, 0, 0, 0, "", "")
            for t in texts
            for lang in targets or config.targets
        ]
    with TranslationMemory(path) as memory:
        for text in texts:
            for language in targets or config.targets:
                rows.append(text_status(memory, text, config.source_language, language))
    return rows


def handout_meta(memory: TranslationMemory, text: SourceText, language: str, config: Config, entries):
    """What the handout says about its text: engine, route, model, review, glossary, date."""
    from translate.handouts import HandoutMeta

    found = [entries[s.text] for s in text.document.segments if s.text in entries]
    signatures = Counter(e.signature for e in found if e.signature)
    signature = Signature.parse(signatures.most_common(1)[0][0]) if signatures else None
    from translate.review import review_state

    state = review_state(memory, text, language, config.review.publish_threshold)
    return HandoutMeta(
        language=language,
        engine=signature.engine if signature else "",
        route=signature.route.replace(">", "→") if signature else "",
        model=signature.models if signature else "",
        glossary_version=signature.glossary if signature else None,
        reviewed=state.reviewed,
        reviewers=state.reviewers,
        approved_share=state.approved_share,
        translators=state.reviewers,
        date=max((e.updated for e in found), default="")[:10] or None,
        source_file=text.path.name,
    )


def build_handouts(
    config: Config,
    only: list[str] | None = None,
    targets: list[str] | None = None,
    paper: str = "A4",
    pdf: bool = True,
    progress=None,
) -> list[Path]:
    """HTML (and PDF) handouts for every text and language the memory has text for."""
    from translate.chromium import ChromiumSession
    from translate.handouts import write_handout

    texts = load_texts(config, only)
    jobs = []
    with TranslationMemory(config.path("memory")) as memory:
        for language in targets or config.targets:
            for text in texts:
                entries = text_entries(memory, text, config.source_language, language)
                if not entries:
                    continue
                translations = {s.index: entries[s.text].best_text for s in text.document.segments if s.text in entries}
                meta = handout_meta(memory, text, language, config, entries)
                jobs.append((text, language, translations, meta))
    written: list[Path] = []
    htmls = []
    for text, language, translations, meta in jobs:
        folder = output_path(config, language, text).parent
        files = write_handout(text.document, translations, meta, folder, text.stem, pdf=False, paper=paper)
        htmls.append(files.html)
        written.append(files.html)
        if progress:
            progress(1)
    if pdf and htmls:
        with ChromiumSession() as browser:
            for html in htmls:
                written.append(browser.pdf(html, html.with_suffix(".pdf")))
                if progress:
                    progress(1)
    return written


def handout_count(config: Config, only=None, targets=None) -> int:
    """How many handouts build_handouts would write (for a progress bar)."""
    path = config.path("memory")
    if not Path(path).exists():
        return 0
    texts = load_texts(config, only)
    with TranslationMemory(path) as memory:
        return sum(
            1
            for language in targets or config.targets
            for text in texts
            if text_entries(memory, text, config.source_language, language)
        )
