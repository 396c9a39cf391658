"""The server keeps answering while it works: a conflict's diff never holds the event loop.

Eight conflicting 5,000-character saves once held /health for 4.55 s: their word
diffs ran on the event loop. Here the diff of a conflicting save is held open
(it waits for the test) and /health must answer meanwhile; on the event loop it
could not answer at all. Nothing is timed: the test waits for an answer, or
for the generous limit that only a stuck loop reaches.
"""

from __future__ import annotations

import threading

from readers import first_group
from serve_helpers import csrf_of, drafted, invite, sign_in
from starlette.testclient import TestClient

from translate.serve.app import build_app
from translate.serve.review import routes
from translate.serve.review.diff import unmodified_share, word_diff

TEXT = "the-virtual-factory"
MARXISM = "5af908fcb93e5030"
STUCK = 60.0  # seconds: only a loop that cannot answer at all takes this long


def base_of(html: str) -> str:
    return first_group(r'name="base" value="([^"]*)"', html)


def test_health_answers_while_a_conflicting_five_thousand_character_save_is_diffed(project, monkeypatch):
    drafted(project, ("es",))
    app = build_app(project.config)
    ana, rosa = TestClient(app), TestClient(app)
    sign_in(ana, invite(project, "Ana", ("es",)))
    sign_in(rosa, invite(project, "Rosa", ("es",)))
    url = f"/review/es/{TEXT}/{MARXISM}"
    stale = ana.get(url).text
    rosas = rosa.get(url).text
    saved = rosa.post(url, data={"action": "save", "text": "Rosa " * 1000, "csrf_token": csrf_of(rosas), "base": base_of(rosas)})
    assert saved.status_code == 200, saved.text

    diffing, release = threading.Event(), threading.Event()
    real_diff = routes.word_diff

    def held_diff(*args, **kwargs):
        diffing.set()
        release.wait(STUCK)
        return real_diff(*args, **kwargs)

    monkeypatch.setattr(routes, "word_diff", held_diff)
    answers: dict[str, int] = {}
    form = {"action": "save", "text": "Ana " * 1250, "csrf_token": csrf_of(stale), "base": base_of(stale)}
    save = threading.Thread(target=lambda: answers.update(save=ana.post(url, data=form, follow_redirects=False).status_code))
    save.start()
    assert diffing.wait(STUCK), "the conflicting save never reached its diff"
    health = threading.Thread(target=lambda: answers.update(health=ana.get("/health").status_code))
    health.start()
    health.join(STUCK)
    answered_while_diffing = "health" in answers
    release.set()
    save.join(STUCK)
    health.join(STUCK)

    assert answered_while_diffing, "/health could not answer while a conflict was being diffed"
    assert answers == {"save": 409, "health": 200}


def test_two_long_repetitive_edits_are_shown_replaced_whole_instead_of_diffed_word_by_word():
    mine, theirs = "Ana " * 300, "Rosa " * 300  # difflib's worst case: one word repeated (86 s at 5,000 characters)

    pieces = word_diff(theirs, mine, "es")

    assert [(p.kind, p.text) for p in pieces] == [("del", "Rosa " * 299 + "Rosa"), ("ins", "Ana " * 299 + "Ana"), ("same", " ")]
    assert unmodified_share(theirs, mine, "es") == 0.0


def test_a_short_edit_is_still_diffed_word_by_word():
    pieces = word_diff("Los obreros del mundo, uníos.", "Los trabajadores del mundo, uníos.", "es")

    assert [(p.kind, p.text) for p in pieces] == [
        ("same", "Los "),
        ("del", "obreros"),
        ("ins", "trabajadores"),
        ("same", " del mundo, uníos."),
    ]
