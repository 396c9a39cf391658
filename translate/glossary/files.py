"""Glossary files: TOML as volunteers edit it, read and written back.

A project's glossary is one TOML file or a folder of them (`load_glossary`);
each file is validated by `model.from_data`, so a mistake is a one-line
ConfigError naming the file and the entry. `to_toml` writes the layout
volunteers edit, one [[concept]] each, and `load(to_toml(g)) == g`.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path

from translate.errors import ConfigError
from translate.fileio import atomic_write_text
from translate.glossary.model import Glossary, from_data


def load(path: str | Path) -> Glossary:
    """Read a TOML glossary; any problem is a ConfigError naming file and entry."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: glossary file not found") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: malformed TOML: {exc}") from None
    return from_data(data, str(path))


def load_glossary(path: str | Path) -> Glossary:
    """The glossary of a project: one TOML file, or every *.toml in a folder merged
    (concept ids must be unique across files). No folder or no files: an empty
    glossary whose version is 'none', so signatures stay as without a glossary."""
    path = Path(path)
    if path.is_file():
        return load(path)
    files = sorted(path.glob("*.toml")) if path.is_dir() else []
    if not files:
        return Glossary(name="none", release="0", source_language="en", concepts=())
    parts = [load(f) for f in files]
    if len(parts) == 1:
        return parts[0]
    seen: dict[str, str] = {}
    for part in parts:
        for concept in part.concepts:
            if concept.id in seen:
                raise ConfigError(f"{part.path}: concept '{concept.id}': also defined in {seen[concept.id]}")
            seen[concept.id] = part.path
    return Glossary(
        name="+".join(p.name for p in parts),
        release="+".join(p.release for p in parts),
        source_language=parts[0].source_language,
        concepts=tuple(c for p in parts for c in p.concepts),
        languages=tuple(dict.fromkeys(lang for p in parts for lang in p.languages)),
        source_languages=tuple(dict.fromkeys(lang for p in parts for lang in p.source_languages)),
        path=str(path),
        variants=tuple(dict.fromkeys(pair for p in parts for pair in p.variants)),
        quotations=tuple(q for p in parts for q in p.quotations),
    )


def to_toml(glossary: Glossary) -> str:
    """The glossary as TOML, in the layout volunteers edit (one [[concept]] each)."""
    data = glossary.canonical()
    lines = ["[glossary]"]
    for key, value in data["glossary"].items():
        if value or key in ("name", "version", "source_language"):
            lines.append(f"{key} = {_toml_value(value)}")
    for concept in data["concept"]:
        lines += ["", "[[concept]]"]
        for key, value in concept.items():
            if key != "terms":
                lines.append(f"{key} = {_toml_value(value)}")
        lines.append("[concept.terms]")
        for language, value in concept["terms"].items():
            lines.append(f"{_toml_key(language)} = {_toml_value(value)}")
    for quotation in data.get("quotation", []):
        lines += ["", "[[quotation]]"]
        lines += [f"{key} = {_toml_value(quotation[key])}" for key in ("id", "note") if key in quotation]
        for table in ("text", "edition"):
            lines.append(f"[quotation.{table}]")
            lines += [f"{_toml_key(language)} = {_toml_value(value)}" for language, value in quotation[table].items()]
    return "\n".join(lines) + "\n"


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def save(glossary: Glossary, path: str | Path) -> None:
    atomic_write_text(Path(path), to_toml(glossary))
