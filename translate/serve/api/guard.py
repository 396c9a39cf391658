"""Who may ask, and how often: API keys and rate limits, checked before any work.

The rules are LibreTranslate's. With `api.keys = "required"` a request
without a key is refused with 400 "Please contact the server operator to get
an API key"; a key that is unknown or revoked is refused with 403 in either
mode. A request with a key is limited by that key's requests per minute,
one without by its address (`api.requests_per_minute`). A list q costs one
per text, as there. Limits are moving windows over the last minute, kept by
the `limits` library (the one Flask-Limiter, and so LibreTranslate, uses),
in memory; an exhausted one answers 429 "Slowdown: N per 1 minute" with a
Retry-After header, which LibreTranslate does not send.

Behind a reverse proxy on this machine uvicorn takes the address from
X-Forwarded-For, so limits apply to the real clients, not to the proxy.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from translate.serve.api.errors import ApiError
from translate.serve.api.keys import ApiKeyStore

KEY_REQUIRED = "Please contact the server operator to get an API key"


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

    def admit(self, api_key: str | None, address: str, cost: int = 1) -> None:
        """Let a request through, charging `cost` to its key or address, or raise ApiError (400/403/429)."""
        if api_key:
            found = self.keys.find(api_key)
            if found is None:
                raise ApiError(403, "Invalid API key")
            who, per_minute = f"key:{found.id}", found.requests_per_minute
        elif self.mode == "required":
            raise ApiError(400, KEY_REQUIRED)
        else:
            who, per_minute = f"address:{address}", self.per_address
        if per_minute <= 0:
            return
        item = self._item(per_minute)
        if not self.limiter.hit(item, who, cost=max(1, cost)):
            reset = self.limiter.get_window_stats(item, who).reset_time
            raise ApiError(429, f"Slowdown: {item}", retry_after=max(1, math.ceil(reset - time.time())))
