"""The Apertium engine against the real `apertium` and its installed Debian pairs.

Pure helpers (mode names, install hints, tidying) are tested everywhere; everything
that translates needs `apertium` with apertium-eng-spa, -eng-cat, -en-gl, -eo-en,
-hbs-eng, -es-pt, -fr-es, -spa-ita, -oc-es, -spa-ast and -spa-arg installed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from translate.engines.apertium import ApertiumEngine, parse_mode, run_subprocess, tidy
from translate.engines.apertium_packages import install_hint
from translate.engines.base import Route
from translate.errors import EngineError, ModelError
from translate.segment import parse

REPO_ROOT = Path(__file__).resolve().parents[1]
ESSAYS = ["the-virtual-factory.txt", "the-virtual-factory-spectacle.md"]


class CountingRunner:
    """The engine's real runner, counting the translation processes it starts."""

    def __init__(self, corrupt_batches: bool = False) -> None:
        self.translations = 0
        self.corrupt_batches = corrupt_batches

    def __call__(self, argv, text, timeout):
        done = run_subprocess(argv, text, timeout)
        if "-f" in argv:
            self.translations += 1
            if self.corrupt_batches and text.count("\n\n") >= 2:
                # Simulate Apertium swallowing one separator: two sentences come back as one.
                done.stdout = done.stdout.replace("\n\n", " ", 1)
        return done


def essay_segments(name: str) -> list[str]:
    path = REPO_ROOT / "texts" / name
    return [s.text for s in parse(path.read_text(encoding="utf-8"), name).segments]


@pytest.fixture(scope="module")
def engine() -> ApertiumEngine:
    return ApertiumEngine()


@pytest.fixture(scope="module")
def all_segments() -> list[str]:
    return [text for name in ESSAYS for text in essay_segments(name)]


# --------------------------------------------------------------------------------------
# Pure helpers
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "pair"),
    [
        ("eng-spa", ("en", "es")),
        ("en-gl", ("en", "gl")),
        ("en-eo", ("en", "eo")),
        ("eng-hbs", ("en", "hbs")),
        ("eng-hbs_SR", ("en", "sr")),
        ("eng-hbs_BS", ("en", "bs")),
        ("es-pt_BR", ("es", "pt_BR")),
        ("spa-arg", ("es", "an")),
        ("spa-ast", ("es", "ast")),
        ("eng-cat_valencia", None),
        ("eng-cat_iec2017", None),
        ("en-eo-bytecode", None),
        ("spa-ast-old", None),
        ("spa-ast-pn", None),
        ("eco-es-fr", None),
        ("Cyrl-Latn", None),
        ("*", None),
    ],
)
def test_mode_names_map_to_project_codes(mode, pair):
    assert parse_mode(mode) == pair


def test_install_hint_names_debian_packages():
    assert install_hint("en", "es") == "apt-get install apertium-eng-spa"
    assert install_hint("en", "sr") == "apt-get install apertium-hbs-eng"
    assert install_hint("en", "pt") == "apt-get install apertium-eng-spa apertium-es-pt"
    assert install_hint("en", "pt_BR") == "apt-get install apertium-eng-spa apertium-es-pt"
    assert install_hint("ro", "es") == "apt-get install apertium-es-ro"
    assert install_hint("en", "ro") is None  # apertium-es-ro only goes ro→es
    assert install_hint("en", "ja") is None


def test_tidy_removes_only_what_apertium_added():
    assert tidy("If you read it", "Si  leíste  lo") == "Si leíste lo"
    assert tidy("the surplus value.", "La plusvalía .") == "La plusvalía."
    assert tidy("Workers, unite!", "Trabayadores , xune !") == "Trabayadores, xune!"
    # French-style spacing in the source stays where the source has it.
    assert tidy("a society ; before", "una sociedad ; antes .") == "una sociedad ; antes."
    assert tidy("What they have done", "Qué have# hecho") == "Qué have hecho"
    assert tidy("He said *The Capital*", "Dijo *El Capital*") == "Dijo *El Capital*"
    assert tidy("Marx’s ‘work’", "el ‘trabajo' de Marx") == "El ‘trabajo’ de Marx"
    assert tidy("Marx's 'work'", "el 'trabajo' de Marx") == "El 'trabajo' de Marx"
    assert tidy("The appeal grew", "la pledo kreskis") == "La pledo kreskis"
    assert tidy("As for the critics", "EN ÇÒ QUE TANH als critics") == "En çò que tanh als critics"
    assert tidy("The US is big", "EUA es grande") == "EUA es grande"  # an acronym is not shouting
    assert tidy("“Changing hats” was", "“en Cambiant los capèls” èra") == "“En Cambiant los capèls” èra"


# --------------------------------------------------------------------------------------
# Discovery and routes
# --------------------------------------------------------------------------------------


@pytest.mark.apertium
def test_discovers_direct_pairs_and_spanish_pivots(engine):
    routes = engine.routes("en")
    for target in ("es", "ca", "gl", "eo", "sr", "hr", "bs"):
        assert routes[target].steps == ("en", target), target
    for target in ("pt", "pt_BR", "fr", "it", "oc", "ast", "an"):
        assert routes[target].steps == ("en", "es", target), target
    assert "ja" not in routes and engine.route("en", "ja") is None
    assert "ca_valencia" not in routes


@pytest.mark.apertium
def test_routes_name_debian_packages_with_versions(engine):
    route = engine.routes("en")["pt"]
    if shutil.which("dpkg") is None:
        assert route.models == ("eng-spa", "es-pt")
    else:
        first, second = route.models
        assert first.startswith("apertium-eng-spa@") and second.startswith("apertium-es-pt@")
        assert first.split("@")[1][0].isdigit()
    assert engine.routes("en")["sr"].models[0].startswith("apertium-hbs-eng")
    assert engine.version()[0].isdigit()


@pytest.mark.apertium
def test_a_direct_pair_wins_over_a_pivot(engine):
    spanish = engine.routes("es")
    assert spanish["pt"].steps == ("es", "pt")
    assert spanish["en"].steps == ("es", "en")
    direct = {target for source, target in engine.modes() if source == "es"}
    through = {target: route.steps for target, route in spanish.items() if target not in direct}
    assert through, "every language here has a direct pair from Spanish: nothing to pivot"
    assert all(len(steps) == 3 and steps[0] == "es" for steps in through.values()), through  # one pivot, no more


# --------------------------------------------------------------------------------------
# Translation
# --------------------------------------------------------------------------------------


@pytest.mark.apertium
def test_a_known_sentence(engine):
    [spanish] = engine.translate(["The workers of the world."], engine.routes("en")["es"])
    assert "trabajadores" in spanish


@pytest.mark.slow
@pytest.mark.apertium
def test_an_essay_batch_comes_back_whole_and_unmarked(all_segments):
    runner = CountingRunner()
    engine = ApertiumEngine(runner=runner)
    spanish = engine.translate(all_segments, engine.routes("en")["es"])
    assert runner.translations == 2  # one with the engine's marks, one with -u for the sentences holding an unknown word
    assert len(spanish) == len(all_segments)
    for source, target in zip(all_segments, spanish, strict=True):
        assert target.strip() and target != source
        assert target.count("*") == source.count("*"), target
        assert target.count("#") == source.count("#") and target.count("@") == source.count("@"), target
        assert "  " not in target and not target.startswith(" ")


@pytest.mark.apertium
def test_structure_inside_a_sentence_survives(engine):
    sentence = "If you read *The Capital*, the factory [9] is «predicted» and “real”: 3 < 4 & Marx’s ‘work’."
    for target in ("es", "pt"):
        [out] = engine.translate([sentence], engine.route("en", target))
        for piece in ("*", "[9]", "«", "»", "“", "”", "3 < 4 &", "‘", "’"):
            assert piece in out, (target, piece, out)
        assert out.count("*") == 2 and out.endswith(".")


@pytest.mark.apertium
def test_whitespace_and_empty_sentences_keep_their_place(engine):
    out = engine.translate(["  The workers.  ", "", "   ", "The\n\nfactory."], engine.routes("en")["es"])
    assert out[0].startswith("  ") and out[0].endswith(".  ") and "trabajadores" in out[0]
    assert out[1:3] == ["", "   "]
    assert "fábrica" in out[3] and "\n\n" not in out[3]


@pytest.mark.apertium
def test_pivot_english_to_portuguese(engine):
    [out] = engine.translate(["The workers of the world."], engine.routes("en")["pt"])
    assert "trabalhadores" in out


@pytest.mark.slow
@pytest.mark.apertium
def test_both_essays_go_through_two_processes_per_hop_one_reading_the_marks(all_segments):
    runner = CountingRunner()
    engine = ApertiumEngine(runner=runner)
    done: list[int] = []
    portuguese = engine.translate(all_segments, engine.routes("en")["pt"], progress=done.append)
    assert runner.translations == 4  # en→es, es→pt; each with its marks, then -u for the sentences with unknown words
    assert sum(done) == len(all_segments) == len(portuguese)
    assert all(p.strip() for p in portuguese)
    french = engine.translate(all_segments, engine.routes("en")["fr"])
    assert runner.translations == 6  # the en→es hop is remembered: only es→fr runs
    assert len(french) == len(all_segments) and french != portuguese


@pytest.mark.slow
@pytest.mark.apertium
def test_a_lost_separator_falls_back_to_smaller_batches(engine, all_segments):
    sentences = all_segments[:5]
    expected = engine.translate(sentences, engine.routes("en")["es"])
    runner = CountingRunner(corrupt_batches=True)
    faulty = ApertiumEngine(runner=runner)
    assert faulty.translate(sentences, faulty.routes("en")["es"]) == expected
    assert runner.translations > 1


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


@pytest.mark.apertium
def test_a_pair_not_installed_names_the_package(engine):
    with pytest.raises(ModelError, match="apt-get install apertium-isl-eng"):
        engine.translate(["Hello."], Route("apertium", ("en", "is"), ("apertium-isl-eng@0",)))
    with pytest.raises(ModelError, match="no Apertium pair en→xx"):
        engine.translate(["Hello."], Route("apertium", ("en", "xx"), ("xx",)))


@pytest.mark.apertium
def test_a_broken_mode_reports_apertium_stderr(tmp_path):
    (tmp_path / "modes").mkdir()
    (tmp_path / "modes" / "eng-spa.mode").write_text(f"lt-proc '{tmp_path}/missing.automorf.bin'\n")
    engine = ApertiumEngine(datadir=str(tmp_path))
    assert list(engine.routes("en")) == ["es"]
    assert engine.routes("en")["es"].models == ("eng-spa",)  # not a Debian file: the mode name
    with pytest.raises(EngineError, match="missing.automorf.bin"):
        engine.translate(["The workers."], engine.routes("en")["es"])


@pytest.mark.apertium
def test_a_slow_process_times_out_with_a_clear_error(all_segments):
    engine = ApertiumEngine()
    route = engine.routes("en")["es"]
    engine.timeout = 0.01  # discovery done; the translation itself must time out
    with pytest.raises(EngineError, match="timed out after 0.01 s"):
        engine.translate(all_segments, route)


def test_missing_binary_is_a_model_error_naming_the_package():
    engine = ApertiumEngine(binary="apertium-does-not-exist")
    with pytest.raises(ModelError, match="apt-get install apertium"):
        engine.routes("en")
    with pytest.raises(ModelError, match="apt-get install apertium"):
        engine.translate(["Hello."], Route("apertium", ("en", "es"), ("apertium-eng-spa@0",)))


@pytest.mark.slow
@pytest.mark.apertium
def test_a_mode_kept_running_translates_as_one_apertium_call(all_segments):
    """The API's pipelines (engines/apertium_pipeline.py): the same text and marks as `apertium -f txt`, call after call."""
    kept, once = ApertiumEngine(), ApertiumEngine()
    kept.keep_running = True
    try:
        for target in ("es", "ca", "hr"):
            route_kept, route_once = kept.routes("en")[target], once.routes("en")[target]
            batch = all_segments[:40]
            assert kept.translate(batch, route_kept) == once.translate(batch, route_once), target
            assert [kept.marks(route_kept, t) for t in kept.translate(batch, route_kept)] == [
                once.marks(route_once, t) for t in once.translate(batch, route_once)
            ]
        assert set(kept._pipelines) >= {("eng-spa", True), ("eng-cat", True)}  # noqa: SLF001 - started once, kept
        assert kept.translate(["The factory."], kept.routes("en")["es"]) == ["La fábrica."]
    finally:
        kept.close()
    assert kept._pipelines == {}  # noqa: SLF001 - closing the engine ends the processes


@pytest.mark.apertium
def test_a_kept_mode_whose_processes_died_is_started_again():
    engine = ApertiumEngine()
    engine.keep_running = True
    route = engine.routes("en")["es"]
    try:
        assert engine.translate(["The worker."], route) == ["El trabajador."]
        pipeline = engine._pipelines[("eng-spa", True)]  # noqa: SLF001
        pipeline.close()  # as if the processes were killed
        engine._pivot_cache.clear()  # noqa: SLF001 - make it translate again
        assert engine.translate(["The worker."], route) == ["El trabajador."]
        assert engine._pipelines[("eng-spa", True)] is not pipeline  # noqa: SLF001
    finally:
        engine.close()


@pytest.mark.apertium
def test_at_most_max_kept_modes_stay_running():
    engine = ApertiumEngine()
    engine.keep_running, engine.max_kept = True, 2
    try:
        for target in ("es", "ca", "gl"):
            engine.translate(["The worker."], engine.routes("en")[target])
        assert [mode for mode, _ in engine._pipelines] == ["eng-cat", "en-gl"]  # noqa: SLF001 - eng-spa, least recent, closed
    finally:
        engine.close()
