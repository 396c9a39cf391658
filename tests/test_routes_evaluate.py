"""`translate routes evaluate`: candidates scored on a reference set in either layout, and the route file written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_process import cli

from translate.engines import route_file
from translate.errors import UsageError
from translate.review.references import read_references

SENTENCES = [
    (
        "f01",
        "These entities are viciously hostile to socialist organizing.",
        "Estas entidades son ferozmente hostiles a la organización socialista.",
    ),
    ("f02", "Use technology to break down language barriers.", "Use la tecnología para derribar las barreras lingüísticas."),
    ("f03", "Learn to use search effectively.", "Aprenda a buscar con eficacia."),
]


def write_set(folder: Path, layout: str) -> Path:
    folder.mkdir(parents=True)
    lines = ["# a reference set for the tests", "id\ten\tes" if layout == "id" else "en\tes"]
    lines += ["\t".join(row if layout == "id" else row[1:]) for row in SENTENCES]
    (folder / "es.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("layout", ["id", "plain"])
def test_both_layouts_are_read(tmp_path, layout):
    references = read_references(write_set(tmp_path / "set", layout) / "es.tsv")
    assert (references.name, references.language, len(references)) == ("set", "es", 3)
    assert references.sources[0] == SENTENCES[0][1] and references.translations[2] == SENTENCES[2][2]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("en\tfr\nA\tB\n", "the header names 'fr'"),
        ("en\tes\nA\n", "line 2 needs 2 non-empty"),
        ("id\ten\tes\nf1\tA\t \n", "line 2 needs 3 non-empty"),
        ("source\ttarget\nA\tB\n", "the header must be"),
    ],
)
def test_a_broken_references_file_is_one_line_naming_it(tmp_path, content, message):
    (tmp_path / "es.tsv").write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        read_references(tmp_path / "es.tsv")
    assert message in str(caught.value) and "es.tsv" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.apertium
def test_evaluate_scores_every_candidate_and_writes_the_route_file(project, tmp_path):
    project.configure(["es"])
    refs = write_set(tmp_path / "field", "id")
    done = cli(
        "routes",
        "evaluate",
        "--refs",
        str(refs),
        "--lang",
        "es",
        "--write",
        "--save",
        str(tmp_path / "drafts"),
        "--json",
        cwd=project,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    [spanish] = answer["languages"]
    routes = {r["route"]: r for r in spanish["routes"]}
    assert {"apertium:en>es", "bergamot:en>pt_BR + apertium:pt_BR>es"} <= set(routes)
    assert all(0 < r["chrf"] <= 100 and r["words_per_second"] > 0 for r in routes.values())
    best = max(spanish["routes"], key=lambda r: (r["chrf"], r["bleu"]))
    assert spanish["chosen"] == best["route"] and spanish["chosen_by"] == "chrF"
    assert "chrF" in answer["signatures"] and "version:" in answer["signatures"]["chrF"]

    written = route_file.load(project / "routes.toml")
    assert written.references == "field" and "chrF nrefs:1" in written.sacrebleu and "cores" in written.machine
    chosen = written.get("es")
    assert chosen is not None, "routes.toml has no es"
    assert chosen.route == best["route"] and chosen.sentences == 3
    assert {f.route for f in chosen.candidates} == set(routes)
    drafts = sorted((tmp_path / "drafts" / "es").glob("*.tsv"))
    assert len(drafts) == len(routes) and drafts[0].read_text(encoding="utf-8").startswith(f"# {spanish['routes'][0]['route']}")


@pytest.mark.apertium
def test_a_route_chosen_by_reading_is_kept_by_the_next_evaluation(project, tmp_path):
    project.configure(["es"])
    (project / "routes.toml").write_text(
        '[languages.es]\nroute = "apertium:en>ca>es"\nchosen_by = "reading"\nreason = "read 40 drafts"\n', encoding="utf-8"
    )
    refs = write_set(tmp_path / "field", "plain")
    done = cli("routes", "evaluate", "--refs", str(refs), "--write", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "chosen (reading): apertium:en>ca>es" in done.stdout
    kept = route_file.load(project / "routes.toml").get("es")
    assert kept is not None, "routes.toml lost es"
    assert (kept.route, kept.chosen_by, kept.reason) == ("apertium:en>ca>es", "reading", "read 40 drafts")
