"""The Plural-Forms table PO headers are written from: gettext's own, checked against msginit.

scripts/plural_forms.py made translate/plural_forms.py from msginit once; these
tests run msginit again, so a gettext that disagrees (or learns a language the
table took elsewhere) fails here with the command that regenerates the table.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from translate import languages
from translate.plural_forms import FROM_GETTEXT, NOT_IN_GETTEXT, PLURAL_FORMS

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "plural_forms.py"
REGENERATE = "run `python scripts/plural_forms.py` and commit translate/plural_forms.py"


def _script():
    spec = importlib.util.spec_from_file_location("plural_forms_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.gettext
def test_the_table_is_what_msginit_writes_for_every_language_the_project_knows():
    script = _script()
    known = script.known_languages()
    assert set(known) <= set(PLURAL_FORMS), f"languages without a Plural-Forms: {set(known) - set(PLURAL_FORMS)}"
    found = {code: script.msginit_plural_forms(code) for code in known}
    assert {code: value for code, value in found.items() if value is not None} == FROM_GETTEXT, REGENERATE
    assert not {code for code in NOT_IN_GETTEXT if found.get(code)}, f"gettext now knows these: {REGENERATE}"


def test_a_po_header_names_the_tables_rule_for_every_configured_target():
    for code in ["es", "ca", "gl", "eo", "pt", "fr", "it", "oc", "ast", "an", "sr", "hr", "bs", "de", "ru", "zh", "ar"]:
        assert languages.plural_forms(code) == PLURAL_FORMS[code]
    assert languages.plural_forms("hbs") == PLURAL_FORMS["sr"]
    assert languages.plural_forms("xx") == languages.DEFAULT_PLURAL_FORMS  # gettext's default without a header
