"""The review loop never loses, hides or misattributes a volunteer's work (real Apertium, msgfmt, git).

Each test is one thing a volunteer or an organizer does with the files a real
run writes: edit and import PO files in the wrong order, add comments, save
from a PO editor, merge two clones, and check outputs/, the PO files, the
handouts and the review log afterwards.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from project_factory import REPO_ROOT, Project
from readers import po_entry, stored
from typer.testing import CliRunner

from translate.cli import app
from translate.memory.store import TranslationMemory
from translate.publish.handouts import build_handouts
from translate.run.lock import run_lock
from translate.texts import load_texts, output_path

pytestmark = [pytest.mark.slow, pytest.mark.apertium, pytest.mark.gettext]

SHORT = "the-virtual-factory-spectacle.md"
TITLE = "The Virtual Factory"
ROSA = "La Fábrica Virtual del espectáculo"
SECOND = (
    "Thus the virtual factory can be understood as an accumulation of commodified social relations mediated by "
    "images in a new form of production of capitalist value."
)


@pytest.fixture(scope="module")
def translated(tmp_path_factory, translated_essays) -> Project:
    """A project with both essays translated into Spanish by Apertium, once for the module."""
    project, first_run = translated_essays(tmp_path_factory.mktemp("template") / "project", ("es",))
    if first_run["languages"][0]["status"] != "ok":
        pytest.skip(f"no English→Spanish Apertium here: {first_run['languages'][0]['message']}")
    return project


@pytest.fixture
def project(translated, tmp_path) -> Project:
    return translated.copy_to(tmp_path / "project")


def invoke(project: Project, *args: str) -> tuple[int, str, str]:
    """`translate ARGS` in the project folder: (exit code, stdout, stderr)."""
    old = Path.cwd()
    os.chdir(project.root)
    try:
        done = CliRunner().invoke(app, list(args))
    finally:
        os.chdir(old)
    return done.exit_code, done.stdout, done.stderr


def po_path(project: Project, text: str = SHORT) -> Path:
    return project / "outputs" / "es" / Path(text).with_suffix(".po").name


def copy_of(project: Project, name: str) -> Path:
    """A copy of the short essay's PO file as a volunteer received it."""
    copy = project / "mail" / name / "es" / po_path(project).name
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(po_path(project), copy)
    return copy


def review(
    path: Path, changes: dict[str, tuple[str | None, bool]], translator: str = "", comments: dict[str, str] | None = None
) -> None:
    """What a volunteer does in a PO editor: change texts, set or clear fuzzy, add comments, and save."""
    po = polib.pofile(str(path))
    for msgid, (msgstr, fuzzy) in changes.items():
        entry = po_entry(po, msgid)
        if msgstr is not None:
            entry.msgstr = msgstr
        entry.flags = ["fuzzy"] if fuzzy else []
    for msgid, comment in (comments or {}).items():
        po_entry(po, msgid).tcomment = comment
    if translator:
        po.metadata["Last-Translator"] = translator
    po.save(str(path))


def title_everywhere(project: Project) -> tuple[str, str, str, bool]:
    """The short essay's title in outputs/ (.md), in the PO file (and whether it is approved), and in the handout."""
    text = next(t for t in load_texts(project.config) if t.path.name == SHORT)
    markdown = output_path(project.config, "es", text).read_text(encoding="utf-8")
    heading = next(line[2:] for line in markdown.splitlines() if line.startswith("# "))
    entry = po_entry(po_path(project), TITLE)
    build_handouts(project.config, only=[SHORT], targets=["es"], pdf=False, force=True)
    handout = output_path(project.config, "es", text).with_suffix(".html").read_text(encoding="utf-8")
    return heading, entry.msgstr, handout, not entry.fuzzy


def log_of(project: Project, sentence: str = TITLE) -> list[tuple[str, str, str]]:
    with TranslationMemory(project.config.path("memory")) as memory:
        return [(d.reviewer, d.final_text or "", d.outcome) for d in memory.history(sentence, "en", "es")]


# ----------------------------------------------------------------------- stale files


def test_a_stale_approval_does_not_undo_a_newer_edit(project):
    rosa, ana = copy_of(project, "rosa"), copy_of(project, "ana")
    machine = po_entry(rosa, TITLE).msgstr
    review(rosa, {TITLE: (ROSA, False)}, "Rosa Luxemburg <rosa@example.org>")
    assert invoke(project, "review", "import", str(rosa))[0] == 0
    review(ana, {TITLE: (None, False)}, "Ana García <ana@example.org>")  # approves the machine title

    code, out, err = invoke(project, "review", "import", str(ana))
    assert code == 1
    assert "0 approved" in out and "1 conflicts" in out
    assert "conflict" in err and ROSA in err and machine in err and "Rosa Luxemburg" in err and "Ana García" in err
    assert "example.org" not in out + err

    assert invoke(project, "run")[0] == 0
    heading, in_po, handout, approved = title_everywhere(project)
    assert (heading, in_po, approved) == (ROSA, ROSA, True) and ROSA in handout
    assert log_of(project) == [("Rosa Luxemburg", ROSA, "applied"), ("Ana García", machine, "conflict")]
    # Ana's text is not hidden: the PO file shows it beside the title
    assert "not applied, from Ana García" in po_entry(po_path(project), TITLE).comment


def test_a_stale_edit_does_not_undo_a_newer_approval(project):
    ana, rosa = copy_of(project, "ana"), copy_of(project, "rosa")
    machine = po_entry(ana, TITLE).msgstr
    review(ana, {TITLE: (None, False)}, "Ana García")
    assert invoke(project, "review", "import", str(ana))[0] == 0
    review(rosa, {TITLE: (ROSA, False)}, "Rosa")

    code, out, err = invoke(project, "review", "import", str(rosa))
    assert code == 1 and "1 conflicts" in out and ROSA in err and machine in err

    assert invoke(project, "run")[0] == 0
    heading, in_po, handout, approved = title_everywhere(project)
    assert (heading, in_po, approved) == (machine, machine, True) and ROSA not in heading
    assert log_of(project) == [("Ana García", machine, "applied"), ("Rosa", ROSA, "conflict")]
    assert "not applied, from Rosa" in po_entry(po_path(project), TITLE).comment


def test_a_stale_po_carrying_her_name_as_last_translator_does_not_replace_her_approval(project):
    """A copy exported before Rosa's import, edited by someone whose Poedit wrote Rosa's name, imported without
    --reviewer: a conflict, not Rosa editing her own file again."""
    rosa, stale = copy_of(project, "rosa"), copy_of(project, "someone")
    review(rosa, {TITLE: (ROSA, False)}, "Rosa Luxemburg <rosa@example.org>")
    assert invoke(project, "review", "import", str(rosa))[0] == 0
    review(stale, {TITLE: ("Otro título", False)}, "Rosa Luxemburg <rosa@example.org>")
    code, out, err = invoke(project, "review", "import", str(stale))
    assert code == 1 and "1 conflicts" in out and "Otro título" in err
    assert log_of(project)[-1] == ("Rosa Luxemburg", "Otro título", "conflict")
    with TranslationMemory(project.config.path("memory")) as memory:
        assert stored(memory, TITLE).final_text == ROSA


def test_an_open_suggestion_stays_in_the_po_file_after_a_later_decision(project):
    """Ana's text, refused in a conflict, stays offered ('not applied, from Ana') after Bo approves another text."""
    rosa, ana = copy_of(project, "rosa"), copy_of(project, "ana")
    review(rosa, {TITLE: (ROSA, False)}, "Rosa")
    assert invoke(project, "review", "import", str(rosa))[0] == 0
    review(ana, {TITLE: ("La fábrica de Ana", False)}, "Ana")
    assert invoke(project, "review", "import", str(ana))[0] == 1
    assert invoke(project, "run")[0] == 0
    bo = copy_of(project, "bo")
    review(bo, {TITLE: ("La Fábrica Virtual de Bo", False)}, "Bo")
    assert invoke(project, "review", "import", str(bo))[0] == 0
    assert invoke(project, "run")[0] == 0
    entry = po_entry(po_path(project), TITLE)
    assert entry.msgstr == "La Fábrica Virtual de Bo" and "not applied, from Ana" in entry.comment


def test_reimporting_an_older_file_after_another_reviewer_reports_a_conflict(project):
    first = copy_of(project, "ana")
    review(first, {TITLE: ("La fábrica virtual", False)}, "Ana")
    assert invoke(project, "review", "import", str(first))[0] == 0
    assert invoke(project, "run")[0] == 0
    second = copy_of(project, "bo")  # exported after Ana's import
    review(second, {TITLE: ("La Fábrica Virtual", False)}, "Bo")
    assert invoke(project, "review", "import", str(second))[0] == 0
    code, out, err = invoke(project, "review", "import", str(first))  # Ana's old file again
    assert code == 1 and "conflict" in err and "Bo" in err
    assert log_of(project)[-1] == ("Ana", "La fábrica virtual", "conflict")
    with TranslationMemory(project.config.path("memory")) as memory:
        assert stored(memory, TITLE).final_text == "La Fábrica Virtual"


def test_reimporting_the_same_file_stays_a_no_op(project):
    copy = copy_of(project, "ana")
    review(copy, {TITLE: (ROSA, False)}, "Ana")
    assert invoke(project, "review", "import", str(copy))[0] == 0
    code, out, _ = invoke(project, "review", "import", str(copy))
    assert code == 0 and "0 approved, 0 edited" in out and len(log_of(project)) == 1


# ----------------------------------------------------------------------- two clones, one merge


def git(folder: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_two_clones_merge_without_losing_a_decision(project, tmp_path):
    shutil.copy(REPO_ROOT / ".gitattributes", project / ".gitattributes")
    shutil.copy(REPO_ROOT / ".gitignore", project / ".gitignore")
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "translated")
    assert "translate.sqlite" not in git(project.root, "ls-files")
    organizer, nightly = tmp_path / "organizer", tmp_path / "nightly"
    git(tmp_path, "clone", "-q", str(project.root), str(organizer))
    git(tmp_path, "clone", "-q", str(project.root), str(nightly))
    organizer_project, nightly_project = Project(organizer), Project(nightly)

    # The organizer imports Rosa's review of the title.
    rosa = copy_of(organizer_project, "rosa")
    review(rosa, {TITLE: (ROSA, False)}, "Rosa")
    assert invoke(organizer_project, "review", "import", str(rosa))[0] == 0
    git(organizer, "add", "memory", "outputs")
    git(organizer, "commit", "-q", "-m", "Rosa's review")

    # The other clone: Ana reviews another sentence, the author adds a sentence, the nightly run drafts it.
    ana = copy_of(nightly_project, "ana")
    review(ana, {SECOND: ("El espectáculo es el capital acumulado hasta volverse imagen.", False)}, "Ana")
    assert invoke(nightly_project, "review", "import", str(ana))[0] == 0
    essay = nightly / "texts" / SHORT
    essay.write_text(
        essay.read_text(encoding="utf-8").rstrip("\n") + "\n\nA sentence added for the nightly run.\n", encoding="utf-8"
    )
    assert invoke(nightly_project, "run")[0] == 0
    git(nightly, "add", "-A")
    git(nightly, "commit", "-q", "-m", "nightly run")

    git(nightly, "pull", "-q", "--no-rebase", "--no-edit", str(organizer), "main")
    assert "<<<<<<<" not in (nightly / "memory" / "translate.reviews.jsonl").read_text(encoding="utf-8")
    code, out, err = invoke(nightly_project, "run")
    assert code == 0, err
    text = next(t for t in load_texts(nightly_project.config) if t.path.name == SHORT)
    markdown = output_path(nightly_project.config, "es", text).read_text(encoding="utf-8")
    assert ROSA in markdown and "El espectáculo es el capital acumulado hasta volverse imagen." in markdown
    entries = {e.msgid: e for e in polib.pofile(str(po_path(nightly_project)))}
    assert entries[TITLE].msgstr == ROSA and not entries[TITLE].fuzzy
    assert "A sentence added for the nightly run." in entries
    with TranslationMemory(nightly_project.config.path("memory")) as memory:
        assert {d.reviewer for d in memory.review_log()} == {"Rosa", "Ana"}


def another_sentence(project: Project) -> str:
    """A sentence of the short essay other than the title and SECOND."""
    text = next(t for t in load_texts(project.config) if t.path.name == SHORT)
    return next(s.text for s in text.document.segments if s.text not in (TITLE, SECOND))


def clone_with_merge_driver(origin: Path, folder: Path) -> Project:
    """A clone of `origin` set up as `make setup` sets one up: the merge driver for outputs/ installed."""
    git(folder.parent, "clone", "-q", str(origin), str(folder))
    (folder / ".venv").symlink_to(REPO_ROOT / ".venv")  # what the driver's command runs (.venv is ignored)
    done = subprocess.run(["sh", str(REPO_ROOT / "scripts" / "install-git-merge-driver.sh")], cwd=folder, capture_output=True)
    assert done.returncode == 0, done.stderr
    return Project(folder)


def outputs_of(project: Project) -> tuple[str, polib.POFile, str]:
    """The short essay in Spanish: its .md output, its PO file, and its handout."""
    text = next(t for t in load_texts(project.config) if t.path.name == SHORT)
    markdown = output_path(project.config, "es", text).read_text(encoding="utf-8")
    build_handouts(project.config, only=[SHORT], targets=["es"], pdf=False, force=True)
    handout = output_path(project.config, "es", text).with_suffix(".html").read_text(encoding="utf-8")
    return markdown, polib.pofile(str(po_path(project))), handout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_two_branches_with_reviews_and_a_scheduled_run_merge_and_the_run_prints_the_replays_conflict(project, tmp_path):
    """Both clones import reviews and run (one after a source edit, as the nightly job): every output changed on
    both sides, yet git merges without a conflict; the next run holds both branches' decisions in outputs, PO
    files and handouts, and prints the conflict the replay found (two approvals of the title)."""
    shutil.copy(REPO_ROOT / ".gitattributes", project / ".gitattributes")
    shutil.copy(REPO_ROOT / ".gitignore", project / ".gitignore")
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "translated")
    organizer = clone_with_merge_driver(project.root, tmp_path / "organizer")
    nightly = clone_with_merge_driver(project.root, tmp_path / "nightly")

    rosa = copy_of(organizer, "rosa")
    review(rosa, {TITLE: (ROSA, False), SECOND: ("La fábrica virtual, según Rosa.", False)}, "Rosa")
    assert invoke(organizer, "review", "import", str(rosa))[0] == 0
    assert invoke(organizer, "run")[0] == 0
    git(organizer.root, "add", "-A")
    git(organizer.root, "commit", "-q", "-m", "Rosa's review")

    ana = copy_of(nightly, "ana")
    third = another_sentence(nightly)
    review(ana, {TITLE: ("La Fábrica de Ana", False), third: ("Socializaron a los obreros, según Ana.", False)}, "Ana")
    assert invoke(nightly, "review", "import", str(ana))[0] == 0
    essay = nightly / "texts" / SHORT
    essay.write_text(essay.read_text(encoding="utf-8").rstrip("\n") + "\n\nA sentence added for the nightly run.\n", "utf-8")
    assert invoke(nightly, "run")[0] == 0
    git(nightly.root, "add", "-A")
    git(nightly.root, "commit", "-q", "-m", "nightly run")

    changed = {
        side: set(git(clone.root, "diff", "--name-only", "HEAD~1", "--", "outputs").split())
        for side, clone in (("organizer", organizer), ("nightly", nightly))
    }
    assert {f"outputs/es/{Path(SHORT).stem}.md", f"outputs/es/{Path(SHORT).stem}.po"} <= changed["organizer"] & changed["nightly"]
    git(nightly.root, "pull", "-q", "--no-rebase", "--no-edit", str(organizer.root), "main")  # asserts exit 0
    assert git(nightly.root, "diff", "--name-only", "--diff-filter=U") == ""
    assert "<<<<<<<" not in "".join(p.read_text(encoding="utf-8") for p in (nightly / "outputs").rglob("*.*"))

    code, out, err = invoke(nightly, "run")
    assert code == 0, err
    assert "conflict" in err and "La Fábrica de Ana" in err and ROSA in err and "Ana" in err and "Rosa" in err
    markdown, po, handout = outputs_of(nightly)
    for kept in (ROSA, "La fábrica virtual, según Rosa.", "Socializaron a los obreros, según Ana."):
        assert kept in markdown and po.find(kept, by="msgstr") is not None
    assert po_entry(po, TITLE).msgstr == ROSA and "not applied, from Ana" in po_entry(po, TITLE).comment
    assert po.find("A sentence added for the nightly run.") is not None
    assert "Rosa" in handout and "Ana" in handout
    assert git(nightly.root, "status", "--porcelain", "--", "outputs").strip()  # the run rewrote the merged outputs


# ----------------------------------------------------------------------- comments


def test_a_comment_added_in_poedit_survives_import_a_source_edit_and_a_run(project):
    copy = copy_of(project, "ana")
    review(copy, {}, "Ana", comments={SECOND: "Debord, thesis 34: keep «espectáculo»"})
    code, out, _ = invoke(project, "review", "import", str(copy))
    assert code == 0 and "1 comments" in out
    essay = project / "texts" / SHORT
    body = essay.read_text(encoding="utf-8")
    reworded = SECOND.replace("can be understood", "can best be understood")
    essay.write_text(body.replace(SECOND, reworded), encoding="utf-8")
    assert invoke(project, "run")[0] == 0
    entry = po_entry(po_path(project), reworded)
    assert entry.tcomment == "Debord, thesis 34: keep «espectáculo»"
    assert invoke(project, "run")[0] == 0  # and again: nothing lost, nothing frozen
    assert po_entry(po_path(project), reworded).tcomment == "Debord, thesis 34: keep «espectáculo»"


# ----------------------------------------------------------------------- PO files a translator can read


def msgcat(path: Path) -> str:
    return subprocess.run(["msgcat", str(path)], capture_output=True, text=True, check=True).stdout


def test_msgcat_changes_no_line_of_any_po_file_a_run_writes(project):
    files = sorted((project / "outputs").rglob("*.po"))
    assert len(files) == 2
    for path in files:
        assert msgcat(path) == path.read_text(encoding="utf-8"), path


def test_poedit_shows_the_sentence_alone_and_whole_comments(project):
    text = po_path(project, "the-virtual-factory.txt").read_text(encoding="utf-8")
    assert "msgctxt" not in text  # Poedit's source column shows only the sentence
    glossary_lines = [line for line in text.splitlines() if line.startswith("#. glossary")]
    assert glossary_lines and all(not line.endswith("…") for line in glossary_lines)
    assert "#. relation among people, mediated by images" not in text  # a comment is never cut into lines


def poedit_save(path: Path, translator: str, changes: dict[str, tuple[str | None, bool]]) -> None:
    """What Poedit 3.2 does on save: the reviewer's changes, its own header fields, gettext's wrapping."""
    po = polib.pofile(str(path), wrapwidth=0)
    for msgid, (msgstr, fuzzy) in changes.items():
        entry = po_entry(po, msgid)
        if msgstr is not None:
            entry.msgstr = msgstr
        entry.flags = ["fuzzy"] if fuzzy else []
    po.metadata.update(
        {"PO-Revision-Date": "2026-11-22 10:00+0100", "Last-Translator": translator, "X-Generator": "Poedit 3.2.2"}
    )
    unwrapped = path.with_suffix(".unwrapped")
    po.save(str(unwrapped))
    wrapped = subprocess.run(["msgcat", "--width=79", str(unwrapped)], capture_output=True, text=True, check=True)
    unwrapped.unlink()
    path.write_text(wrapped.stdout, encoding="utf-8")


def test_a_poedit_save_changes_only_the_lines_the_person_changed(project):
    path = po_path(project)
    before = path.read_text(encoding="utf-8").splitlines()
    poedit_save(path, "Ana García <ana@example.org>", {TITLE: (ROSA, False)})
    after = path.read_text(encoding="utf-8").splitlines()
    import difflib

    changed = [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert sorted(changed) == sorted(
        [
            '-"PO-Revision-Date: ' + next(b for b in before if "PO-Revision-Date" in b)[19:],
            '+"PO-Revision-Date: 2026-11-22 10:00+0100\\n"',
            '-"Last-Translator: \\n"',
            '+"Last-Translator: Ana García <ana@example.org>\\n"',
            '-"X-Generator: ' + next(b for b in before if "X-Generator" in b)[14:],
            '+"X-Generator: Poedit 3.2.2\\n"',
            "-#, fuzzy",
            '-msgstr "'
            + po_entry(path, TITLE).msgstr.replace(ROSA, "")
            + next(b for b in before if b.lower().startswith('msgstr "la f'))[8:],
            f'+msgstr "{ROSA}"',
        ]
    ), changed


# ----------------------------------------------------------------------- reviewers, shown and credited


def test_handout_credits_reviewers_by_name_with_how_much_they_reviewed(project):
    long_po = po_path(project, "the-virtual-factory.txt")
    copy = project / "mail" / "ana" / "es" / long_po.name
    copy.parent.mkdir(parents=True)
    shutil.copy(long_po, copy)
    po = polib.pofile(str(copy))
    for entry in list(po)[:10]:
        entry.flags = []
    po.metadata["Last-Translator"] = "Ana García <ana@example.org>"
    po.save(str(copy))
    assert invoke(project, "review", "import", str(copy))[0] == 0
    essay = next(t for t in load_texts(project.config) if t.path.name == "the-virtual-factory.txt")
    total = len({s.text for s in essay.document.segments})
    build_handouts(project.config, only=[essay.path.name], targets=["es"], pdf=False, force=True)
    handout = (project / "outputs" / "es" / "the-virtual-factory.html").read_text(encoding="utf-8")
    assert f"<bdi>Ana García</bdi>: 10 de {total} frases" in handout
    assert "example.org" not in handout
    assert invoke(project, "run")[0] == 0
    assert "example.org" not in (project / "outputs" / "es" / "the-virtual-factory.md").read_text(encoding="utf-8")


# ----------------------------------------------------------------------- nothing refused in silence


def test_a_skipped_po_is_named_on_the_terminal_in_status_and_by_strict(project):
    review(po_path(project), {TITLE: (ROSA, False)}, "Ana")
    code, out, err = invoke(project, "run")
    assert code == 0 and po_path(project).name in err and "not imported yet" in err
    assert invoke(project, "run", "--strict")[0] == 1
    code, out, err = invoke(project, "status")
    assert "es/the-virtual-factory-spectacle.md" in err and "1 edits not imported" in err
    assert invoke(project, "review", "import", str(po_path(project)))[0] == 0
    assert invoke(project, "run", "--strict")[0] == 0


def test_folder_import_skips_untouched_files_and_prints_one_line_per_file(project):
    review(po_path(project), {TITLE: (ROSA, False), SECOND: ("Un texto.", True)})  # no Last-Translator
    code, out, err = invoke(project, "review", "import", str(project / "outputs"), "--reviewer", f"{po_path(project).name}=Ana")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2
    assert any("the-virtual-factory.po: untouched" in line for line in lines)
    assert any("spectacle.po: 0 approved, 1 edited, 1 drafts" in line and "Ana" in line for line in lines)


def test_a_change_of_capitals_shows_in_ter_and_chrf_alike(project):
    copy = copy_of(project, "ana")
    machine = po_entry(copy, SECOND).msgstr
    review(copy, {SECOND: (machine.upper(), False)}, "Ana")
    assert invoke(project, "review", "import", str(copy))[0] == 0
    code, out, _ = invoke(project, "review", "status", "--only", SHORT, "--json")
    data = json.loads(out)
    [row] = data["rows"]
    assert row["ter"] > 0 and row["chrf"] < 100  # both see the change
    assert "case:mixed" in data["signatures"]["ter"] and "nrefs:1" in data["signatures"]["chrf"]


def test_review_status_names_each_persons_work_under_labelled_columns_and_skips_languages_without_drafts(project):
    """It had no per-person figures, unlabelled columns (appr/edit/draft/pend), and listed languages no engine
    serves here as '0 % approved'."""
    teo, ana = copy_of(project, "teo"), copy_of(project, "ana")
    review(teo, {SECOND: ("La fábrica virtual es una acumulación de relaciones sociales.", True)}, "Teo")
    assert invoke(project, "review", "import", str(teo))[0] == 0
    assert invoke(project, "run")[0] == 0
    ana = copy_of(project, "ana-after")
    review(ana, {SECOND: (None, False), TITLE: (ROSA, False)}, "Ana")  # approves Teo's draft as it is
    assert invoke(project, "review", "import", str(ana))[0] == 0
    code, out, _ = invoke(project, "review", "status", "--only", SHORT, "--lang", "es,de")
    assert code == 0
    header = out.splitlines()[0]
    for label in ("sentences", "approved", "of them edited", "drafts", "needs work", "no decision", "TER", "chrF"):
        assert label in header
    assert " de " not in out.split("no drafts yet")[0] and "no drafts yet (no engine here serves them): de" in out
    people = out.split("\n\n", 1)[1]
    assert "person" in people and "translated" in people and "approved" in people and "open suggestions" in people
    teo_row = next(line for line in people.splitlines() if line.startswith("Teo"))
    ana_row = next(line for line in people.splitlines() if line.startswith("Ana"))
    assert teo_row.split()[1:4] == ["es", "1", "0"]  # translated 1, approved 0
    assert ana_row.split()[1:4] == ["es", "1", "2"]  # the title she wrote; both approvals hers
    data = json.loads(invoke(project, "review", "status", "--only", SHORT, "--lang", "es,de", "--json")[1])
    assert data["languages_without_drafts"] == ["de"] and {r["language"] for r in data["rows"]} == {"es"}
    assert {(p["name"], p["translated"], p["approved"]) for p in data["people"]} == {("Teo", 1, 0), ("Ana", 1, 2)}


# ----------------------------------------------------------------------- hostile files


def test_an_unreadable_po_with_unimported_edits_is_moved_aside_not_overwritten(project):
    path = po_path(project)
    review(path, {TITLE: (ROSA, False)}, "Ana")
    broken = path.read_text(encoding="utf-8").replace('msgid "The Virtual Factory"', 'msgid The Virtual Factory"')
    path.write_text(broken, encoding="utf-8")
    code, out, err = invoke(project, "run")
    assert code == 0
    kept = path.with_name(path.name + ".broken")
    assert kept.read_text(encoding="utf-8") == broken
    assert "could not be read" in err and kept.name in err
    assert path.exists() and ROSA not in path.read_text(encoding="utf-8")


def test_an_edit_of_a_changed_sentence_comes_back_as_a_suggestion_and_frees_the_file(project):
    path = po_path(project)
    review(path, {SECOND: ("El espectáculo es capital acumulado hasta ser imagen.", False)}, "Ana")
    essay = project / "texts" / SHORT
    reworded = SECOND.replace("can be understood", "can best be understood")
    essay.write_text(essay.read_text(encoding="utf-8").replace(SECOND, reworded), encoding="utf-8")
    code, out, err = invoke(project, "review", "import", str(path))
    assert code == 0 and "new wording" in err
    code, out, err = invoke(project, "run", "--strict")
    assert code == 0, err
    entry = po_entry(path, reworded)
    assert (entry.msgstr, entry.fuzzy, entry.previous_msgid) == (
        "El espectáculo es capital acumulado hasta ser imagen.",
        True,
        SECOND,
    )


def test_a_truncated_string_rejects_the_whole_file(project):
    path = po_path(project)
    review(path, {SECOND: ("Un texto nuevo.", False)}, "Ana")
    text = path.read_text(encoding="utf-8")
    machine_title = po_entry(path, TITLE).msgstr
    path.write_text(text.replace(f'msgstr "{machine_title}"', f'msgstr "{machine_title}', 1), encoding="utf-8")
    code, out, err = invoke(project, "review", "import", str(path))
    assert code == 1 and "not a valid PO file" in err
    assert log_of(project) == [] and log_of(project, SECOND) == []


def test_a_spanish_file_labelled_french_is_refused(project):
    project.configure(["es", "fr"], engine={"default": "apertium"})
    odd = project / "incoming" / "review.po"
    odd.parent.mkdir()
    shutil.copy(po_path(project), odd)
    review(odd, {TITLE: (None, False), SECOND: (None, False)}, "Ana")
    po = polib.pofile(str(odd))
    po.metadata["Language"], po.metadata["Language-Team"] = "fr", ""
    po.save(str(odd))
    code, out, err = invoke(project, "review", "import", str(odd))
    assert code == 1 and "Language fr" in err and "es texts" in err
    with TranslationMemory(project.config.path("memory")) as memory:
        assert memory.review_log() == []


def test_a_fuzzy_edit_of_an_approved_entry_is_kept_and_shown(project):
    copy = copy_of(project, "ana")
    review(copy, {TITLE: (ROSA, False)}, "Ana")
    assert invoke(project, "review", "import", str(copy))[0] == 0
    assert invoke(project, "run")[0] == 0
    review(po_path(project), {TITLE: ("Una fábrica virtual", True)}, "Bo")
    code, out, err = invoke(project, "run")
    assert "not imported yet" in err  # the run does not throw the edit away
    code, out, err = invoke(project, "review", "import", str(po_path(project)))
    assert code == 0 and "1 suggestions" in out and "kept as a suggestion" in err
    assert invoke(project, "run")[0] == 0
    entry = po_entry(po_path(project), TITLE)
    assert entry.msgstr == ROSA and "not applied, from Bo" in entry.comment and "Una fábrica virtual" in entry.comment


def test_plural_entries_are_reported_not_ignored(project):
    path = po_path(project)
    review(path, {TITLE: (None, False)}, "Ana")
    po = polib.pofile(str(path))
    po.append(polib.POEntry(msgid="one factory", msgid_plural="%d factories", msgstr_plural={0: "una fábrica", 1: "%d fábricas"}))
    po.save(str(path))
    code, out, err = invoke(project, "review", "import", str(path))
    assert "plural entry" in err and "one factory" in err
    assert "1 skipped" in out


def test_machine_text_from_a_tmx_file_says_where_it_came_from(project, tmp_path):
    assert invoke(project, "memory", "export", str(tmp_path / "all.tmx"))[0] == 0
    tmx = re.sub(
        r'changedate="\d{8}T\d{6}Z"', 'changedate="20991231T000000Z"', (tmp_path / "all.tmx").read_text(encoding="utf-8")
    )  # units from elsewhere, newer than ours
    machine_title = po_entry(po_path(project), TITLE).msgstr
    (tmp_path / "all.tmx").write_text(tmx.replace(f"<seg>{machine_title}</seg>", "<seg>Otra fábrica</seg>"), encoding="utf-8")
    assert invoke(project, "memory", "import", str(tmp_path / "all.tmx"))[0] == 0
    code, out, err = invoke(project, "run", "--strict")
    assert code == 0, err  # the untouched PO file is not mistaken for a reviewer's edit
    entry = po_entry(po_path(project), TITLE)
    assert entry.msgstr == "Otra fábrica" and "imported from all.tmx" in entry.comment


def test_review_import_waits_while_a_run_is_writing(project):
    copy = copy_of(project, "ana")
    review(copy, {TITLE: (ROSA, False)}, "Ana")
    with run_lock(project.config.path("memory")):
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "translate.cli", "review", "import", str(copy)],
            cwd=project.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(2)
        assert process.poll() is None  # waiting for the run
        assert log_of(project) == []
    assert process.wait(timeout=60) == 0
    assert time.monotonic() - started >= 2
    assert log_of(project) == [("Ana", ROSA, "applied")]


def test_a_fresh_clone_rebuilds_the_memory_from_the_text_record_without_an_engine(project):
    before = {path: path.read_bytes() for path in (project / "outputs").rglob("*") if path.is_file()}
    for path in (project / "memory").glob("translate.sqlite*"):
        path.unlink()
    code, out, err = invoke(project, "run", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["totals"]["engine_calls"] == 0 and report["totals"]["translated"] == 0
    after = {path: path.read_bytes() for path in (project / "outputs").rglob("*") if path.is_file()}
    assert after == before
