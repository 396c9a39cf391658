"""The API's refusals: an HTTP status and one sentence, answered as LibreTranslate does ({"error": ...})."""

from __future__ import annotations


class ApiError(Exception):
    """A request the API refuses: 400 bad input, 403 key refused, 413 too big, 429 too fast, 503 too busy."""

    def __init__(self, status: int, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after
