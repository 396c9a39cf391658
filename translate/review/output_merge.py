"""git's merge of two branches' outputs: what a merge driver does with outputs/<lang>/<text>.md and .po.

The outputs are made from the memory, and the memory's text record merges by
itself (union merge, then a replay by the one decision rule). But when one
clone imported reviews and another ran the nightly job, every `.md` and `.po`
both had rewritten conflicted in git: a paragraph is one line, the front
matter's `status:` counts approvals, a PO entry's revision line follows its
text. So `make setup` installs this as git's merge driver for the outputs
(`.gitattributes`, `merge=translate-outputs`):

- a `.md` output is merged as text when git's own merge is clean, else this
  branch's copy is kept: it holds nothing of its own, and the next
  `translate run` writes it again from the merged memory;
- a `.po` file is merged entry by entry, never line by line (a line merge could
  pair one branch's text with the other's revision line, and an import would
  then read a decision nobody made): this branch's file, with every entry the
  other branch's file holds a reviewer's edit in (an edit not imported yet,
  told by its revision line) that this branch's does not. When both files hold
  different edits of one entry, that is a true conflict: git's conflict
  markers are written and the merge stops, as for any file.

Nothing of a person's is dropped: imported work is in the memory's record,
and edits not imported yet travel with their PO entry.
"""

from __future__ import annotations

import copy
import subprocess
from dataclasses import dataclass
from pathlib import Path

import polib

from translate.fileio import atomic_write_text
from translate.review.decisions import untouched
from translate.review.po_file import read_po, render_po


@dataclass(frozen=True)
class Merged:
    """What the driver did with one file: 'text' (git's line merge), 'ours' (kept, to be rebuilt),
    'entries' (PO entries merged), or 'conflict' (markers written, the merge stops)."""

    how: str
    detail: str = ""

    @property
    def clean(self) -> bool:
        return self.how != "conflict"


def _line_merge(ours: Path, base: Path, theirs: Path) -> tuple[bool, str]:
    """git's own three-way merge of the files (clean?, the merged text with any conflict markers)."""
    done = subprocess.run(
        ["git", "merge-file", "-p", "-L", "this branch", "-L", "base", "-L", "other branch", str(ours), str(base), str(theirs)],
        capture_output=True,
        text=True,
    )
    if done.returncode < 0 or done.returncode > 127:
        raise OSError(f"git merge-file failed: {done.stderr.strip()}")
    return done.returncode == 0, done.stdout


def _readable(path: Path) -> polib.POFile | None:
    try:
        return read_po(path) if path.stat().st_size else None
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _edited(entry: polib.POEntry | None) -> bool:
    """An entry holding a reviewer's edit not imported yet (its text, flag or comment differ from what it showed)."""
    return entry is not None and bool(entry.msgid) and not entry.obsolete and not untouched(entry)


def merge_po(ours: polib.POFile, theirs: polib.POFile) -> tuple[polib.POFile, list[str]]:
    """A copy of this branch's file with the other's unimported edits added; the msgids both edited differently."""
    merged = copy.copy(ours)  # the entries are shared, the list is new: `ours` stays as it was read
    mine = {e.msgid: e for e in ours if not e.obsolete}
    clashes = []
    for entry in theirs:
        if not _edited(entry):
            continue
        here = mine.get(entry.msgid)
        if here is None:
            merged.append(entry)
        elif not _edited(here):
            merged[merged.index(here)] = entry
        elif (here.msgstr, here.flags, here.tcomment) != (entry.msgstr, entry.flags, entry.tcomment):
            clashes.append(entry.msgid)
    return merged, clashes


def merge_output(base: Path, ours: Path, theirs: Path, name: str) -> Merged:
    """Merge the other branch's version of output `name` into `ours` (written in place), as git's driver."""
    clean, text = _line_merge(ours, base, theirs)
    if name.endswith(".po"):
        mine, other = _readable(ours), _readable(theirs)
        if mine is None or other is None:  # a side is empty (added on one branch) or broken: git's merge decides
            atomic_write_text(ours, text)
            return Merged("text") if clean else Merged("conflict", f"{name}: a side is not a readable PO file")
        merged, clashes = merge_po(mine, other)
        if clashes:
            atomic_write_text(ours, text)
            return Merged("conflict", f"{name}: both branches hold different edits, not imported yet, of {clashes[0][:60]!r}")
        atomic_write_text(ours, render_po(merged))
        return Merged("entries")
    if clean:
        atomic_write_text(ours, text)
        return Merged("text")
    return Merged("ours", f"{name}: both branches changed it; this branch's copy is kept until `translate run` rewrites it")
