"""The LibreTranslate-compatible API as its clients use it, against a real `translate serve --api-only`.

Real parts only: the server runs as a user starts it, on 127.0.0.1; English
goes through real Apertium and Chinese through the real zh->en Argos model;
libretranslatepy (the Python client from PyPI) talks to it with its own form
bodies. The requests of Weblate's, Mastodon's and SearXNG's backends and the
other clients are in test_api_clients.py.
"""

from __future__ import annotations

import re

import pytest
from api_helpers import APPROVED_SOURCE, APPROVED_TEXT, api_project, api_server, call, post_form, post_json
from libretranslatepy import LibreTranslateAPI

pytestmark = [pytest.mark.slow, pytest.mark.apertium]

SURPLUS = "Surplus value is produced by labour power."


@pytest.fixture(scope="module")
def base(tmp_path_factory, zh_en_package):
    project = api_project(tmp_path_factory.mktemp("api") / "project", zh_en_package)
    with api_server(project) as url:
        yield url


def test_libretranslatepy_detects_catalan_and_chinese(base):
    client = LibreTranslateAPI(base)
    catalan = client.detect("Bon dia a tothom, com esteu avui?")
    assert catalan[0]["language"] == "ca" and 50 < catalan[0]["confidence"] <= 100
    assert len(catalan) <= 3 and catalan == sorted(catalan, key=lambda g: -g["confidence"])
    assert client.detect("剩余价值是工人创造的。")[0]["language"] == "zh"


def test_libretranslatepy_lists_the_languages_this_machine_serves(base):
    languages = {entry["code"]: entry for entry in LibreTranslateAPI(base).languages()}
    assert languages["en"]["name"] == "English"
    assert {"es", "ca", "gl", "fr", "pt"} <= set(languages["en"]["targets"])
    assert languages["zh"]["targets"] == ["en"]
    assert "de" not in languages["en"]["targets"]  # no engine here serves it


def test_a_list_q_in_json_comes_back_as_a_list_in_order(base):
    texts = ["The factory.", "Automatic translations are getting very good!", "🙂"]
    reply = post_json(base, "/translate", {"q": texts, "source": "en", "target": "es"})
    assert reply.status == 200, reply.data
    translated = reply.data["translatedText"]
    assert isinstance(translated, list) and len(translated) == 3
    assert translated[0] == "La fábrica." and "traducciones" in translated[1] and translated[2] == "🙂"
    assert "detectedLanguage" not in reply.data and "alternatives" not in reply.data
    assert reply.headers["access-control-allow-origin"] == "*"


def test_auto_source_reports_the_detected_language_for_each_text(base):
    reply = post_json(base, "/translate", {"q": ["剩余价值"], "source": "auto", "target": "en"})
    assert reply.status == 200, reply.data
    [detected] = reply.data["detectedLanguage"]
    assert detected["language"] == "zh" and 30 < detected["confidence"] <= 100  # over every language: ja, yue, wuu too
    assert reply.data["translatedText"] == ["Surplus value"]
    single = post_json(base, "/translate", {"q": "剩余价值", "source": "auto", "target": "en", "alternatives": 2})
    assert single.data["detectedLanguage"]["language"] == "zh" and isinstance(single.data["alternatives"], list)


def test_surplus_value_comes_back_pinned_from_chinese(base):
    reply = post_json(base, "/translate", {"q": "资本家无偿占有工人创造的剩余价值。", "source": "zh", "target": "en"})
    assert reply.status == 200, reply.data
    assert "surplus value" in reply.data["translatedText"].lower()
    provenance = reply.data["provenance"]
    assert provenance["engine"] == "argos" and "surplus-value" in provenance["glossary"]["terms"]
    assert provenance["glossary"]["missing"] == [] and provenance["signature"].startswith("engine:argos|")


def test_alternatives_come_from_the_beam_and_keep_the_pinned_terms(base):
    text = "资本家无偿占有工人创造的剩余价值。工厂是虚拟的。"
    reply = post_json(base, "/translate", {"q": text, "source": "zh", "target": "en", "alternatives": 3})
    assert reply.status == 200, reply.data
    main, alternatives = reply.data["translatedText"], reply.data["alternatives"]
    assert 1 <= len(alternatives) <= 3 and main not in alternatives and len(set(alternatives)) == len(alternatives)
    assert all("surplus value" in a.lower() for a in alternatives)  # never a hypothesis that drops the pinned term
    listed = post_json(base, "/translate", {"q": [text, "剩余价值"], "source": "zh", "target": "en", "alternatives": 3})
    assert listed.data["alternatives"][0] == alternatives
    assert all("surplus value" in a.lower() for a in listed.data["alternatives"][1])
    # Apertium has one translation of a sentence: LibreTranslate's clients accept fewer than asked.
    spanish = post_json(base, "/translate", {"q": SURPLUS, "source": "en", "target": "es", "alternatives": 3})
    assert spanish.status == 200 and spanish.data["alternatives"] == []


def test_an_approved_sentence_comes_back_as_approved(base):
    reply = post_json(base, "/translate", {"q": APPROVED_SOURCE, "source": "en", "target": "es"})
    assert reply.data["translatedText"] == APPROVED_TEXT
    assert reply.data["provenance"]["approved"] is True
    mixed = post_json(base, "/translate", {"q": f"{APPROVED_SOURCE} The factory.", "source": "en", "target": "es"})
    assert mixed.data["translatedText"] == f"{APPROVED_TEXT} La fábrica."
    assert mixed.data["provenance"]["approvedSentences"] == 1 and mixed.data["provenance"]["approved"] is False
    other_language = post_json(base, "/translate", {"q": APPROVED_SOURCE, "source": "en", "target": "ca"})
    assert other_language.data["translatedText"] != APPROVED_TEXT


def test_html_with_attributes_and_entities_round_trips(base):
    page = (
        '<div class="post" data-id="7"><h1 title="Marx &amp; Engels">The virtual factory</h1>\n'
        '<p>Workers &amp; machines: <a href="/x?a=1&amp;b=2" title="A &quot;link&quot;">the factory</a>.</p>\n'
        "<!-- not translated --><code>x &lt; y</code>"
        '<p translate="no">Keep this</p><img src="e.png" alt="custom emoji" data-shortcode="blobcat"/></div>'
    )
    reply = post_json(base, "/translate", {"q": page, "source": "en", "target": "es", "format": "html"})
    assert reply.status == 200, reply.data
    out = reply.data["translatedText"]
    assert re.findall(r"<[^>]+>", out) == re.findall(r"<[^>]+>", page)  # every tag and attribute, byte for byte
    assert "<!-- not translated --><code>x &lt; y</code>" in out and '<p translate="no">Keep this</p>' in out
    assert "&amp; " in out and "&amp;T" not in out  # the text's entity is still an entity
    assert ">La fábrica virtual<" in out and ">la fábrica<" in out


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"source": "en", "target": "es"}, 400, "Invalid request: missing q parameter"),
        ({"q": "Hello", "target": "es"}, 400, "Invalid request: missing source parameter"),
        ({"q": "Hello", "source": "en"}, 400, "Invalid request: missing target parameter"),
        ({"q": "Hello", "source": "en", "target": "zz"}, 400, "zz is not supported"),
        ({"q": "Hello", "source": "xx", "target": "es"}, 400, "xx is not supported"),
        ({"q": "Hello", "source": "en", "target": "de"}, 400, "de is not supported"),  # no engine here serves it
        (
            {"q": "你好", "source": "zh", "target": "es"},
            400,
            "Spanish (es) is not available as a target language from Chinese (zh)",
        ),
        ({"q": "Hello", "source": "en", "target": "es", "format": "pdf"}, 400, "pdf format is not supported"),
        (
            {"q": "Hello", "source": "en", "target": "es", "alternatives": "many"},
            400,
            "Invalid request: alternatives parameter is not a number",
        ),
        ({"q": [1, 2], "source": "en", "target": "es"}, 400, "Invalid request: q must be a string or a list of strings"),
    ],
)
def test_bad_requests_are_refused_with_libretranslates_errors(base, payload, status, message):
    reply = post_json(base, "/translate", payload)
    assert (reply.status, reply.error) == (status, message)


def test_broken_json_wrong_methods_and_disabled_features_answer_json(base):
    broken = call(base, "POST", "/translate", b'{"q": "Hel', {"Content-Type": "application/json"})
    assert (broken.status, broken.error) == (400, "Invalid JSON format")
    assert call(base, "GET", "/translate").status == 405
    assert call(base, "POST", "/suggest", b"").error == "Suggestions are disabled on this server."
    preflight = call(
        base, "OPTIONS", "/translate", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status == 200 and "POST" in preflight.headers["access-control-allow-methods"]
    settings = call(base, "GET", "/frontend/settings").data
    assert settings["keyRequired"] is False and settings["language"]["source"]["code"] == "auto"
    assert (
        post_form(base, "/translate", {"q": "The factory.", "source": "en", "target": "es"}).data["translatedText"]
        == "La fábrica."
    )


def test_the_quality_checks_of_a_run_come_with_each_text(base):
    reply = post_json(base, "/translate", {"q": "The exploitative panopticon enclosures.", "source": "en", "target": "fr"})
    provenance = reply.data["provenance"]
    assert provenance["flagged"] is True and provenance["route"] == "en→es→fr"
    unknown = next(c for c in provenance["checks"] if c["check"] == "unknown-words")
    assert set(unknown["words"]) == {"exploitative", "panopticon"}
    assert post_json(base, "/translate", {"q": "The factory.", "source": "en", "target": "es"}).data["provenance"]["checks"] == []
