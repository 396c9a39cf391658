"""Engines by name: the configuration's choices, "auto"'s order, and what a user is told when none serves."""

from __future__ import annotations

import pytest

from translate.config import ENGINE_CHOICES
from translate.engines.argos_store import ArgosStore
from translate.engines.registry import ENGINES, Engines, NoRouteError


def test_the_configuration_offers_exactly_the_registered_engines():
    assert ENGINE_CHOICES == ("auto", *ENGINES)
    assert all(cls.name == name for name, cls in ENGINES.items())


@pytest.mark.apertium
def test_auto_takes_the_first_registered_engine_that_has_a_route(project, argos_test_package):
    project.configure(["de", "es"], argos={"packages_dir": "packages"}, engine={"threads": 1})
    ArgosStore(project / "packages").install_file(argos_test_package)  # English → German
    engines = Engines(project.config)
    try:
        assert engines.choose("en", "de")[0].name == "argos"  # argos comes first in ENGINES
        engine, route = engines.choose("en", "es")
        assert engine.name == "apertium" and route.steps == ("en", "es")  # no Argos package: the next engine
        rows = {row.target: row for row in engines.support("en", ["de", "es"])}
        assert (rows["de"].chosen, rows["es"].chosen) == ("argos", "apertium")
        assert {"de", "es", "pt"} <= engines.reachable("en")
    finally:
        engines.close()


@pytest.mark.apertium
def test_a_language_pinned_to_one_engine_says_how_to_get_a_route(project):
    project.configure(["es"], argos={"packages_dir": "packages"}, languages={"es": "argos", "pt": "apertium"})
    engines = Engines(project.config)
    try:
        with pytest.raises(NoRouteError, match="no route en→es here \\(argos\\); translate models install en es$"):
            engines.choose("en", "es")
        assert engines.choose("en", "pt")[1].steps == ("en", "es", "pt")  # apertium, through Spanish
        assert engines.hints("en", "ja") == [  # auto: Apertium has no hint
            "translate models install en ja",
            "translate models install --bergamot en ja",  # Mozilla's model, where there is internet
        ]
    finally:
        engines.close()
