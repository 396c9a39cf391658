"""Handouts: a translated essay as a print-ready HTML page and PDF.

Organizers print and pass these around, so a handout has to read like a careful
publication in its language (its script's fonts, direction, quotation marks)
and be honest about where it comes from: every page says whether a
person has reviewed the translation and how much of it ("reviewed: 10 of 109
sentences"), a discreet mark in the margin shows the unreviewed passages the
quality checks doubt, a language the gate withholds (publish/gate.py) is not
printed unless asked with `force`, and then every page says so; the credits box names the original,
the engine and model (with the model's licence attribution), the glossary and
the people involved, so that readers can verify what they quote.

HTML comes from a Jinja2 template (the body's items from handout_body.py); PDF
and PNG come from headless Chromium (chromium.py), the same engine a reader's
browser uses, so what is tested is what is printed. `build_handouts` makes one
for every text and language from the memory's best text (approved over machine
draft), never running an engine.
"""

from __future__ import annotations

import datetime as _dt
import html
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from translate import __version__
from translate.config import Config
from translate.engines import route_file
from translate.engines.credits import model_attribution
from translate.fileio import atomic_write_text
from translate.glossary.files import load_glossary
from translate.languages import html_lang, is_rtl
from translate.memory import health
from translate.memory.history import person_name
from translate.memory.records import MemoryEntry
from translate.memory.store import TranslationMemory
from translate.progress import Progress
from translate.publish.chromium import ChromiumSession, html_to_pdf, paper_size
from translate.publish.gate import Verdict, doubted_approvals, doubtful_segments, verdict
from translate.publish.handout_body import DOUBT_END, DOUBT_START, QUOTED_END, QUOTED_START, body_items, isolated
from translate.publish.labels import labels, language_in, locale_for
from translate.publish.status import text_entries
from translate.review.status import review_state
from translate.run.finishing import speaker_label
from translate.run.pipeline import load_project_glossary
from translate.run.signature import Signature
from translate.run.text_in_language import TextInLanguage
from translate.segment import Document
from translate.texts import SourceText, load_texts, output_path

_PAGE_FONTS = '"Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans CJK SC", "DejaVu Sans", sans-serif'


@dataclass(frozen=True)
class HandoutMeta:
    """What a handout says about itself: provenance, review status and credits."""

    language: str
    engine: str = ""
    route: str = ""
    model: str = ""
    model_licence: str | None = None  # attribution text; None: a known one for the engine/model
    glossary_version: str | None = None
    reviewed: bool = False
    reviewers: Sequence[str] = ()
    reviewer_counts: Sequence[tuple[str, int]] = ()  # (name, sentences that person approved), most first
    approved_share: float = 0.0  # 0..1, share of segments a reviewer approved
    reviewed_count: int | None = None  # sentences a person approved; None: not known (no review share line)
    sentences: int = 0  # distinct sentences of the text
    withheld: str = ""  # why the gate withholds this translation, when printed anyway (force)
    approved_doubted: int = 0  # approved sentences whose text the checks still doubt (marked in the margin too)
    translators: Sequence[str] = ()
    translator_counts: Sequence[tuple[str, int]] = ()  # (name, approved sentences whose text that person wrote), most first
    date: str | None = None  # ISO date; None: today
    title: str | None = None  # translated title, when the document has no heading to translate
    source_title: str | None = None  # defaults to the document's title
    source_language: str | None = None  # defaults to the document's language
    source_file: str | None = None  # defaults to the document's name
    source_credit: str | None = None  # author, publication, address of the original
    extra: Mapping[str, str] = field(default_factory=dict)  # more credit lines, label -> value
    speakers: Mapping[str, str] = field(default_factory=dict)  # a dialogue's label -> as the language writes it
    quoted: Mapping[int, str] = field(default_factory=dict)  # segment index -> the edition of its published translation


@dataclass(frozen=True)
class HandoutFiles:
    html: Path
    pdf: Path | None


# --- status and credits -----------------------------------------------------


def status_line(meta: HandoutMeta) -> str:
    """'Machine translation, not reviewed', 'Machine translation, partly reviewed (9% of sentences
    approved)' when someone reviewed less than the threshold, or 'Reviewed by N people, X% of
    segments approved'. Never "not reviewed" on a handout that credits a reviewer."""
    from babel.numbers import format_decimal, format_percent  # Babel loads CLDR data: only when a handout is rendered

    text = labels(meta.language)
    locale = locale_for(meta.language)
    share = min(max(meta.approved_share, 0.0), 1.0)
    percent = format_percent(share, locale=locale, format="#,##0%" if share in (0.0, 1.0) else "#,##0.#%")
    if not meta.reviewed:
        if share > 0 or meta.reviewers:
            return text["status_partly"].format(percent=percent)
        return text["status_unreviewed"]
    count = len(meta.reviewers)
    key = "status_reviewed_one" if count == 1 else "status_reviewed"
    return text[key].format(count=format_decimal(count, locale=locale), percent=percent)


def _credits(doc: Document, meta: HandoutMeta, text: dict[str, str]) -> list[tuple[str, str]]:
    from babel.dates import format_date  # Babel loads CLDR data: only when a handout is rendered

    date = _dt.date.fromisoformat(meta.date) if meta.date else _dt.date.today()
    licence = meta.model_licence or model_attribution(meta.engine, meta.model)
    rows = [
        (text["original"], meta.source_title or doc.title),
        (text["source_credit"], meta.source_credit or ""),
        (text["original_language"], language_in(meta.source_language or doc.language, meta.language)),
        (text["source_file"], meta.source_file or doc.name),
        (text["status"], status_line(meta)),
        (text["engine"], meta.engine),
        (text["route"], meta.route),
        (text["model"], meta.model),
        (text["licence"], licence or ""),
        (text["glossary"], meta.glossary_version or ""),
        (text["translators"], _person_credits(meta.translator_counts, meta.translators, meta.sentences, text)),
        (text["reviewers"], _person_credits(meta.reviewer_counts, meta.reviewers, meta.sentences, text)),
        (text["date"], format_date(date, format="long", locale=locale_for(meta.language))),
    ]
    rows += list(meta.extra.items())
    return [(label, value) for label, value in rows if value]


def _person(name: str) -> Markup:
    """A person's name (never an e-mail address) in a <bdi> of its own: a right-to-left override in one
    name stays inside it instead of reversing the next person's credit."""
    return Markup("<bdi>{}</bdi>").format(person_name(name))


def _person_credits(counts: Sequence[tuple[str, int]], names: Sequence[str], sentences: int, text: dict[str, str]) -> Markup:
    """'Ana: 10 of 109 sentences, Rosa: 3 of 109 sentences' (names only, each isolated in its own <bdi>)."""
    if not counts or not sentences:
        return Markup(", ").join(_person(n) for n in names)
    return Markup(", ").join(
        Markup(escape(text["reviewer_share"])).format(name=_person(name), count=count, total=sentences) for name, count in counts
    )


def _css_string(value: str) -> str:
    """A CSS string literal (for @page margin boxes)."""
    return '"' + "".join(c if c.isalnum() or c in " ,.%:;()-'" else f"\\{ord(c):x} " for c in value) + '"'


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("translate.publish", "templates"),
        autoescape=True,
        trim_blocks=False,
        undefined=jinja2.StrictUndefined,
    )


def review_share(meta: HandoutMeta) -> str:
    """'Reviewed: 10 of 109 sentences', in the handout's language ('' when not known)."""
    if meta.reviewed_count is None or not meta.sentences:
        return ""
    return labels(meta.language)["review_share"].format(count=meta.reviewed_count, total=meta.sentences)


def render_html(
    doc: Document,
    translations: Mapping[int, str],
    meta: HandoutMeta,
    *,
    paper: str = "A4",
    doubtful: Collection[int] = (),
) -> str:
    """A standalone handout page (CSS embedded) for one text in one language.

    `doubtful` names the segments (by index) that get a mark in the margin:
    unreviewed sentences that carry quality signals.
    """
    size = paper_size(paper)
    text = labels(meta.language)
    marked = {i: f"{DOUBT_START}{t}{DOUBT_END}" if i in doubtful else t for i, t in translations.items()}
    marked = {i: f"{QUOTED_START}{t}{QUOTED_END}" if i in meta.quoted else t for i, t in marked.items()}
    title, items = body_items(doc, marked, meta.language, meta.speakers)
    if title is None:
        title = escape(meta.title or doc.title)
    title_text = html.unescape(re.sub(r"<[^>]+>", "", str(title))).replace("\u00ad", "")
    source_title = meta.source_title or doc.title
    source_language = language_in(meta.source_language or doc.language, meta.language)
    translation_of = Markup(escape(text["translation_of"])).format(
        title=Markup("<q><bdi>{}</bdi></q>").format(source_title), language=source_language
    )
    missing = sum(1 for s in doc.segments if s.index not in translations)
    untranslated = text["untranslated"].format(count=missing, total=len(doc.segments)) if missing else ""
    status = status_line(meta)
    share = review_share(meta)
    withheld = text["withheld"].format(reason=meta.withheld) if meta.withheld else ""
    footer = " · ".join(filter(None, [isolated(title_text), status, share]))
    legend = (
        text["doubt_legend_any" if meta.approved_doubted else "doubt_legend"] if any(i in doubtful for i in translations) else ""
    )
    editions = list(dict.fromkeys(meta.quoted[i] for i in translations if i in meta.quoted))
    quotation_legend = text["quotation_legend"].format(editions="; ".join(editions)) if editions else ""
    css = resources.files("translate.publish").joinpath("templates/handout.css").read_text(encoding="utf-8")
    return (
        _environment()
        .get_template("handout.html.j2")
        .render(
            lang=html_lang(meta.language),
            dir="rtl" if is_rtl(meta.language) else "ltr",
            version=__version__,
            css=Markup(css),
            page_size=size,
            page_fonts=Markup(_PAGE_FONTS),
            footer_side=("right", "left") if is_rtl(meta.language) else ("left", "right"),
            footer_start=Markup(_css_string(footer)),
            withheld=withheld,
            withheld_css=Markup(_css_string(withheld)) if withheld else "",
            review_share=share,
            doubt_legend=legend,
            quotation_legend=quotation_legend,
            language_name=language_in(meta.language, meta.language),
            title_html=title,
            title_text=title_text,
            translation_of=translation_of,
            reviewed=meta.reviewed,
            status=status,
            untranslated=untranslated,
            items=items,
            labels=text,
            credits=_credits(doc, meta, text),
        )
    )


def write_handout(
    doc: Document,
    translations: Mapping[int, str],
    meta: HandoutMeta,
    out_dir: Path,
    stem: str,
    *,
    pdf: bool = True,
    paper: str = "A4",
    doubtful: Collection[int] = (),
) -> HandoutFiles:
    """Write STEM.html (and STEM.pdf) atomically into out_dir."""
    out_dir = Path(out_dir)
    html_path = out_dir / f"{stem}.html"
    page = render_html(doc, translations, meta, paper=paper, doubtful=doubtful)
    atomic_write_text(html_path, page)
    pdf_path = None
    if pdf:
        pdf_path = out_dir / f"{stem}.pdf"
        html_to_pdf(html_path, pdf_path, paper=paper)
    return HandoutFiles(html=html_path, pdf=pdf_path)


def handout_meta(unit: TextInLanguage, entries: Mapping[str, MemoryEntry], gate: Verdict | None = None) -> HandoutMeta:
    """What the handout says about its text: engine, route, model, review, glossary, date,
    and, when the gate withholds it, why."""
    text, language = unit.text, unit.language
    found = [entries[s.text] for s in text.document.segments if s.text in entries]
    signatures = Counter(e.signature for e in found if e.signature)
    signature = Signature.parse(signatures.most_common(1)[0][0]) if signatures else None
    state = review_state(unit.memory, text, language, unit.config.review.publish_threshold)
    distinct = {s.text: entries[s.text] for s in text.document.segments if s.text in entries}
    approved = [e for e in distinct.values() if e.status == "approved"]
    counts = Counter(person_name(e.reviewer) for e in approved if e.reviewer)
    written = Counter(person_name(e.translator) for e in approved if e.translator)  # a translator's text, approved
    return HandoutMeta(
        language=language,
        engine=signature.engine if signature else "",
        route=signature.readable_route() if signature else "",
        model=signature.models if signature else "",
        glossary_version=signature.glossary if signature else None,
        reviewed=state.reviewed,
        reviewers=[person_name(n) for n in state.reviewers],
        reviewer_counts=sorted(counts.items(), key=lambda item: (-item[1], item[0])),
        approved_share=state.approved_share,
        reviewed_count=state.approved + state.edited,
        sentences=state.segments,
        withheld=gate.figures if gate and not gate.publishable else "",
        translators=sorted(written),
        translator_counts=sorted(written.items(), key=lambda item: (-item[1], item[0])),
        date=max((e.updated for e in found), default="")[:10] or None,
        source_file=text.path.name,
        speakers=_speakers(unit),
        quoted={
            s.index: entry.notes.quotation
            for s in text.document.segments
            if (entry := entries.get(s.text)) is not None and entry.status == "machine" and entry.notes.quotation
        },
    )


def _speakers(unit: TextInLanguage) -> dict[str, str]:
    """Each dialogue label of the text as the language writes it ("Stalin:" → "Staline\u00a0:" in French)."""
    labels = [b.prefix.strip() for b in unit.text.document.blocks if b.kind == "dialogue" and b.prefix.strip()]
    if not labels:
        return {}
    glossary = unit.glossary if unit.glossary is not None else load_project_glossary(unit.config)
    label = speaker_label(glossary, unit.source, unit.language)
    return {written: label(written) for written in dict.fromkeys(labels)}


_Job = tuple[SourceText, str, dict[int, str], HandoutMeta, set[int]]  # text, language, translations, meta, doubtful


def _plan(config: Config, only: list[str] | None, targets: list[str] | None, force: bool) -> tuple[list[_Job], list[Verdict]]:
    """The handouts to build: every text and language with text in the memory that the gate lets
    through (all of them with `force`); and the gate's verdict on each it withholds."""
    texts, jobs, withheld, path = load_texts(config, only), [], [], config.path("memory")
    if not health.present(Path(path)):
        return [], []
    routes = route_file.load(config.path("routes"))
    glossary = load_glossary(config.path("glossary")) if config.path("glossary").exists() else None
    with TranslationMemory(path, readonly=True) as memory:
        for language in targets or config.targets:
            for text in texts:
                entries = text_entries(memory, text, config.source_language, language)
                if not entries:
                    continue
                gate = verdict(text, language, entries, config.review, routes)
                if not gate.publishable:
                    withheld.append(gate)
                    if not force:
                        continue
                translations = {s.index: entries[s.text].best_text for s in text.document.segments if s.text in entries}
                doubted = doubted_approvals(text, entries, glossary, language)
                unit = TextInLanguage(text, language, memory, config, glossary)
                meta = replace(handout_meta(unit, entries, gate), approved_doubted=len(doubted))
                jobs.append((text, language, translations, meta, doubtful_segments(text, entries) | doubted))
    return jobs, withheld


@dataclass(frozen=True)
class Handouts:
    """What `build_handouts` wrote, and the gate's verdict on each translation it withheld (or, with
    `force`, printed with a DRAFT banner)."""

    written: list[Path]
    withheld: tuple[Verdict, ...] = ()


def build_handouts(
    config: Config,
    only: list[str] | None = None,
    targets: list[str] | None = None,
    paper: str = "A4",
    pdf: bool = True,
    progress: Progress | None = None,
    force: bool = False,
) -> Handouts:
    """HTML (and PDF) handouts for every text and language the memory has text for.

    A text the language gate withholds is skipped (its verdict is returned in
    `withheld`) unless `force`; then every page of it says it was withheld.
    Every PDF is printed by one Chromium, started once for the whole batch.
    """
    jobs, withheld = _plan(config, only, targets, force)
    written: list[Path] = []
    htmls = []
    for text, language, translations, meta, doubtful in jobs:
        folder = output_path(config, language, text).parent
        files = write_handout(text.document, translations, meta, folder, text.stem, pdf=False, paper=paper, doubtful=doubtful)
        htmls.append(files.html)
        written.append(files.html)
        if progress:
            progress(1)
    if pdf and htmls:
        with ChromiumSession() as browser:
            for html_path in htmls:
                written.append(browser.pdf(html_path, html_path.with_suffix(".pdf")))
                if progress:
                    progress(1)
    return Handouts(written, tuple(withheld))


def languages_without_text(config: Config, only: list[str] | None, targets: list[str]) -> list[str]:
    """The languages asked for of which the memory holds no sentence of any text: nothing to render."""
    texts, path = load_texts(config, only), config.path("memory")
    if not health.present(Path(path)):  # a fresh clone has only the text record: the memory is built from it
        return list(targets)
    with TranslationMemory(path, readonly=True) as memory:
        return [
            language
            for language in targets
            if not any(text_entries(memory, text, config.source_language, language) for text in texts)
        ]


def handout_count(config: Config, only: list[str] | None = None, targets: list[str] | None = None, force: bool = False) -> int:
    """How many handouts build_handouts would write (for a progress bar)."""
    return len(_plan(config, only, targets, force)[0])
