"""The time zone names the system knows (IANA), read from disk once per process: listing them
walks the zone directory, which took longer than saving the event that asked."""

from __future__ import annotations

import functools
import zoneinfo


@functools.cache
def known() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def names() -> tuple[str, ...]:
    """Every known name, sorted."""
    return tuple(sorted(known()))
