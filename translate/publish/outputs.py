"""The translated texts as files: outputs/<lang>/<text>.md, with a YAML header.

Each output is the source text with every sentence replaced by the memory's
best text (approved over machine draft), headed by front matter naming the
source, engine, route, signature, glossary and review state, so a reader of
the file alone knows what produced it. A file is only rewritten when its bytes
change.
"""

from __future__ import annotations

from collections.abc import Mapping

from translate.memory.records import MemoryEntry
from translate.review.status import review_state
from translate.run.finishing import speaker_label
from translate.run.pipeline import LanguageRun
from translate.texts import SourceText


def render_output(language: LanguageRun, text: SourceText, entries: Mapping[str, MemoryEntry]) -> str:
    """The whole output file of one text in a run's language: front matter, then the translated document.

    `entries` are the memory's entries for the text's sentences, keyed by sentence.
    """
    translations = {s.index: entries[s.text].best_text for s in text.document.segments if s.text in entries}
    label = speaker_label(language.glossary, language.source, language.target)
    return front_matter(language, text, entries) + text.document.render(translations, language.target, label)


def front_matter(language: LanguageRun, text: SourceText, entries: Mapping[str, MemoryEntry]) -> str:
    """A YAML header naming the source, engine, route and review state."""
    assert language.route is not None and language.signature is not None, "the run stage sets them"
    target, signature = language.target, language.signature
    state = review_state(language.memory, text, target, language.config.review.publish_threshold)
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
        f"route: {_yaml_str(language.route.describe())}",
        f"signature: {_yaml_str(str(signature))}",
        f"glossary: {_yaml_str(signature.glossary)}",
        f"status: {_yaml_str(status)}",
    ]
    if state.translators:
        lines.append(f"translators: [{', '.join(_yaml_str(name) for name in state.translators)}]")
    if state.reviewers:
        lines.append(f"reviewers: [{', '.join(_yaml_str(name) for name in state.reviewers)}]")
    return "\n".join([*lines, "---", ""]) + "\n"


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
