"""What happens inside a community of practice: creating it (through the publishing workflow),
joining, leaving and the moderators' handling of members, opening topics and replying.

The posting services (``start_topic``, ``post_reply``) are what the pages and the e-mail reply
path call: each checks who writes where, the text, the files and the linked records, and the
flood limits, then saves everything or nothing. Texts are kept as plain text; pages escape them.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.community import alumni
from clearinghouse.community.models import (
    Community,
    MemberRole,
    Membership,
    MemberStatus,
    Post,
    PostAttachment,
    Topic,
    TopicKind,
)
from clearinghouse.community.permissions import (
    is_active_member,
    may_create_communities,
    may_post,
    may_read,
    membership_of,
    moderates,
)
from clearinghouse.core.detection import detect_language
from clearinghouse.publishing import registry, workflow
from clearinghouse.support import uploads

if TYPE_CHECKING:
    from clearinghouse.accounts.models import User
    from clearinghouse.geo.models import Country
    from clearinghouse.organisations.models import Organisation

__all__ = [
    "Attachment",
    "create_community",
    "join",
    "leave",
    "may_post",
    "may_read",
    "membership_of",
    "moderates",
    "post_reply",
    "start_topic",
]

TITLE_LENGTH = 200
BODY_LENGTH = 10_000
MAX_RECORDS = 10
# (window in seconds, posts allowed in it): a burst, and a steadier flood.
FLOOD_LIMITS = ((120, 5), (3600, 30))


@dataclass(frozen=True)
class Attachment:
    """A file already checked by the upload rules (support/uploads.py), with the name to keep."""

    name: str
    content: bytes
    media_type: str


# ---------------------------------------------------------------------------------------------
# The community record


@transaction.atomic
def create_community(
    *, actor: User | None, owner: Country | Organisation, values: Mapping[str, Any], note: str = ""
) -> Community:
    """A new draft community for ``owner`` (reviewed and published like any record). Its
    creator is its first moderator, so it has one from the moment it is published."""
    if actor is not None and not may_create_communities(actor):
        raise PermissionDenied(_("You cannot propose communities of practice."))
    community = workflow.create(Community, actor=actor, owner=owner, values=values, note=note)
    if actor is not None:
        Membership.objects.create(
            community=community,
            person=actor,
            role=MemberRole.MODERATOR,
            status=MemberStatus.ACTIVE,
            accepted_conduct_at=timezone.now(),
        )
    return community


# ---------------------------------------------------------------------------------------------
# Membership


@transaction.atomic
def join(*, person: User, community: Community, accepts_conduct: bool) -> Membership:
    """Join a live community: at once in a public one, as a request a moderator approves in a
    members-only one. Accepting the code of conduct is required; a banned person cannot come
    back; asking again changes nothing."""
    if not community.live:
        raise ValidationError(_("This community is not open."), code="not_live")
    if not accepts_conduct:
        raise ValidationError(_("To join, accept the community's code of conduct."), code="conduct")
    membership = Membership.objects.select_for_update().filter(community=community, person=person).first()
    status = MemberStatus.ACTIVE if community.is_public else MemberStatus.PENDING
    if membership is None:
        return Membership.objects.create(
            community=community, person=person, status=status, accepted_conduct_at=timezone.now()
        )
    if membership.status == MemberStatus.BANNED:
        raise ValidationError(_("You were banned from this community."), code="banned")
    if membership.status == MemberStatus.LEFT:
        membership.status = status
        membership.role = MemberRole.MEMBER
        membership.accepted_conduct_at = timezone.now()
        membership.save(update_fields=["status", "role", "accepted_conduct_at"])
    return membership


@transaction.atomic
def leave(*, person: User, community: Community) -> Membership | None:
    """Leave the community (or withdraw a request to join). A ban stays a ban."""
    membership = Membership.objects.select_for_update().filter(community=community, person=person).first()
    if membership is None or membership.status in {MemberStatus.LEFT, MemberStatus.BANNED}:
        return membership
    membership.status = MemberStatus.LEFT
    membership.role = MemberRole.MEMBER
    membership.save(update_fields=["status", "role"])
    return membership


def _moderated_membership(actor: User, membership: Membership) -> Membership:
    """The membership, locked, once ``actor`` is known to moderate its community."""
    if not moderates(actor, membership.community):
        raise PermissionDenied(_("Only the community's moderators can do this."))
    return Membership.objects.select_for_update().select_related("community").get(pk=membership.pk)


@transaction.atomic
def approve(*, actor: User, membership: Membership) -> Membership:
    """A moderator lets in someone who asked to join."""
    membership = _moderated_membership(actor, membership)
    if membership.status != MemberStatus.PENDING:
        raise ValidationError(_("This person has not asked to join."), code="not_pending")
    membership.status = MemberStatus.ACTIVE
    membership.save(update_fields=["status"])
    return membership


@transaction.atomic
def decline(*, actor: User, membership: Membership) -> None:
    """A moderator turns down a request to join; the person may ask again later."""
    membership = _moderated_membership(actor, membership)
    if membership.status != MemberStatus.PENDING:
        raise ValidationError(_("This person has not asked to join."), code="not_pending")
    membership.delete()


@transaction.atomic
def set_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """A moderator makes an active member a moderator, or a moderator a member again."""
    membership = _moderated_membership(actor, membership)
    if role not in MemberRole.values:
        raise ValidationError(_("Unknown role."), code="role")
    if not membership.is_active:
        raise ValidationError(_("Only active members can be moderators."), code="not_active")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


# ---------------------------------------------------------------------------------------------
# Topics and posts


def _refusal_for_writer(person: Any, community: Community, membership: Membership | None) -> str | None:
    """Why this person cannot write in the community, or None."""
    if not community.live:
        return _("This community is not open.")
    if person is None or not getattr(person, "is_authenticated", False):
        return _("Sign in and join the community to write in it.")
    if membership is None or membership.status == MemberStatus.LEFT:
        return _("Only members of the community can write in it. Join it first.")
    if membership.status == MemberStatus.PENDING:
        return _("Your request to join is waiting for a moderator: you can write once it is approved.")
    if membership.status == MemberStatus.BANNED:
        return _("You were banned from this community and cannot write in it.")
    return None


def _clean_body(body: str) -> str:
    text = (body or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if not text:
        raise ValidationError(_("Write a message."), code="empty")
    if len(text) > BODY_LENGTH:
        raise ValidationError(
            _("The message is too long: at most %(limit)s characters.") % {"limit": BODY_LENGTH},
            code="too_long",
        )
    return text


def _clean_title(title: str) -> str:
    text = " ".join((title or "").split())
    if not text:
        raise ValidationError(_("Give the topic a title."), code="empty_title")
    if len(text) > TITLE_LENGTH:
        raise ValidationError(
            _("The title is too long: at most %(limit)s characters.") % {"limit": TITLE_LENGTH},
            code="title_too_long",
        )
    return text


def _check_files(files: Sequence[Any]) -> list[Attachment]:
    """Every file by the resources' upload rules; any refused file refuses the post (with the
    reason), so that nothing is half-posted."""
    most = int(getattr(settings, "COMMUNITY_POST_MAX_ATTACHMENTS", 5))
    if len(files) > most:
        raise ValidationError(
            _("At most %(count)s files can be attached to a message.") % {"count": most},
            code="too_many_files",
        )
    limit = int(settings.SUPPORT_UPLOAD_MAX_BYTES)
    kept: list[Attachment] = []
    for item in files:
        if isinstance(item, UploadedFile):
            name = item.name or "file"
            try:
                checked = uploads.check(item)
            except ValidationError as error:
                raise ValidationError(f"{name}: {' '.join(error.messages)}", code="bad_file") from None
        else:
            # (name, bytes), or a file another channel checked already (name, content, ...):
            # checked again here, whoever sends it.
            name, content = item if isinstance(item, tuple) else (item.name, item.content)
            if not content:
                raise ValidationError(_("%(name)s: the file is empty.") % {"name": name}, code="bad_file")
            if len(content) > limit:
                raise ValidationError(
                    _("%(name)s: the file is larger than %(limit)s.")
                    % {"name": name, "limit": filesizeformat(limit)},
                    code="bad_file",
                )
            try:
                checked = uploads.sniff(content)
            except ValidationError as error:
                raise ValidationError(f"{name}: {' '.join(error.messages)}", code="bad_file") from None
        stem = os.path.splitext(os.path.basename(str(name)))[0][:150] or "attachment"
        # The name given is kept, with the extension of the type found in the content.
        kept.append(Attachment(f"{stem}.{checked.extension}", checked.content, checked.media_type))
    return kept


def _check_records(identifiers: Sequence[str]) -> list[str]:
    """The linked records' identifiers, upper-cased and once each; every one must name a
    published record."""
    wanted = list(dict.fromkeys(str(identifier).strip().upper() for identifier in identifiers if identifier))
    if len(wanted) > MAX_RECORDS:
        raise ValidationError(
            _("A message can link to at most %(count)s records.") % {"count": MAX_RECORDS}, code="too_many"
        )
    for identifier in wanted:
        record = registry.find(identifier)
        if record is None or not record.live:
            raise ValidationError(
                _("%(identifier)s is not a published record: check the identifier.")
                % {"identifier": identifier},
                code="unknown_record",
            )
    return wanted


def _flood_keys(person: User) -> list[tuple[str, int, int]]:
    now = int(time.time())
    digest = hashlib.sha256(str(person.pk).encode()).hexdigest()[:16]
    return [
        (f"community:posts:{digest}:{window}:{now // window}", limit, window)
        for window, limit in FLOOD_LIMITS
    ]


def _check_flood(person: User) -> None:
    keys = _flood_keys(person)
    counts = cache.get_many([key for key, _limit, _window in keys])
    if any(int(counts.get(key, 0)) >= limit for key, limit, _window in keys):
        raise ValidationError(_("You are posting too fast. Wait a few minutes and try again."), code="flood")


def reset_flood(person: User) -> None:
    """Forget the person's recent posts for the flood limits (the demo data writes many at once)."""
    cache.delete_many([key for key, _limit, _window in _flood_keys(person)])


def _count_post(person: User) -> None:
    for key, _limit, window in _flood_keys(person):
        # add() starts the counter with the window's lifetime; incr() keeps its expiry.
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=window)


def _save_post(
    *, topic: Topic, author: User, body: str, files: list[Attachment], records: list[str], by_email: bool
) -> Post:
    post = Post.objects.create(
        topic=topic,
        author=author,
        body=body,
        language=detect_language(body) or "",
        records=records,
        by_email=by_email,
    )
    for upload in files:
        attachment = PostAttachment(
            post=post, name=upload.name[:200], media_type=upload.media_type[:100], size=len(upload.content)
        )
        attachment.file.save(upload.name[:100], ContentFile(upload.content), save=False)
        attachment.save()
    Topic.objects.filter(pk=topic.pk).update(last_posted_at=post.created_at)
    topic.last_posted_at = post.created_at
    alumni.mark_active(author, post.created_at)
    # Counted once everything was checked: a refused post costs no allowance.
    _count_post(author)
    return post


@transaction.atomic
def start_topic(
    *,
    author: User,
    community: Community,
    title: str,
    body: str,
    kind: str = TopicKind.DISCUSSION,
    files: Sequence[Any] = (),
    records: Sequence[str] = (),
) -> Topic:
    """Open a discussion (any active member) or an announcement (moderators only) with its
    first post. ``files``: uploads, (name, bytes) pairs or checked files, all checked here."""
    membership = membership_of(author, community)
    refusal = _refusal_for_writer(author, community, membership)
    if refusal:
        raise ValidationError(refusal, code="not_member")
    if kind not in TopicKind.values:
        raise ValidationError(_("Unknown kind of topic."), code="kind")
    if kind == TopicKind.ANNOUNCEMENT and not moderates(author, community, membership):
        raise ValidationError(_("Only moderators can post announcements."), code="announcement")
    clean_title = _clean_title(title)
    text = _clean_body(body)
    checked = _check_files(files)
    linked = _check_records(records)
    _check_flood(author)
    topic = Topic.objects.create(
        community=community,
        title=clean_title,
        kind=kind,
        author=author,
        language=detect_language(f"{clean_title}\n{text}") or "",
    )
    _save_post(topic=topic, author=author, body=text, files=checked, records=linked, by_email=False)
    return topic


@transaction.atomic
def post_reply(
    *,
    author: User,
    topic: Topic,
    body: str,
    files: Sequence[Any] = (),
    records: Sequence[str] = (),
    by_email: bool = False,
) -> Post:
    """Reply in a topic: an active member, to a topic neither closed nor hidden."""
    topic = Topic.objects.select_for_update().select_related("community").get(pk=topic.pk)
    community = topic.community
    membership = membership_of(author, community)
    refusal = _refusal_for_writer(author, community, membership)
    if refusal:
        raise ValidationError(refusal, code="not_member")
    if topic.hidden_at is not None:
        raise ValidationError(_("This topic was hidden by a moderator: it takes no replies."), code="hidden")
    if topic.closed_at is not None:
        raise ValidationError(_("This topic is closed: it takes no more replies."), code="closed")
    text = _clean_body(body)
    checked = _check_files(files)
    linked = _check_records(records)
    _check_flood(author)
    return _save_post(topic=topic, author=author, body=text, files=checked, records=linked, by_email=by_email)


def topics_for(person: Any, community: Community) -> QuerySet[Topic]:
    """The community's topics as this reader sees them: hidden topics for moderators only."""
    topics = Topic.objects.filter(community=community)
    if not moderates(person, community):
        topics = topics.filter(hidden_at__isnull=True)
    return topics


def active_members(community: Community) -> QuerySet[Membership]:
    return Membership.objects.filter(community=community, status=MemberStatus.ACTIVE)


def members_count(community: Community) -> int:
    return active_members(community).count()


def may_write(person: Any, community: Community) -> bool:
    """Whether the person may open topics in the community now."""
    return _refusal_for_writer(person, community, membership_of(person, community)) is None


def is_member(person: Any, community: Community) -> bool:
    return is_active_member(membership_of(person, community))
