"""Twenty clients translating at once through a real `translate serve --api-only`, for a few seconds.

Every request must be answered (no error, no refusal: there is no rate limit
here), and the engine must have been called with batches of several
requests' sentences: dynamic batching at work. The same harness gives
`make bench` its throughput figures (bench/api_load.py).
"""

from __future__ import annotations

import pytest
from api_helpers import api_load, api_project, api_server

pytestmark = pytest.mark.apertium

CLIENTS = 20


def test_twenty_clients_at_once_are_all_answered_in_shared_batches(tmp_path):
    project = api_project(tmp_path / "project")
    sentences = [f"The factory number {n} was designed by capitalists." for n in range(60)]
    with api_server(project) as base:
        result = api_load.run(base, sentences, clients=CLIENTS, seconds=4.0, requests_each=20)
        assert api_load.health(base)["queue"]["sentences"] == 0
    assert result.errors == [] and result.refused == 0
    assert result.answered >= CLIENTS
    assert max(int(size) for size in result.batches) > 1, result.batches
    assert sum(result.batches.values()) < result.answered  # fewer engine calls than requests
