"""TMX 1.4 export and import, so the memory can travel to and from other CAT tools.

Export writes one <tu> per memory entry: a source <tuv> and a target <tuv> whose
<seg> is the entry's best text (the approved translation, else the machine one).
Everything else the memory knows rides along as props named x-translate-*
(status, signature, reviewer, notes, the machine text behind an approval, a
draft's text), so export then import into an empty memory gives equal entries.

Import rule for TUs from other tools (no x-translate-status prop): they are human
translations, so each becomes 'approved', credited to the TU's changeid, else its
creationid, else "tmx-import". An approved entry is never overwritten: an
incoming approved text that differs is reported as a conflict and left out.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from translate import __version__
from translate.clock import utc_now
from translate.config import LimitsOptions
from translate.errors import InputFileError, TranslateError, UsageError
from translate.fileio import atomic_write_bytes
from translate.human_input import describe_character, unfit_translation
from translate.languages import bcp47, check_code
from translate.memory.notes import Notes
from translate.memory.records import ENTRY_STATUSES, MemoryEntry, ReviewDecision
from translate.memory.store import TranslationMemory
from translate.segment import sentence_hash

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PROP_STATUS = "x-translate-status"
PROP_SIGNATURE = "x-translate-signature"
PROP_REVIEWER = "x-translate-reviewer"
PROP_NOTES = "x-translate-notes"
PROP_MACHINE = "x-translate-machine-text"  # machine text behind an approved or draft entry
PROP_DRAFT = "x-translate-draft-text"  # a draft's unapproved text
PROP_COMMENT = "x-translate-comment"  # the translator comment
PROP_COMMENT_BY = "x-translate-comment-by"
FOREIGN_REVIEWER = "tmx-import"

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TMX_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$")


@dataclass
class ImportConflict:
    """An approved entry whose text differs from an approved text in the TMX; the memory's text stays."""

    source_text: str
    source_lang: str
    target_lang: str
    memory_text: str
    tmx_text: str


@dataclass
class ImportSummary:
    units: int = 0  # <tu> elements read
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # kept the memory's reviewed/newer entry, or a <tu> without source and target
    conflicts: list[ImportConflict] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # units over the import limits, one line each

    def describe(self) -> str:
        return (
            f"{self.units} units: {self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped} skipped, {len(self.conflicts)} conflicts"
            + (f", {len(self.refused)} refused" if self.refused else "")
        )


def to_tmx_date(iso: str) -> str:
    """'2024-05-01T09:30:00Z' -> '20240501T093000Z'."""
    match = _ISO_DATE.match(iso)
    return "".join(match.groups()[:3]) + "T" + "".join(match.groups()[3:]) + "Z" if match else ""


def from_tmx_date(value: str | None) -> str | None:
    """'20240501T093000Z' -> '2024-05-01T09:30:00Z'; None for a missing or odd date."""
    match = _TMX_DATE.match(value or "")
    if not match:
        return None
    y, mo, d, h, mi, s = match.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}Z"


# -- export -------------------------------------------------------------------


@dataclass(frozen=True)
class TmxWrite:
    """What `export_tmx` wrote: how many <tu>, and a line for each entry it had to leave out."""

    units: int
    left_out: tuple[str, ...] = ()


def export_tmx(memory: TranslationMemory, path: Path | str, source_lang: str, target_lang: str | None = None) -> TmxWrite:
    """Write the entries from source_lang (into one or every target) as TMX 1.4.

    An entry holding a character XML cannot carry (an ESC from an old text) is
    left out, with a line saying which and why: one entry never stops the export
    of the whole memory.
    """
    targets = [target_lang] if target_lang else [t for s, t in memory.pairs() if s == source_lang]
    entries, left_out = [], []
    for entry in (entry for target in targets for entry in memory.entries(source_lang, target)):
        problem = _unwritable(entry)
        if problem is None:
            entries.append(entry)
        else:
            left_out.append(problem)
    newest = max((e.updated for e in entries), default="")
    root = ET.Element("tmx", version="1.4")
    header = ET.SubElement(
        root,
        "header",
        {
            "creationtool": "translate",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "translate-sqlite",
            "adminlang": "en",
            "srclang": bcp47(source_lang),
            "datatype": "plaintext",
        },
    )
    if newest:
        header.set("creationdate", to_tmx_date(newest))  # the data's date: an unchanged memory, same bytes
    body = ET.SubElement(root, "body")
    for entry in entries:
        body.append(_tu(entry))
    ET.indent(root, space="  ")
    xml = ET.tostring(root, encoding="unicode").replace("\r", "&#13;")  # a bare CR would read back as LF
    atomic_write_bytes(path, ('<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n").encode("utf-8"))
    return TmxWrite(len(entries), tuple(left_out))


def _tu(entry: MemoryEntry) -> ET.Element:
    tu = ET.Element("tu", tuid=f"{entry.source_hash}-{bcp47(entry.target_lang)}")
    tu.set("creationdate", to_tmx_date(entry.created))
    tu.set("changedate", to_tmx_date(entry.updated))
    if entry.reviewer:
        tu.set("changeid", entry.reviewer)
    props = [(PROP_STATUS, entry.status), (PROP_SIGNATURE, entry.signature)]
    if entry.reviewer:
        props.append((PROP_REVIEWER, entry.reviewer))
    if entry.notes.to_dict():
        props.append((PROP_NOTES, entry.notes.to_json()))
    if entry.status != "machine" and entry.machine_text is not None:
        props.append((PROP_MACHINE, entry.machine_text))
    if entry.status == "draft" and entry.final_text is not None:
        props.append((PROP_DRAFT, entry.final_text))
    if entry.comment:
        props += [(PROP_COMMENT, entry.comment), (PROP_COMMENT_BY, entry.comment_by)]
    for kind, text in props:
        ET.SubElement(tu, "prop", type=kind).text = _xml_text(text, entry)
    for lang, text in ((entry.source_lang, entry.source_text), (entry.target_lang, entry.best_text)):
        tuv = ET.SubElement(tu, "tuv", {XML_LANG: bcp47(lang)})
        ET.SubElement(tuv, "seg").text = _xml_text(text, entry)
    return tu


def _xml_text(text: str, entry: MemoryEntry) -> str:
    if _NOT_XML.search(text):
        raise TranslateError(f"entry {entry.source_hash}: {_unwritable(entry)}")
    return text


def _unwritable(entry: MemoryEntry) -> str | None:
    """Why an entry cannot go into XML (a character XML cannot carry, in any of its texts), or None."""
    bad = _NOT_XML.search(
        "\n".join(
            [
                entry.source_text,
                entry.machine_text or "",
                entry.final_text or "",
                entry.reviewer,
                entry.signature,
                entry.comment or "",
                entry.notes.to_json(),
            ]
        )
    )
    if bad is None:
        return None
    source = _NOT_XML.sub("\N{REPLACEMENT CHARACTER}", " ".join(entry.source_text.split()))[:40]
    return (
        f"left out entry {entry.source_hash} ({entry.source_lang}>{entry.target_lang}, “{source}”): it holds "
        f"{describe_character(bad.group())}, which XML cannot carry"
    )


# -- import -------------------------------------------------------------------


def import_tmx(
    memory: TranslationMemory,
    path: Path | str,
    language_map: Mapping[str, str] | None = None,
    max_chars: int = LimitsOptions.max_import_chars,
) -> ImportSummary:
    """Merge a TMX file into the memory in one transaction; see the module docstring for the rules.

    `language_map` renames codes after normalizing, e.g. {'en_US': 'en'} for a
    tool that tags every sentence with a region. A unit whose texts are longer than
    `max_chars` (limits.max_import_chars) is refused and listed in `refused`.
    """
    path = Path(path)
    tu_count, units = _read_units(path, language_map or {})
    summary = ImportSummary(units=tu_count)
    current: dict[tuple[str, str, str], MemoryEntry | None] = {}
    for (src_lang, tgt_lang), texts in _group_by_pair(units).items():
        known = memory.lookup(texts, src_lang, tgt_lang)
        for text in texts:
            current[(sentence_hash(text), src_lang, tgt_lang)] = known.get(text)
    writes: dict[tuple[str, str, str], MemoryEntry] = {}
    before = dict(current)
    for incoming in units:
        if incoming is None:
            summary.skipped += 1
            continue
        problem = next(
            filter(
                None,
                (
                    unfit_translation(text or "", max_chars)
                    for text in (incoming.source_text, incoming.machine_text, incoming.final_text)
                ),
            ),
            None,
        )
        if problem:
            summary.refused.append(f"{path.name}: {incoming.target_lang} “{incoming.source_text[:40]}…”: {problem}")
            continue
        key = (incoming.source_hash, incoming.source_lang, incoming.target_lang)
        outcome, merged = _merge(current[key], incoming, summary)
        if merged is None:
            continue
        if outcome == "added":
            summary.added += 1
        else:
            summary.updated += 1
        current[key] = writes[key] = merged
    _record(memory, path, writes, before, summary)
    return summary


def _record(
    memory: TranslationMemory,
    path: Path,
    writes: dict[tuple[str, str, str], MemoryEntry],
    before: Mapping[tuple[str, str, str], MemoryEntry | None],
    summary: ImportSummary,
) -> None:
    """Machine texts to the drafts (saying where they came from), people's texts as decisions via TMX; one
    transaction. A decision the memory refuses (another person's newer decision holds the entry) is a conflict."""
    drafts: dict[tuple[str, str], list[dict]] = {}
    decisions = []
    for key, merged in writes.items():
        old = before.get(key)
        if merged.machine_text is not None and (old is None or old.machine_text != merged.machine_text):
            notes = replace(merged.notes, origin=f"imported from {path.name}")
            drafts.setdefault(key[1:], []).append(
                {
                    "hash": merged.source_hash,
                    "source": merged.source_text,
                    "machine": merged.machine_text,
                    "signature": merged.signature,
                    "notes": notes.to_dict(),
                    "created": merged.created,
                    "updated": merged.updated,
                }
            )
        if merged.status != "machine" and (
            old is None or (old.status, old.final_text, old.comment) != (merged.status, merged.final_text, merged.comment)
        ):
            status = (
                "draft" if merged.status == "draft" else ("approved" if merged.final_text == merged.machine_text else "edited")
            )
            decisions.append(
                ReviewDecision(
                    merged.source_hash,
                    merged.source_lang,
                    merged.target_lang,
                    merged.reviewer or FOREIGN_REVIEWER,
                    merged.updated,
                    merged.machine_text,
                    merged.final_text,
                    status,
                    note=f"imported from {path.name}",
                    source_text=merged.source_text,
                    via="tmx",
                )
            )
        if merged.comment and (old is None or old.comment != merged.comment):
            decisions.append(
                ReviewDecision(
                    merged.source_hash,
                    merged.source_lang,
                    merged.target_lang,
                    merged.comment_by or merged.reviewer or FOREIGN_REVIEWER,
                    merged.updated,
                    merged.machine_text,
                    None,
                    "comment",
                    note=f"imported from {path.name}",
                    source_text=merged.source_text,
                    via="tmx",
                    comment=merged.comment,
                )
            )
    with memory.transaction() as db:
        for (source, target), rows in drafts.items():
            memory.put_machine(db, rows, source, target)
            memory.write_drafts(source, target)
        recorded = memory.decide_in(db, [memory.checked_decision(d) for d in decisions])
    for decision in recorded:
        if decision.outcome == "conflict":
            held = memory.get(decision.source_text, decision.source_lang, decision.target_lang)
            summary.updated -= 1
            summary.conflicts.append(
                ImportConflict(
                    decision.source_text,
                    decision.source_lang,
                    decision.target_lang,
                    held.review_text if held else "",
                    decision.final_text or decision.comment or "",
                )
            )


def _group_by_pair(units: list[MemoryEntry | None]) -> dict[tuple[str, str], list[str]]:
    pairs: dict[tuple[str, str], list[str]] = {}
    for unit in units:
        if unit is not None:
            pairs.setdefault((unit.source_lang, unit.target_lang), []).append(unit.source_text)
    return pairs


def _merge(existing: MemoryEntry | None, incoming: MemoryEntry, summary: ImportSummary) -> tuple[str, MemoryEntry | None]:
    """Decide what one incoming entry does to the memory: ('added'|'updated', entry) or (_, None)."""
    if existing is None:
        return "added", incoming
    if _carried(existing) == _carried(incoming):
        summary.unchanged += 1
        return "", None
    if existing.status == "approved":
        if incoming.status == "approved" and incoming.final_text != existing.final_text:
            summary.conflicts.append(
                ImportConflict(
                    existing.source_text,
                    existing.source_lang,
                    existing.target_lang,
                    existing.final_text or "",
                    incoming.final_text or "",
                )
            )
        elif incoming.status == "approved":
            summary.unchanged += 1
        else:
            summary.skipped += 1
        return "", None
    if incoming.status == "machine":
        if existing.status == "machine" and incoming.updated > existing.updated:
            return "updated", replace(incoming, created=min(existing.created, incoming.created))
        summary.skipped += 1
        return "", None
    if existing.status == "draft" and incoming.status == "draft":
        summary.skipped += 1
        return "", None
    # A human's text arrives for an unreviewed (or draft) entry: take the review, keep what the memory knew.
    merged = replace(
        existing,
        status=incoming.status,
        final_text=incoming.final_text,
        reviewer=incoming.reviewer,
        updated=max(existing.updated, incoming.updated),
    )
    if incoming.machine_text is not None:
        merged = replace(merged, machine_text=incoming.machine_text, signature=incoming.signature, notes=incoming.notes)
    return "updated", merged


def _carried(entry: MemoryEntry) -> MemoryEntry:
    """What a TMX unit carries of an entry (not how a decision arrived, who wrote its text, nor where a machine
    text came from)."""
    return replace(entry, via="", decision_id="", translator="", needs_work=False, notes=replace(entry.notes, origin=None))


def _read_units(path: Path, language_map: Mapping[str, str]) -> tuple[int, list[MemoryEntry | None]]:
    """The <tu> count, and one entry per (tu, target tuv) with None for a tu lacking source or target."""
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as err:
        raise UsageError(f"{path}: malformed TMX ({err})") from None
    header, body = root.find("header"), root.find("body")
    if root.tag != "tmx" or header is None or body is None:
        raise UsageError(f"{path}: not a TMX file (expected <tmx> with <header> and <body>)")

    def lang(code: str | None) -> str:
        if not code or code == "*all*":
            return ""
        try:
            code = check_code(code)
        except TranslateError as err:
            raise UsageError(f"{path}: {err}; nothing was imported") from None
        return language_map.get(code, code)

    default_src = lang(header.get("srclang"))
    units: list[MemoryEntry | None] = []
    number = 0
    for number, tu in enumerate(body.iter("tu"), 1):
        tuvs = [
            (lang(tuv.get(XML_LANG) or tuv.get("lang")), "".join(seg.itertext()))
            for tuv in tu.findall("tuv")
            if (seg := tuv.find("seg")) is not None
        ]
        src_lang = lang(tu.get("srclang")) or default_src
        source = next((t for t in tuvs if t[0] == src_lang), tuvs[0] if tuvs else None)
        targets = [t for t in tuvs if t is not source and t[0] and t[0] != source[0]] if source else []
        if source is None or not source[0] or not source[1] or not targets:
            units.append(None)
            continue
        props = {p.get("type", ""): p.text or "" for p in tu.findall("prop")}
        for target_lang, text in targets:
            units.append(_unit(path, number, tu, props, source, target_lang, text))
    return number, units


def _unit(
    path: Path,
    number: int,
    tu: ET.Element,
    props: dict[str, str],
    source: tuple[str, str],
    target_lang: str,
    text: str,
) -> MemoryEntry:
    created = from_tmx_date(tu.get("creationdate")) or utc_now()
    updated = from_tmx_date(tu.get("changedate")) or created
    base = MemoryEntry(
        sentence_hash(source[1]),
        source[0],
        target_lang,
        source[1],
        None,
        "",
        "approved",
        text,
        tu.get("changeid") or tu.get("creationid") or FOREIGN_REVIEWER,
        Notes(),
        created,
        updated,
    )
    status = props.get(PROP_STATUS)
    if status is None:
        return base  # another tool's human translation
    if status not in ENTRY_STATUSES:
        raise UsageError(f"{path}: <tu> {number} has unknown {PROP_STATUS} '{status}'")
    try:
        notes = json.loads(props[PROP_NOTES]) if props.get(PROP_NOTES) else {}
    except json.JSONDecodeError:
        raise UsageError(f"{path}: <tu> {number} has a {PROP_NOTES} prop that is not JSON") from None
    machine = {"machine": text, "approved": props.get(PROP_MACHINE), "draft": props.get(PROP_MACHINE)}
    final = {"machine": None, "approved": text, "draft": props.get(PROP_DRAFT, text)}
    return replace(
        base,
        status=status,
        signature=props.get(PROP_SIGNATURE, ""),
        reviewer=props.get(PROP_REVIEWER, ""),
        notes=Notes.from_dict(notes) if isinstance(notes, dict) else Notes(other={"value": notes}),
        machine_text=machine[status],
        final_text=final[status],
        comment=props.get(PROP_COMMENT, ""),
        comment_by=props.get(PROP_COMMENT_BY, ""),
    )
