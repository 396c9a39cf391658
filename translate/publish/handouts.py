"""Handouts: a translated essay as a print-ready HTML page and PDF.

Organizers print and pass these around, so a handout has to read like a careful
publication in its language (its script's fonts, direction, quotation marks,
hyphenation) and be honest about where it comes from: every page says whether a
person has reviewed the translation, and the credits box names the original,
the engine and model (with the model's licence attribution), the glossary and
the people involved, so that readers can verify what they quote.

HTML comes from a Jinja2 template; PDF and PNG come from headless Chromium
(translate.chromium), the same engine a reader's browser uses, so what is
tested is what is printed.
"""

from __future__ import annotations

import datetime as _dt
import html
import re
import tomllib
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from translate import __version__
from translate.chromium import ChromiumSession, html_to_pdf, paper_size
from translate.fileio import atomic_write_text
from translate.languages import base_language, is_rtl, language_name, normalize
from translate.segment import Block, Document, Segment

# Credits owed to the makers of a model or engine (their licences ask for it).
KNOWN_ATTRIBUTIONS = {
    "opus-mt": "Tiedemann & Thottingal, OPUS-MT, EAMT 2020, CC BY 4.0",
    "apertium": "Apertium, Forcada et al. 2011, GNU GPL",
}

_NOTE_MARK = re.compile(r"[ \t\u00a0]*\[(\d{1,3})\]")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<!\*)\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)")
_QUOTE_MARK = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)
_LIST_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"\w{7,}")
# Margin boxes (footer) do not see the page's CSS variables in Chromium: name the fonts.
_PAGE_FONTS = '"Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans CJK SC", "DejaVu Sans", sans-serif'
_UNSPACED_LANGUAGES = {"zh", "zt", "ja"}
_CJK = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[ \t\n]+(?=[{_CJK}])")


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
    approved_share: float = 0.0  # 0..1, share of segments a reviewer approved
    translators: Sequence[str] = ()
    date: str | None = None  # ISO date; None: today
    title: str | None = None  # translated title, when the document has no heading to translate
    source_title: str | None = None  # defaults to the document's title
    source_language: str | None = None  # defaults to the document's language
    source_file: str | None = None  # defaults to the document's name
    source_credit: str | None = None  # author, publication, address of the original
    extra: Mapping[str, str] = field(default_factory=dict)  # more credit lines, label -> value


@dataclass(frozen=True)
class HandoutFiles:
    html: Path
    pdf: Path | None


def model_attribution(engine: str, model: str = "") -> str | None:
    """The attribution a model's licence asks for, if this package knows it."""
    key = f"{engine} {model}".lower()
    for name, credit in KNOWN_ATTRIBUTIONS.items():
        if name in key or name.replace("-", "") in key.replace("-", ""):
            return credit
    return None


# --- document structure -----------------------------------------------------


def translated_blocks(doc: Document, translations: Mapping[int, str]) -> Iterator[tuple[Block, str]]:
    """Each block with its translated text (prefix removed, surrounding blank lines dropped).

    Fixed pieces may straddle blocks ('[3]\\n\\n' ends one, '\\n  2. ' starts the
    next), so pieces are placed by their offset in the source, and a fixed piece
    is cut where the next block's first line starts.
    """
    source = doc.source()
    line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
    starts = [line_starts[block.line - 1] for block in doc.blocks]
    parts: list[list[str]] = [[] for _ in doc.blocks]
    pos = 0
    for piece in doc.pieces:
        if isinstance(piece, Segment):
            parts[piece.block].append(translations.get(piece.index, piece.text))
            pos += len(piece.text)
            continue
        end = pos + len(piece)
        cut, k = pos, bisect_right(starts, pos) - 1
        while cut < end:
            stop = min(end, starts[k + 1]) if k + 1 < len(starts) else end
            if k >= 0:
                parts[k].append(source[cut:stop])
            cut, k = stop, k + 1
        pos = end
    for block, pieces in zip(doc.blocks, parts, strict=True):
        text = "".join(pieces)
        if block.prefix and text.startswith(block.prefix):
            text = text[len(block.prefix) :]
        if block.kind == "quote" and doc.format == "md":
            text = _QUOTE_MARK.sub("", text)
        yield block, text.strip()


def inline_html(text: str, language: str = "en") -> Markup:
    """Escaped text with *emphasis*, **strong**, note markers [4] as superscripts, soft hyphens."""
    text = re.sub(r"\s*\n\s*", " ", text)
    out = str(escape(hyphenate(text, language)))
    out = _STRONG.sub(r"<strong>\1</strong>", out)
    out = _EMPHASIS.sub(r"<em>\1</em>", out)
    out = _NOTE_MARK.sub(r'<sup class="note">\1</sup>', out)
    return Markup(out.replace("\u00ad", "&shy;"))


def hyphenate(text: str, language: str) -> str:
    """Insert soft hyphens into long words.

    Chromium only hyphenates with dictionaries it downloads at run time, which an
    offline machine never has, so hyphenation points come from Pyphen (the
    LibreOffice patterns); the browser breaks at them where a line needs it.
    """
    dictionary = _hyphenator(normalize(language))
    if dictionary is None:
        return text
    return _WORD.sub(lambda m: dictionary.inserted(m.group(0), hyphen="\u00ad"), text)


@cache
def _hyphenator(language: str):
    import pyphen

    code = pyphen.language_fallback(language) or pyphen.language_fallback(base_language(language))
    return pyphen.Pyphen(lang=code, left=2, right=3) if code else None


def body_items(
    doc: Document, translations: Mapping[int, str], language: str, *, hyphenate: bool = True
) -> tuple[Markup | None, list]:
    """The translated title (first block, if a heading) and the template's items.

    Consecutive list items become one list, keeping the source's numbers. In
    Chinese and Japanese the spaces the source had between sentences are dropped.
    """
    title: Markup | None = None
    items: list[dict] = []
    unspaced = base_language(language) in _UNSPACED_LANGUAGES
    for n, (block, text) in enumerate(translated_blocks(doc, translations)):
        if not text and block.kind != "list_item":
            continue
        if unspaced:
            text = _CJK_GAP.sub("", text)
        content = inline_html(text, language if hyphenate else "zxx")
        if block.kind == "heading":
            level = block.prefix.count("#") or 1
            if n == 0 and title is None:
                title = inline_html(text, "zxx")
                continue
            items.append({"kind": "heading", "level": min(max(level, 2), 6), "html": inline_html(text, "zxx")})
        elif block.kind == "list_item":
            number = _LIST_NUMBER.search(block.prefix)
            tag = "ol" if number else "ul"
            entry = {"number": int(number.group()) if number else None, "html": content}
            if items and items[-1]["kind"] == "list" and items[-1]["tag"] == tag:
                items[-1]["entries"].append(entry)
            else:
                items.append({"kind": "list", "tag": tag, "entries": [entry]})
        elif block.kind == "dialogue":
            speaker = block.prefix.strip().rstrip(":").strip()
            items.append({"kind": "dialogue", "speaker": speaker, "html": content})
        else:
            items.append({"kind": block.kind, "html": content})
    return title, items


# --- labels and credits -----------------------------------------------------


@lru_cache(maxsize=1)
def _all_labels() -> dict[str, dict[str, str]]:
    data = resources.files("translate").joinpath("templates/handout-labels.toml").read_bytes()
    return tomllib.loads(data.decode("utf-8"))


def labels(language: str) -> dict[str, str]:
    """UI strings for a language (the project's own translations), English where missing."""
    table = _all_labels()
    merged = dict(table["en"])
    for code in (base_language(language), normalize(language)):
        merged.update(table.get(code, {}))
    return merged


def _locale(language: str):
    from babel import Locale, UnknownLocaleError

    for code in (normalize(language), base_language(language), "en"):
        try:
            return Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def _language_in(code: str, language: str) -> str:
    """The name of language `code` in `language` (Babel/CLDR), English if unknown."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(normalize(code)).get_display_name(_locale(language))
    except (UnknownLocaleError, ValueError):
        name = None
    return name or language_name(code)


def status_line(meta: HandoutMeta) -> str:
    """'Machine translation, not reviewed' or 'Reviewed by N people, X% of segments approved'."""
    from babel.numbers import format_decimal, format_percent

    text = labels(meta.language)
    if not meta.reviewed:
        return text["status_unreviewed"]
    locale = _locale(meta.language)
    share = min(max(meta.approved_share, 0.0), 1.0)
    percent = format_percent(share, locale=locale, format="#,##0%" if share in (0.0, 1.0) else "#,##0.#%")
    count = len(meta.reviewers)
    key = "status_reviewed_one" if count == 1 else "status_reviewed"
    return text[key].format(count=format_decimal(count, locale=locale), percent=percent)


def _credits(doc: Document, meta: HandoutMeta, text: dict[str, str]) -> list[tuple[str, str]]:
    from babel.dates import format_date

    date = _dt.date.fromisoformat(meta.date) if meta.date else _dt.date.today()
    licence = meta.model_licence or model_attribution(meta.engine, meta.model)
    rows = [
        (text["original"], meta.source_title or doc.title),
        (text["source_credit"], meta.source_credit or ""),
        (text["original_language"], _language_in(meta.source_language or doc.language, meta.language)),
        (text["source_file"], meta.source_file or doc.name),
        (text["status"], status_line(meta)),
        (text["engine"], meta.engine),
        (text["route"], meta.route),
        (text["model"], meta.model),
        (text["licence"], licence or ""),
        (text["glossary"], meta.glossary_version or ""),
        (text["translators"], ", ".join(meta.translators)),
        (text["reviewers"], ", ".join(meta.reviewers)),
        (text["date"], format_date(date, format="long", locale=_locale(meta.language))),
    ]
    rows += list(meta.extra.items())
    return [(label, value) for label, value in rows if value]


def _css_string(value: str) -> str:
    """A CSS string literal (for @page margin boxes)."""
    return '"' + "".join(c if c.isalnum() or c in " ,.%:;()-'" else f"\\{ord(c):x} " for c in value) + '"'


def _html_lang(language: str) -> str:
    code = normalize(language)
    return {"zt": "zh-Hant", "hbs": "sh"}.get(code, code.replace("_", "-"))


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("translate", "templates"),
        autoescape=True,
        trim_blocks=False,
        undefined=jinja2.StrictUndefined,
    )


def render_html(
    doc: Document,
    translations: Mapping[int, str],
    meta: HandoutMeta,
    *,
    paper: str = "A4",
    hyphenate: bool = True,
) -> str:
    """A standalone handout page (CSS embedded) for one text in one language.

    hyphenate=False leaves out soft hyphens: justified lines get looser, but text
    copied or extracted from the PDF has no invisible U+00AD inside words.
    """
    size = paper_size(paper)
    text = labels(meta.language)
    title, items = body_items(doc, translations, meta.language, hyphenate=hyphenate)
    if title is None:
        title = escape(meta.title or doc.title)
    title_text = html.unescape(re.sub(r"<[^>]+>", "", str(title))).replace("\u00ad", "")
    source_title = meta.source_title or doc.title
    source_language = _language_in(meta.source_language or doc.language, meta.language)
    translation_of = Markup(escape(text["translation_of"])).format(
        title=Markup("<q>{}</q>").format(source_title), language=source_language
    )
    missing = sum(1 for s in doc.segments if s.index not in translations)
    untranslated = text["untranslated"].format(count=missing, total=len(doc.segments)) if missing else ""
    status = status_line(meta)
    css = resources.files("translate").joinpath("templates/handout.css").read_text(encoding="utf-8")
    return (
        _environment()
        .get_template("handout.html.j2")
        .render(
            lang=_html_lang(meta.language),
            dir="rtl" if is_rtl(meta.language) else "ltr",
            version=__version__,
            css=Markup(css),
            page_size=size,
            page_fonts=Markup(_PAGE_FONTS),
            footer_side=("right", "left") if is_rtl(meta.language) else ("left", "right"),
            footer_start=Markup(_css_string(f"{title_text} · {status}")),
            language_name=_language_in(meta.language, meta.language),
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
    hyphenate: bool = True,
) -> HandoutFiles:
    """Write STEM.html (and STEM.pdf) atomically into out_dir."""
    out_dir = Path(out_dir)
    html_path = out_dir / f"{stem}.html"
    atomic_write_text(html_path, render_html(doc, translations, meta, paper=paper, hyphenate=hyphenate))
    pdf_path = None
    if pdf:
        pdf_path = out_dir / f"{stem}.pdf"
        html_to_pdf(html_path, pdf_path, paper=paper)
    return HandoutFiles(html=html_path, pdf=pdf_path)


def write_handouts(
    jobs: Sequence[tuple[Document, Mapping[int, str], HandoutMeta, str]],
    out_dir: Path,
    *,
    pdf: bool = True,
    paper: str = "A4",
    hyphenate: bool = True,
) -> list[HandoutFiles]:
    """Many handouts (document, translations, meta, stem) with one Chromium start."""
    written = [
        write_handout(d, t, m, out_dir, stem, pdf=False, paper=paper, hyphenate=hyphenate) for d, t, m, stem in jobs
    ]
    if not pdf:
        return written
    with ChromiumSession() as browser:
        return [HandoutFiles(f.html, browser.pdf(f.html, f.html.with_suffix(".pdf"))) for f in written]
