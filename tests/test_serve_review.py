"""The review page as a volunteer uses it: what it shows, what a decision records, what a conflict keeps.

Real application (Starlette's TestClient), real project, real SQLite memory.
"""

from __future__ import annotations

import re

import pytest
from readers import first_group
from serve_helpers import STAND_IN_SIGNATURE, csrf_of, drafted, invite, sign_in
from starlette.testclient import TestClient

from translate.memory.notes import GlossaryViolation, Notes
from translate.review.queue import front_count, review_queue
from translate.serve.app import build_app
from translate.serve.review.diff import summarize, unmodified_share, word_diff
from translate.serve.review.routes import confirmation_of
from translate.texts import load_texts

TEXT = "the-virtual-factory"
MARXISM = "5af908fcb93e5030"  # "A central idea of Marxism, born out of dialectics, is that capitalism sows the seeds..."


@pytest.fixture
def reviewed(project):
    return drafted(project)


@pytest.fixture
def client(reviewed):
    client = TestClient(build_app(reviewed.config))
    sign_in(client, invite(reviewed, "Ana", ("es",)))
    return client


def essay(project, stem: str = TEXT):
    return next(t for t in load_texts(project.config) if t.stem == stem)


def segment(project, source_hash: str, stem: str = TEXT):
    return next(s for s in essay(project, stem).document.segments if s.source_hash == source_hash)


def base_of(html: str) -> str:
    return first_group(r'name="base" value="([^"]*)"', html)


def post(client: TestClient, url: str, page_html: str, action: str, text: str, htmx: bool = False, confirm: bool = True):
    """A decision as the page sends it; an approval confirms its text, as "Approve anyway" does, unless `confirm`
    is False (the tests of that question ask it)."""
    headers = {"HX-Request": "true"} if htmx else {}
    form = {"action": action, "text": text, "csrf_token": csrf_of(page_html), "base": base_of(page_html)}
    if action == "approve" and confirm:
        form["confirm"] = confirmation_of(text)
    return client.post(url, data=form, headers=headers, follow_redirects=False)


def entry(project, source_hash: str, lang: str = "es"):
    with project.memory() as memory:
        return memory.get(segment(project, source_hash).text, "en", lang)


# ---------------------------------------------------------------- what the page shows


def test_the_page_shows_the_source_with_glossary_terms_and_their_spanish_rendering(client, reviewed):
    html = client.get(f"/review/es/{TEXT}/{MARXISM}").text
    assert re.search(r'<mark class="term"[^>]*>Marxism<span class="pin" lang="es" dir="auto"> \[marxismo\]</span></mark>', html)
    assert '<span class="term-source">capitalism</span> →' in html
    assert '<span class="term-target" lang="es" dir="auto">capitalismo</span>' in html


def test_the_page_shows_the_draft_in_the_editor_the_paragraph_and_the_shortcuts(client, reviewed):
    sentence = segment(reviewed, MARXISM)
    html = client.get(f"/review/es/{TEXT}/{MARXISM}").text
    editor = first_group(r'<textarea id="editor"[^>]*>(.*?)</textarea>', html, re.S)
    assert editor == f"es: {sentence.text}"
    assert '<label for="editor">Spanish translation of sentence' in html
    assert 'class="current" aria-current="true"' in html  # its place in the paragraph
    assert 'role="status" aria-live="polite"' in html
    for keys in ("Ctrl+Enter", "Ctrl+Shift+Enter", "Alt+↓", "Alt+↑"):
        assert f"<kbd>{keys}</kbd>" in html


def test_the_start_page_lists_both_essays_with_their_progress(client, reviewed):
    html = client.get("/").text
    assert "the-virtual-factory.txt" in html and "the-virtual-factory-spectacle.md" in html
    assert "0 of 109 sentences approved" in html and "0 of 6 sentences approved" in html


def head_of_queue(project) -> str:
    """The sentence the review queue offers first now (the one most likely to need a person)."""
    with project.memory() as memory:
        return review_queue(memory, [essay(project)], "es")[0].source_hash


def test_a_text_opens_at_the_head_of_the_queue_nobody_approved(client, reviewed):
    first = essay(reviewed).document.segments[0]
    page = client.get(f"/review/es/{TEXT}/{first.source_hash}")
    post(client, f"/review/es/{TEXT}/{first.source_hash}", page.text, "approve", "La Fábrica Virtual")
    opened = client.get(f"/review/es/{TEXT}", follow_redirects=False)
    assert opened.headers["location"] == f"/review/es/{TEXT}/{head_of_queue(reviewed)}"
    assert head_of_queue(reviewed) != first.source_hash


def test_flagged_sentences_come_first_and_say_why(reviewed, client):
    """The pages follow the review queue: a draft with a glossary problem is offered before the others."""
    sentence = segment(reviewed, MARXISM)
    problem = GlossaryViolation("dialectics", "dialéctica", "the glossary term is missing")
    with reviewed.memory() as memory:
        memory.store_machine([(sentence.text, "es: otra versión", Notes(violations=[problem]))], "en", "es", STAND_IN_SIGNATURE)
    opened = client.get(f"/review/es/{TEXT}", follow_redirects=False)
    assert opened.headers["location"] == f"/review/es/{TEXT}/{MARXISM}"
    html = client.get(opened.headers["location"]).text
    assert f"Sentence {sentence.index + 1} of 109" in html and "flagged: needs a person first" in html
    assert "the glossary term is missing" in html
    # the front also holds the drafts predicted to need a person (translate.review.prediction): long ones here
    shown = [int(n) for n in re.findall(r"(\d+) flagged</span>, offered first", client.get("/").text)]
    with reviewed.memory() as memory:
        front = front_count(review_queue(memory, [essay(reviewed)], "es"))
    assert front >= 1 and front in shown


# ---------------------------------------------------------------- decisions


def test_approving_with_htmx_answers_with_the_next_sentence_and_says_so(client, reviewed):
    url = f"/review/es/{TEXT}/{MARXISM}"
    page = client.get(url)
    with reviewed.memory() as memory:
        order = [item.source_hash for item in review_queue(memory, [essay(reviewed)], "es")]
    following = order[(order.index(MARXISM) + 1) % len(order)]  # the queue goes on from the sentence approved
    done = post(client, url, page.text, "approve", "Una idea central del marxismo.", htmx=True)
    assert done.status_code == 200
    assert '<p id="status" hx-swap-oob="innerHTML">Approved with your changes. Now sentence' in done.text
    assert done.headers["HX-Push-Url"] == f"/review/es/{TEXT}/{following}"
    assert "<html" not in done.text  # only the workspace is swapped
    saved = entry(reviewed, MARXISM)
    assert (saved.status, saved.final_text, saved.reviewer) == ("approved", "Una idea central del marxismo.", "Ana")


def test_the_history_shows_each_decision_with_who_and_how(client, reviewed):
    url = f"/review/es/{TEXT}/{MARXISM}"
    post(client, url, client.get(url).text, "save", "Primer borrador.")
    post(client, url, client.get(url).text, "approve", "Versión final.")
    history = client.get(url).text.split('id="history-title"')[1]
    assert history.index("Versión final.") < history.index("Primer borrador.")  # newest first
    assert history.count('<span class="by" dir="auto">Ana</span>') == 2 and "via browser" in history


def test_an_empty_translation_is_refused_and_the_draft_kept(client, reviewed):
    url = f"/review/es/{TEXT}/{MARXISM}"
    done = post(client, url, client.get(url).text, "approve", "   \n ")
    assert done.status_code == 400 and "Skip" in done.text
    assert entry(reviewed, MARXISM).status == "machine"


def test_line_breaks_typed_into_a_one_line_sentence_become_spaces(client, reviewed):
    url = f"/review/es/{TEXT}/{MARXISM}"
    post(client, url, client.get(url).text, "save", "  Una idea\r\ncentral.\n")
    assert entry(reviewed, MARXISM).final_text == "Una idea central."


# ---------------------------------------------------------------- two people, one sentence


def test_a_save_against_an_older_revision_shows_both_texts_and_changes_nothing(reviewed, client):
    url = f"/review/es/{TEXT}/{MARXISM}"
    rosa = TestClient(client.app)
    sign_in(rosa, invite(reviewed, "Rosa", ("es",)))
    anas_page = client.get(url)  # Ana opens the sentence...
    rosas_page = rosa.get(url)
    assert post(rosa, url, rosas_page.text, "approve", "El texto de Rosa.").status_code == 303  # ...Rosa saves first
    refused = post(client, url, anas_page.text, "save", "El texto de Ana.", htmx=True)
    assert refused.status_code == 409
    assert "Changed meanwhile" in refused.text and "El texto de Rosa." in refused.text
    assert re.search(r'<textarea id="editor"[^>]*>El texto de Ana.</textarea>', refused.text)  # her text is kept
    assert entry(reviewed, MARXISM).final_text == "El texto de Rosa."
    with reviewed.memory() as memory:
        refused_log = memory.history(segment(reviewed, MARXISM).text, "en", "es")[-1]
    assert (refused_log.reviewer, refused_log.final_text, refused_log.outcome) == ("Ana", "El texto de Ana.", "conflict")
    assert "refused, someone had changed it meanwhile (kept as a suggestion)" in client.get(url).text
    kept = post(client, url, refused.text, "save", "El texto de Ana.")  # "Keep mine": the panel's base is Rosa's
    assert kept.status_code == 303 and entry(reviewed, MARXISM).final_text == "El texto de Ana."


def test_without_javascript_a_conflict_is_a_full_page(reviewed, client):
    url = f"/review/es/{TEXT}/{MARXISM}"
    stale = client.get(url)
    post(client, url, client.get(url).text, "save", "Otro texto.")
    refused = post(client, url, stale.text, "save", "Mi texto.")
    assert refused.status_code == 409 and "<html" in refused.text and "Changed meanwhile" in refused.text


def test_a_translators_edit_of_an_approved_sentence_is_kept_as_a_suggestion(reviewed, client):
    url = f"/review/es/{TEXT}/{MARXISM}"
    post(client, url, client.get(url).text, "approve", "Aprobado por Ana.")
    teo = TestClient(client.app)
    sign_in(teo, invite(reviewed, "Teo", ("es",), role="translator"))
    done = post(teo, url, teo.get(url).text, "save", "Propuesta de Teo.", htmx=True)
    assert done.status_code == 200 and "kept as a suggestion for a reviewer" in done.text
    approved = entry(reviewed, MARXISM)
    assert (approved.status, approved.final_text) == ("approved", "Aprobado por Ana.")  # still what gets printed
    history = client.get(url).text.split('id="history-title"')[1]
    assert "Propuesta de Teo." in history and "suggested" in history


def comment(client: TestClient, url: str, text: str, htmx: bool = False):
    page = client.get(url).text
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        f"{url}/comments", data={"comment": text, "csrf_token": csrf_of(page)}, headers=headers, follow_redirects=False
    )


def thread(html: str) -> str:
    return html.split('id="thread-title"')[1].split("</section>")[0]


def test_comments_are_a_thread_with_each_author_and_time(reviewed, client):
    url = f"/review/es/{TEXT}/{MARXISM}"
    assert comment(client, url, "«dialectics» as in the glossary").status_code == 303
    rosa = TestClient(client.app)
    sign_in(rosa, invite(reviewed, "Rosa", ("es",)))
    assert comment(rosa, url, "Agreed, and «capitalismo» too.", htmx=True).status_code == 200
    shown = thread(client.get(url).text)
    assert shown.index("«dialectics» as in the glossary") < shown.index("Agreed, and «capitalismo» too.")
    assert '<span dir="auto">Ana</span>' in shown and '<span dir="auto">Rosa</span>' in shown and " UTC</span>" in shown
    assert "Up to 2,000 characters" in shown  # the limit is stated in the form


def test_a_stale_tab_approving_with_an_empty_comment_box_erases_no_comment(reviewed, client):
    url = f"/review/es/{TEXT}/{MARXISM}"
    stale = client.get(url).text  # a tab opened before Rosa comments
    rosa = TestClient(client.app)
    sign_in(rosa, invite(reviewed, "Rosa", ("es",)))
    comment(rosa, url, "Keep «dialéctica».")
    form = {"action": "approve", "text": "Una idea central.", "comment": "", "csrf_token": csrf_of(stale), "base": base_of(stale)}
    form["confirm"] = confirmation_of(form["text"])
    assert client.post(url, data=form, follow_redirects=False).status_code == 303
    assert entry(reviewed, MARXISM).status == "approved"
    assert "Keep «dialéctica»." in thread(client.get(url).text)


def test_a_comment_over_the_limit_is_refused_with_the_limit_not_cut(reviewed, client):
    url = f"/review/es/{TEXT}/{MARXISM}"
    refused = comment(client, url, "x" * 2001)
    assert refused.status_code == 400 and "2,001 characters, more than limits.max_comment_chars (2,000)" in refused.text
    with reviewed.memory() as memory:
        assert memory.history(segment(reviewed, MARXISM).text, "en", "es") == []


# ---------------------------------------------------------------- the changes under the editor


def test_the_changes_panel_shows_the_diff_and_the_share_left_unmodified(client, reviewed):
    url = f"/review/es/{TEXT}/{MARXISM}/changes"
    machine = entry(reviewed, MARXISM).machine_text
    edited = machine.replace("capitalism", "el capitalismo", 1)
    html = client.get(url, params={"text": edited}).text
    assert "<ins>el capitalismo</ins>" in html and "<del>capitalism</del>" in html
    assert "% left as the machine wrote it" in html and "More than 85 %" in html  # one word of ~25 changed
    rewritten = client.get(url, params={"text": "Una idea central del marxismo, nacida de la dialéctica."}).text
    assert "More than 85 %" not in rewritten


def test_unmodified_share_follows_content_translation():
    assert unmodified_share("a b c d", "a b c d", "es") == 1.0
    assert unmodified_share("a b c d", "a x c d", "es") == 0.75
    assert unmodified_share("a b c d", "a b c d e f g h", "es") == 0.5
    assert unmodified_share(None, "texto", "es") == 0.0
    assert unmodified_share("资本主义社会", "资本主义国家", "zh") == pytest.approx(4 / 6)
    assert [(p.kind, p.text) for p in word_diff("la casa roja", "la casa azul", "es")] == [
        ("same", "la casa "),
        ("del", "roja"),
        ("ins", "azul"),
    ]
    short = summarize("Sí.", "Sí.", "es")
    assert short.unmodified == 1.0 and not short.warn  # under ten words: no warning, as Content Translation


# ---------------------------------------------------------------- one rule for every way in


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x0b", "\ufffe"])
def test_a_control_character_is_refused_in_the_same_words_by_the_browser_a_po_file_the_api_and_the_memory(reviewed, client, char):
    """The browser took NUL, ESC, BEL, VT and U+FFFE (a PO import refused them), a run wrote them raw into the
    outputs, and the project's own untouched PO file then failed to import."""
    from translate.config import ApiOptions
    from translate.human_input import unfit_translation
    from translate.memory.records import ReviewDecision
    from translate.serve.api.errors import ApiError
    from translate.serve.api.requests import Fields, translate_request

    words = "which PO, TMX and handouts cannot carry"
    url = f"/review/es/{TEXT}/{MARXISM}"
    refused = post(client, url, client.get(url).text, "save", f"Una idea{char} central.", htmx=True)
    assert refused.status_code == 400 and words in refused.text and "line 1 holds the" in refused.text
    assert entry(reviewed, MARXISM).status == "machine"
    assert words in (unfit_translation(f"Una idea{char} central.", 20_000) or "")  # a PO msgstr, a TMX segment
    with pytest.raises(ApiError) as api:
        translate_request(Fields({"q": f"a{char}b", "source": "en", "target": "es"}, True), ApiOptions())
    assert api.value.status == 400 and words in api.value.message
    with reviewed.memory() as memory, pytest.raises(Exception, match=words):
        sentence = segment(reviewed, MARXISM).text
        memory.record_review(ReviewDecision(MARXISM, "en", "es", "Ana", "", None, f"x{char}", "draft", source_text=sentence))


def test_a_translation_over_the_limit_is_refused_with_the_limit_not_cut(reviewed, client):
    url = f"/review/es/{TEXT}/{MARXISM}"
    refused = post(client, url, client.get(url).text, "save", "Una idea central. " * 1200)
    assert refused.status_code == 400 and "more than limits.max_import_chars (20,000)" in refused.text
    assert entry(reviewed, MARXISM).status == "machine"
    assert 'maxlength="20000"' in client.get(url).text  # the editor says so before anyone types that much


# ---------------------------------------------------------------- suggestions


def suggestion_form(client: TestClient, url: str, page_html: str, do: str):
    ids = re.findall(r'name="suggestion" value="([^"]+)"', page_html)
    form = {"do": do, "suggestion": ids[0], "base": base_of(page_html), "csrf_token": csrf_of(page_html)}
    return client.post(f"{url}/suggestions", data=form, follow_redirects=False)


def test_an_open_suggestion_is_accepted_credited_to_its_author_or_dismissed(reviewed, client):
    """Texts kept after a conflict were buried in the history; now they are listed, to accept or dismiss."""
    url = f"/review/es/{TEXT}/{MARXISM}"
    rosa = TestClient(client.app)
    sign_in(rosa, invite(reviewed, "Rosa", ("es",)))
    anas_page, rosas_page = client.get(url), rosa.get(url)
    assert post(rosa, url, rosas_page.text, "approve", "El texto de Rosa.").status_code == 303
    assert post(client, url, anas_page.text, "save", "El texto de Ana.").status_code == 409
    page = rosa.get(url).text
    assert "Suggestions (1 open)" in page and "El texto de Ana." in page.split('id="suggestions-title"')[1]
    assert suggestion_form(rosa, url, page, "accept").status_code == 303
    accepted = entry(reviewed, MARXISM)
    assert (accepted.final_text, accepted.status, accepted.translator, accepted.reviewer) == (
        "El texto de Ana.",
        "approved",
        "Ana",
        "Rosa",
    )
    assert 'id="suggestions-title"' not in rosa.get(url).text
    stale = client.get(url).text
    post(rosa, url, rosa.get(url).text, "approve", "Otra vez Rosa.")
    assert post(client, url, stale, "save", "Ana insiste.").status_code == 409
    page = rosa.get(url).text
    assert "Ana insiste." in page.split('id="suggestions-title"')[1]
    assert suggestion_form(rosa, url, page, "dismiss").status_code == 303
    assert 'id="suggestions-title"' not in rosa.get(url).text and entry(reviewed, MARXISM).final_text == "Otra vez Rosa."
    assert "dismissed a suggestion" in rosa.get(url).text.split('id="history-title"')[1]
