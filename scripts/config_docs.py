"""Write the README's configuration table and translate.toml's comments from translate/config.py.

Each option is written once, as a field of translate/config.py with its default,
help and range (`option(...)`); this script renders the two places people read
them. Like cog in sqlite-utils, the README keeps the table between two markers and
the script rewrites only what lies between them. translate.toml keeps the
project's own values (its targets, any key set to something else) and gets every
key's help as a comment above it, with the default beside a value that differs.

    python scripts/config_docs.py          # rewrite both files (`make docs`)
    python scripts/config_docs.py --check  # exit 1 if either is stale (`make lint`, CI)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

from translate.config import CONFIG_NAME, OPTIONS, SECTIONS, Option, load_config
from translate.fileio import atomic_write_text

REPO = Path(__file__).resolve().parents[1]
BEGIN = "<!-- configuration table: generated from translate/config.py by `make docs` -->"
END = "<!-- end of the configuration table -->"
STALE = "{names} stale: run make docs (the options' help and ranges live in translate/config.py)"

TOML_HEADER = """\
# Configuration of the translate pipeline. Every key is optional; the values
# below are the defaults unless marked. `translate run` reads this file from the
# current folder or the nearest parent.
#
# The comments are generated from translate/config.py (`make docs`): change a
# value here freely, and an option's help there.
"""
PROJECT_HELP = "What is translated into which languages, and where texts, outputs and the memory live."
WIDTH = 100


# ---------------------------------------------------------------- the README's table


def _number(value: float) -> str:
    """10000000 -> '10 000 000' (as the README writes numbers), 8000 -> '8000', 0.9 -> '0.9'."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:g}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return f"{value:,}".replace(",", " ") if abs(value) >= 10_000 else str(value)


def _shown_default(value: Any) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, list):
        return f"`{toml_value(value)}`"
    return f"`{value}`" if value else ""


def _shown_range(option: Option) -> str:
    if option.bounds is None:
        return ""
    low, high = (int(end) if float(end).is_integer() else end for end in option.bounds[:2])
    return f"{_number(low)}–{_number(high)}"


def readme_table(options: tuple[Option, ...] = OPTIONS) -> str:
    """The Markdown table of every option: key, default, range and meaning."""
    rows = ["| key | default | range | meaning |", "| --- | --- | --- | --- |"]
    for option in options:
        meaning = option.help.replace("|", "\\|")
        rows.append(f"| `{option.key}` | {_shown_default(option.default)} | {_shown_range(option)} | {meaning} |")
    return "\n".join(rows) + "\n"


def with_table(readme: str, table: str) -> str:
    """The README with the text between the markers replaced by `table`."""
    head, begin, rest = readme.partition(BEGIN)
    body, end, tail = rest.partition(END)
    if not begin or not end:
        raise SystemExit(f"README.md has no configuration table markers ({BEGIN} ... {END})")
    return f"{head}{BEGIN}\n{table}{END}{tail}"


# ---------------------------------------------------------------- translate.toml


def toml_value(value: Any) -> str:
    """A TOML literal: strings quoted (JSON's escapes are TOML's), 10000 and above with underscores."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:_}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _comment(text: str) -> list[str]:
    """`text` as comment lines, never broken inside `code` (a command split over two lines reads wrong)."""
    kept = re.sub(r"`[^`]*`", lambda code: code.group(0).replace(" ", "\0"), text)
    lines = textwrap.wrap(kept, WIDTH - 2, initial_indent="# ", subsequent_indent="# ", break_on_hyphens=False)
    return [line.replace("\0", " ") for line in lines]


def _table_help(section: str) -> str:
    """A table's description: its class docstring without the '[engine]: ' it starts with."""
    if section == "project":
        return PROJECT_HELP
    doc = " ".join((SECTIONS[section].__doc__ or "").split())
    return _capital(doc.split(": ", 1)[1] if doc.startswith(f"[{section}]:") else doc)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _key_comment(option: Option, value: Any) -> list[str]:
    """The option's help, and its default where the file sets another value."""
    lines = _comment(option.help)
    return lines if value == option.default else [*lines, f"# default: {toml_value(option.default)}"]


def toml_text(values: dict[str, Any], options: tuple[Option, ...] = OPTIONS) -> str:
    """translate.toml: every key with the file's value (else its default), its help above it."""
    lines = [TOML_HEADER.rstrip("\n")]
    section = ""
    for option in options:
        table = values.get(option.section, {})
        if not option.name:  # the [languages] table: its help, then its entries as the file has them
            lines += ["", f"[{option.section}]", *_comment(_capital(option.help))]
            lines += [f"{code} = {toml_value(choice)}" for code, choice in table.items()]
            continue
        if option.section != section:  # the table's description stands apart from its first key's
            section = option.section
            lines += ["", f"[{section}]", *_comment(_table_help(section)), ""]
        value = table.get(option.name, option.default)
        lines += [*_key_comment(option, value), f"{option.name} = {toml_value(value)}"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- both files


def rendered(root: Path) -> dict[Path, str]:
    """What README.md and translate.toml under `root` should hold."""
    config_path = root / CONFIG_NAME
    load_config(config_path)  # a bad value or an unknown key is an error here, not a silently dropped line
    values = tomllib.loads(config_path.read_text(encoding="utf-8"))
    readme_path = root / "README.md"
    return {
        readme_path: with_table(readme_path.read_text(encoding="utf-8"), readme_table()),
        config_path: toml_text(values),
    }


def stale(root: Path) -> list[str]:
    """The files under `root` that differ from what they should hold (their names)."""
    return [path.name for path, text in rendered(root).items() if path.read_text(encoding="utf-8") != text]


def main(argv: list[str] | None = None, root: Path = REPO) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md or translate.toml is stale")
    args = parser.parse_args(argv)
    if args.check:
        names = stale(root)
        if names:
            print(STALE.format(names=" and ".join(names) + (" are" if len(names) > 1 else " is")), file=sys.stderr)
            return 1
        return 0
    for path, text in rendered(root).items():
        if atomic_write_text(path, text):  # False: it already held this text
            print(f"wrote {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
