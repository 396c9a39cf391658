"""Chained routes: a neural first hop, then Apertium, as one route with one signature; and the route file."""

from __future__ import annotations

import json

import pytest
from cli_process import cli

from translate.engines.registry import Engines
from translate.errors import ConfigError
from translate.run.signature import Signature

SPANISH_CHAIN = "bergamot:en>pt_BR + apertium:pt_BR>es"


def route_file(project, body: str) -> None:
    (project / "routes.toml").write_text(body, encoding="utf-8")


@pytest.mark.apertium
def test_a_chained_route_names_every_legs_engine_version_and_models_in_its_signature(project):
    project.configure(["es"])
    engines = Engines(project.config)
    try:
        route = engines.resolve("bergamot:en>pt-BR + apertium:pt_BR>es", "en", "es")
        assert route is not None and route.spec == SPANISH_CHAIN and route.steps == ("en", "pt_BR", "es")
        engine = engines.engine_for(route)
        signature = str(Signature.for_route(route, engine.version(), engine.options(), "marxism@1"))
        assert "engine:bergamot+apertium|" in signature
        assert "|route:bergamot:en>pt_BR+apertium:pt_BR>es|" in signature
        assert "|v:fxtranslate-0.5.0+" in signature
        assert "models:firefox-enpt@" in signature and "+apertium-es-pt@" in signature
        assert Signature.parse(signature).route == "bergamot:en>pt_BR+apertium:pt_BR>es"
    finally:
        engines.close()


@pytest.mark.apertium
def test_portuguese_words_an_apertium_hop_passes_through_are_marked_at_that_hop(project):
    project.configure(["es"])
    engines = Engines(project.config)
    try:
        route = engines.resolve(SPANISH_CHAIN, "en", "es")
        assert route is not None, f"{SPANISH_CHAIN} cannot run here"
        engine = engines.engine_for(route)
        [spanish] = engine.translate(["These entities are viciously hostile to socialist organizing."], route)
        assert spanish == "Esas entidades son viciosamente hostiles a la organización socialista."
        [other] = engine.translate(["They socialized the workers."], route)
        marks = engine.marks(route, other)
        assert any(m.hop == "pt_BR>es" and m.kind == "unknown" for m in marks), (other, marks)
    finally:
        engines.close()


@pytest.mark.apertium
def test_every_target_lists_its_candidates_chains_included(project):
    project.configure(["es", "pt", "pt_BR", "fr"])
    engines = Engines(project.config)
    try:
        spanish = {route.spec for route in engines.candidates("en", "es")}
        assert {"apertium:en>es", SPANISH_CHAIN} <= spanish
        portuguese = {route.spec for route in engines.candidates("en", "pt")}
        assert {"apertium:en>es>pt", "bergamot:en>pt_BR + variant:pt_BR>pt"} <= portuguese
        assert "bergamot:en>pt_BR" in {route.spec for route in engines.candidates("en", "pt_BR")}
        assert "bergamot:en>pt_BR + apertium:pt_BR>es>fr" in {route.spec for route in engines.candidates("en", "fr")}
        assert all(not route.legs or route.legs[0].engine == "bergamot" for route in engines.candidates("en", "fr"))
    finally:
        engines.close()


@pytest.mark.apertium
def test_the_route_file_chooses_the_route_and_languages_shows_it_with_its_figures(project):
    project.configure(["es", "fr", "gl"], languages={"gl": "apertium"})
    route_file(
        project,
        f"""
[evaluation]
references = "field"

[languages.es]
route = "{SPANISH_CHAIN}"
[[languages.es.candidates]]
route = "{SPANISH_CHAIN}"
bleu = 34.6
chrf = 61.8

[languages.fr]
route = "bergamot:en>fr"

[languages.gl]
route = "bergamot:en>pt_BR + apertium:pt_BR>gl"
""",
    )
    engines = Engines(project.config)
    try:
        engine, route = engines.choose("en", "es")
        assert (engine.name, route.spec) == ("bergamot+apertium", SPANISH_CHAIN)
        assert engines.choose("en", "fr")[1].spec == "apertium:en>es>fr"  # no en→fr model here: "auto" as before
        assert engines.choose("en", "gl")[1].spec == "apertium:en>gl"  # [languages] overrides the route file
    finally:
        engines.close()
    shown = cli("languages", "--json", cwd=project)
    assert shown.returncode == 0, shown.stderr
    rows = {row["target"]: row for row in json.loads(shown.stdout)}
    assert rows["es"]["route"] == SPANISH_CHAIN and rows["es"]["figures"] == "BLEU 34.6 chrF 61.8 on field"
    assert SPANISH_CHAIN in rows["es"]["chains"]
    assert "cannot run here" in rows["fr"]["note"] and rows["fr"]["route"] == "apertium:en>es>fr"
    assert "[languages]" in rows["gl"]["note"]
    text = cli("languages", cwd=project).stdout
    assert f"route     {SPANISH_CHAIN}  (BLEU 34.6 chrF 61.8 on field)" in text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[languages.es]\nroute = 'apertium en>es'\n", "not a route"),
        ("[languages.es]\nroute = 'apertium:en>es'\nchosen_by = 'luck'\n", "chosen_by must be one of"),
        ("[languages.es]\nroutes = 'apertium:en>es'\n", "unknown key 'routes'"),
        ("[languages.'../x']\nroute = 'apertium:en>es'\n", "not a language code"),
        ("[languages.es\n", "not valid TOML"),
    ],
)
def test_a_mistake_in_the_route_file_is_one_line_naming_it(project, body, message):
    project.configure(["es"])
    route_file(project, body)
    with pytest.raises(ConfigError) as caught:
        Engines(project.config).choose("en", "es")
    assert message in str(caught.value) and "routes.toml" in str(caught.value) and "\n" not in str(caught.value)
