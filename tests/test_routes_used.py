"""The route file is what `translate run`, `translate text` and the API follow; [languages] still overrides it."""

from __future__ import annotations

import json

import pytest
from api_helpers import api_server, post_json
from cli_process import cli

SENTENCE = "These entities are viciously hostile to socialist organizing."
NEURAL_SPANISH = "Esas entidades son viciosamente hostiles a la organización socialista."
CHAIN = "bergamot:en>pt_BR + apertium:pt_BR>es"


@pytest.fixture
def routed(project):
    project.configure(["es"], api={"requests_per_minute": 0})
    project.add_text("a.md", SENTENCE + "\n")
    (project / "routes.toml").write_text(f'[languages.es]\nroute = "{CHAIN}"\n', encoding="utf-8")
    return project


@pytest.mark.apertium
def test_run_and_text_follow_the_route_file(routed):
    done = cli("run", "--json", cwd=routed)
    assert done.returncode == 0, done.stderr
    [spanish] = json.loads(done.stdout)["languages"]
    assert spanish["engine"] == "bergamot+apertium" and spanish["route"].startswith("en→pt_BR→es")
    assert NEURAL_SPANISH in (routed / "outputs" / "es" / "a.md").read_text(encoding="utf-8")
    text = cli("text", "texts/a.md", "--to", "es", cwd=routed)
    assert text.returncode == 0, text.stderr
    assert text.stdout.strip() == NEURAL_SPANISH


@pytest.mark.apertium
def test_languages_in_the_configuration_override_the_route_file(routed):
    routed.configure(["es"], languages={"es": "apertium"})
    text = cli("text", "texts/a.md", "--to", "es", cwd=routed)
    assert text.returncode == 0, text.stderr
    assert text.stdout.strip() != NEURAL_SPANISH and text.stdout.startswith("Estas entidades")


@pytest.mark.apertium
def test_the_api_follows_the_route_file_and_credits_mozilla(routed):
    with api_server(routed) as base:
        reply = post_json(base, "/translate", {"q": SENTENCE, "source": "en", "target": "es"})
    assert reply.status == 200, reply.data
    assert reply.data["translatedText"] == NEURAL_SPANISH
    provenance = reply.data["provenance"]
    assert provenance["engine"] == "bergamot+apertium" and provenance["routeLegs"] == CHAIN
    assert "Mozilla" in provenance["credits"] and "Apertium" in provenance["credits"]
    assert "firefox-enpt@" in provenance["signature"]
