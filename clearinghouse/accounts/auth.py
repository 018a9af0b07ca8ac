from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from clearinghouse.accounts.models import User


def signed_in(request: HttpRequest) -> User:
    """The signed-in person making the request (views behind login_required use it)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user
