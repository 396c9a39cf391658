"""Glossaries: the terms of art a translation must render one agreed way.

A glossary is a list of concepts. Each concept has terms per language; the first
term of a language is the pinned (preferred) one, the others are variants that
are recognised in a source text and accepted in a translation. Any language can
be the source. Volunteers edit the TOML file; the same data goes to and comes
from TBX (ISO 30042, see translate.tbx) so the glossary also opens in Weblate or OmegaT.

The glossary's `version` carries a hash of its content: it goes into every
translation's signature, so editing a term makes earlier machine output stale.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from translate.errors import ConfigError

STATUSES = ("approved", "proposed")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_HEADER_KEYS = {"name", "version", "source_language", "source_languages", "languages", "note"}
_CONCEPT_KEYS = {"id", "note", "source", "status", "translate", "case_sensitive", "terms"}
_TERMSET_KEYS = {"terms", "status", "note", "source", "match"}


@dataclass(frozen=True)
class TermSet:
    """The terms of one concept in one language, preferred first."""

    terms: tuple[str, ...]
    status: str = "approved"
    note: str = ""
    source: str = ""
    match: bool = True  # False: a target-only rendering, never looked for in a source text

    @property
    def preferred(self) -> str:
        return self.terms[0]


@dataclass(frozen=True)
class Concept:
    """One idea (surplus value, Gramsci...) and how each language names it.

    `translate=False` marks a do-not-translate entry (names, brands): it is kept
    as written in the source unless a language lists its own spelling.
    """

    id: str
    languages: Mapping[str, TermSet]
    note: str = ""
    source: str = ""
    status: str = "approved"
    translate: bool = True
    case_sensitive: bool = False

    def terms(self, language: str) -> tuple[str, ...]:
        termset = self.languages.get(language)
        return termset.terms if termset else ()

    def preferred(self, language: str) -> str | None:
        termset = self.languages.get(language)
        return termset.preferred if termset else None

    def status_in(self, language: str) -> str:
        """The status of this concept's rendering in a language ('proposed' wins)."""
        termset = self.languages.get(language)
        if termset is None:
            return self.status
        return "proposed" if "proposed" in (termset.status, self.status) else "approved"


@dataclass(frozen=True)
class Glossary:
    """A named, versioned set of concepts."""

    name: str
    release: str  # the human version label from the file, e.g. '1'
    source_language: str
    concepts: tuple[Concept, ...]
    languages: tuple[str, ...] = ()  # target languages every concept should cover
    source_languages: tuple[str, ...] = ()  # further languages the glossary is used from
    note: str = ""
    path: str = field(default="", compare=False)

    @cached_property
    def version(self) -> str:
        """'marxism@1+3f9a0c12': name, release and a hash of the canonical content."""
        if not self.concepts and self.name == "none":
            return "none"
        digest = hashlib.sha256(json.dumps(self.canonical(), sort_keys=True, ensure_ascii=False).encode())
        return f"{self.name}@{self.release}+{digest.hexdigest()[:8]}"

    def concept(self, concept_id: str) -> Concept:
        for concept in self.concepts:
            if concept.id == concept_id:
                return concept
        raise KeyError(concept_id)

    def canonical(self) -> dict:
        """Content as plain data, the same however the file was laid out (TOML or TBX)."""
        return {
            "glossary": {
                "name": self.name,
                "version": self.release,
                "source_language": self.source_language,
                "source_languages": list(self.source_languages),
                "languages": list(self.languages),
                "note": self.note,
            },
            "concept": [_concept_data(c) for c in self.concepts],
        }


def _concept_data(concept: Concept) -> dict:
    data: dict = {"id": concept.id, "status": concept.status}
    for key in ("note", "source"):
        if getattr(concept, key):
            data[key] = getattr(concept, key)
    if not concept.translate:
        data["translate"] = False
    if concept.case_sensitive:
        data["case_sensitive"] = True
    terms: dict = {}
    for language, termset in concept.languages.items():
        if termset.status == "approved" and not termset.note and not termset.source and termset.match:
            terms[language] = list(termset.terms)
        else:
            entry: dict = {"terms": list(termset.terms)}
            if termset.status != "approved":
                entry["status"] = termset.status
            for key in ("note", "source"):
                if getattr(termset, key):
                    entry[key] = getattr(termset, key)
            if not termset.match:
                entry["match"] = False
            terms[language] = entry
    data["terms"] = terms
    return data


# ---------------------------------------------------------------- loading


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
    )


def from_data(data: Mapping, where: str = "<glossary>") -> Glossary:
    """Build a Glossary from parsed TOML (or equivalent) data, validating every key."""
    _unknown(data, {"glossary", "concept"}, where, "top level")
    header = data.get("glossary")
    if not isinstance(header, Mapping):
        raise ConfigError(f"{where}: missing [glossary] header")
    _unknown(header, _HEADER_KEYS, where, "[glossary]")
    for key in ("name", "version", "source_language"):
        if not isinstance(header.get(key), str) or not header[key].strip():
            raise ConfigError(f"{where}: [glossary]: missing or empty '{key}'")
    entries = data.get("concept", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{where}: 'concept' must be an array of tables ([[concept]])")
    concepts: list[Concept] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        concept = _concept(entry, where, number)
        if concept.id in seen:
            raise ConfigError(f"{where}: concept '{concept.id}': duplicate id")
        seen.add(concept.id)
        concepts.append(concept)
    return Glossary(
        name=header["name"].strip(),
        release=header["version"].strip(),
        source_language=header["source_language"].strip(),
        languages=tuple(_str_list(header.get("languages", []), where, "[glossary] languages")),
        source_languages=tuple(_str_list(header.get("source_languages", []), where, "[glossary] source_languages")),
        note=_text(header.get("note", ""), where, "[glossary] note"),
        concepts=tuple(concepts),
        path=where,
    )


def _concept(entry: object, where: str, number: int) -> Concept:
    if not isinstance(entry, Mapping):
        raise ConfigError(f"{where}: concept #{number}: must be a table")
    cid = entry.get("id")
    if not isinstance(cid, str) or not _ID.match(cid):
        raise ConfigError(f"{where}: concept #{number}: missing or bad 'id' (lower-case letters, digits, -_.)")
    label = f"concept '{cid}'"
    _unknown(entry, _CONCEPT_KEYS, where, label)
    status = _status(entry.get("status", "approved"), where, label)
    for flag in ("translate", "case_sensitive"):
        _flag(entry.get(flag, False), where, label, flag)
    terms = entry.get("terms")
    if not isinstance(terms, Mapping) or not terms:
        raise ConfigError(f"{where}: {label}: missing 'terms' table (e.g. terms.en = [\"...\"])")
    languages: dict[str, TermSet] = {}
    for language, value in terms.items():
        languages[language] = _termset(value, where, f"{label} language '{language}'")
    return Concept(
        id=cid,
        languages=languages,
        note=_text(entry.get("note", ""), where, label),
        source=_text(entry.get("source", ""), where, label),
        status=status,
        translate=entry.get("translate", True),
        case_sensitive=entry.get("case_sensitive", False),
    )


def _termset(value: object, where: str, label: str) -> TermSet:
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        return TermSet(terms=_terms(value, where, label))
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: {label}: expected a list of terms or a table with 'terms'")
    _unknown(value, _TERMSET_KEYS, where, label)
    if "terms" not in value:
        raise ConfigError(f"{where}: {label}: missing 'terms'")
    raw = value["terms"]
    return TermSet(
        terms=_terms([raw] if isinstance(raw, str) else raw, where, label),
        status=_status(value.get("status", "approved"), where, label),
        note=_text(value.get("note", ""), where, label),
        source=_text(value.get("source", ""), where, label),
        match=_flag(value.get("match", True), where, label, "match"),
    )


def _flag(value: object, where: str, label: str, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: {label}: '{key}' must be true or false")
    return value


def _terms(value: object, where: str, label: str) -> tuple[str, ...]:
    terms = _str_list(value, where, label)
    if not terms:
        raise ConfigError(f"{where}: {label}: no terms")
    return tuple(" ".join(t.split()) for t in terms)


def _str_list(value: object, where: str, label: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: {label}: expected a list of non-empty strings")
    return list(value)


def _text(value: object, where: str, label: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {label}: notes and sources must be strings")
    return value.strip()


def _status(value: object, where: str, label: str) -> str:
    if value not in STATUSES:
        raise ConfigError(f"{where}: {label}: bad status {value!r} (use {' or '.join(STATUSES)})")
    return str(value)


def _unknown(table: Mapping, allowed: set[str], where: str, label: str) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise ConfigError(f"{where}: {label}: unknown key '{extra[0]}' (allowed: {', '.join(sorted(allowed))})")


# ---------------------------------------------------------------- writing TOML


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
    from translate.fileio import atomic_write_text

    atomic_write_text(Path(path), to_toml(glossary))


def iter_terms(glossary: Glossary, language: str) -> Iterable[tuple[str, Concept]]:
    """Every (term, concept) pair of one language that a source text may contain."""
    for concept in glossary.concepts:
        termset = concept.languages.get(language)
        if termset and termset.match:
            for term in termset.terms:
                yield term, concept


# ---------------------------------------------------------------- matching

_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_SEPARATOR = r"[\s\u00a0\u2010\u2011-]+"
_APOSTROPHE = "['\u2019]"


def term_pattern(term: str) -> str:
    """A regex for a term: spaces and hyphens interchangeable, either apostrophe,
    word boundaries on alphabetic ends and none next to CJK characters."""
    words = re.split(r"[\s\u00a0\u2010\u2011-]+", term.strip())
    parts = [re.escape(word).replace("'", _APOSTROPHE).replace("\u2019", _APOSTROPHE) for word in words]
    body = _SEPARATOR.join(parts)
    left = "" if _CJK.match(term) else r"(?<![\w])"
    right = "" if _CJK.match(term[-1]) else r"(?![\w])"
    return left + body + right


def _needs_case(term: str, concept: Concept) -> bool:
    """Match case-sensitively for acronyms and brand spellings (BBC, uBlock, GameStop)."""
    return concept.case_sensitive or any(c.isupper() for c in term[1:])


@dataclass(frozen=True)
class TermMatch:
    concept: Concept
    start: int
    end: int
    text: str


class Matcher:
    """Finds glossary terms of one language in text: longest match first.

    Terms marked `match = false` are still looked for, so that they hold their
    span (资本主义 is not read as 资本 + 主义), but they are not reported.
    """

    def __init__(self, glossary: Glossary, language: str) -> None:
        pairs = [
            (term, concept, termset.match)
            for concept in glossary.concepts
            if (termset := concept.languages.get(language))
            for term in termset.terms
        ]
        pairs.sort(key=lambda p: -len(p[0]))
        self.concepts = [concept for _, concept, _ in pairs]
        self.reported = [matchable for _, _, matchable in pairs]
        alternatives = [
            f"({term_pattern(term)})" if _needs_case(term, concept) else f"((?i:{term_pattern(term)}))"
            for term, concept, _ in pairs
        ]
        self.regex = re.compile("|".join(alternatives)) if alternatives else None
        self._found: dict[str, tuple[TermMatch, ...]] = {}

    def find(self, text: str) -> list[TermMatch]:
        """Matches in text; remembered, since a run asks about each sentence once per language."""
        if self.regex is None:
            return []
        if text not in self._found:
            self._found[text] = tuple(
                TermMatch(self.concepts[m.lastindex - 1], m.start(), m.end(), m.group())
                for m in self.regex.finditer(text)
                if self.reported[m.lastindex - 1]
            )
        return list(self._found[text])


_MATCHERS: dict[tuple[str, str], Matcher] = {}


def matcher(glossary: Glossary, language: str) -> Matcher:
    """A cached Matcher per glossary version and language."""
    key = (glossary.version, language)
    if key not in _MATCHERS:
        _MATCHERS[key] = Matcher(glossary, language)
    return _MATCHERS[key]


# ---------------------------------------------------------------- lint and coverage


@dataclass(frozen=True)
class LintIssue:
    kind: str  # 'duplicate', 'conflict', 'missing', 'unused'
    severity: str  # 'error' or 'warning'
    concept: str
    language: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.concept} [{self.language}] {self.kind}: {self.message}"


def lint(glossary: Glossary, texts: Mapping[str, str]) -> list[LintIssue]:
    """Problems a maintainer should fix: duplicate terms, a source term claimed by two
    concepts, target languages a concept lacks, and concepts no text uses."""
    issues: list[LintIssue] = []
    sources = (glossary.source_language, *glossary.source_languages)
    owners: dict[tuple[str, str], str] = {}
    for concept in glossary.concepts:
        for language, termset in concept.languages.items():
            seen: set[str] = set()
            for term in termset.terms:
                key = term.casefold()
                if key in seen:
                    issues.append(LintIssue("duplicate", "error", concept.id, language, f"'{term}' listed twice"))
                seen.add(key)
                if language in sources and termset.match:
                    other = owners.setdefault((language, key), concept.id)
                    if other != concept.id:
                        issues.append(LintIssue(
                            "conflict", "error", concept.id, language, f"'{term}' is also a term of '{other}'"
                        ))
        if concept.translate:
            for language in glossary.languages:
                if language not in concept.languages:
                    issues.append(LintIssue("missing", "error", concept.id, language, "no translation"))
    used = {row.concept for row in coverage(glossary, texts) if row.count}
    for concept in glossary.concepts:
        if concept.id not in used and concept.terms(glossary.source_language):
            issues.append(LintIssue(
                "unused", "warning", concept.id, glossary.source_language, "occurs in none of the texts"
            ))
    return issues


@dataclass(frozen=True)
class CoverageRow:
    concept: str
    text: str
    count: int


def coverage(glossary: Glossary, docs: Mapping[str, str], language: str | None = None) -> list[CoverageRow]:
    """How often each concept occurs in each text (rows for zero counts too)."""
    found = matcher(glossary, language or glossary.source_language)
    counts: dict[tuple[str, str], int] = {}
    for name, text in docs.items():
        for match in found.find(text):
            counts[match.concept.id, name] = counts.get((match.concept.id, name), 0) + 1
    return [CoverageRow(c.id, name, counts.get((c.id, name), 0)) for c in glossary.concepts for name in docs]
