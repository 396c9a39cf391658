"""Write translate/finish/cldr_delimiters.py from CLDR's locale data.

Babel ships CLDR's names, dates and numbers but not its quotation marks
(`<delimiters>`), so the typography stage reads them from a small table made by
this script from Debian's `unicode-cldr-core` (CLDR's own XML files). Run it
again after a CLDR upgrade:

    python scripts/cldr_delimiters.py [/usr/share/unicode/cldr]

Locales without their own <delimiters> inherit their parent's (pt_PT overrides
pt, sr_Latn follows sr), as CLDR's inheritance rules say.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ElementTree  # a trusted system file, not outside input
from pathlib import Path

LOCALES = (
    "an",
    "ar",
    "ast",
    "bs",
    "ca",
    "cs",
    "de",
    "el",
    "en",
    "eo",
    "es",
    "eu",
    "fa",
    "fr",
    "gl",
    "he",
    "hr",
    "hu",
    "it",
    "ja",
    "ko",
    "nl",
    "oc",
    "pl",
    "pt",
    "pt_PT",
    "ro",
    "ru",
    "sk",
    "sl",
    "sr",
    "sr_Latn",
    "sv",
    "tr",
    "uk",
    "zh",
    "zh_Hant",
)
TARGET = Path(__file__).resolve().parents[1] / "translate" / "finish" / "cldr_delimiters.py"


def delimiters(main: Path, locale: str) -> tuple[str, str, str, str] | None:
    path = main / f"{locale}.xml"
    if not path.is_file():
        return None
    found = ElementTree.parse(path).getroot().find("delimiters")
    if found is None:
        return None
    marks = {child.tag: child.text or "" for child in found}
    keys = ("quotationStart", "quotationEnd", "alternateQuotationStart", "alternateQuotationEnd")
    return tuple(marks[k] for k in keys) if all(k in marks for k in keys) else None  # type: ignore[return-value]


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode/cldr")
    version = (root / "common" / "dtd" / "ldml.dtd").read_text(encoding="utf-8").split('cldrVersion CDATA #FIXED "')[1]
    version = version.split('"')[0]
    table: dict[str, tuple[str, str, str, str]] = {}
    for locale in LOCALES:
        marks = delimiters(root / "common" / "main", locale)
        parent = locale.rsplit("_", 1)[0] if "_" in locale else None
        if marks is None and parent in table:
            marks = table[parent]
        if marks is not None:
            table[locale] = marks
    lines = [
        f'"""Quotation marks per locale from CLDR {version} (`<delimiters>`), made by scripts/cldr_delimiters.py."""',
        "",
        f'CLDR_VERSION = "{version}"',
        "",
        "QUOTES: dict[str, tuple[str, str, str, str]] = {",
        "    # locale: (quotationStart, quotationEnd, alternateQuotationStart, alternateQuotationEnd)",
    ]
    lines += [f"    {locale!r}: {marks!r}," for locale, marks in table.items()]
    lines += ["}", ""]
    TARGET.write_text("\n".join(lines), encoding="utf-8")
    print(f"{TARGET}: {len(table)} locales from CLDR {version}")


if __name__ == "__main__":
    main()
