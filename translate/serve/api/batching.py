"""Dynamic batching: sentences of concurrent requests for one language pair go to the engine together.

An engine call has a fixed cost (an Apertium pipeline of processes, a
CTranslate2 batch), so fifty requests of one sentence each are far cheaper
as one call of fifty sentences. Each language pair has one `Batcher`: a
request adds its sentences and waits for their results. While a batch runs,
arrivals queue up; before the next one goes, the batcher waits as long as
requests are still being read and cut into sentences (at most `wait`, 50 ms
by default), so that the clients answered by the last batch, whose next
requests are already on their way, join this one. Without that wait fifty
clients split into two groups that take turns, each batch half as large
(measured: 23 sentences a call instead of 50). Alone, a request waits 2 ms.
So batches stay small (and latency low) when traffic is light, and grow with
load, which is what lets throughput grow with it (`make bench`, section
"api"). A sentence asked for by several requests in the same batch is
translated once.

`WorkQueue` bounds the work accepted: the sentences waiting or being
translated, over all pairs. A request that would take it past the limit is
refused at once (503 with Retry-After) instead of piling up behind the
others, unless the queue is empty: a large request can always run alone. A
request with a Weblate key is let in regardless (`force`): Weblate pauses its
service for 30 minutes on a 503, and it sends one request at a time.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from translate.serve.api.errors import ApiError

Result = TypeVar("Result")

GLANCE = 0.002  # seconds: how often a waiting batch looks whether requests are still arriving


@dataclass
class BatchStats:
    """What the batchers did: engine calls, sentences sent, requests merged, sizes formed."""

    calls: int = 0
    sentences: int = 0
    sizes: Counter[int] = field(default_factory=Counter)

    def record(self, size: int) -> None:
        self.calls += 1
        self.sentences += size
        self.sizes[size] += 1

    def to_dict(self) -> dict[str, object]:
        return {
            "calls": self.calls,
            "sentences": self.sentences,
            "largest": max(self.sizes, default=0),
            "sizes": {str(size): count for size, count in sorted(self.sizes.items())},
        }


class WorkQueue:
    """Sentences accepted and not yet answered, over every pair; refuses past `limit` (event loop only)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.pending = 0

    def reserve(self, count: int, force: bool = False) -> None:
        if count and self.pending and self.pending + count > self.limit and not force:
            raise ApiError(
                503,
                f"Server busy: {self.pending} sentences are waiting for translation "
                f"(at most {self.limit}); try again in a moment",
                retry_after=1,
            )
        self.pending += count

    def release(self, count: int) -> None:
        self.pending = max(0, self.pending - count)


class Batcher(Generic[Result]):
    """One language pair's queue and the task that sends it to the engine in batches."""

    def __init__(
        self,
        run: Callable[[list[str]], Awaitable[list[Result]]],
        wait: float,
        max_size: int,
        stats: BatchStats,
        arriving: Callable[[], int] = lambda: 0,
    ) -> None:
        self.run = run
        self.wait = wait
        self.arriving = arriving
        self.max_size = max_size
        self.stats = stats
        self.pending: list[tuple[str, asyncio.Future[Result]]] = []
        self.task: asyncio.Task[None] | None = None
        self.wake = asyncio.Event()

    async def translate(self, sentences: list[str]) -> list[Result]:
        """Results for the sentences, in order, from whichever batches they join."""
        loop = asyncio.get_running_loop()
        futures: list[asyncio.Future[Result]] = [loop.create_future() for _ in sentences]
        self.pending.extend(zip(sentences, futures))
        self.wake.set()
        if self.task is None or self.task.done():
            self.task = loop.create_task(self._work())
        return list(await asyncio.gather(*futures))

    async def _work(self) -> None:
        while True:
            await self.wake.wait()
            self.wake.clear()
            while self.pending:
                await self._gather()
                batch, self.pending = self.pending[: self.max_size], self.pending[self.max_size :]
                batch = [(s, f) for s, f in batch if not f.done()]  # requests gone meanwhile
                if batch:
                    await self._send(batch)

    async def _gather(self) -> None:
        """Wait a moment, and while requests are still being read, for them to join (at most `wait`)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait
        await asyncio.sleep(min(GLANCE, self.wait))
        while self.arriving() and len(self.pending) < self.max_size and loop.time() < deadline:
            await asyncio.sleep(GLANCE)

    async def _send(self, batch: list[tuple[str, asyncio.Future[Result]]]) -> None:
        unique = list(dict.fromkeys(s for s, _ in batch))
        self.stats.record(len(unique))
        try:
            results = await self.run(unique)
        except Exception as err:  # the engine failed: every request of the batch hears why
            for _, future in batch:
                if not future.done():
                    future.set_exception(err)
            return
        by_sentence = dict(zip(unique, results, strict=True))
        for sentence, future in batch:
            if not future.done():
                future.set_result(by_sentence[sentence])

    def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
