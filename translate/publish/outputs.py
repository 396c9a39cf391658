"""The translated texts as files: outputs/<lang>/<text>.md, with a YAML header.

Each output is the source text with every sentence replaced by the memory's
best text (approved over machine draft), headed by front matter naming the
source, engine, route, signature, glossary and review state, so a reader of
the file alone knows what produced it. A file is only rewritten when its bytes
change.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from translate.config import Config
from translate.engines.base import Route
from translate.fileio import atomic_write_text
from translate.memory.records import MemoryEntry
from translate.memory.store import TranslationMemory
from translate.review.status import review_state
from translate.run.signature import Signature
from translate.texts import SourceText


def render_output(
    text: SourceText,
    target: str,
    route: Route,
    signature: Signature,
    entries: Mapping[str, MemoryEntry],
    memory: TranslationMemory,
    config: Config,
) -> str:
    """The whole output file: front matter, then the translated document."""
    translations = {s.index: entries[s.text].best_text for s in text.document.segments if s.text in entries}
    body = text.document.render(translations, target)
    return front_matter(text, target, route.describe(), signature, entries, memory, config) + body


def write_output(
    path: Path,
    text: SourceText,
    target: str,
    route: Route,
    signature: Signature,
    entries: Mapping[str, MemoryEntry],
    memory: TranslationMemory,
    config: Config,
) -> bool:
    """Write one output file atomically; return whether it changed."""
    return atomic_write_text(path, render_output(text, target, route, signature, entries, memory, config))


def front_matter(
    text: SourceText,
    target: str,
    route: str,
    signature: Signature,
    entries: Mapping[str, MemoryEntry],
    memory: TranslationMemory,
    config: Config,
) -> str:
    """A YAML header naming the source, engine, route and review state."""
    state = review_state(memory, text, target, config.review.publish_threshold)
    if state.reviewed:
        status = f"reviewed ({state.approved + state.edited} of {state.segments} sentences approved)"
    elif state.approved or state.edited:
        status = f"partly reviewed ({state.approved + state.edited} of {state.segments} sentences approved)"
    else:
        status = "machine translation, not reviewed"
    segments = text.document.segments
    title = entries[segments[0].text].best_text if segments and segments[0].text in entries else text.document.title
    lines = [
        "---",
        f"title: {_yaml_str(title)}",
        f"source: {_yaml_str(text.path.name)}",
        f"source_language: {text.document.language}",
        f"language: {target}",
        f"engine: {signature.engine}",
        f"route: {_yaml_str(route)}",
        f"signature: {_yaml_str(str(signature))}",
        f"glossary: {_yaml_str(signature.glossary)}",
        f"status: {_yaml_str(status)}",
    ]
    if state.reviewers:
        lines.append(f"reviewers: [{', '.join(_yaml_str(name) for name in state.reviewers)}]")
    return "\n".join([*lines, "---", ""]) + "\n"


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
