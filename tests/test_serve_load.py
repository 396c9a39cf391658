"""Twenty reviewers saving at once against a real `translate serve` on 127.0.0.1, four saves each.

No answer other than 200 (saved) or 409 (a deliberate conflict: two people on
the same sentence) is allowed, and every accepted save must be in the memory's
review log, each sentence holding the last text accepted for it. The same
harness gives `make bench` its latency figures (bench/serve_load.py).
"""

from __future__ import annotations

import pytest
from serve_helpers import drafted, invite, running_server, serve_load

from translate.texts import load_texts

pytestmark = pytest.mark.slow

REVIEWERS = 20


def test_twenty_reviewers_saving_at_once_lose_nothing(project):
    drafted(project, ("es",))
    text = next(t for t in load_texts(project.config) if t.stem == "the-virtual-factory")
    sentences = list(dict.fromkeys(text.document.segments))[:30]
    sentence_of = {f"/review/es/{text.stem}/{s.source_hash}": s.text for s in sentences}
    tokens = {f"Reviewer {n:02d}": invite(project, f"Reviewer {n:02d}") for n in range(REVIEWERS)}
    with running_server(project) as base:
        # a count, not a time, ends the run (a loaded machine makes fewer saves in four seconds, never fewer saves)
        result = serve_load.simulate(base, tokens, list(sentence_of), seconds=600.0, saves_each=4)
    assert result.errors == []
    assert len(result.saves) >= REVIEWERS * 4 and len(result.accepted) >= REVIEWERS and result.conflicts
    assert {s.status for s in result.saves} <= {200, 409}
    assert serve_load.check_recorded(project.config.path("memory"), result, sentence_of) == []


def test_twenty_reviewers_following_the_queue_get_different_sentences_and_meet_no_conflict(project):
    """Everyone opens the same text and follows the queue: each is leased a sentence of its own, so no save
    meets another (it was 118 conflicts in 200 saves), and every save is in the log."""
    drafted(project, ("es",))
    text = next(t for t in load_texts(project.config) if t.stem == "the-virtual-factory")
    sentence_of = {f"/review/es/{text.stem}/{s.source_hash}": s.text for s in dict.fromkeys(text.document.segments)}
    tokens = {f"Reader {n:02d}": invite(project, f"Reader {n:02d}") for n in range(REVIEWERS)}
    with running_server(project) as base:
        result = serve_load.follow_queue(base, tokens, f"/review/es/{text.stem}", saves_each=5, think=(0.0, 0.05))
    assert result.errors == [] and result.conflicts == []
    assert len(result.accepted) == REVIEWERS * 5
    assert serve_load.check_recorded(project.config.path("memory"), result, sentence_of) == []
