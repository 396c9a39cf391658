"""Clients sending sentences at once to the API of a running `translate serve` (127.0.0.1 only).

Each client is a thread with its own keep-alive connection that posts one
sentence at a time as JSON to /translate, as Weblate or a browser extension
does, and waits for the answer before the next. Client k starts at its own
place in the list of sentences, so concurrent requests carry different
sentences. The run is bounded twice, in time and in requests per client, and
stops by itself. 200 is an answer, 429 a deliberate refusal (a rate limit),
anything else an error. The server's /health gives the engine calls (batches)
formed meanwhile.

Used by `make bench` (section "api") and by tests/test_api_load.py.
"""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class ApiLoad:
    clients: int
    latencies: list[float] = field(default_factory=list)  # seconds, answered requests
    refused: int = 0  # 429: a rate limit, deliberate
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    batches: dict[str, int] = field(default_factory=dict)  # engine calls formed: size -> count

    @property
    def answered(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    def latency(self, share: float) -> float:
        times = sorted(self.latencies)
        if not times:
            return 0.0
        if share == 0.5:
            return statistics.median(times)
        return times[min(len(times) - 1, int(round(share * (len(times) - 1))))]

    def batch_summary(self) -> str:
        """'1: 12, 2-9: 40, 10-49: 300, 50+: 2' (engine calls by number of sentences)."""
        buckets = {"1": 0, "2-9": 0, "10-49": 0, "50+": 0}
        for size, count in self.batches.items():
            n = int(size)
            key = "1" if n == 1 else "2-9" if n < 10 else "10-49" if n < 50 else "50+"
            buckets[key] += count
        return ", ".join(f"{k}: {v}" for k, v in buckets.items() if v)

    @property
    def mean_batch(self) -> float:
        calls = sum(self.batches.values())
        return sum(int(s) * c for s, c in self.batches.items()) / calls if calls else 0.0


def _connection(base: str) -> http.client.HTTPConnection:
    parts = urlsplit(base)
    assert parts.hostname in ("127.0.0.1", "localhost"), "load tests run against this machine only"
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)


def health(base: str) -> dict:
    connection = _connection(base)
    try:
        connection.request("GET", "/health")
        return json.loads(connection.getresponse().read())
    finally:
        connection.close()


def _batch_diff(before: dict, after: dict) -> dict[str, int]:
    old, new = before["batches"]["sizes"], after["batches"]["sizes"]
    return {size: count - old.get(size, 0) for size, count in new.items() if count - old.get(size, 0) > 0}


def run(
    base: str,
    sentences: list[str],
    clients: int,
    seconds: float,
    requests_each: int,
    source: str = "en",
    targets: tuple[str, ...] = ("es",),
) -> ApiLoad:
    """`clients` threads posting sentences for at most `seconds` and `requests_each` requests each;
    client k asks for `targets[k % len(targets)]`."""
    result = ApiLoad(clients)
    lock = threading.Lock()
    before = health(base)
    deadline = time.monotonic() + seconds

    def client(k: int) -> None:
        connection = _connection(base)
        try:
            for i in range(requests_each):
                if time.monotonic() >= deadline:
                    return
                sentence = sentences[(k * 7 + i) % len(sentences)]
                body = json.dumps({"q": sentence, "source": source, "target": targets[k % len(targets)]}).encode()
                began = time.monotonic()
                try:
                    connection.request("POST", "/translate", body, {"Content-Type": "application/json"})
                    response = connection.getresponse()
                    answer = response.read()
                except (OSError, http.client.HTTPException) as err:
                    with lock:
                        result.errors.append(f"client {k}: {type(err).__name__}: {err}")
                    connection.close()
                    connection = _connection(base)
                    continue
                took = time.monotonic() - began
                with lock:
                    if response.status == 200 and "translatedText" in json.loads(answer):
                        result.latencies.append(took)
                    elif response.status == 429:
                        result.refused += 1
                    else:
                        result.errors.append(f"client {k}: {response.status} {answer[:200]!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - began
    result.batches = _batch_diff(before, health(base))
    return result


def peak_memory_mb(pid: int) -> float:
    """A process's peak resident memory (VmHWM) in MB, read while it still runs."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children_memory_mb(pid: int) -> float:
    """The resident memory (VmRSS) of a process's descendants now, in MB: the Apertium modes it keeps running."""
    total, todo, seen = 0, [pid], set()
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(child) for child in task.read_text().split() if int(child) not in seen]
            except OSError:
                continue
        if current != pid:
            seen.add(current)
            try:
                status = Path(f"/proc/{current}/status").read_text()
            except OSError:
                continue
            total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024
