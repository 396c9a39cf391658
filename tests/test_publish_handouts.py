"""Handouts: structure, honesty and credits in the HTML; real Chromium for PDF and PNG.

The pictures are checked as a reader would see them: not blank, Arabic set
right to left, Chinese in a CJK font, and the PDF's text holds the title and a
glossary term.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest
from project_factory import Project

from translate.engines.credits import model_attribution
from translate.errors import TranslateError, UsageError
from translate.memory.notes import Notes
from translate.memory.records import ReviewDecision
from translate.publish.chromium import ChromiumSession, chromium_binary, html_to_pdf, screenshot
from translate.publish.handout_body import translated_blocks
from translate.publish.handouts import (
    HandoutFiles,
    HandoutMeta,
    build_handouts,
    labels,
    render_html,
    status_line,
    write_handout,
)
from translate.run.signature import Signature
from translate.segment import parse

ROOT = Path(__file__).resolve().parents[1]

SMALL = """# The Virtual Factory

A new kind of factory was born from *capitalist* society. It has no walls. [1]

## Labour and value

> The spectacle is a social relation among people, mediated by images.

Ludwig: Do you admire America?

Stalin: We respect its efficiency. [2]

  3. Use tools to block advertisements.
  4. Cite as much as possible.

The proletariat must abolish labour.
"""

# Hand-written translations of SMALL's ten segments.
ARABIC = [
    "المصنع الافتراضي",
    "وُلد نوع جديد من المصانع من المجتمع *الرأسمالي*.",
    "ليس له جدران.",
    "العمل والقيمة",
    "المشهد علاقة اجتماعية بين الناس تتوسطها الصور.",
    "هل تُعجب بأمريكا؟",
    "نحن نحترم كفاءتها.",
    "استخدم أدوات لحجب الإعلانات.",
    "استشهد بالمصادر قدر الإمكان.",
    "يجب على البروليتاريا إلغاء العمل.",
]
CHINESE = [
    "虚拟工厂",
    "一种新型工厂诞生于*资本主义*社会。",
    "它没有围墙。",
    "劳动与价值",
    "景观是人与人之间以影像为中介的社会关系。",
    "您钦佩美国吗？",
    "我们尊重它的效率。",
    "使用工具屏蔽广告。",
    "尽可能多地引用来源。",
    "无产阶级必须废除劳动。",
]
OPUS: dict[str, Any] = dict(engine="opus-mt", route="en→ar", model="Helsinki-NLP/opus-mt-en-ar", glossary_version="glossary 2")
OPUS_ZH: dict[str, Any] = dict(OPUS, route="en→zh", model="Helsinki-NLP/opus-mt-en-zh")


@pytest.fixture(scope="module")
def small():
    return parse(SMALL, "small.md", "en")


def translations(doc, sentences):
    assert len(doc.segments) == len(sentences)
    return {segment.index: text for segment, text in zip(doc.segments, sentences, strict=True)}


# --- structure and text, no browser -----------------------------------------


def test_blocks_carry_their_translation_without_markup(small):
    blocks = list(translated_blocks(small, translations(small, CHINESE)))
    assert [b.kind for b, _ in blocks] == [
        "heading", "paragraph", "heading", "quote", "dialogue", "dialogue", "list_item", "list_item", "paragraph",
    ]  # fmt: skip
    texts = [t for _, t in blocks]
    assert texts[0] == "虚拟工厂"
    assert texts[1] == "一种新型工厂诞生于*资本主义*社会。 它没有围墙。 [1]"
    assert texts[3] == "景观是人与人之间以影像为中介的社会关系。"  # no '>' left
    assert texts[4] == "您钦佩美国吗？"  # no speaker prefix
    assert texts[6] == "使用工具屏蔽广告。"  # no '  3. '


def test_untranslated_blocks_give_back_the_source(small):
    texts = [t for _, t in translated_blocks(small, {})]
    assert texts[1] == "A new kind of factory was born from *capitalist* society. It has no walls. [1]"
    assert texts[8] == "The proletariat must abolish labour."


def test_arabic_page_is_rtl_and_keeps_the_structure(small):
    page = render_html(small, translations(small, ARABIC), HandoutMeta(language="ar", date="2025-05-01", **OPUS))
    assert '<html lang="ar" dir="rtl">' in page
    assert "<h1><bdi>المصنع الافتراضي</bdi></h1>" in page
    assert "<h2>العمل والقيمة</h2>" in page
    assert "<blockquote><p>المشهد علاقة اجتماعية" in page
    assert '<p class="dialogue"><b><bdi>Ludwig</bdi>:</b> هل تُعجب بأمريكا؟</p>' in page
    assert '<li value="3">استخدم أدوات لحجب الإعلانات.</li>' in page
    assert '<li value="4">' in page and page.count("<ol>") == 1
    assert "<em>الرأسمالي</em>" in page
    assert '<sup class="note">1</sup>' in page and '<sup class="note">2</sup>' in page
    assert "ترجمة آلية، لم تتم مراجعتها" in page  # 'Machine translation, not reviewed'
    assert "Tiedemann &amp; Thottingal, OPUS-MT, EAMT 2020, CC BY 4.0" in page
    assert "Helsinki-NLP/opus-mt-en-ar" in page and "glossary 2" in page and "small.md" in page
    assert "The Virtual Factory" in page  # the original's title is credited
    assert "<style>" in page and "@page" in page and "size: A4" in page  # standalone, CSS embedded
    assert 'href="' not in page and "<link" not in page


def test_chinese_page_drops_spaces_between_sentences(small):
    page = render_html(small, translations(small, CHINESE), HandoutMeta(language="zh", **OPUS_ZH), paper="Letter")
    assert '<html lang="zh" dir="ltr">' in page
    assert "<em>资本主义</em>社会。它没有围墙。" in page
    assert "size: letter" in page
    assert "机器翻译，未经人工审校" in page


def test_translations_are_escaped(small):
    hostile = dict(translations(small, CHINESE))
    hostile[2] = "<script>alert(1)</script> & more"
    page = render_html(small, hostile, HandoutMeta(language="zh"))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page


def test_missing_segments_are_said_and_shown_in_the_source(small):
    partial = dict(translations(small, ARABIC))
    del partial[9]
    page = render_html(small, partial, HandoutMeta(language="en"))
    assert "The proletariat must abolish labour." in page
    assert "1 of 10 sentences are still in the original language" in page


def test_no_soft_hyphen_hides_a_word_from_search(small):
    spanish = {0: "La fábrica virtual", 9: "El proletariado debe abolir cualquier trabajo."}
    page = render_html(small, spanish, HandoutMeta(language="es"))
    assert "<h1><bdi>La fábrica virtual</bdi></h1>" in page
    assert "El proletariado debe abolir cualquier trabajo." in page
    assert "&shy;" not in page and "\u00ad" not in page


def test_a_markdown_link_reaches_the_handout_as_a_link_and_inline_code_as_code():
    doc = parse("# T\n\nRead [the Manifesto](https://www.marxists.org/x.htm) and run `make test` *now*.\n", "t.md")
    spanish = {1: "Lee [el Manifiesto](https://www.marxists.org/x.htm) y ejecuta `make test` *ahora*."}
    page = render_html(doc, spanish, HandoutMeta(language="es"))
    assert '<a href="https://www.marxists.org/x.htm">el Manifiesto</a>' in page
    assert "<code>make test</code>" in page and "<em>ahora</em>" in page
    assert "[el Manifiesto]" not in page
    hostile = render_html(doc, {1: "[x](javascript:alert(1)) <b>y</b>"}, HandoutMeta(language="es"))
    assert 'href="javascript' not in hostile and "<b>y</b>" not in hostile


def test_status_line_counts_reviewers_and_approved_share():
    assert status_line(HandoutMeta(language="en")) == "Machine translation, not reviewed"
    reviewed = HandoutMeta(language="en", reviewed=True, reviewers=["Ana", "Luis"], approved_share=0.75)
    assert status_line(reviewed) == "Reviewed by 2 people, 75% of segments approved"
    one = HandoutMeta(language="en", reviewed=True, reviewers=["Ana"], approved_share=1.0)
    assert status_line(one) == "Reviewed by 1 person, 100% of segments approved"
    spanish = HandoutMeta(language="es", reviewed=True, reviewers=["Ana", "Luis", "Marta"], approved_share=0.5)
    assert re.fullmatch(r"Revisada por 3 personas, 50\s?% de los segmentos aprobados", status_line(spanish))


def test_labels_fall_back_to_english_and_credit_their_translation():
    assert labels("sw")["about"] == "About this translation"
    assert labels("pt_BR")["about"] == "Sobre esta tradução"
    assert "translate" in labels("fr")["labels_note"]
    assert labels("en")["labels_note"] == ""


def test_known_attributions():
    assert model_attribution("apertium", "eng-spa") == "Apertium, Forcada et al. 2011, GNU GPL"
    assert "CC BY 4.0" in (model_attribution("marian", "Helsinki-NLP/opus-mt-en-de") or "")
    assert model_attribution("nllb", "facebook/nllb-200") is None


def test_unknown_paper_is_a_usage_error(small):
    with pytest.raises(UsageError, match="A4 or Letter"):
        render_html(small, {}, HandoutMeta(language="es"), paper="A5")


def test_missing_chromium_names_the_debian_package(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("TRANSLATE_CHROMIUM", raising=False)
    with pytest.raises(TranslateError, match="Debian package 'chromium'"):
        chromium_binary()


# --- real rendering ------------------------------------------------------------


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered rows of an 8-bit RGB/RGBA PNG (Chromium's kind)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = 3 if colour == 2 else 4
    raw, stride, rows = zlib.decompress(idat), width * bpp, []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line[0::bpp]))  # the red channel is enough to find ink
        previous = line
    return width, height, rows


def pdf_page_gray(pdf: Path, page: int = 1) -> tuple[int, int, bytes]:
    """A PDF page rendered by poppler to 8-bit gray pixels."""
    out = subprocess.run(
        ["pdftoppm", "-gray", "-r", "40", "-f", str(page), "-l", str(page), str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    magic, width, height, maxval, pixels = out.split(maxsplit=4)
    assert magic == b"P5" and maxval == b"255"
    return int(width), int(height), pixels


def ink(width: int, rows: list[bytes]) -> tuple[float, float]:
    """Share of dark pixels, and their mean x as a fraction of the width."""
    dark = total_x = 0
    for row in rows:
        for x, value in enumerate(row):
            if value < 128:
                dark += 1
                total_x += x
    return dark / (width * len(rows)), (total_x / dark / width if dark else 0.0)


def pdf_text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"[\u2010-]\n", "", text.replace("\u00ad", ""))


def page_size_points(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert match is not None, info
    return float(match.group(1)), float(match.group(2))


def apertium_spanish(doc) -> dict[int, str]:
    """The essay's segments through real Apertium (eng-spa), one call for all of them."""
    joined = "\n\n".join(segment.text.replace("\n", " ") for segment in doc.segments)
    done = subprocess.run(["apertium", "-u", "eng-spa"], input=joined, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    parts = [part.strip() for part in done.stdout.strip().split("\n\n")]
    assert len(parts) == len(doc.segments)
    return {segment.index: part for segment, part in zip(doc.segments, parts, strict=True)}


ARABIC_SIGNATURE = Signature("argos", "ctranslate2-4.5.0", "en>ar", "opus-mt-en-ar@1.0", "beam4", "glossary@2+0a1b2c3d")
SPANISH_SIGNATURE = Signature("apertium", "3.8.3", "en>es", "apertium-eng-spa@0.8.1", "-f txt -u tidy=1", "glossary@2+0a1b2c3d")


@pytest.fixture(scope="module")
def rendered(small, tmp_path_factory):
    """Arabic (A4), Chinese (Letter) and the real essay in Spanish: HTML, PDF and screenshots.

    Arabic and Spanish come from a project's memory through `build_handouts`, as `translate
    handouts` makes them: the small text's Arabic machine drafts, and the essay's Apertium
    drafts, 88 of its 109 sentences approved by two reviewers.
    """
    for tool, package in (("chromium", "chromium"), ("pdftoppm", "poppler-utils"), ("apertium", "apertium-eng-spa")):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (apt-get install {package})")
    out = tmp_path_factory.mktemp("handouts")
    project = Project(tmp_path_factory.mktemp("project"))
    # The gate is not what these pages are about (test_reader_states.py): no route figures asked, no share.
    project.configure(["ar", "es"], review={"publish_threshold": 0.8, "min_route_chrf": 0, "max_flagged_share": 1.0})
    project.add_text("small.md", SMALL)
    essay_path = ROOT / "texts" / "the-virtual-factory.txt"
    essay = project.add_text(essay_path.name, essay_path.read_text(encoding="utf-8")).document
    spanish = apertium_spanish(essay)
    with project.memory() as memory:
        memory.store_machine(
            [(s.text, t, Notes()) for s, t in zip(small.segments, ARABIC, strict=True)], "en", "ar", str(ARABIC_SIGNATURE)
        )
        memory.store_machine([(s.text, spanish[s.index], Notes()) for s in essay.segments], "en", "es", str(SPANISH_SIGNATURE))
        memory.record_reviews(
            ReviewDecision(
                segment.source_hash,
                "en",
                "es",
                ("Ana", "Luis")[n % 2],
                "",
                spanish[segment.index],
                spanish[segment.index],
                "approved",
            )
            for n, segment in enumerate(essay.segments[:88])
        )
    assert len({segment.text for segment in essay.segments}) == 109  # so that 88 approved sentences are 80.7 %
    # Arabic and Spanish through one browser, Chinese (Letter) through a Chromium run of its own.
    written = build_handouts(project.config).written
    ar, es = project / "outputs" / "ar", project / "outputs" / "es"
    files = {
        "ar": HandoutFiles(ar / "small.html", ar / "small.pdf"),
        "es": HandoutFiles(es / "the-virtual-factory.html", es / "the-virtual-factory.pdf"),
    }
    assert {f.html for f in files.values()} | {f.pdf for f in files.values()} <= set(written)
    zh = write_handout(small, translations(small, CHINESE), HandoutMeta(language="zh", **OPUS_ZH), out, "zh", paper="Letter")
    screenshot(files["ar"].html, out / "ar.png", width=800, height=700)
    with ChromiumSession() as browser:
        browser.screenshot(zh.html, out / "zh.png", width=800, height=700)
    return out, {**files, "zh": zh}


@pytest.mark.slow
def test_pdfs_have_the_paper_asked_for(rendered):
    _, files = rendered
    assert page_size_points(files["ar"].pdf) == pytest.approx((595, 842), abs=1.5)  # A4
    assert page_size_points(files["zh"].pdf) == pytest.approx((612, 792), abs=1.5)  # Letter


def test_pdf_text_holds_title_status_and_glossary_terms(rendered):
    _, files = rendered
    arabic, chinese, spanish = (pdf_text(files[k].pdf) for k in ("ar", "zh", "es"))
    assert "无产阶级" in chinese and "虚拟工厂" in chinese and "机器翻译，未经人工审校" in chinese
    assert "Tiedemann & Thottingal, OPUS-MT, EAMT 2020, CC BY 4.0" in chinese
    assert "La Fábrica Virtual" in spanish and "capitalismo" in spanish
    assert re.search(r"Revisada por 2 personas, 80,7\s?% de los segmentos aprobados", spanish)
    assert "Apertium, Forcada et al. 2011, GNU GPL" in spanish
    assert arabic.strip(), "no text layer in the Arabic PDF"
    for word in ("البروليتاريا", "الافتراضي"):  # poppler may give Arabic in visual order
        assert word in arabic or word[::-1] in arabic


def test_the_spanish_pdf_text_is_searchable_word_for_word(rendered):
    """`pdftotext | grep cualquier` finds the word: no soft hyphen inside words (Chromium keeps them in the text)."""
    _, files = rendered
    raw = subprocess.run(["pdftotext", str(files["es"].pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "\u00ad" not in raw
    assert "cualquier" in raw and "capitalismo" in raw


def test_pdfs_use_the_scripts_fonts(rendered):
    _, files = rendered

    def fonts(pdf):
        return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout

    arabic = fonts(files["ar"].pdf)
    assert "NotoNaskhArabic" in arabic and "Liberation" not in arabic
    # Chromium embeds the CJK collection as Type 3 glyphs without names; check that
    # fontconfig resolves the family the page asks for, the text layer is checked above.
    match = subprocess.run(["fc-match", "Noto Serif CJK SC"], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJK" in match


def test_pdf_pages_are_printed_and_arabic_hugs_the_right_margin(rendered):
    _, files = rendered
    shares = {}
    for language in ("ar", "zh", "es"):
        width, height, pixels = pdf_page_gray(files[language].pdf)
        rows = [pixels[y * width : (y + 1) * width] for y in range(height)]
        shares[language] = ink(width, rows)
        assert 0.005 < shares[language][0] < 0.4, f"{language} page looks blank or black"
    assert shares["ar"][1] > 0.55 > 0.45 > shares["zh"][1]


def test_screenshots_show_the_page(rendered):
    out, _ = rendered
    for language in ("ar", "zh"):
        width, height, rows = read_png(out / f"{language}.png")
        assert (width, height) == (800, 700)
        share, centre = ink(width, rows)
        assert share > 0.005, f"{language} screenshot is blank"
        assert (centre > 0.5) if language == "ar" else (centre < 0.5)


def test_html_to_pdf_refuses_a_missing_page(tmp_path):
    with pytest.raises(UsageError, match="no such HTML file"):
        html_to_pdf(tmp_path / "absent.html", tmp_path / "absent.pdf")
    assert not (tmp_path / "absent.pdf").exists()


def test_a_serbian_handout_is_in_one_script_labels_name_and_date_included(small):
    page = render_html(small, {0: "Virtuelna fabrika"}, HandoutMeta(language="sr", date="2026-11-22"))
    assert 'lang="sr-Latn"' in page
    assert "O ovom prevodu" in page and "srpski" in page and "22. novembar 2026." in page
    assert not re.search("[\u0400-\u04ff]", page), "Cyrillic on a Latin-script Serbian handout"
