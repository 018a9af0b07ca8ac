"""Keeping a community to its code of conduct: members report posts; moderators (the
community's, and the Secretariat everywhere) hide posts and topics, close, reopen and pin
topics, and ban members or lift a ban. Each service checks who acts and is atomic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.community.models import (
    Community,
    MemberRole,
    Membership,
    MemberStatus,
    Post,
    PostReport,
    ReportReason,
    Topic,
)
from clearinghouse.community.permissions import is_active_member, membership_of, moderates

if TYPE_CHECKING:
    from clearinghouse.accounts.models import User

REASON_LENGTH = 300


def _require_moderator(actor: Any, community: Community) -> None:
    if not moderates(actor, community):
        raise PermissionDenied(_("Only the community's moderators can do this."))


def _reason(reason: str) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise ValidationError(_("Give a reason: the person concerned will read it."), code="reason")
    return text[:REASON_LENGTH]


@transaction.atomic
def report(*, reporter: User, post: Post, reason: str, comment: str = "") -> PostReport:
    """A member tells the moderators that a post breaks the rules; once per person and post."""
    community = post.topic.community
    if not is_active_member(membership_of(reporter, community)):
        raise ValidationError(_("Only members of the community can report posts."), code="not_member")
    if reason not in ReportReason.values:
        raise ValidationError(_("Choose a reason."), code="reason")
    if post.author_id == reporter.pk:
        raise ValidationError(_("You cannot report your own post."), code="own")
    try:
        with transaction.atomic():
            return PostReport.objects.create(
                post=post, reporter=reporter, reason=reason, comment=" ".join(comment.split())[:500]
            )
    except IntegrityError:
        raise ValidationError(_("You have reported this post already."), code="reported") from None


def open_reports(community: Community) -> QuerySet[PostReport]:
    """Reports no moderator has dealt with yet, newest first."""
    return (
        PostReport.objects.filter(post__topic__community=community, resolved_at__isnull=True)
        .select_related("post__topic", "post__author", "reporter")
        .order_by("-created_at")
    )


def _resolve_reports(post: Post, actor: User) -> None:
    PostReport.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )


@transaction.atomic
def dismiss_reports(*, actor: User, post: Post) -> int:
    """The moderator read the reports and leaves the post as it is."""
    _require_moderator(actor, post.topic.community)
    return PostReport.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )


@transaction.atomic
def hide_post(*, actor: User, post: Post, reason: str) -> Post:
    """Hide a post: members see that a moderator hid it; its text stays for moderators."""
    _require_moderator(actor, post.topic.community)
    post.hidden_at = timezone.now()
    post.hidden_by = actor
    post.hidden_reason = _reason(reason)
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    _resolve_reports(post, actor)
    return post


@transaction.atomic
def show_post(*, actor: User, post: Post) -> Post:
    """Undo hiding a post."""
    _require_moderator(actor, post.topic.community)
    post.hidden_at = None
    post.hidden_by = None
    post.hidden_reason = ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return post


def _topic_update(actor: User, topic: Topic, **values: Any) -> Topic:
    _require_moderator(actor, topic.community)
    for name, value in values.items():
        setattr(topic, name, value)
    topic.save(update_fields=list(values))
    return topic


@transaction.atomic
def close_topic(*, actor: User, topic: Topic) -> Topic:
    """A closed topic stays readable and takes no more replies."""
    return _topic_update(actor, topic, closed_at=topic.closed_at or timezone.now())


@transaction.atomic
def reopen_topic(*, actor: User, topic: Topic) -> Topic:
    return _topic_update(actor, topic, closed_at=None)


@transaction.atomic
def pin_topic(*, actor: User, topic: Topic, pinned: bool = True) -> Topic:
    """Pinned topics come first in the community's list."""
    return _topic_update(actor, topic, pinned=pinned)


@transaction.atomic
def hide_topic(*, actor: User, topic: Topic, hidden: bool = True) -> Topic:
    """A hidden topic is seen by moderators only and takes no replies."""
    return _topic_update(actor, topic, hidden_at=timezone.now() if hidden else None)


@transaction.atomic
def ban(*, actor: User, community: Community, person: User, reason: str) -> Membership:
    """Ban someone from the community: they cannot post, read it if it is members-only, or
    join again. A moderator cannot ban themselves; only the Secretariat bans a moderator."""
    _require_moderator(actor, community)
    if person.pk == actor.pk:
        raise ValidationError(_("You cannot ban yourself."), code="self")
    text = _reason(reason)
    membership, _created = Membership.objects.select_for_update().get_or_create(
        community=community,
        person=person,
        defaults={"status": MemberStatus.BANNED, "banned_at": timezone.now()},
    )
    if membership.role == MemberRole.MODERATOR and membership.is_active:
        from clearinghouse.accounts import roles

        if not roles.is_secretariat(actor):
            raise PermissionDenied(_("Only the Secretariat can ban a moderator."))
    membership.status = MemberStatus.BANNED
    membership.role = MemberRole.MEMBER
    membership.banned_at = timezone.now()
    membership.banned_by = actor
    membership.ban_reason = text
    membership.save(update_fields=["status", "role", "banned_at", "banned_by", "ban_reason"])
    return membership


@transaction.atomic
def lift_ban(*, actor: User, membership: Membership) -> Membership:
    """Lift a ban: the person is out of the community and may join again."""
    _require_moderator(actor, membership.community)
    if membership.status != MemberStatus.BANNED:
        raise ValidationError(_("This person is not banned."), code="not_banned")
    membership.status = MemberStatus.LEFT
    membership.banned_at = None
    membership.banned_by = None
    membership.ban_reason = ""
    membership.save(update_fields=["status", "banned_at", "banned_by", "ban_reason"])
    return membership
