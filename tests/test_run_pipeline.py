"""The run stage and the workflow around it: the run stage stores, the workflow writes the files."""

from __future__ import annotations

import pytest

from translate import workflow
from translate.run import runner
from translate.run.pipeline import LanguageRun

pytestmark = [pytest.mark.slow, pytest.mark.apertium]


def test_the_run_stage_stores_translations_and_writes_no_file(project):
    project.add_essays().configure(["es"], engine={"default": "apertium"})
    config = project.config
    stored = runner.run(config)
    [spanish] = stored.languages
    assert spanish.status == "ok" and spanish.translated == spanish.segments > 100
    assert spanish.files_written == [] and not (project / "outputs").exists()
    with project.memory() as memory:
        assert memory.stats("en", "es")["machine"] == spanish.segments

    delivered: list[LanguageRun] = []
    written = runner.run(config, deliver=delivered.append)
    assert [language.target for language in delivered] == ["es"]
    assert (
        delivered[0].route is not None
        and delivered[0].route.steps == ("en", "es")
        and str(delivered[0].signature) == spanish.signature
    )
    assert written.languages[0].engine_calls == 0  # all from the memory

    report, path = workflow.run(config)
    assert path is not None and path.is_file()
    files = report.languages[0].files_written
    assert files == [
        f"outputs/es/{stem}.{suffix}"
        for stem in ("the-virtual-factory-spectacle", "the-virtual-factory")
        for suffix in ("md", "po")
    ]
    assert report.languages[0].engine_calls == 0
    assert all((project / name).is_file() for name in files)
