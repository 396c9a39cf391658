"""Write translate/plural_forms.py: the Plural-Forms header of every language the project knows.

A PO header's Plural-Forms is taken from GNU gettext's own table, as `msginit`
writes it (Spanish `nplurals=2; plural=(n != 1);`, French `nplurals=2;
plural=(n > 1);`), never from whatever Babel is installed: Babel 2.19 follows a
newer CLDR that gives Spanish and French a third form, and a header that moves
with a library upgrade rewrites every committed PO file. Run this again after a
gettext upgrade (tests/test_plural_forms.py says when msginit disagrees):

    python scripts/plural_forms.py

gettext's table is short. For a language it lacks (Catalan, Galician, Bosnian,
Chinese...), msginit writes no Plural-Forms at all; the value is then the one in
Translate Toolkit's language table (`translate/lang/data.py`, what Pootle and
Virtaal write), spelled as msginit spells its own entries (the whole expression
in parentheses unless it is a bare number), kept by hand in NOT_IN_GETTEXT in
translate/plural_forms.py: this script writes those entries back as they are, and
stops at a language neither table has.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from translate.engines.apertium_packages import DEBIAN_PACKAGES  # noqa: E402  (the repository's own package)
from translate.finish.cldr_delimiters import QUOTES  # noqa: E402
from translate.plural_forms import NOT_IN_GETTEXT  # noqa: E402  (kept by hand, written back as it is)

TARGET = ROOT / "translate" / "plural_forms.py"

SERBO_CROATIAN = ("sr", "sr_Latn", "hr", "bs")
"""Apertium's 'hbs' serves these three; each gets its own header."""

CONFIGURED = ("zh", "zt", "ar", "de", "pt_BR", "pt_PT", "zh_Hant")
"""Languages beyond the Apertium pairs and CLDR tables: the Argos models' and the example translate.toml's."""

_POT = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'


def known_languages() -> list[str]:
    """Every language the project names: Apertium's pairs, the CLDR quotation table, the configured ones."""
    codes = {code for pair in DEBIAN_PACKAGES.values() for code in pair if code != "hbs"}
    codes |= set(QUOTES) | set(SERBO_CROATIAN) | set(CONFIGURED)
    return sorted(codes)


def msginit_plural_forms(code: str) -> str | None:
    """The Plural-Forms msginit writes for a language, or None where gettext's table lacks it."""
    done = subprocess.run(
        ["msginit", "--no-translator", "--no-wrap", "--locale", code, "--input", "-", "--output-file", "-"],
        input=_POT,
        capture_output=True,
        text=True,
        env={"LC_ALL": "C.UTF-8", "PATH": "/usr/local/bin:/usr/bin:/bin"},
        check=True,
    )
    found = re.search(r'^"Plural-Forms: (.*)\\n"$', done.stdout, re.MULTILINE)
    return found.group(1) if found else None


def gettext_version() -> str:
    first = subprocess.run(["msginit", "--version"], capture_output=True, text=True, check=True).stdout.splitlines()[0]
    return first.split()[-1]


def main() -> None:
    from_gettext: dict[str, str] = {}
    for code in known_languages():
        value = msginit_plural_forms(code)
        if value is not None:
            from_gettext[code] = value
        elif code not in NOT_IN_GETTEXT:
            sys.exit(f"{code}: gettext's table lacks it; add Translate Toolkit's value to NOT_IN_GETTEXT in {TARGET.name}")
    others = {code: value for code, value in NOT_IN_GETTEXT.items() if code not in from_gettext}
    version = gettext_version()
    lines = [
        f'"""Plural-Forms headers: GNU gettext {version}\'s own (as msginit writes them), made by scripts/plural_forms.py.',
        "",
        "Languages gettext's table lacks take Translate Toolkit's value (`NOT_IN_GETTEXT`, kept by hand: the script",
        "writes it back as it is).",
        '"""',
        "",
        f'GETTEXT_VERSION = "{version}"',
        "",
        "FROM_GETTEXT: dict[str, str] = {",
        *(f'    "{code}": "{value}",' for code, value in sorted(from_gettext.items())),
        "}",
        "",
        "NOT_IN_GETTEXT: dict[str, str] = {",
        *(f'    "{code}": "{value}",' for code, value in sorted(others.items())),
        "}",
        "",
        "PLURAL_FORMS: dict[str, str] = {**NOT_IN_GETTEXT, **FROM_GETTEXT}",
        "",
    ]
    TARGET.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(from_gettext)} languages from gettext, {len(others)} beyond it")


if __name__ == "__main__":
    main()
