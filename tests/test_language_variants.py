"""Brazilian Portuguese as a target of its own: its own folder, labels, glossary and spelling, never "pt"."""

from __future__ import annotations

import json
import re

import pytest
from cli_process import cli

from translate.engines.variants import european_portuguese
from translate.glossary.files import load_glossary, to_toml
from translate.glossary.model import from_data
from translate.glossary.tbx import from_tbx, to_tbx
from translate.publish.labels import labels
from translate.texts import output_path

TEXT = "# Notes\n\nRevolutionaries such as Lenin, Stalin, Gramsci and Mao understood this extremely well.\n"


@pytest.fixture
def brazilian_run(project):
    project.configure(["pt_BR"])
    (project / "glossaries").mkdir()
    (project / "glossaries" / "marxism.toml").write_bytes(load_glossary_source())
    project.add_text("notes.md", TEXT)
    done = cli("run", "--json", cwd=project)
    assert done.returncode == 0, done.stderr
    return project, json.loads(done.stdout)


def load_glossary_source() -> bytes:
    from project_factory import REPO_ROOT

    return (REPO_ROOT / "glossaries" / "marxism.toml").read_bytes()


@pytest.mark.gettext
def test_a_brazilian_draft_is_never_labelled_pt(brazilian_run):
    project, report = brazilian_run
    [language] = report["languages"]
    assert (language["language"], language["engine"]) == ("pt_BR", "bergamot")
    assert sorted(p.name for p in (project / "outputs").iterdir()) == ["pt-BR"]
    draft = (project / "outputs" / "pt-BR" / "notes.md").read_text(encoding="utf-8")
    assert "\nlanguage: pt_BR\n" in draft and 'route: "en→pt_BR' in draft
    assert "Lênin, Stálin, Gramsci e Mao" in draft  # the Brazilian names, not Lenine and Estaline
    po = (project / "outputs" / "pt-BR" / "notes.po").read_text(encoding="utf-8")
    assert '"Language: pt_BR\\n"' in po and '"Language-Team: Portuguese (Brazil)\\n"' in po
    assert not re.search(r'"Language: pt(_PT)?\\n"', po)
    built = cli("handouts", "--no-pdf", "--force", "--json", cwd=project)
    assert built.returncode == 0, built.stderr
    page = (project / "outputs" / "pt-BR" / "notes.html").read_text(encoding="utf-8")
    assert '<html lang="pt-BR"' in page and "Arquivo de origem" in page and "Ficheiro" not in page
    assert "Mozilla" in page  # the Firefox Translations model's credit


def test_the_outputs_folder_is_the_bcp47_tag(project):
    project.configure(["pt_BR"])
    assert output_path(project.config, "pt_BR", project / "texts" / "a.md").parent.name == "pt-BR"
    assert output_path(project.config, "es", project / "texts" / "a.md").parent.name == "es"


def test_brazilian_handout_labels_are_brazilian():
    brazilian, european = labels("pt_BR"), labels("pt")
    assert brazilian["source_file"] == "Arquivo de origem" and european["source_file"] == "Ficheiro de origem"
    assert brazilian["status_unreviewed"] == "Tradução automática, não revisada"


def test_a_variant_inherits_its_languages_terms_unless_it_lists_its_own():
    glossary = load_glossary(load_glossary_path())
    by_id = {c.id: c for c in glossary.concepts}
    assert by_id["surplus-value"].preferred("pt_BR") == "mais-valia"  # inherited from pt
    assert by_id["surplus-value"].languages["pt_BR"].inherited == "pt"
    assert (by_id["lenin"].preferred("pt_BR"), by_id["lenin"].preferred("pt")) == ("Lênin", "Lenine")
    assert by_id["spectator"].preferred("pt_BR") == "espectador" and by_id["spectator"].preferred("pt") == "espetador"
    written = to_toml(glossary)
    assert written.count("\npt_BR = ") == sum(
        not t.inherited for c in glossary.concepts for k, t in c.languages.items() if k == "pt_BR"
    )
    assert from_tbx(to_tbx(glossary)) == glossary  # the TBX keeps the variants, not the inherited terms
    assert 'x-variants">pt_BR=pt<' in to_tbx(glossary).decode()


def test_a_glossary_key_written_pt_BR_or_pt_dash_BR_is_the_same_language():
    data = {
        "glossary": {"name": "t", "version": "1", "source_language": "en"},
        "concept": [{"id": "lenin", "translate": False, "terms": {"en": ["Lenin"], "pt-BR": ["Lênin"]}}],
    }
    assert from_data(data).concepts[0].preferred("pt_BR") == "Lênin"


def load_glossary_path():
    from project_factory import REPO_ROOT

    return REPO_ROOT / "glossaries" / "marxism.toml"


@pytest.mark.parametrize(
    ("brazilian", "european"),
    [
        (
            "Em um sentido mais geral, eles estão ficando de sua própria destruição.",
            "Num sentido mais geral, eles estão a ficar da sua própria destruição.",
        ),
        (
            "O fato de que os usuários estão nos fortalecendo conosco.",
            "O facto de que os utilizadores estão nos fortalecendo connosco.",
        ),
        ("Ele está lindo e está pondo a mesa em nossos corações.", "Ele está lindo e está a pôr a mesa nos nossos corações."),
        ("Essas mídias sociais têm bilhões de usuários.", "Essas redes sociais têm milhares de milhões de utilizadores."),
        ("Nada a perder, mas suas correntes; o livro é seu.", "Nada a perder, mas as suas correntes; o livro é seu."),
    ],
)
def test_the_variant_step_writes_what_european_portuguese_writes(brazilian, european):
    assert european_portuguese(brazilian) == european
