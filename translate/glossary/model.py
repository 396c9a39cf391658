"""Glossaries: the terms of art a translation must render one agreed way.

A glossary is a list of concepts. Each concept has terms per language; the first
term of a language is the pinned (preferred) one, the others are variants that
are recognised in a source text and accepted in a translation. Any language can
be the source. Volunteers edit the TOML file (files.py); the same data goes to
and comes from TBX (ISO 30042, tbx.py) so the glossary also opens in Weblate or
OmegaT. Both build a Glossary through `from_data`, which validates every key.

The glossary's `version` carries a hash of its content: it goes into every
translation's signature, so editing a term makes earlier machine output stale.

A language variant may inherit its language's terms: `variants = { pt_BR = "pt" }`
in the header makes every concept render Brazilian Portuguese as Portuguese
unless it lists `pt_BR` terms of its own (Lênin, Stálin, espectador). The
inherited terms are not part of the file (nor of its TBX or its hash): only the
header's `variants` is.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

from translate.errors import ConfigError, LanguageError
from translate.languages import check_code

STATUSES = ("approved", "proposed")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_HEADER_KEYS = {"name", "version", "source_language", "source_languages", "languages", "note", "variants"}
_CONCEPT_KEYS = {"id", "note", "source", "status", "translate", "case_sensitive", "terms", "pos", "grammar"}
PARTS_OF_SPEECH = ("noun", "adjective", "phrase")
_GRAMMAR = re.compile(r"^(?:[mfn]p?|p)$")
"""Gender and number of a rendering: m, f, n (neuter), followed by p when plural; p alone: plural of no gender."""
_TERMSET_KEYS = {"terms", "status", "note", "source", "match"}
_QUOTATION_KEYS = {"id", "note", "text", "edition"}


@dataclass(frozen=True)
class TermSet:
    """The terms of one concept in one language, preferred first."""

    terms: tuple[str, ...]
    status: str = "approved"
    note: str = ""
    source: str = ""
    match: bool = True  # False: a target-only rendering, never looked for in a source text
    grammar: tuple[str, ...] = ()  # gender and number of each term ('f', 'mp'; '' not known), in the terms' order
    inherited: str = ""  # the language these terms come from, for a variant without its own (header `variants`)

    @property
    def preferred(self) -> str:
        return self.terms[0]

    def grammar_of(self, term: str) -> str:
        """'f', 'mp'...: the gender and number of one of these terms, '' when the glossary does not say."""
        try:
            index = self.terms.index(term)
        except ValueError:
            return ""
        return self.grammar[index] if index < len(self.grammar) else ""


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
    pos: str = "noun"  # noun | adjective (pinned only through its noun phrases, never masked alone) | phrase

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
class Quotation:
    """A published passage and its published translations: matched whole (case and punctuation aside) and
    given as it was published, never to an engine. `texts` per language, the source language's variants
    after its first (a quotation as an essay words it); `editions` cites where each language's text was
    published."""

    id: str
    texts: Mapping[str, tuple[str, ...]]
    editions: Mapping[str, str]
    note: str = ""

    def text(self, language: str) -> str | None:
        found = self.texts.get(language)
        return found[0] if found else None


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
    variants: tuple[tuple[str, str], ...] = ()  # (variant, language it inherits from): pt_BR from pt
    quotations: tuple[Quotation, ...] = ()

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
                **({"variants": dict(self.variants)} if self.variants else {}),
            },
            "concept": [_concept_data(c) for c in self.concepts],
            **({"quotation": [_quotation_data(q) for q in self.quotations]} if self.quotations else {}),
        }


def _quotation_data(quotation: Quotation) -> dict:
    data: dict = {"id": quotation.id}
    if quotation.note:
        data["note"] = quotation.note
    data["text"] = {language: list(texts) if len(texts) > 1 else texts[0] for language, texts in quotation.texts.items()}
    data["edition"] = dict(quotation.editions)
    return data


def _concept_data(concept: Concept) -> dict:
    data: dict = {"id": concept.id, "status": concept.status}
    for key in ("note", "source"):
        if getattr(concept, key):
            data[key] = getattr(concept, key)
    if not concept.translate:
        data["translate"] = False
    if concept.case_sensitive:
        data["case_sensitive"] = True
    if concept.pos != "noun":
        data["pos"] = concept.pos
    own = {language: t for language, t in concept.languages.items() if not t.inherited}
    grammar = {language: list(t.grammar) for language, t in own.items() if any(t.grammar)}
    if grammar:
        data["grammar"] = grammar
    terms: dict = {}
    for language, termset in own.items():
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


def from_data(data: Mapping, where: str = "<glossary>") -> Glossary:
    """Build a Glossary from parsed TOML (or equivalent) data, validating every key."""
    _unknown(data, {"glossary", "concept", "quotation"}, where, "top level")
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
    variants = _variants(header.get("variants", {}), where)
    if variants:
        concepts = [_inherit(concept, variants) for concept in concepts]
    quotations = data.get("quotation", [])
    if not isinstance(quotations, list):
        raise ConfigError(f"{where}: 'quotation' must be an array of tables ([[quotation]])")
    found = [_quotation(entry, where, number, header["source_language"].strip()) for number, entry in enumerate(quotations, 1)]
    if len({q.id for q in found}) != len(found):
        raise ConfigError(f"{where}: two quotations share an id")
    glossary = Glossary(
        name=header["name"].strip(),
        release=header["version"].strip(),
        source_language=header["source_language"].strip(),
        languages=tuple(_str_list(header.get("languages", []), where, "[glossary] languages")),
        source_languages=tuple(_str_list(header.get("source_languages", []), where, "[glossary] source_languages")),
        note=_text(header.get("note", ""), where, "[glossary] note"),
        concepts=tuple(concepts),
        path=where,
        variants=variants,
        quotations=tuple(found),
    )
    for code in (glossary.source_language, *glossary.languages, *glossary.source_languages):
        _code(code, where, "[glossary]")
    return glossary


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
    for raw_language, value in terms.items():
        language = _code(raw_language, where, label)
        languages[language] = _termset(value, where, f"{label} language '{raw_language}'")
    pos = entry.get("pos", "noun")
    if pos not in PARTS_OF_SPEECH:
        raise ConfigError(f"{where}: {label}: bad pos {pos!r} (use {', '.join(PARTS_OF_SPEECH)})")
    grammar = entry.get("grammar", {})
    if not isinstance(grammar, Mapping):
        raise ConfigError(f"{where}: {label}: 'grammar' must be a table, e.g. grammar.es = [\"f\"]")
    for raw_language, value in grammar.items():
        language = _code(raw_language, where, label)
        if language not in languages:
            raise ConfigError(f"{where}: {label}: grammar for '{language}', which has no terms")
        codes = [value] if isinstance(value, str) else value
        if not isinstance(codes, list) or not all(isinstance(c, str) and (c == "" or _GRAMMAR.match(c)) for c in codes):
            raise ConfigError(f"{where}: {label}: grammar.{language}: use m, f, n, mp, fp, np or p per term")
        if len(codes) > len(languages[language].terms):
            raise ConfigError(f"{where}: {label}: grammar.{language}: more entries than terms")
        codes = codes * len(languages[language].terms) if isinstance(value, str) else list(codes)
        while codes and not codes[-1]:
            codes.pop()  # no trailing unknowns: the same glossary reads the same from TOML and TBX
        languages[language] = replace(languages[language], grammar=tuple(codes))
    return Concept(
        id=cid,
        languages=languages,
        note=_text(entry.get("note", ""), where, label),
        source=_text(entry.get("source", ""), where, label),
        status=status,
        translate=entry.get("translate", True),
        case_sensitive=entry.get("case_sensitive", False),
        pos=pos,
    )


def _quotation(entry: object, where: str, number: int, source_language: str) -> Quotation:
    if not isinstance(entry, Mapping):
        raise ConfigError(f"{where}: quotation #{number}: must be a table")
    qid = entry.get("id")
    if not isinstance(qid, str) or not _ID.match(qid):
        raise ConfigError(f"{where}: quotation #{number}: missing or bad 'id' (lower-case letters, digits, -_.)")
    label = f"quotation '{qid}'"
    _unknown(entry, _QUOTATION_KEYS, where, label)
    texts, editions = entry.get("text"), entry.get("edition")
    if not isinstance(texts, Mapping) or source_language not in texts:
        raise ConfigError(f"{where}: {label}: 'text' needs the passage in {source_language} and its published translations")
    if not isinstance(editions, Mapping):
        raise ConfigError(f"{where}: {label}: 'edition' must cite where each language's text was published")
    parsed: dict[str, tuple[str, ...]] = {}
    for language, value in texts.items():
        _code(language, where, label)
        parsed[language] = tuple(_str_list([value] if isinstance(value, str) else value, where, f"{label} text.{language}"))
        edition = editions.get(language)
        if not isinstance(edition, str) or not edition.strip():
            raise ConfigError(f"{where}: {label}: edition.{language}: cite the edition its text was published in")
    extra = sorted(set(editions) - set(texts))
    if extra:
        raise ConfigError(f"{where}: {label}: edition.{extra[0]} has no text")
    return Quotation(qid, parsed, {k: str(v).strip() for k, v in editions.items()}, _text(entry.get("note", ""), where, label))


def _code(code: object, where: str, label: str) -> str:
    """A language code's shape (es, pt-BR), normalized (pt_BR): codes become folder names and memory keys."""
    try:
        return check_code(str(code))
    except LanguageError as err:
        raise ConfigError(f"{where}: {label}: {err}") from None


def _variants(value: object, where: str) -> tuple[tuple[str, str], ...]:
    """The header's `variants` table: variant code -> the language whose terms it inherits."""
    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(f'{where}: [glossary] variants must be a table like {{ pt_BR = "pt" }}')
    pairs = tuple((_code(k, where, "[glossary] variants"), _code(v, where, "[glossary] variants")) for k, v in value.items())
    for variant, base in pairs:
        if variant == base or variant in dict(pairs).values():
            raise ConfigError(f"{where}: [glossary] variants: {variant} cannot inherit from {base}")
    return pairs


def _inherit(concept: Concept, variants: tuple[tuple[str, str], ...]) -> Concept:
    """A concept with the terms of each variant it does not list: its language's, marked inherited."""
    added = {
        variant: replace(concept.languages[base], inherited=base)
        for variant, base in variants
        if variant not in concept.languages and base in concept.languages
    }
    return replace(concept, languages={**concept.languages, **added}) if added else concept


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
