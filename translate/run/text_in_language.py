"""One text in one target language, with what the stages after the run read it with.

The PO file of a text (translate.review.po_export) and its handout's colophon
(translate.publish.handouts) are both built from the same five things: the
text, the language, the translation memory holding its sentences, the
project's configuration and its glossary. `TextInLanguage` names them once;
`LanguageRun.text_in_language` makes one for each text a run delivers, and the
handouts make their own from a read-only memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from translate.config import Config
from translate.glossary.model import Glossary
from translate.memory.store import TranslationMemory
from translate.texts import SourceText


@dataclass(frozen=True)
class TextInLanguage:
    """A text, the target language it is read in, and the memory, configuration and glossary that go with it.

    `glossary` is None when the project has none: the PO file then names no terms.
    """

    text: SourceText
    language: str
    memory: TranslationMemory
    config: Config
    glossary: Glossary | None = None

    @property
    def source(self) -> str:
        """The language the text is written in (the project's source language)."""
        return self.config.source_language
