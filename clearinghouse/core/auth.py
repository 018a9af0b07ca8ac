from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def signed_in(request: HttpRequest) -> AbstractUser:
    """The signed-in person making the request, for the base apps below accounts (the pages
    above it use ``accounts.auth.signed_in``, typed with the platform's user)."""
    if not isinstance(request.user, AbstractUser):
        raise PermissionDenied
    return request.user
