from __future__ import annotations

from typing import Any

from axes.utils import reset

from clearinghouse.accounts import tokens
from clearinghouse.accounts.models import User


def lift_lockout(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    """A new password lifts the lock that failed sign-ins put on the account, as the lockout
    page promises: the person proved they hold the address (reset) or the old password
    (change). Failures are counted by the address or name typed, so both are cleared."""
    for name in {user.email.lower(), user.get_username().lower()} - {""}:
        reset(username=name)


def revoke_api_tokens(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    """A new password revokes every API token: whoever knew the old one may have made some."""
    tokens.revoke_all(user)
