"""Timestamps, in the two formats the project writes.

The memory, the review log and the run reports store UTC times in ISO 8601 to
the second ('2024-05-01T09:30:00Z'); PO headers use gettext's own format
('2024-05-01 09:30+0000'). Both come from here, so every file agrees.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> str:
    """Current time as UTC ISO 8601 to the second, e.g. '2024-05-01T09:30:00Z'."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def po_date(moment: datetime | None = None) -> str:
    """Gettext's date format: '2024-05-01 09:30+0000'."""
    return (moment or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M+0000")
