"""Configuration: defaults, the repository's own file, and every kind of mistake."""

import importlib.util
import inspect
import shutil
from pathlib import Path

import pytest

from translate import fileio
from translate.config import OPTIONS, Config, LimitsOptions, load_config
from translate.engines.degeneration import degeneration
from translate.errors import ConfigError
from translate.memory import tmx

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


# ---------------------------------------------------------------- one home per option


def _docs_script():
    spec = importlib.util.spec_from_file_location("config_docs", REPO / "scripts" / "config_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_table_and_translate_toml_say_what_the_options_say():
    """Both are generated from translate/config.py; a change there without `make docs` fails here."""
    assert _docs_script().stale(REPO) == [], "run make docs"


def test_a_stale_readme_table_fails_the_check_with_the_command_that_renews_it(tmp_path, capsys):
    for name in ("README.md", "translate.toml"):
        shutil.copy(REPO / name, tmp_path / name)
    readme = tmp_path / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("| `engine.beam_size` | 4 |", "| `engine.beam_size` | 5 |"))
    script = _docs_script()
    assert script.main(["--check"], root=tmp_path) == 1
    assert capsys.readouterr().err.strip() == script.STALE.format(names="README.md is")
    assert "run make docs" in script.STALE
    assert script.main([], root=tmp_path) == 0
    assert script.main(["--check"], root=tmp_path) == 0
    assert readme.read_text(encoding="utf-8") == (REPO / "README.md").read_text(encoding="utf-8")


def test_the_generated_translate_toml_keeps_the_projects_values(tmp_path):
    """A project's targets and any changed value survive `make docs`; its default is named beside it."""
    script = _docs_script()
    (tmp_path / "README.md").write_text(f"{script.BEGIN}\n{script.END}\n", encoding="utf-8")
    write(tmp_path, "[project]\ntargets = ['ca', 'eo']\n[api]\nkept_modes = 3\n[languages]\npt = 'apertium'\n")
    assert script.main([], root=tmp_path) == 0
    text = (tmp_path / "translate.toml").read_text(encoding="utf-8")
    assert 'targets = ["ca", "eo"]' in text and "kept_modes = 3\n" in text and "# default: 10\n" in text
    assert 'pt = "apertium"' in text and "# Apertium modes kept running" in text
    config = load_config(tmp_path / "translate.toml")
    assert config.targets == ["ca", "eo"] and config.api.kept_modes == 3 and config.engine_for("pt") == "apertium"
    assert config.limits == Config().limits


def test_every_option_has_help_and_every_number_a_range():
    for option in OPTIONS:
        assert option.help, f"{option.key} has no help"
        if isinstance(option.default, (int, float)) and not isinstance(option.default, bool):
            assert option.bounds is not None, f"{option.key} is a number without a range"
            low, high, _ = option.bounds
            assert low <= option.default <= high, option.key


def test_the_limits_other_modules_fall_back_on_are_the_configurations_defaults():
    """read_source, TMX import and the degeneration check use [limits]'s defaults, not copies of them."""
    limits = LimitsOptions()
    assert inspect.signature(fileio.read_source).parameters["max_bytes"].default == limits.max_text_bytes
    assert inspect.signature(tmx.import_tmx).parameters["max_chars"].default == limits.max_import_chars
    assert inspect.signature(degeneration).parameters["max_ratio"].default == limits.max_output_ratio
