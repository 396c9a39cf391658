"""The review pages in a real browser: Debian's Chromium driven by Playwright against `translate serve`.

The project is translated by real Apertium (`translate run`), the server is
the real command on 127.0.0.1, and a person's path is followed with the
keyboard: open the invitation, approve sentences of both essays, meet a
"changed meanwhile" panel, and see the decisions in outputs/ after the next
run. Screenshots at 1280 and 390 px are checked for ink and for the layout
(two columns, then one); set TRANSLATE_SCREENSHOTS to a folder to keep them.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from cli_process import cli
from readers import po_entry
from serve_helpers import invite, running_server

pytest.importorskip("playwright", reason="pip install playwright (the Python package; it uses Debian's chromium)")
from playwright.sync_api import Browser, Dialog, FloatRect, Page, expect, sync_playwright  # noqa: E402

from translate.serve.access import access_path  # noqa: E402
from translate.texts import load_texts  # noqa: E402

CHROMIUM = os.environ.get("TRANSLATE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.chromium,
    pytest.mark.apertium,
]


def translate(project, *args: str) -> subprocess.CompletedProcess:
    return cli(*args, "--config", str(project / "translate.toml"), cwd=project)


@pytest.fixture(scope="module")
def site(tmp_path_factory, translated_essays):
    """The essays in Spanish by Apertium, and `translate serve` running on them."""
    project, first_run = translated_essays(tmp_path_factory.mktemp("browser") / "project", ("es",))
    if first_run["languages"][0]["status"] != "ok":
        pytest.skip("no English→Spanish Apertium pair here (apt-get install apertium-eng-spa)")
    with running_server(project) as base:
        yield project, base


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def open_invitation(browser: Browser, site, name: str, width: int = 1280, height: int = 900) -> Page:
    """A new browser profile that opened its invitation link and pressed Start reviewing (with the keyboard)."""
    project, base = site
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{base}/invite/{invite(project, name)}")
    page.get_by_role("button", name="Start reviewing").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
    return page


def sentences(project, stem: str) -> list:
    text = next(t for t in load_texts(project.config) if t.stem == stem)
    return list(dict.fromkeys(text.document.segments))


def review_queue(project, stem: str) -> list:
    """The project's review queue for one text in Spanish (translate review next), as the pages order it."""
    from translate.review.queue import review_queue as queue  # the ordering under test

    text = next(t for t in load_texts(project.config) if t.stem == stem)
    with project.memory() as memory:
        return queue(memory, [text], "es")


def memory_entry(project, sentence: str):
    with project.memory() as memory:
        return memory.get(sentence, "en", "es")


def approve_with_keyboard(page: Page, addition: str) -> str:
    """Type at the end of the focused editor and press Ctrl+Shift+Enter; return the text approved."""
    assert page.evaluate("document.activeElement.id") == "editor"
    before, said = page.input_value("#editor"), page.inner_text("#status")
    page.keyboard.press("End")
    page.keyboard.type(addition)
    page.keyboard.press("Control+Shift+Enter")
    expect(page.locator("#status")).not_to_have_text(said)  # each message names the next sentence
    expect(page.locator("#status")).to_have_text(re.compile("^Approved"))
    return before + addition


def test_a_volunteer_reviews_both_essays_with_the_keyboard_and_the_next_run_prints_it(browser, site):
    project, base = site
    page = open_invitation(browser, site, "Ana")
    page.get_by_role("link", name="(the-virtual-factory.txt)").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#editor:focus")
    queue = review_queue(project, "the-virtual-factory")  # what most needs a person comes first
    assert page.url == f"{base}/review/es/the-virtual-factory/{queue[0].source_hash}"
    first = approve_with_keyboard(page, " (revisado)")
    assert re.search(r"Now sentence \d+ of 109; 108 still wait for a person", page.inner_text("#status"))
    assert page.url == f"{base}/review/es/the-virtual-factory/{queue[1].source_hash}"
    page.wait_for_selector("#editor:focus")
    second = approve_with_keyboard(page, " (revisado también)")
    assert page.url == f"{base}/review/es/the-virtual-factory/{queue[2].source_hash}"

    short = review_queue(project, "the-virtual-factory-spectacle")
    page.goto(f"{base}/review/es/the-virtual-factory-spectacle")
    page.wait_for_selector("#editor:focus")
    assert page.url.endswith(short[0].source_hash)
    third = approve_with_keyboard(page, " (revisado)")

    for sentence, text in ((queue[0], first), (queue[1], second), (short[0], third)):
        entry = memory_entry(project, sentence.source)
        assert (entry.status, entry.final_text, entry.reviewer) == ("approved", text, "Ana")

    done = translate(project, "run")
    assert done.returncode == 0, done.stderr
    essay_md = (project / "outputs" / "es" / "the-virtual-factory.md").read_text(encoding="utf-8")
    short_md = (project / "outputs" / "es" / "the-virtual-factory-spectacle.md").read_text(encoding="utf-8")
    assert first in essay_md and second in essay_md and third in short_md
    po = polib.pofile(str(project / "outputs" / "es" / "the-virtual-factory.po"))
    assert po_entry(po, queue[0].source).msgstr == first and not po_entry(po, queue[0].source).fuzzy


def test_when_someone_saved_first_the_page_shows_changed_meanwhile_and_keeps_my_text(browser, site):
    """Ana is on a phone: the panel comes into view above the status bar, the two texts' differences marked."""
    project, base = site
    sentence = sentences(project, "the-virtual-factory")[5]
    url = f"{base}/review/es/the-virtual-factory/{sentence.source_hash}"
    ana, bo = open_invitation(browser, site, "Ana", width=390, height=844), open_invitation(browser, site, "Bo")
    ana.goto(url)
    bo.goto(url)
    bos_text = approve_with_keyboard(bo, " (Bo)")
    ana.wait_for_selector("#editor:focus")
    ana.keyboard.press("End")
    ana.keyboard.type(" (Ana)")
    anas_text = ana.input_value("#editor")
    ana.keyboard.press("Control+Enter")
    panel = ana.wait_for_selector(".conflict")
    assert panel is not None and "Changed meanwhile" in (panel.text_content() or "")
    assert bos_text in ana.inner_text(".conflict .theirs") and anas_text in ana.inner_text(".conflict .mine")
    assert ana.input_value("#editor") == anas_text
    assert "changed meanwhile" in ana.inner_text("#status")
    assert memory_entry(project, sentence.text).final_text == bos_text  # nothing overwritten
    assert ana.inner_text(".conflict .theirs mark.differs").strip() == "(Bo)"
    assert ana.inner_text(".conflict .mine mark.differs").strip() == "(Ana)"
    heading, status = box(ana, "#conflict-title"), box(ana, "#status")
    assert 0 <= heading["y"] and heading["y"] + heading["height"] <= status["y"], "the panel is out of sight"
    assert ana.evaluate("document.activeElement.id") == "editor"  # typing still edits the text
    if os.environ.get("TRANSLATE_SCREENSHOTS"):
        ana.screenshot(path=str(Path(os.environ["TRANSLATE_SCREENSHOTS"]) / "conflict-390.png"))
    ana.click("#keep-mine")
    expect(ana.locator("#status")).to_have_text(re.compile("^Draft saved"))
    entry = memory_entry(project, sentence.text)
    assert (entry.final_text, entry.reviewer) == (anas_text, "Ana")
    expect(ana.locator("#status")).to_be_visible()
    expect(ana.locator("#status")).to_be_hidden(timeout=15_000)  # it steps aside, uncovering the page


def test_leaving_a_sentence_with_unsaved_changes_asks_first(browser, site):
    project, base = site
    sentence = sentences(project, "the-virtual-factory")[8]
    page = open_invitation(browser, site, "Cai")
    page.goto(f"{base}/review/es/the-virtual-factory/{sentence.source_hash}")
    page.wait_for_selector("#editor:focus")
    page.keyboard.type(" sin guardar")
    assert page.is_visible("#unsaved")
    asked: list[str] = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    page.keyboard.press("Alt+ArrowDown")
    page.wait_for_timeout(300)
    assert asked and "unsaved changes" in asked[0]
    assert page.url.endswith(sentence.source_hash) and page.input_value("#editor").endswith(" sin guardar")


def ink(browser: Browser, png: bytes) -> float:
    """Share of pixels darker than mid-grey, counted by the browser itself on a blank page."""
    page = browser.new_page()
    try:
        return page.evaluate(
            """async (data) => {
                const img = new Image();
                img.src = 'data:image/png;base64,' + data;
                await img.decode();
                const canvas = document.createElement('canvas');
                canvas.width = img.width; canvas.height = img.height;
                const g = canvas.getContext('2d');
                g.drawImage(img, 0, 0);
                const d = g.getImageData(0, 0, canvas.width, canvas.height).data;
                let dark = 0;
                for (let i = 0; i < d.length; i += 4) { if (d[i] + d[i + 1] + d[i + 2] < 384) dark++; }
                return dark / (d.length / 4);
            }""",
            base64.b64encode(png).decode(),
        )
    finally:
        page.close()


def box(page: Page, selector: str) -> FloatRect:
    found = page.locator(selector).first.bounding_box()
    assert found, f"{selector} is not shown"
    return found


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_show_two_columns_wide_and_one_column_on_a_phone(browser, site, width, tmp_path):
    project, base = site
    from translate.glossary.files import load_glossary  # to pick a sentence with glossary terms
    from translate.glossary.matching import matcher

    terms = matcher(load_glossary(project.config.path("glossary")), "en")
    flagged = [
        item
        for item in review_queue(project, "the-virtual-factory")
        if item.flagged and item.reasons and len(terms.find(item.source)) >= 2
    ]
    assert flagged, "the quality checks flag some of Apertium's Spanish"
    page = open_invitation(browser, site, f"Dee {width}", width=width, height=900 if width > 600 else 844)
    page.goto(f"{base}/review/es/the-virtual-factory/{flagged[-1].source_hash}")
    assert page.is_visible("text=flagged: needs a person first") and flagged[-1].reasons[0] in page.inner_text(".flags")
    page.wait_for_selector("#editor:focus")
    page.keyboard.press("End")
    page.keyboard.type(" cambiado")
    page.wait_for_selector("#changes ins")
    folder = Path(os.environ.get("TRANSLATE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / f"review-{width}.png"
    png = page.screenshot(path=str(shot), full_page=True)
    assert 0.01 < ink(browser, png) < 0.5, "the screenshot is blank (or all dark)"
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen
    work, side, editor = box(page, ".work"), box(page, ".side"), box(page, "#editor")
    assert box(page, "mark.term")["width"] > 0 and editor["width"] > 0.5 * work["width"]
    border = "(id) => getComputedStyle(document.getElementById(id)).borderTopColor"
    assert page.evaluate(border, "editor") != page.evaluate(border, "comment")  # only the edited text is marked
    if width >= 900:
        assert side["x"] >= work["x"] + work["width"] and abs(side["y"] - work["y"]) < 5  # side by side
    else:
        assert abs(side["x"] - work["x"]) < 1 and side["y"] >= work["y"] + work["height"]  # one column
        assert editor["width"] > width * 0.8
    home = open_invitation(browser, site, f"Eli {width}", width=width, height=900 if width > 600 else 844)
    png = home.screenshot(path=str(folder / f"texts-{width}.png"), full_page=True)
    assert 0.005 < ink(browser, png) < 0.5


def test_hostile_text_runs_nothing_in_the_browser(browser, site):
    """A draft holding <script>, <img onerror> and a javascript: link: no dialog, no image, no such link."""
    project, base = site
    sentence = sentences(project, "the-virtual-factory")[20]
    hostile = (
        "<script>alert('script')</script><img src=x onerror=\"alert('img')\">"
        "<a href=\"javascript:alert('link')\">enlace</a> \u202egnp.exe"
    )
    with project.memory() as memory:
        from translate.memory.records import ReviewDecision

        memory.record_review(
            ReviewDecision(
                sentence.source_hash, "en", "es", "<b>Mallory</b>", "", None, hostile, "draft", source_text=sentence.text
            )
        )
    page = open_invitation(browser, site, "Fay <img src=x onerror=alert('name')>")
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.goto(f"{base}/review/es/the-virtual-factory/{sentence.source_hash}")
    page.wait_for_selector("#editor:focus")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.evaluate("document.querySelectorAll('main img, main b, main a[href^=\"javascript\"]').length") == 0
    assert "<script>alert('script')</script>" in page.inner_text(".history")
    assert "[RLO]gnp.exe" in page.inner_text(".history")
    assert page.input_value("#editor") == hostile  # the editor holds the text exactly
    assert access_path(project.config).exists()
