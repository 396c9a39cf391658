"""Configuration: defaults, the repository's own file, and every kind of mistake."""

from pathlib import Path

import pytest

from translate.config import Config, load_config
from translate.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "translate.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_repository_config_loads_with_the_apertium_languages():
    config = load_config(REPO / "translate.toml")
    assert config.source_language == "en"
    for code in ("es", "ca", "gl", "eo", "pt", "fr", "it", "oc", "ast", "sr"):
        assert code in config.targets
    assert config.path("texts") == REPO / "texts"


def test_defaults_when_keys_are_missing(tmp_path):
    config = load_config(write(tmp_path, "[project]\ntargets = ['es']\n"))
    assert config.engine.beam_size == Config().engine.beam_size
    assert config.engine_for("es") == "auto"
    assert config.root == tmp_path


def test_per_language_engine_choice(tmp_path):
    config = load_config(write(tmp_path, "[languages]\npt = 'apertium'\n"))
    assert config.engine_for("pt") == "apertium" and config.engine_for("es") == "auto"


@pytest.mark.parametrize(
    "body, message",
    [
        ("[project]\ntargetz = ['es']\n", "unknown key 'project.targetz'"),
        ("[engine]\nbeam = 2\n", "unknown key 'engine.beam'"),
        ("[engines]\n", "unknown section [engines]"),
        ("[engine]\nbeam_size = 'four'\n", "engine.beam_size must be a whole number, not str ('four')"),
        ("[engine]\nbeam_size = 0\n", "engine.beam_size must be between 1 and 64"),
        ("[review]\npublish_threshold = nan\n", "review.publish_threshold must be between 0 and 1 (a share), not nan"),
        ("[limits]\nmax_output_ratio = inf\n", "limits.max_output_ratio must be between 1 and 1,000"),
        ("[engine]\ntimeout = inf\n", "engine.timeout must be a whole number, not float (inf)"),
        ("[engine]\nthreads = 99999999999999999999\n", "engine.threads must be between 0 and 1,024"),
        ("[api]\nmax_body_bytes = 99999999999999\n", "api.max_body_bytes must be between 1 and"),
        ("[api]\nrequests_per_minute = -1\n", "api.requests_per_minute must be between 0 and 1,000,000"),
        ("[project]\ntargets = ['es', 5]\n", 'project.targets must list language codes such as "es", not 5'),
        ("[engine]\ndefault = 'google'\n", "engine.default must be one of"),
        ("[project]\ntargets = ['es', 'xx']\n", "unknown language code 'xx'"),
        ("[project]\nsource_language = 'klingon'\n", "unknown language code"),
        ("[languages]\npt = 'deepl'\n", "languages.pt must be one of"),
        ("[review]\npublish_threshold = 2\n", "between 0 and 1"),
        ("[project\n", "not valid TOML"),
    ],
)
def test_mistakes_are_named(tmp_path, body, message):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, body))
    assert message in str(err.value)
    assert "translate.toml" in str(err.value)


def test_missing_config_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")
