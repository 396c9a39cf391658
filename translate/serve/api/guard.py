"""Who may ask, and how often: API keys and rate limits.

The rules are LibreTranslate's. With `api.keys = "required"` a request
without a key is refused with 400 "Please contact the server operator to get
an API key"; a key that is unknown or revoked is refused with 403 in either
mode. A request with a key is limited by that key's requests per minute,
one without by its address (`api.requests_per_minute`). A list q costs one
per text, as there. Limits are moving windows over the last minute, kept by
the `limits` library (the one Flask-Limiter, and so LibreTranslate, uses),
in memory; an exhausted one answers 429 "Slowdown: N per 1 minute" with a
Retry-After header, which LibreTranslate does not send.

The key is checked first, the limit charged last: only a request that passed
every other check (its size, its languages) costs anything, so a mistaken
request never uses up the allowance of a good one. A request that could never
pass (a list of more texts than the limit allows in a whole minute) is a 400
saying so, not a 429 to retry forever: Mastodon reads 429 as "too many
requests", and Weblate pauses its service for 30 minutes.

The address is the connection's. Behind a reverse proxy named in
`serve.trusted_proxies`, uvicorn takes it from that proxy's X-Forwarded-For;
from anyone else the header is ignored, so no one can choose the address
their requests are counted against.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from translate.serve.api.errors import ApiError
from translate.serve.api.keys import ApiKeyStore

KEY_REQUIRED = "Please contact the server operator to get an API key"


@dataclass(frozen=True)
class Caller:
    """Whom a request is counted against: a key or an address, its limit, and how it is named."""

    who: str  # "key:3" or "address:192.0.2.7"
    per_minute: int  # texts per minute; 0 = no limit
    unthrottled: bool = False  # a key that is never refused for load (a Weblate key)

    @property
    def named(self) -> str:
        return "this key" if self.who.startswith("key:") else "this address"


class Guard:
    """Checks a request's key and charges its rate limit; raises ApiError when refused."""

    def __init__(self, keys: ApiKeyStore, mode: str, per_address: int) -> None:
        self.keys = keys
        self.mode = mode
        self.per_address = per_address
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self._items: dict[int, RateLimitItemPerMinute] = {}

    def _item(self, per_minute: int) -> RateLimitItemPerMinute:
        if per_minute not in self._items:
            self._items[per_minute] = RateLimitItemPerMinute(per_minute)
        return self._items[per_minute]

    def identify(self, api_key: str | None, address: str) -> Caller:
        """Whom the request is counted against, or ApiError: 403 for an unknown key, 400 without a required one."""
        if api_key:
            found = self.keys.find(api_key)
            if found is None:
                raise ApiError(403, "Invalid API key")
            return Caller(f"key:{found.id}", found.requests_per_minute, found.unthrottled)
        if self.mode == "required":
            raise ApiError(400, KEY_REQUIRED)
        return Caller(f"address:{address}", self.per_address)

    def charge(self, caller: Caller, cost: int = 1) -> None:
        """Count `cost` texts against the caller's minute: 400 if more than a whole minute allows, 429 if spent."""
        if caller.per_minute <= 0:
            return
        cost = max(1, cost)
        if cost > caller.per_minute:
            raise ApiError(
                400,
                f"Invalid request: request ({cost} texts) exceeds text limit "
                f"({caller.per_minute} texts per minute for {caller.named})",
            )
        item = self._item(caller.per_minute)
        if not self.limiter.hit(item, caller.who, cost=cost):
            reset = self.limiter.get_window_stats(item, caller.who).reset_time
            raise ApiError(429, f"Slowdown: {item}", retry_after=max(1, math.ceil(reset - time.time())))
