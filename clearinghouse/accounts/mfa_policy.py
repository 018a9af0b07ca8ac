"""Who must turn on a second factor before acting, and whether they have.

The roles that publish or coordinate for others — the Secretariat, national focal points, the
help desk, translators — and anyone who may open the admin act on records and people that are not their own:
a stolen password alone must not be enough to act as them. They sign in with a code from an
authenticator app (TOTP) or a passkey (WebAuthn). Recovery codes only stand in for those.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import Role

# The one list of roles that need a second factor.
# A translator publishes texts onto other people's records when reviewing a translation.
SECOND_FACTOR_ROLES = frozenset({Role.SECRETARIAT, Role.FOCAL_POINT, Role.HELPDESK_AGENT, Role.TRANSLATOR})

# The authenticators that count as a second factor of their own.
SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def requires_second_factor(user: Any) -> bool:
    """Whether this person's roles (or admin access) call for a second factor."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    return any(roles.has_role(user, role) for role in SECOND_FACTOR_ROLES)


def has_second_factor(user: Any) -> bool:
    """Whether the person has an authenticator app or a passkey turned on."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES).exists())


def needs_second_factor(user: Any) -> bool:
    """True for a person who must turn on a second factor before acting and has not yet."""
    return requires_second_factor(user) and not has_second_factor(user)


def role_requires_second_factor(role: Role | str) -> bool:
    """Whether holding this role calls for a second factor (for invitations, before appointing)."""
    return role in SECOND_FACTOR_ROLES
