"""How often the web form takes a question: per client address and per e-mail address, in a
window of time, counted in the cache. Anonymous forms draw spam; a person with a real question
never needs more than a few an hour.

A fixed window (the count's key names the window it falls in) is enough here: it costs one cache
entry per address and window and forgets itself when the window ends.
"""

from __future__ import annotations

import hashlib
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address, behind the same count of trusted proxies as the sign-in lockout
    (so a forged X-Forwarded-For cannot buy fresh allowances)."""
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "") or "unknown"


def _window() -> int:
    return max(60, int(getattr(settings, "HELPDESK_ASK_LIMIT_WINDOW", 3600)))


def _keys(ip: str, email: str) -> list[tuple[str, int]]:
    """The counters a question counts against, with their limits."""
    window = _window()
    slot = int(time.time()) // window

    def key(kind: str, value: str) -> str:
        # Hashed: addresses are personal data and have no place in cache keys.
        digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
        return f"helpdesk:ask:{kind}:{digest}:{slot}"

    keys = [(key("ip", ip), int(getattr(settings, "HELPDESK_ASK_LIMIT_PER_IP", 5)))]
    if email:
        keys.append((key("email", email), int(getattr(settings, "HELPDESK_ASK_LIMIT_PER_ADDRESS", 3))))
    return keys


def allows(ip: str, email: str) -> bool:
    """Whether one more question from this client and address stays within the limits."""
    counts = cache.get_many([key for key, _limit in _keys(ip, email)])
    return all(int(counts.get(key, 0)) < limit for key, limit in _keys(ip, email))


def count(ip: str, email: str) -> None:
    """Count a question taken from this client and address."""
    for key, _limit in _keys(ip, email):
        # add() starts the counter with the window's lifetime; incr() keeps its expiry.
        if not cache.add(key, 1, timeout=_window()):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=_window())
