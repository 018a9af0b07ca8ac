"""Whose forms wait in a browser's outbox: an opaque key of the signed-in person, the same on
every page and in the replay token, so a shared browser sends and shows each person only their
own forms (and the offline copies of one person are dropped when another signs in)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.crypto import salted_hmac

_SALT = "clearinghouse.outbox.person"


def browser_key(user: Any) -> str:
    """The person's key, or "" for someone not signed in. Says nothing about the person: an
    HMAC of their number under the site's secret."""
    if user is None or not user.is_authenticated:
        return ""
    return salted_hmac(_SALT, str(user.pk), algorithm="sha256").hexdigest()[:24]


def person(request: HttpRequest) -> dict[str, str]:
    """Context processor: the key as the page's ``<body data-person>``."""
    return {"outbox_person": browser_key(getattr(request, "user", None))}
