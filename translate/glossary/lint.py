"""Glossary lint and coverage: what `translate glossary check` and `coverage` report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from translate.glossary.matching import matcher
from translate.glossary.model import Glossary


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
                        issues.append(
                            LintIssue("conflict", "error", concept.id, language, f"'{term}' is also a term of '{other}'")
                        )
        if concept.translate:
            for language in glossary.languages:
                if language not in concept.languages:
                    issues.append(LintIssue("missing", "error", concept.id, language, "no translation"))
    used = {row.concept for row in coverage(glossary, texts) if row.count}
    for concept in glossary.concepts:
        if concept.id not in used and concept.terms(glossary.source_language):
            issues.append(LintIssue("unused", "warning", concept.id, glossary.source_language, "occurs in none of the texts"))
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
