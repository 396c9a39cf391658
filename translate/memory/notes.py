"""Notes: what the memory keeps beside a machine translation, as one typed record.

The run stage writes them (glossary violations, whether a reviewer must look),
the memory adds the machine texts a new engine replaced, and the review and
publish stages read them (PO comments, `translate status`). In the file they
are one JSON object per entry (`entries.notes`), and that JSON round-trips
exactly: a field left at None is absent from it, a key this version does not
know, or a value of a shape it does not expect, is kept in `other` and written
back as it was. So an entry written by an older or newer version, or imported
from TMX, is never changed by being read.

To add a field: declare it below with the default None, give `_READERS` a
function that turns its JSON into the field's value or returns None for a
shape it does not accept (the raw value then stays in `other`), and, if the
field's value is not plain JSON, give `_WRITERS` the inverse. Nothing else
changes: old entries simply lack the key.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class GlossaryViolation:
    """A glossary term a translation does not render as the glossary says."""

    concept: str
    expected: str
    message: str

    def __str__(self) -> str:
        return f"{self.concept}: {self.message}"


@dataclass
class Notes:
    """The notes of one memory entry; see the module docstring for the JSON rules."""

    violations: list[GlossaryViolation] | None = None  # glossary problems the run stage found
    flagged: bool | None = None  # a reviewer must look: a glossary term is still missing
    earlier_machine: list[str] | None = None  # machine texts a newer engine output replaced, oldest first
    other: dict[str, Any] = field(default_factory=dict)  # keys (or shapes) this version does not know

    @property
    def needs_review(self) -> bool:
        """Whether the run stage asked a person to look at this sentence."""
        return bool(self.flagged or self.violations)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Notes:
        values: dict[str, Any] = {}
        other: dict[str, Any] = {}
        for key, raw in data.items():
            value = _READERS[key](raw) if key in _READERS else None
            if value is None:
                other[key] = raw
            else:
                values[key] = value
        return cls(**values, other=other)

    @classmethod
    def from_json(cls, text: str) -> Notes:
        data = json.loads(text) if text else {}
        return cls.from_dict(data) if isinstance(data, dict) else cls(other={"value": data})

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.other)
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "other" and value is not None:
                data[f.name] = _WRITERS.get(f.name, lambda v: v)(value)
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)


def _read_bool(raw: Any) -> bool | None:
    return raw if isinstance(raw, bool) else None


def _read_strings(raw: Any) -> list[str] | None:
    return list(raw) if isinstance(raw, list) and all(isinstance(x, str) for x in raw) else None


def _read_violations(raw: Any) -> list[GlossaryViolation] | None:
    names = {f.name for f in fields(GlossaryViolation)}
    if not isinstance(raw, list) or not all(
        isinstance(item, dict) and set(item) == names and all(isinstance(v, str) for v in item.values()) for item in raw
    ):
        return None
    return [GlossaryViolation(**item) for item in raw]


_READERS: dict[str, Callable[[Any], Any]] = {
    "violations": _read_violations,
    "flagged": _read_bool,
    "earlier_machine": _read_strings,
}
_WRITERS: dict[str, Callable[[Any], Any]] = {"violations": lambda vs: [asdict(v) for v in vs]}
