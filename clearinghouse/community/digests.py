"""E-mail digests of communities of practice: daily or weekly, each active member gets the posts
written since their last digest (or since they joined) that they have not written themselves and
that no moderator hid, topic by topic, in their own language, with a reply address per topic
(mail_replies.py) and a one-click unsubscribe link (RFC 8058).

Never twice: the digest of a period ("daily:2026-12-06", "weekly:2026-W49") is recorded as a
DigestDelivery, unique per membership and period, in the same transaction that moves the
member's watermark (``digested_until``); the e-mail is queued only once that transaction has
committed. A job retried after a failure, or two runs at once, find the period done (or lose the
race on the unique key) and send nothing more. Nothing new, nothing sent.

Digests are about membership, not alumni consent: whoever is an active member gets them until
they choose "never"; those who asked to join, left or were banned get none.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from clearinghouse.community import mail_replies
from clearinghouse.community.models import (
    DigestDelivery,
    DigestFrequency,
    Membership,
    MemberStatus,
    Post,
    Topic,
    TopicKind,
)
from clearinghouse.core.mail import compose, site_url
from clearinghouse.core.multilingual import show

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "clearinghouse.community.digest.unsubscribe"
# Posts listed per topic; the topic's link leads to the rest.
POSTS_PER_TOPIC = 5
EXCERPT_CHARACTERS = 300
# A digest sent on demand (the senddigests command) rather than on schedule.
NOW = "now"


def period_key(frequency: str, now: datetime) -> str:
    """The period a digest of ``frequency`` sent at ``now`` (UTC) belongs to: "daily:2026-12-06",
    "weekly:2026-W49" (ISO week), or "now:2026-12-06T07:31" for one sent on demand."""
    now = now.astimezone(UTC)
    if frequency == DigestFrequency.DAILY:
        return f"daily:{now.date().isoformat()}"
    if frequency == DigestFrequency.WEEKLY:
        year, week, _weekday = now.isocalendar()
        return f"weekly:{year}-W{week:02d}"
    return f"{NOW}:{now:%Y-%m-%dT%H:%M}"


def receivers(frequency: str | None = None) -> QuerySet[Membership]:
    """The memberships that get digests (of ``frequency``; of any but "never" when None):
    active members, with an active account and an address, of communities that are public."""
    memberships = Membership.objects.filter(
        status=MemberStatus.ACTIVE, person__is_active=True, community__live=True
    ).exclude(person__email="")
    if frequency is None:
        return memberships.exclude(digest=DigestFrequency.NEVER)
    return memberships.filter(digest=frequency)


def new_posts(membership: Membership, until: datetime) -> list[Post]:
    """The posts of the member's community written after their last digest (or after they
    joined) and up to ``until``, that they can read and did not write: not hidden, in topics
    not hidden. Oldest first."""
    since = membership.digested_until or membership.joined_at
    return list(
        Post.objects.filter(
            topic__community_id=membership.community_id,
            created_at__gt=since,
            created_at__lte=until,
            hidden_at__isnull=True,
            topic__hidden_at__isnull=True,
        )
        .exclude(author_id=membership.person_id)
        .select_related("topic", "author")
        .order_by("created_at", "pk")
    )


def send_digests(frequency: str | None, now: datetime | None = None) -> int:
    """Send the digest of ``frequency`` (daily or weekly; None: every member's now, whatever
    their frequency) to each member who has something new; return how many were sent. Each
    member in a transaction of their own, so one failure leaves the others done."""
    now = now or timezone.now()
    period = period_key(frequency or NOW, now)
    sent = 0
    for pk in receivers(frequency).order_by("pk").values_list("pk", flat=True):
        try:
            sent += send_digest(pk, period, now, frequency=frequency)
        except IntegrityError:
            # Another run recorded this period's digest first: it sends it.
            logger.info("Community digest %s of membership %s already sent by another run", period, pk)
    return sent


def send_digest(membership_id: int, period: str, now: datetime, *, frequency: str | None = None) -> bool:
    """The member's digest for ``period``, if they still get digests (of ``frequency``), none
    was sent for this period yet and there is something new; whether one was sent."""
    with transaction.atomic():
        membership = (
            receivers(frequency)
            # The membership's row only: its person and community stay free for others.
            .select_for_update(of=("self",))
            .select_related("person", "community")
            .filter(pk=membership_id)
            .first()
        )
        if membership is None or membership.digests.filter(period=period).exists():
            return False
        posts = new_posts(membership, now)
        membership.digested_until = now
        membership.save(update_fields=["digested_until"])
        if not posts:
            return False
        delivery = DigestDelivery.objects.create(membership=membership, period=period, posts=len(posts))
        message = _message(membership, posts, delivery)
        transaction.on_commit(message.send)
    return True


# ---------------------------------------------------------------------------------------------
# One-click unsubscribe


def unsubscribe_token(membership: Membership) -> str:
    """What a digest's unsubscribe link carries: the membership, signed. It does not expire: the
    link in an old digest must still work."""
    return signing.dumps(membership.pk, salt=UNSUBSCRIBE_SALT)


def membership_of_token(token: str) -> Membership | None:
    """The membership an unsubscribe link names; None when the token was altered."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Membership.objects.select_related("community", "person").filter(pk=pk).first()


def set_frequency(membership: Membership, frequency: str) -> Membership:
    """How often the member gets the community's digest (daily, weekly or never)."""
    membership.digest = DigestFrequency(frequency)
    Membership.objects.filter(pk=membership.pk).update(digest=membership.digest)
    return membership


# ---------------------------------------------------------------------------------------------
# The e-mail


@dataclass(frozen=True)
class Section:
    """One topic of a digest: its new posts (the latest few) and where to read and answer it."""

    topic: Topic
    posts: list[dict[str, Any]]
    more: int
    url: str
    reply_address: str


def author_name(person: Any) -> str:
    """How a post's author is named to other members: never by their e-mail address."""
    if person is None:
        return _("A former member")
    if getattr(person, "is_closed", False):
        return str(person)
    return str(person.get_full_name() or _("A member"))


def _sections(membership: Membership, posts: list[Post]) -> list[Section]:
    by_topic: dict[int, list[Post]] = {}
    for post in posts:
        by_topic.setdefault(post.topic_id, []).append(post)
    sections = []
    for topic_posts in by_topic.values():
        topic = topic_posts[0].topic
        url = site_url(topic.get_absolute_url())
        shown = topic_posts[-POSTS_PER_TOPIC:]
        sections.append(
            Section(
                topic=topic,
                posts=[
                    {
                        "author": author_name(post.author),
                        "excerpt": Truncator(" ".join(post.body.split())).chars(EXCERPT_CHARACTERS),
                        "created_at": post.created_at,
                        "url": f"{url}#post-{post.pk}",
                    }
                    for post in shown
                ],
                more=len(topic_posts) - len(shown),
                url=url,
                reply_address=mail_replies.reply_address(topic.pk, membership.pk),
            )
        )
    # Announcements first, then the topics with the latest posts.
    sections.sort(key=lambda section: section.posts[-1]["created_at"], reverse=True)
    sections.sort(key=lambda section: section.topic.kind != TopicKind.ANNOUNCEMENT)
    return sections


def language_of(membership: Membership) -> str:
    return str(membership.person.preferred_language or settings.LANGUAGE_CODE)


def _message(membership: Membership, posts: list[Post], delivery: DigestDelivery) -> Any:
    """The digest e-mail, written in the member's language."""
    person, community = membership.person, membership.community
    with translation.override(language_of(membership)):
        sections = _sections(membership, posts)
        values = {
            "person": person,
            "community_name": show(community.name, community.original_language).text or community.identifier,
            "community_url": site_url(community.get_absolute_url()),
            "sections": sections,
            "count": len(posts),
            "person_digest": membership.digest,
            "settings_url": site_url(reverse("community:digest_settings")),
            "unsubscribe_url": site_url(
                reverse("community:digest_unsubscribe", args=[unsubscribe_token(membership)])
            ),
        }
        subject = render_to_string("community/mail/digest_subject.txt", values).strip()
        body = render_to_string("community/mail/digest_message.txt", values)
        message = compose(subject, body, [person.email])
    single = sections[0].topic.pk if len(sections) == 1 else None
    reply_to = sections[0].reply_address if single is not None else mail_replies.digest_address(membership.pk)
    message.extra_headers.update(
        {
            "Message-ID": mail_replies.digest_message_id(delivery.pk, membership.pk, single),
            "Reply-To": reply_to,
            "List-Unsubscribe": f"<{values['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # Written by a program (RFC 3834): out-of-office responders stay quiet.
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        }
    )
    return message
