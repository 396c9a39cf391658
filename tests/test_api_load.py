"""Twenty clients translating at once through a real `translate serve --api-only`, for a few seconds.

Every request must be answered (no error, no refusal: there is no rate limit
here), and the engine must have been called with batches of several
requests' sentences: dynamic batching at work. The same harness gives
`make bench` its throughput figures (bench/api_load.py).
"""

from __future__ import annotations

import pytest
from api_helpers import api_load, api_project, api_server

from translate.engines.apertium import ApertiumEngine
from translate.serve.api.service import ApiService
from translate.serve.state import ServerState

pytestmark = [pytest.mark.slow, pytest.mark.apertium]

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


def test_five_target_languages_at_once_are_all_answered_in_batches_per_pair(tmp_path):
    project = api_project(tmp_path / "project")
    sentences = [f"The factory number {n} was designed by capitalists." for n in range(60)]
    targets = ("es", "ca", "gl", "eo", "hr")
    with api_server(project) as base:
        result = api_load.run(base, sentences, clients=25, seconds=4.0, requests_each=10, targets=targets)
        assert api_load.health(base)["queue"]["sentences"] == 0
    assert result.errors == [] and result.refused == 0 and result.answered >= 25
    assert max(int(size) for size in result.batches) > 1, result.batches


def test_apertium_pairs_hold_their_own_lock_and_argos_one_for_all(tmp_path, zh_en_package):
    """Batches of different Apertium pairs run side by side (each call its own processes); Argos batches one at a time."""
    project = api_project(tmp_path / "project", zh_en_package)
    service = ApiService(ServerState.for_config(project.config))
    try:
        locks = {}
        for source, target in (("en", "es"), ("en", "ca"), ("en", "pt"), ("zh", "en")):
            engine, route, _ = service.pair(source, target)
            locks[target] = (engine, service._engine_lock(engine, route))  # noqa: SLF001 - the lock a batch holds
        assert len({id(lock) for _, lock in locks.values()}) == 4
        apertium, _ = locks["es"]
        assert isinstance(apertium, ApertiumEngine) and apertium.keep_running  # the API's small batches go to modes kept running
        argos, argos_lock = locks["en"]
        again = service.pair("zh", "en")
        assert service._engine_lock(argos, again[1]) is argos_lock  # noqa: SLF001
        assert service.executor._max_workers >= 2  # noqa: SLF001 - batches of several pairs at once
    finally:
        service.close()
