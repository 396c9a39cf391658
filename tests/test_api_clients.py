"""The LibreTranslate clients people run, against a real `translate serve --api-only` on 127.0.0.1.

Weblate's, Mastodon's and SearXNG's requests are replayed as their backends
send them (the source each test cites), including Weblate's settings check;
libretranslatepy and deep-translator, the Python clients from PyPI, talk to
the server themselves.
"""

from __future__ import annotations

import json
import re

import pytest
from api_helpers import APPROVED_SOURCE, APPROVED_TEXT, api_project, api_server, call, translate_command
from deep_translator import LibreTranslator
from libretranslatepy import LibreTranslateAPI

pytestmark = [pytest.mark.slow, pytest.mark.apertium]

SURPLUS = "Surplus value is produced by labour power."
WEBLATE_HEADERS = {
    "Referer": "https://weblate.example.org/",
    "Accept": "application/json; charset=utf-8",
    "User-Agent": "Weblate/5.12",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory, zh_en_package):
    project = api_project(tmp_path_factory.mktemp("clients") / "project", zh_en_package)
    weblate_key = translate_command(project, "api-key", "create", "weblate", "--weblate")
    with api_server(project) as url:
        yield url, weblate_key


class Weblate:
    """weblate/machinery/libretranslate.py (LibreTranslateTranslation) on weblate/machinery/base.py, as of 5.x:
    `request` adds Referer, Accept and User-Agent "Weblate/<version>"; `check_failure` raises on any HTTP error."""

    def __init__(self, base: str, key: str) -> None:
        self.base, self.key = base, key

    def download_languages(self) -> list[str]:
        reply = call(self.base, "GET", "/languages", headers=WEBLATE_HEADERS)
        assert reply.status < 400, reply.data
        return [x["code"] for x in reply.data]

    def download_multiple_translations(self, source: str, target: str, texts: list[str]) -> dict[str, str]:
        body = json.dumps({"api_key": self.key, "q": texts, "source": source, "target": target}).encode()  # requests' json=
        reply = call(self.base, "POST", "/translate", body, {**WEBLATE_HEADERS, "Content-Type": "application/json"})
        assert reply.status < 400, reply.data  # check_failure: raise_for_status
        translated = reply.data["translatedText"]
        return {text: translated[index] for index, text in enumerate(texts)}

    def validate_settings(self) -> None:
        """BatchMachineTranslation.validate_settings: what saving the service in Manage → Automatic suggestions runs."""
        self.download_languages()
        self.download_multiple_translations("en", "de", ["test"])

    def is_supported(self, source: str, language: str) -> bool:
        supported = set(self.download_languages())
        return language in supported and source in supported and source != language


def test_weblate_settings_validation_passes_on_a_server_without_german(served):
    base, key = served
    weblate = Weblate(base, key)
    weblate.validate_settings()  # raised before: 400 {"error": "de is not supported"}
    reply = call(
        base,
        "POST",
        "/translate",
        json.dumps({"api_key": key, "q": ["test"], "source": "en", "target": "de"}).encode(),
        {**WEBLATE_HEADERS, "Content-Type": "application/json"},
    )
    assert reply.data["translatedText"] == [""]  # no German is pretended
    assert reply.data["provenance"][0]["translated"] is False and "de is not supported" in reply.data["provenance"][0]["reason"]
    assert not weblate.is_supported("en", "de")  # so Weblate never asks for German otherwise
    other = call(
        base, "POST", "/translate", b'{"q": ["test"], "source": "en", "target": "de"}', {"Content-Type": "application/json"}
    )
    assert (other.status, other.error) == (400, "de is not supported")  # anyone else is told plainly


def test_weblate_translates_a_batch_with_pinned_terms_and_approved_sentences(served):
    base, key = served
    weblate = Weblate(base, key)
    assert weblate.is_supported("en", "es") and weblate.is_supported("zh", "en")  # LibreTranslateTranslation maps zh_Hans to zh
    texts = [SURPLUS, APPROVED_SOURCE, "The factory."]
    found = weblate.download_multiple_translations("en", "es", texts)
    assert found[SURPLUS].startswith("La plusvalía") and "fuerza de trabajo" in found[SURPLUS]
    assert found[APPROVED_SOURCE] == APPROVED_TEXT and found["The factory."] == "La fábrica."


def test_weblate_offers_languages_only_translated_into(served):
    """Weblate's get_languages tries its code, then the code cut at '_' (sr_Latn, then sr): both must be listed."""
    weblate = Weblate(*served)
    for target in ("ast", "sr", "hr", "bs", "pt"):
        assert weblate.is_supported("en", target), target
    assert weblate.download_multiple_translations("en", "ast", ["The factory."]) == {"The factory.": "La fábrica."}


def mastodon_languages(base: str) -> dict[str | None, list[str]]:
    """app/lib/translation_service/libre_translate.rb, #languages: code -> targets without itself; nil -> every target."""
    reply = call(base, "GET", "/languages", headers={"Content-Type": "application/json"})
    assert 200 <= reply.status < 300
    languages: dict[str | None, list[str]] = {x["code"]: [t for t in x["targets"] if t != x["code"]] for x in reply.data}
    languages[None] = sorted({t for targets in list(languages.values()) for t in targets})
    return languages


def mastodon_translate(base: str, texts: list[str], source: str | None, target: str) -> list[tuple[str, str | None]]:
    """#translate: Oj.dump(q: texts, source: source.presence || 'auto', target:, format: 'html', api_key: @api_key)."""
    body = json.dumps(
        {"q": texts, "source": source or "auto", "target": target, "format": "html", "api_key": None}, separators=(",", ":")
    ).encode()
    reply = call(base, "POST", "/translate", body, {"Content-Type": "application/json"})
    assert 200 <= reply.status < 300, reply.data  # 429: TooManyRequestsError, 403: QuotaExceededError, else Unexpected
    data = reply.data
    return [
        (text, (data.get("detectedLanguage") or [{}] * len(texts))[index].get("language") or source)
        for index, text in enumerate(data["translatedText"])
    ]


def test_mastodon_translates_a_status_keeping_its_markup(served):
    base, _ = served
    languages = mastodon_languages(base)
    assert "es" in languages["en"] and "en" in languages["zh"] and "ast" in languages[None]  # TranslateStatusService#permitted?
    status = (
        '<p>The factory is a <a href="https://example.org/tags/marx" class="mention hashtag" rel="tag">'
        "#<span>Marx</span></a> idea.</p>"
    )
    (first, detected), (second, _) = mastodon_translate(
        base, [status, "Use technology to break down language barriers."], None, "es"
    )
    assert re.findall(r"<[^>]+>", first) == re.findall(r"<[^>]+>", status)
    assert "fábrica" in first and "#<span>Marx</span>" in first and "tecnología" in second.lower()
    assert detected == "en"
    [(chinese, language)] = mastodon_translate(base, ["<p>资本家无偿占有工人创造的剩余价值。</p>"], "zh", "en")
    assert "surplus value" in chinese.lower() and language == "zh"


def test_searxng_shows_the_translation_and_its_alternatives(served):
    """searx/engines/libretranslate.py: POST {base_url}/translate, json.dumps of q, source, target, alternatives 3."""
    base, _ = served
    text = "资本家无偿占有工人创造的剩余价值。工厂是虚拟的。"
    body = json.dumps({"q": text, "source": "zh", "target": "en", "alternatives": 3}).encode()
    reply = call(base, "POST", "/translate", body, {"Content-Type": "application/json"})
    assert reply.status == 200
    text, examples = reply.data.get("translatedText"), reply.data.get("alternatives", [])
    assert "surplus value" in text.lower() and 1 <= len(examples) <= 3 and all(isinstance(e, str) for e in examples)
    spanish = call(
        base,
        "POST",
        "/translate",
        json.dumps({"q": "The factory.", "source": "en", "target": "es", "alternatives": 3}).encode(),
        {"Content-Type": "application/json"},
    )
    assert spanish.data["translatedText"] == "La fábrica." and spanish.data["alternatives"] == []


def test_libretranslatepy_translates_detects_and_lists(served):
    base, _ = served
    client = LibreTranslateAPI(base)
    spanish = client.translate(SURPLUS, "en", "es")
    assert spanish.startswith("La plusvalía está producida") and "fuerza de trabajo" in spanish
    assert client.detect("Bon dia a tothom, com esteu avui?")[0]["language"] == "ca"
    languages = {entry["code"]: entry for entry in client.languages()}
    assert {"es", "ca", "ast", "sr"} <= set(languages["en"]["targets"]) and languages["ast"]["targets"] == []


def test_deep_translator_translates_one_text_and_a_batch(served):
    """deep_translator.LibreTranslator: POST {url}translate with the fields in the query string, an api_key required."""
    base, key = served
    translator = LibreTranslator(source="en", target="es", api_key=key, custom_url=f"{base}/")
    assert translator.translate("The factory.") == "La fábrica."
    assert translator.translate_batch(["The factory.", APPROVED_SOURCE]) == ["La fábrica.", APPROVED_TEXT]
    assert LibreTranslator(source="en", target="en", api_key=key, custom_url=f"{base}/").translate("Same.") == "Same."
