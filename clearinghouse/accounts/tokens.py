"""Personal API tokens: issued from a signed-in web session only, hashed at rest, each with a
name, a scope and an expiry; revoked by their owner or the Secretariat, and all at once when
their owner's password changes."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from clearinghouse.accounts.models import ApiToken, TokenScope, User
from clearinghouse.core.text import trimmed

# The lifetimes a token may be given, in days; at most a year, so a forgotten key dies.
LIFETIMES = {
    7: gettext_lazy("7 days"),
    30: gettext_lazy("30 days"),
    90: gettext_lazy("90 days"),
    180: gettext_lazy("180 days"),
    365: gettext_lazy("1 year"),
}
DEFAULT_LIFETIME = 90
NAME_MAX_LENGTH = 100
# Recording every use would write to the database on every API call.
LAST_USE_PRECISION = timedelta(minutes=1)


@transaction.atomic
def issue(*, user: User, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns it and its key, which is not stored and cannot be
    shown again."""
    name = trimmed(name)
    if not name:
        raise ValidationError({"name": _("Give the token a name, so you can tell it from your others.")})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {
                "name": ngettext(
                    "A token's name has at most %(count)d character.",
                    "A token's name has at most %(count)d characters.",
                    NAME_MAX_LENGTH,
                )
                % {"count": NAME_MAX_LENGTH}
            }
        )
    if scope not in TokenScope.values:
        raise ValidationError({"scope": _("Choose whether the token may only read, or also write.")})
    if days not in LIFETIMES:
        raise ValidationError({"days": _("Choose how long the token is valid from the list.")})
    token, key = ApiToken.objects.create(user=user, expiry=timedelta(days=days), name=name, scope=scope)
    return token, key


def can_manage(actor: User, token: ApiToken) -> bool:
    return token.user_id == actor.pk or actor.has_perm("accounts.manage_api_tokens")


def revoke(*, actor: User, token: ApiToken) -> None:
    """Revoke one token: its owner may, and the Secretariat may revoke anyone's."""
    if not can_manage(actor, token):
        raise PermissionDenied
    token.delete()


def revoke_all(user: User) -> int:
    """Revoke every token of ``user`` (their password changed: whoever held it may hold a key)."""
    deleted: int = ApiToken.objects.filter(user=user).delete()[0]
    return deleted


def note_use(token: ApiToken) -> None:
    """Record that ``token`` was just used, at most once per LAST_USE_PRECISION; the condition
    sits in the UPDATE itself, so simultaneous requests write it once."""
    now = timezone.now()
    recent = now - LAST_USE_PRECISION
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=recent)
    if ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now):
        token.last_used_at = now


def active_for(user: User | None = None) -> list[ApiToken]:
    """Tokens that still work, newest first: ``user``'s, or everyone's."""
    tokens = ApiToken.objects.filter(expiry__gt=timezone.now()).select_related("user")
    if user is not None:
        tokens = tokens.filter(user=user)
    return list(tokens)
