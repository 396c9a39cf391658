"""The review pages in a real browser: Debian's Chromium driven by Playwright against `translate serve`.

The project is translated by real Apertium (`translate run`), the server is
the real command on 127.0.0.1, and a person's path is followed with the
keyboard: open the invitation, approve sentences of both essays, meet a
"changed meanwhile" panel, and see the decisions in outputs/ after the next
run. Several volunteers at once, on a phone (390 px) and a computer (1280 px):
each gets a sentence of their own, a translator's draft approved unchanged is
credited to both, Restore and Escape can be undone, Approve asks once when the
checks doubt the text, the sentence list filters and searches, comments are a
thread, and axe-core finds no violation. Screenshots at 1280 and 390 px are
checked for ink and for the layout (two columns, then one); set
TRANSLATE_SCREENSHOTS to a folder to keep them.
"""

from __future__ import annotations

import base64
import hashlib
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


def open_invitation(
    browser: Browser, site, name: str, width: int = 1280, height: int = 900, role: str = "reviewer", bypass_csp: bool = False
) -> Page:
    """A new browser profile that opened its invitation link and pressed Start reviewing (with the keyboard);
    `bypass_csp` lets a test inject axe-core into the pages (their policy allows only this site's scripts)."""
    project, base = site
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=bypass_csp)
    page = context.new_page()
    page.goto(f"{base}/invite/{invite(project, name, role=role)}")
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
    """Type at the end of the focused editor and press Ctrl+Shift+Enter (twice when the checks ask about the
    text: the second press approves it anyway); return the text approved."""
    assert page.evaluate("document.activeElement.id") == "editor"
    before, said = page.input_value("#editor"), page.inner_text("#status")
    page.keyboard.press("End")
    page.keyboard.type(addition)
    page.keyboard.press("Control+Shift+Enter")
    expect(page.locator("#status")).not_to_have_text(said)  # each message names the next sentence
    expect(page.locator("#status")).to_have_text(re.compile("^(Approved|Not approved yet)"))
    if page.inner_text("#status").startswith("Not approved yet"):
        assert page.is_visible("#confirm") and page.evaluate("document.activeElement.id") == "editor"
        page.keyboard.press("Control+Shift+Enter")
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
    heading = box(ana, "#conflict-title")
    assert 0 <= heading["y"] and heading["y"] + heading["height"] <= 844, "the panel is out of sight"
    assert ana.evaluate("document.activeElement.id") == "editor"  # typing still edits the text
    if os.environ.get("TRANSLATE_SCREENSHOTS"):
        ana.screenshot(path=str(Path(os.environ["TRANSLATE_SCREENSHOTS"]) / "conflict-390.png"))
    ana.click("#keep-mine")
    expect(ana.locator("#status")).to_have_text(re.compile("^Draft saved"))
    entry = memory_entry(project, sentence.text)
    assert (entry.final_text, entry.reviewer) == (anas_text, "Ana")


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
    page = open_invitation(browser, site, "Fay \" onerror=\"alert('name')")
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


# ---------------------------------------------------------------- many volunteers, phones and computers (issue 23)

WIDTHS = [390, 1280]
AXE = Path(__file__).parent / "data" / "axe" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # axe-core 4.14.1 (tests/data/axe/README.md)
LONG = "the-virtual-factory"


def volunteer(browser: Browser, site, name: str, width: int, **options) -> Page:
    return open_invitation(browser, site, name, width=width, height=844 if width < 600 else 900, **options)


def sentence_url(site, segment, stem: str = LONG) -> str:
    return f"{site[1]}/review/es/{stem}/{segment.source_hash}"


def said(page: Page, pattern: str) -> None:
    """Wait until the page's message (the live region) says `pattern` (a regular expression)."""
    expect(page.locator("#status")).to_have_text(re.compile(pattern))


def unused_sentence(project, offset: int):
    """A sentence of the long essay no earlier test decided (each test takes its own by offset)."""
    return sentences(project, LONG)[offset]


@pytest.mark.parametrize("width", WIDTHS)
def test_two_volunteers_opening_the_same_text_get_different_sentences(browser, site, width):
    """Both open the essay from the home page; each is offered a sentence of their own, and a sentence someone is
    on says so (both landed on the same sentence before, and 59 % of twenty reviewers' saves were conflicts)."""
    project, base = site
    gil, hal = volunteer(browser, site, f"Gil {width}", width), volunteer(browser, site, f"Hal {width}", width)
    for page in (gil, hal):
        page.get_by_role("link", name="(the-virtual-factory.txt)").first.click()
        page.wait_for_selector("#editor")
    assert gil.url != hal.url
    hal.goto(f"{base}/review/es/{LONG}/sentences")
    hal.locator(f"a.row-link[href$='{gil.url.rsplit('/', 1)[1]}']").click()
    expect(hal.locator(".holder")).to_contain_text(f"Gil {width} is on this sentence")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_translators_draft_approved_unchanged_credits_the_translator_and_the_reviewer(browser, site, width):
    project, base = site
    from translate.publish.handouts import build_handouts  # the handout's credits, as printed

    segment = unused_sentence(project, 40 + WIDTHS.index(width))
    teo = volunteer(browser, site, f"Teo {width}", width, role="translator")
    teo.goto(sentence_url(site, segment))
    teo.wait_for_selector("#editor:focus")
    teo.keyboard.press("End")
    teo.keyboard.type(" (Teo)")
    teo.keyboard.press("Control+Enter")
    said(teo, "^Draft saved")
    ana = volunteer(browser, site, f"Ana {width}", width)
    ana.goto(sentence_url(site, segment))
    ana.wait_for_selector("#editor:focus")
    assert ana.input_value("#editor").endswith(" (Teo)")
    ana.click("#approve")
    said(ana, "^(Approved|Not approved yet)")
    if ana.is_visible("#approve-anyway"):
        ana.click("#approve-anyway")
    said(ana, f"^Approved: Teo {width}'s translation, credited to them")
    entry = memory_entry(project, segment.text)
    assert (entry.status, entry.translator, entry.reviewer) == ("approved", f"Teo {width}", f"Ana {width}")
    ana.goto(sentence_url(site, segment))
    expect(ana.locator(".credit")).to_have_text(f"Translated by Teo {width}, approved by Ana {width}")
    assert "approved the text shown" in ana.inner_text(".history")
    build_handouts(project.config, only=[f"{LONG}.txt"], targets=["es"], pdf=False, force=True)
    handout = (project / "outputs" / "es" / f"{LONG}.html").read_text(encoding="utf-8")
    credits = " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"</?bdi>", "", handout.split('class="credits"')[-1])).split())
    translators, reviewers = credits.split("Traducción", 1)[1].split("Revisión", 1)
    assert f"Teo {width}: 1 de 109 frases" in translators and f"Ana {width}" in reviewers.split("Fecha")[0]


@pytest.mark.parametrize("width", WIDTHS)
def test_restore_and_escape_can_be_undone(browser, site, width):
    """Restore and Escape wiped the editor with no way back; now Undo (or Ctrl+Z) brings the text back, and on
    a phone Restore sits by the editor, away from the buttons that record a decision."""
    project, base = site
    page = volunteer(browser, site, f"Ida {width}", width)
    page.goto(sentence_url(site, unused_sentence(project, 44 + WIDTHS.index(width))))
    page.wait_for_selector("#editor:focus")
    draft = page.input_value("#editor")
    page.keyboard.press("End")
    page.keyboard.type(" con mis cambios")
    mine = page.input_value("#editor")
    assert page.is_hidden("#undo")
    page.click("#restore")
    assert page.input_value("#editor") == draft
    page.click("#undo")
    assert page.input_value("#editor") == mine
    page.focus("#editor")
    page.keyboard.press("Escape")
    assert page.input_value("#editor") == draft and page.is_visible("#undo")
    page.keyboard.press("Control+z")  # the browser's own undo too
    assert page.input_value("#editor") == mine
    restore, actions = box(page, "#restore"), box(page, ".actions")
    assert restore["y"] + restore["height"] <= actions["y"], "Restore sits among the decision buttons"


@pytest.mark.parametrize("width", WIDTHS)
def test_approving_a_text_the_checks_doubt_asks_once_and_the_changes_panel_says_why(browser, site, width):
    """A draft still holding English words was approved with one tap, and replacing a pinned term gave no
    warning: the checks now run on the person's text, inline and before Approve."""
    project, base = site
    from translate.glossary.files import load_glossary  # the checks need the project's glossary
    from translate.glossary.matching import matcher
    from translate.review.text_checks import check_text

    glossary = load_glossary(project.config.path("glossary"))
    with project.memory() as memory:
        doubted = [
            s
            for s in sentences(project, LONG)[50:]
            if (e := memory.get(s.text, "en", "es")) is not None
            and e.status == "machine"
            and any(f.check == "source-words" for f in check_text(s.text, e.machine_text, "en", "es", glossary))
            and any(m.concept.terms("es") for m in matcher(glossary, "en").find(s.text))
        ]
    segment = doubted[WIDTHS.index(width)]
    page = volunteer(browser, site, f"Jo {width}", width)
    page.goto(sentence_url(site, segment))
    page.wait_for_selector("#editor:focus")
    page.fill("#editor", "Nada que ver con la frase.")  # the pinned terms gone
    expect(page.locator("#text-checks")).to_contain_text("glossary terms not as pinned")
    page.fill("#editor", memory_entry(project, segment.text).machine_text)
    page.click("#approve")
    expect(page.locator("#confirm")).to_contain_text("untranslated source words")
    assert memory_entry(project, segment.text).status == "machine"  # nothing recorded yet
    page.click("#approve-anyway")
    said(page, "^Approved")
    assert memory_entry(project, segment.text).status == "approved"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_sentence_list_is_in_document_order_with_filters_and_search(browser, site, width):
    project, base = site
    segment = unused_sentence(project, 60 + WIDTHS.index(width))
    page = volunteer(browser, site, f"Kim {width}", width)
    page.goto(sentence_url(site, segment))
    page.wait_for_selector("#editor:focus")
    page.click("#needs-work")
    said(page, "^Saved as needing work")
    page.click("#list-link")
    numbers = [int(n) for n in page.eval_on_selector_all("ol.sentences > li", "els => els.map(e => e.value)")]
    assert numbers == sorted(numbers) and len(numbers) == 109
    page.get_by_role("link", name=re.compile("^Needs work")).click()
    rows = page.locator("ol.sentences > li")
    assert rows.count() >= 1 and segment.text in page.inner_text("ol.sentences")
    assert all("needs work" in text for text in rows.all_inner_texts())
    page.get_by_role("link", name=re.compile("^Mine")).click()
    assert page.locator("ol.sentences > li").count() == 1 and segment.text in page.inner_text("ol.sentences")
    page.get_by_role("link", name=re.compile("^Flagged")).click()
    assert all("flagged" in text for text in page.locator("ol.sentences > li").all_inner_texts())
    page.get_by_role("link", name=re.compile("^All")).click()
    word = max(segment.text.split(), key=len).strip(".,;:")
    page.fill("#q", word)
    page.get_by_role("button", name="Search").click()
    assert segment.text in page.inner_text("ol.sentences")
    assert all(word.lower() in text.lower() for text in page.locator("ol.sentences > li").all_inner_texts())
    home = page.goto(f"{base}/")
    assert home is not None and re.search(r"\d+ needs? work", page.inner_text("main"))


@pytest.mark.parametrize("width", WIDTHS)
def test_comments_are_a_thread_that_keeps_each_volunteers_comment(browser, site, width):
    """One comment field per sentence let a second volunteer's comment replace the first."""
    project, base = site
    url = sentence_url(site, unused_sentence(project, 64 + WIDTHS.index(width)))
    for name, words in ((f"Lu {width}", "¿«plusvalía» o «plusvalor»?"), (f"Mo {width}", "«plusvalía», como el glosario.")):
        page = volunteer(browser, site, name, width)
        page.goto(url)
        page.fill("#comment", words)
        page.click("#add-comment")
        said(page, "^Comment added")
    page.goto(url)
    thread = page.inner_text("#thread")
    assert thread.index("¿«plusvalía» o «plusvalor»?") < thread.index("«plusvalía», como el glosario.")
    assert f"Lu {width}" in thread and f"Mo {width}" in thread and "UTC" in thread
    assert "Up to 2,000 characters" in thread


def test_on_a_phone_the_sentence_opens_with_its_source_in_view_and_no_message_covers_a_control(browser, site):
    """Each sentence opened scrolled down about 476 px, and a 64 px bar covered the buttons for 8 s after a save,
    its first tap only dismissing it."""
    project, base = site
    page = volunteer(browser, site, "Ned 390", 390)
    page.goto(sentence_url(site, unused_sentence(project, 70)))
    page.wait_for_selector("#editor:focus")
    source = box(page, ".source-text")
    assert 0 <= source["y"] < 844 and page.evaluate("window.scrollY") == 0
    page.keyboard.press("End")
    page.keyboard.type(" (Ned)")
    page.click("#save")
    said(page, "^Draft saved")
    assert 0 <= box(page, "#status")["y"] < 844 and box(page, ".source-text")["y"] < 844
    for control in ("#save", "#approve", "#needs-work", "#restore"):
        page.locator(control).scroll_into_view_if_needed()
        found = box(page, control)
        at = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('button').id", [found["x"] + 5, found["y"] + 5])
        assert at == control[1:], f"{control} is covered by {at}"
    page.click("#needs-work")  # the first tap does what it says
    said(page, "^Saved as needing work")


def axe_violations(page: Page) -> list[dict]:
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation_on_the_review_pages(browser, site, width):
    """The start page, a sentence (with a change typed), the checks' question, and the sentence list."""
    project, base = site
    page = volunteer(browser, site, f"Oz {width}", width, bypass_csp=True)
    found = {"start page": axe_violations(page)}
    page.goto(sentence_url(site, unused_sentence(project, 80 + WIDTHS.index(width))))
    page.wait_for_selector("#editor:focus")
    page.keyboard.press("End")
    page.keyboard.type(" x")
    page.wait_for_selector("#changes ins")
    found["sentence"] = axe_violations(page)
    page.click("#approve")
    said(page, "^(Not approved yet|Approved)")
    found["after Approve"] = axe_violations(page)
    page.goto(f"{base}/review/es/{LONG}/sentences?show=unreviewed")
    found["sentence list"] = axe_violations(page)
    assert {where: v for where, v in found.items() if v} == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_previous_goes_back_to_the_sentence_just_approved(browser, site, width):
    """Previous followed the re-sorted queue, so the sentence just saved was never reachable again."""
    project, base = site
    first = unused_sentence(project, 90 + 2 * WIDTHS.index(width))
    page = volunteer(browser, site, f"Pat {width}", width)
    page.goto(sentence_url(site, first))
    page.wait_for_selector("#editor:focus")
    approve_with_keyboard(page, " (visto)")
    assert not page.url.endswith(first.source_hash)
    page.click("#previous-link")
    expect(page.locator("#editor")).to_have_value(re.compile(r"\(visto\)$"))
    assert page.url.endswith(first.source_hash)
