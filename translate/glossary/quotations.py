"""Published quotations: a passage an essay quotes is given in its published translation, never to an engine.

A glossary file's `[[quotation]]` tables hold a passage in the source language
(with the wordings an essay may quote it in), its published translation per
language, and the edition each was published in. A sentence matches a
quotation when it is the passage whole, case, punctuation and spacing aside
("The theoretical conclusions of the Communists are in no way based..."). The
run then takes the published text as it stands, like an approved memory entry
(no engine, no finishing), and says so in the PO comment and on the handout.
"""

from __future__ import annotations

import re

from translate.glossary.model import Glossary, Quotation

_NOT_WORD = re.compile(r"[\W_]+")


def normalized(text: str) -> str:
    """A passage as quotations are compared: lower case, its words only."""
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


_INDEXES: dict[tuple[str, str], dict[str, Quotation]] = {}


def _index(glossary: Glossary, source: str) -> dict[str, Quotation]:
    """The quotations by their normalized source texts, once per glossary version (its content's hash)."""
    key = (glossary.version, source)
    if key not in _INDEXES:
        _INDEXES[key] = {normalized(text): q for q in glossary.quotations for text in q.texts.get(source, ())}
    return _INDEXES[key]


def quotation_for(sentence: str, glossary: Glossary, source: str, target: str) -> Quotation | None:
    """The quotation a sentence is, when it has a published translation in `target`."""
    if not glossary.quotations:
        return None
    found = _index(glossary, source).get(normalized(sentence))
    return found if found is not None and found.text(target) else None
