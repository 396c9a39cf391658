"""Write translate/plural_forms.py: the Plural-Forms header of every language the project knows.

A PO header's Plural-Forms is taken from GNU gettext's own table, as `msginit`
writes it (Spanish `nplurals=2; plural=(n != 1);`, French `nplurals=2;
plural=(n > 1);`), never from whatever Babel is installed: Babel 2.19 follows a
newer CLDR that gives Spanish and French a third form, and a header that moves
with a library upgrade rewrites every committed PO file. Run this again after a
gettext upgrade (tests/test_plural_forms.py says when msginit disagrees):

    python scripts/plural_forms.py

gettext's table is short. For a language it lacks (Catalan, Galician, Bosnian,
Chinese...), msginit writes no Plural-Forms at all; the value here is then the one
in Translate Toolkit's language table (`translate/lang/data.py`, what Pootle and
Virtaal write), spelled as msginit spells its own entries: the whole expression
in parentheses unless it is a bare number.
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

TARGET = ROOT / "translate" / "plural_forms.py"

SERBO_CROATIAN = ("sr", "sr_Latn", "hr", "bs")
"""Apertium's 'hbs' serves these three; each gets its own header."""

CONFIGURED = ("zh", "zt", "ar", "de", "pt_BR", "pt_PT", "zh_Hant")
"""Languages beyond the Apertium pairs and CLDR tables: the Argos models' and the example translate.toml's."""

TRANSLATE_TOOLKIT = {
    "af": "nplurals=2; plural=(n != 1);",
    "an": "nplurals=2; plural=(n != 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    "ast": "nplurals=2; plural=(n != 1);",
    "br": "nplurals=2; plural=(n > 1);",
    "bs": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ca": "nplurals=2; plural=(n != 1);",
    "eu": "nplurals=2; plural=(n != 1);",
    "fa": "nplurals=2; plural=(n > 1);",
    "gl": "nplurals=2; plural=(n != 1);",
    "hi": "nplurals=2; plural=(n != 1);",
    "id": "nplurals=1; plural=0;",
    "is": "nplurals=2; plural=(n != 1);",
    "mk": "nplurals=2; plural=(n==1 || n%10==1 ? 0 : 1);",
    "ms": "nplurals=1; plural=0;",
    "oc": "nplurals=2; plural=(n > 1);",
    "sc": "nplurals=2; plural=(n != 1);",
    "szl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ur": "nplurals=2; plural=(n != 1);",
    "zh": "nplurals=1; plural=0;",
    "zh_Hant": "nplurals=1; plural=0;",
    "zt": "nplurals=1; plural=0;",
}
"""Languages gettext's table lacks, from Translate Toolkit's `languages` (its zh_CN, zh_TW for zh, zt, zh_Hant)."""

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
        elif code not in TRANSLATE_TOOLKIT:
            sys.exit(f"{code}: gettext's table lacks it; add it to TRANSLATE_TOOLKIT in {Path(__file__).name}")
    others = {code: value for code, value in TRANSLATE_TOOLKIT.items() if code not in from_gettext}
    version = gettext_version()
    lines = [
        f'"""Plural-Forms headers: GNU gettext {version}\'s own (as msginit writes them), made by scripts/plural_forms.py.',
        "",
        "Languages gettext's table lacks take Translate Toolkit's value (`NOT_IN_GETTEXT`).",
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
