"""The review queue and `translate review next`: what a volunteer is asked to look at first."""

from __future__ import annotations

import json
import subprocess

import pytest
from cli_process import cli as run_cli
from project_factory import Project

from translate.memory.records import ReviewDecision
from translate.review.queue import review_queue

pytestmark = pytest.mark.apertium


@pytest.fixture(scope="module")
def spanish(tmp_path_factory, translated_essays) -> Project:
    project, first_run = translated_essays(tmp_path_factory.mktemp("queue") / "project", ("es",))
    (project / "run-report.json").write_text(json.dumps(first_run), encoding="utf-8")
    return project


def test_the_run_report_counts_flagged_sentences_and_signals_per_check(spanish):
    spanish_run = json.loads((spanish / "run-report.json").read_text(encoding="utf-8"))["languages"][0]
    assert spanish_run["flagged"] >= 10
    assert spanish_run["signals"]["unknown-words"] >= 50  # 62 of 114 Spanish sentences hold an unknown word
    assert spanish_run["glossary_violations"] == 0


def cli(project: Project, *args: str) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=project)


def test_review_next_shows_the_worst_sentences_first_with_their_reasons(spanish):
    done = cli(spanish, "review", "next", "--lang", "es", "-n", "5", "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    items = answer["items"]
    assert len(items) == 5 and answer["flagged"] >= 5 and answer["waiting"] >= 100
    risks = [item["risk"] for item in items]  # the calibrated risk (translate.review.prediction) orders the queue
    assert risks == sorted(risks, reverse=True) and all(item["flagged"] for item in items)
    assert all(item["reasons"] for item in items)
    assert any(r.startswith(("unknown words", "engine errors")) for item in items for r in item["reasons"])


def test_review_next_prints_file_line_draft_and_the_checks_for_a_person(spanish):
    done = cli(spanish, "review", "next", "--lang", "es", "-n", "3")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Spanish (es): ") and "flagged" in lines[0]
    assert sum(line.startswith("   check:  ") for line in lines) >= 3
    assert any(line.startswith("1. the-virtual-factory") for line in lines)


def test_an_approved_sentence_leaves_the_queue_and_the_rest_keep_their_order(spanish):
    config = spanish.config
    from translate.texts import load_texts

    texts = load_texts(config)
    with spanish.memory() as memory:
        before = review_queue(memory, texts, "es")
        first = before[0]
        memory.record_review(
            ReviewDecision(
                source_hash=first.source_hash,
                source_lang="en",
                target_lang="es",
                reviewer="Ana",
                time="2026-11-20T10:00:00Z",
                machine_text=first.translation,
                final_text=first.translation,
                status="approved",
                document=first.text,
                segment_id=first.msgctxt,
            )
        )
        after = review_queue(memory, texts, "es")
    assert first.source_hash not in {item.source_hash for item in after}
    assert [i.source_hash for i in after] == [i.source_hash for i in before[1:]]
    assert [i.position for i in after] == list(range(1, len(after) + 1))


def test_review_next_without_a_memory_says_to_run_first(tmp_path):
    project = Project(tmp_path / "p").add_essays().configure(["es"], engine={"default": "apertium"})
    done = cli(project, "review", "next", "--lang", "es")
    assert done.returncode == 2 and "translate run" in done.stderr and len(done.stderr.strip().splitlines()) == 1
