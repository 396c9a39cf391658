"""Blocks of a plain text by line rules: headings, quotations, list items, dialogue, as the essays write them.

A `.txt` source has no markup, so its blocks are found from its lines: a list
number opens an item, a short first line without a final stop is the title, a
paragraph after one ending in ':' or after two blank lines is a quotation, and
lines opening with a speaker's name next to another such line are a dialogue.
(A Markdown source is read by markdown-it-py instead: translate/markdown.py.)
Every rule looks at a bounded number of neighbouring lines, so reading is linear
in the text's size.
"""

from __future__ import annotations

import re
from typing import Literal

PlainKind = Literal["heading", "paragraph", "list_item", "quote", "dialogue"]

HEADING = re.compile(r"^(#{1,6}[ \t]+)")
LIST_ITEM = re.compile(r"^([ \t]*(?:\d{1,3}[.)]|[-*+])[ \t]+)")
QUOTE = re.compile(r"^([ \t]*>[ \t]?)")
SPEAKER = re.compile(r"^((?:[A-Z][\w’'.-]*)(?: [A-Z][\w’'.-]*){0,2}:[ \t]+)(?=\S)")

Group = tuple[tuple[int, int], list[str] | None]


def group_lines(lines: list[str]) -> list[Group]:
    """Runs of blank lines (None) and of block lines; list items start new blocks."""
    groups: list[Group] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            groups.append(((i, j), None))
            i = j
            continue
        j = i + 1
        starts_item = bool(LIST_ITEM.match(lines[i])) and not _is_rule(lines[i])
        first_is_heading = bool(HEADING.match(lines[i]))
        first_is_quote = bool(QUOTE.match(lines[i]))
        first_is_speaker = bool(SPEAKER.match(lines[i]))
        while j < len(lines) and lines[j].strip():
            line = lines[j]
            if first_is_heading or HEADING.match(line):
                break
            if LIST_ITEM.match(line) and not _is_rule(line):
                break
            if QUOTE.match(line) and not first_is_quote:
                break
            if not starts_item and first_is_speaker and SPEAKER.match(line):
                break
            j += 1
        groups.append(((i, j), lines[i:j]))
        i = j
    return groups


def _is_rule(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= 3 and set(stripped) <= {"-", "*", "_", " "}


class BlockContext:
    """What classifying a block needs from its neighbours, computed once for all groups.

    For each content group: the content group before it, and whether a content
    neighbour (before or after) starts with a speaker name. Looking these up per
    block instead of scanning all groups keeps parsing linear.
    """

    def __init__(self, groups: list[Group]) -> None:
        content = [n for n, (_, group) in enumerate(groups) if group is not None]
        speaker = {n: bool(SPEAKER.match(group[0])) for n, (_, group) in enumerate(groups) if group is not None}
        self.previous: dict[int, list[str] | None] = {}
        self.speaker_nearby: dict[int, bool] = {}
        for order, n in enumerate(content):
            before = content[order - 1] if order else None
            after = content[order + 1] if order + 1 < len(content) else None
            self.previous[n] = groups[before][1] if before is not None else None
            self.speaker_nearby[n] = any(speaker[k] for k in (before, after) if k is not None)


def classify(group: list[str], fmt: str, n: int, context: BlockContext, blank_run_before: int) -> tuple[PlainKind, str]:
    first = group[0]
    if fmt == "md":
        if m := HEADING.match(first):
            return "heading", m.group(1)
        if m := QUOTE.match(first):
            return "quote", m.group(1)
    if (m := LIST_ITEM.match(first)) and not _is_rule(first):
        return "list_item", m.group(1)
    if (m := SPEAKER.match(first)) and context.speaker_nearby[n]:
        return "dialogue", m.group(1)
    if fmt == "txt":
        previous = context.previous[n]
        if previous is None and len(group) == 1 and not first.rstrip().endswith((".", "!", "?", ":")):
            return "heading", ""
        if previous and previous[-1].rstrip().endswith(":") and previous[0][:1] != " ":
            return "quote", ""
        if blank_run_before >= 2:
            return "quote", ""
    return "paragraph", ""
