"""Hostile text on the review pages is shown as text, never run.

Sources, machine drafts, reviewers' names and texts come from outside: a
`<script>`, an `<img onerror=...>`, a `javascript:` link or an invisible
right-to-left override in any of them must reach the reader as the characters
they are. The browser test (test_serve_browser.py) opens the same page in
Chromium and checks that nothing ran.
"""

from __future__ import annotations

import re

import pytest
from readers import first_group
from serve_helpers import STAND_IN_SIGNATURE, csrf_of, invite, sign_in
from starlette.testclient import TestClient

from translate.serve.app import build_app
from translate.serve.review.presentation import shown

HOSTILE_TEXT = (
    "# Notes <script>alert('title')</script>\n\n"
    "A picture <img src=x onerror=\"alert('img')\"> in a sentence. "
    "See [the manual](javascript:alert('link')) for more.\n\n"
    "The file is called \u202egnp.exe\u202c here.\n"
)
HOSTILE_DRAFTS = {
    "A picture <img src=x onerror=\"alert('img')\"> in a sentence.": "Una imagen <script>alert('draft')</script> en una frase.",
    "See [the manual](javascript:alert('link')) for more.": "Vea <a href=\"javascript:alert('a')\">el manual</a>.",
    "The file is called \u202egnp.exe\u202c here.": "El archivo se llama \u202egnp.exe\u202c aquí.",
}
HOSTILE_NAME = 'Eve" onmouseover="alert(1) & \u202e'  # angle brackets or an e-mail address are refused at invite


@pytest.fixture
def hostile(project):
    project.configure(["es"])
    text = project.add_text("notes.md", HOSTILE_TEXT)
    sentences = [s.text for s in text.document.segments]
    assert set(HOSTILE_DRAFTS) <= set(sentences), sentences
    with project.memory() as memory:
        memory.store_machine([(s, HOSTILE_DRAFTS.get(s, f"es: {s}"), None) for s in sentences], "en", "es", STAND_IN_SIGNATURE)
    return project, text


def outside_the_editor(html: str) -> str:
    """The page without the editor's content and the restore button's copy of the draft (raw text belongs there)."""
    html = re.sub(r"<textarea[^>]*>.*?</textarea>", "<textarea></textarea>", html, flags=re.S)
    return re.sub(r'data-(?:draft|text)="[^"]*"', "", html)


def pages(hostile) -> list[str]:
    project, text = hostile
    client = TestClient(build_app(project.config))
    sign_in(client, invite(project, HOSTILE_NAME, ("es",)))
    out = [client.get("/").text]
    for segment in text.document.segments:
        url = f"/review/es/notes/{segment.source_hash}"
        page = client.get(url)
        assert page.status_code == 200
        # a decision by the hostile name, so the history shows it too
        client.post(
            url,
            data={
                "action": "save",
                "text": HOSTILE_DRAFTS.get(segment.text, "x") + " <i>",
                "csrf_token": csrf_of(page.text),
                "base": first_group(r'name="base" value="([^"]*)"', page.text),
            },
        )
        out.append(client.get(url).text)
        out.append(client.get(f"{url}/changes", params={"text": "<script>alert('diff')</script>"}).text)
    return out


def test_scripts_images_and_links_from_texts_are_shown_as_text(hostile):
    for html in pages(hostile):
        visible = outside_the_editor(html)
        assert "<script>alert" not in visible and "<img" not in visible and "<b " not in visible
        assert 'href="javascript' not in visible.lower() and '<a href="javascript' not in html
        ours = ['<script src="/static/htmx.min.js" defer>', '<script src="/static/review.js" defer>']
        assert re.findall(r"<script\b[^>]*>", html) == (ours if "<html" in html else [])
    everything = "\n".join(pages(hostile))
    assert "&lt;script&gt;alert(&#39;draft&#39;)&lt;/script&gt;" in everything
    assert "&lt;img src=x onerror=&#34;alert(&#39;img&#39;)&#34;&gt;" in everything
    assert "javascript:alert(&#39;link&#39;)" in everything
    assert "Eve&#34; onmouseover=&#34;alert(1) &amp;" in everything


def test_right_to_left_overrides_are_shown_as_marks_not_obeyed(hostile):
    for html in pages(hostile):
        assert "\u202e" not in outside_the_editor(html) and "\u202c" not in outside_the_editor(html)
    everything = "\n".join(pages(hostile))
    assert "[RLO]gnp.exe[PDF]" in re.sub(r"<[^>]+>", "", everything)


def test_the_editor_keeps_the_draft_exactly_as_stored(hostile):
    """Nothing is lost by escaping: the textarea holds the draft's characters, the override included."""
    project, text = hostile
    client = TestClient(build_app(project.config))
    sign_in(client, invite(project))
    segment = next(s for s in text.document.segments if "gnp" in s.text)
    html = client.get(f"/review/es/notes/{segment.source_hash}").text
    editor = first_group(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)
    assert editor == "El archivo se llama \u202egnp.exe\u202c aquí."


def test_shown_escapes_before_marking():
    assert str(shown("<b>\u202e</b>")) == (
        '&lt;b&gt;<span class="control" title="invisible control character RLO">[RLO]</span>&lt;/b&gt;'
    )
    assert str(shown(None)) == ""
