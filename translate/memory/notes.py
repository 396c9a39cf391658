"""Notes: what the memory keeps beside a machine translation, as one typed record.

The run stage writes them (glossary violations, the quality checks' signals,
whether a reviewer must look),
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


@dataclass(frozen=True)
class Signal:
    """One quality check's finding on a machine translation (see translate/checks/).

    `check` is the check's id, `reason` a few words a reviewer reads ("unknown
    words"), `words` the words involved, `weight` how much it adds to the
    sentence's score, `hop` the step of a pivot route it comes from ('es>fr').
    """

    check: str
    reason: str
    words: tuple[str, ...] = ()
    weight: float = 1.0
    hop: str = ""

    def __str__(self) -> str:
        where = f" ({self.hop})" if self.hop else ""
        return f"{self.reason}{where}: {', '.join(self.words)}" if self.words else f"{self.reason}{where}"


@dataclass
class Notes:
    """The notes of one memory entry; see the module docstring for the JSON rules."""

    violations: list[GlossaryViolation] | None = None  # glossary problems the run stage found
    flagged: bool | None = None  # a reviewer must look: a glossary term is still missing
    earlier_machine: list[str] | None = None  # machine texts a newer engine output replaced, oldest first
    signals: list[Signal] | None = None  # what the quality checks found in the machine text
    origin: str | None = None  # where a machine text came from when no run of ours made it ("imported from x.tmx")
    draft: str | None = None  # the engine's text before finishing (typography, spelling), when they differ
    finished: str | None = None  # the finishing rules the machine text was made with (translate.finish)
    left_untranslated: str | None = None  # why the run kept the source text (too long to cut, degenerate output)
    quotation: str | None = None  # the edition a published translation was taken from (glossary [[quotation]])
    engine_text: str | None = None  # the engine's own output for the draft, when the glossary layer or finishing changed it
    engine_marks: list[tuple[str, str, str]] | None = None  # the engine's doubts (kind, word, hop): [] = none; kept so a
    # new version of the checks re-checks the stored draft instead of translating it again
    measures: dict[str, float] | None = None  # what independent engines say of the draft (translate.run.crosscheck)
    other: dict[str, Any] = field(default_factory=dict)  # keys (or shapes) this version does not know

    @property
    def needs_review(self) -> bool:
        """Whether the run stage asked a person to look at this sentence."""
        return bool(self.flagged or self.violations or self.left_untranslated)

    @property
    def score(self) -> float:
        """How much the machine text needs a person: the weights of its signals added up."""
        return round(sum(s.weight for s in self.signals or ()), 2)

    @property
    def reasons(self) -> list[str]:
        """The signals as short lines, heaviest first: 'unknown words: exploitative, panopticon'."""
        return [str(s) for s in sorted(self.signals or (), key=lambda s: -s.weight)]

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


def _read_signals(raw: Any) -> list[Signal] | None:
    """Signals exactly as `_write_signals` writes them (else None: kept raw, so they round-trip)."""
    if not isinstance(raw, list):
        return None
    signals = []
    for item in raw:
        if not (
            isinstance(item, dict)
            and set(item) - {"hop"} == {"check", "reason", "words", "weight"}
            and isinstance(item["check"], str)
            and isinstance(item["reason"], str)
            and isinstance(item["words"], list)
            and all(isinstance(w, str) for w in item["words"])
            and isinstance(item["weight"], float)
            and (isinstance(item.get("hop"), str) and item["hop"] if "hop" in item else True)
        ):
            return None
        signals.append(Signal(item["check"], item["reason"], tuple(item["words"]), item["weight"], item.get("hop", "")))
    return signals


def _write_signals(signals: list[Signal]) -> list[dict[str, Any]]:
    out = []
    for s in signals:
        item: dict[str, Any] = {"check": s.check, "reason": s.reason, "words": list(s.words), "weight": float(s.weight)}
        if s.hop:
            item["hop"] = s.hop
        out.append(item)
    return out


def _read_marks(raw: Any) -> list[tuple[str, str, str]] | None:
    if not isinstance(raw, list) or not all(
        isinstance(item, list) and len(item) == 3 and all(isinstance(x, str) for x in item) for item in raw
    ):
        return None
    return [(kind, word, hop) for kind, word, hop in raw]


def _read_measures(raw: Any) -> dict[str, float] | None:
    if not isinstance(raw, dict) or not all(isinstance(v, float) for v in raw.values()):
        return None
    return dict(raw)


_READERS: dict[str, Callable[[Any], Any]] = {
    "violations": _read_violations,
    "signals": _read_signals,
    "flagged": _read_bool,
    "earlier_machine": _read_strings,
    "origin": lambda raw: raw if isinstance(raw, str) else None,
    "draft": lambda raw: raw if isinstance(raw, str) else None,
    "finished": lambda raw: raw if isinstance(raw, str) else None,
    "left_untranslated": lambda raw: raw if isinstance(raw, str) and raw else None,
    "quotation": lambda raw: raw if isinstance(raw, str) and raw else None,
    "engine_text": lambda raw: raw if isinstance(raw, str) and raw else None,
    "engine_marks": _read_marks,
    "measures": _read_measures,
}
_WRITERS: dict[str, Callable[[Any], Any]] = {
    "violations": lambda vs: [asdict(v) for v in vs],
    "signals": _write_signals,
    "engine_marks": lambda marks: [list(m) for m in marks],
}
