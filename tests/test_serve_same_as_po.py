"""A decision made on the review pages prints exactly as the same decision imported from a PO file.

One project is translated by real Apertium and copied. In one copy, Ana approves
a sentence with her fix and saves a draft of another on the review pages; in
the other, she makes the same changes in the PO file and an organizer imports
it. After the next `translate run` and `translate handouts`, the Markdown, the
PO files and the handouts of both copies are the same, byte for byte but for
the PO headers' two dates (they say when each copy's run happened, which may be
a minute apart), and the review log differs only in how the decisions came
("via browser", "via po").
"""

from __future__ import annotations

import polib
import pytest
from project_factory import Project
from readers import po_entry
from serve_helpers import csrf_of, invite, sign_in
from starlette.testclient import TestClient
from typer.testing import CliRunner

from translate.cli import app as cli
from translate.serve.app import build_app
from translate.texts import load_texts

pytestmark = [pytest.mark.slow, pytest.mark.apertium]

ESSAY = "the-virtual-factory"
FIX = "Las fábricas fueron diseñadas por los capitalistas como recintos panópticos de explotación."
DRAFT = "No obstante, socializaron a los obreros y se convirtieron en lugares de organización y lucha."


def translate(project: Project, *args: str) -> str:
    done = CliRunner().invoke(cli, [*args, "--config", str(project / "translate.toml")])
    assert done.exit_code == 0, done.output
    return done.output


DATES = (b'"POT-Creation-Date:', b'"PO-Revision-Date:')


def two_sentences(project: Project) -> tuple:
    text = next(t for t in load_texts(project.config) if t.stem == ESSAY)
    return text.document.segments[1], text.document.segments[2]


def decide_in_the_browser(project: Project) -> None:
    client = TestClient(build_app(project.config))
    sign_in(client, invite(project, "Ana"))
    for segment, action, text in zip(two_sentences(project), ("approve", "save"), (FIX, DRAFT), strict=True):
        url = f"/review/es/{ESSAY}/{segment.source_hash}"
        page = client.get(url)
        base = page.text.split('name="base" value="', 1)[1].split('"', 1)[0]
        done = client.post(
            url, data={"action": action, "text": text, "base": base, "csrf_token": csrf_of(page.text)}, follow_redirects=False
        )
        assert done.status_code == 303, done.text


def decide_in_a_po_file(project: Project) -> None:
    path = project / "outputs" / "es" / f"{ESSAY}.po"
    po = polib.pofile(str(path))
    approved, drafted = (po_entry(po, s.text) for s in two_sentences(project))
    approved.msgstr = FIX
    approved.flags.remove("fuzzy")
    drafted.msgstr = DRAFT  # still fuzzy: a draft
    po.save(str(path))
    translate(project, "review", "import", str(path), "--reviewer", "Ana")


def printed(project: Project) -> dict[str, bytes]:
    translate(project, "run")
    translate(project, "handouts", "--lang", "es", "--no-pdf", "--force")  # Apertium's Spanish is a draft for review only
    folder = project / "outputs" / "es"
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in (".md", ".po", ".html")}
    return {name: b"\n".join(line for line in body.split(b"\n") if not line.startswith(DATES)) for name, body in files.items()}


def review_log(project: Project) -> list[tuple]:
    with project.memory() as memory:
        return [(d.source_hash, d.reviewer, d.status, d.final_text, d.via) for d in memory.review_log("en", "es")]


def test_browser_decisions_print_exactly_as_the_same_po_import(tmp_path, translated_essays):
    browser, first_run = translated_essays(tmp_path / "browser", ("es",))
    if first_run["languages"][0]["status"] != "ok":
        pytest.skip("no English→Spanish Apertium pair here (apt-get install apertium-eng-spa)")
    po = browser.copy_to(tmp_path / "po")
    decide_in_the_browser(browser)
    decide_in_a_po_file(po)

    by_browser, by_po = printed(browser), printed(po)
    assert set(by_browser) == set(by_po) and {".md", ".po", ".html"} <= {name[name.rfind(".") :] for name in by_po}
    for name in by_po:
        assert by_browser[name] == by_po[name], f"outputs/es/{name} differs between the browser and the PO import"
    essay = by_po[f"{ESSAY}.md"].decode("utf-8")
    assert FIX in essay and DRAFT not in essay  # the approval prints; a draft waits for a reviewer

    first, second = two_sentences(po)
    expected = [(first.source_hash, "Ana", "edited", FIX), (second.source_hash, "Ana", "draft", DRAFT)]
    assert sorted(row[:4] for row in review_log(browser)) == sorted(expected)
    assert sorted(row[:4] for row in review_log(po)) == sorted(expected)
    assert {row[4] for row in review_log(browser)} == {"browser"} and {row[4] for row in review_log(po)} == {"po"}
