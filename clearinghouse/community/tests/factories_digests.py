"""Communities, members, topics and posts for the digest and e-mail reply tests, made directly:
the discussion services are tested on their own, and these tests need posts at chosen times."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from typing import Any

from django.utils import timezone

from clearinghouse.accounts.models import User
from clearinghouse.community.models import Access, Community, Membership, Post, Topic
from clearinghouse.core.testing import make_country, make_user

_numbers = count(1)

POLLINATORS = {
    "en": "Pollinators in farming landscapes",
    "fr": "Pollinisateurs dans les paysages agricoles",
    "ar": "الملقحات في المناظر الطبيعية الزراعية",
    "es": "Polinizadores en paisajes agrícolas",
}
# Members joined an hour ago; posts are written after that unless told otherwise.
JOINED = timedelta(hours=1)


def community(*, access: str = Access.PUBLIC, name: dict[str, str] | None = None, **values: Any) -> Community:
    """A published community of Kenya's."""
    kenya = make_country("KE", "KEN", {"en": "Kenya"})
    number = next(_numbers)
    fields: dict[str, Any] = {
        "identifier": f"CB-COP-KE-{number:06d}",
        "owner_country": kenya,
        "original_language": "en",
        "name": name or POLLINATORS,
        "access": access,
        "state": "published",
        "live": True,
    }
    return Community.objects.create(**(fields | values))


def person(username: str, language: str = "en") -> User:
    return make_user(username, username.capitalize(), "Member", language)


def member(of: Community, who: User, **fields: Any) -> Membership:
    """A membership, joined an hour ago (active and weekly unless told otherwise)."""
    membership = Membership.objects.create(community=of, person=who, **fields)
    Membership.objects.filter(pk=membership.pk).update(joined_at=timezone.now() - JOINED)
    membership.refresh_from_db()
    return membership


def topic(of: Community, title: str = "Which crops need wild bees?", **fields: Any) -> Topic:
    return Topic.objects.create(community=of, title=title, **fields)


def post(
    in_topic: Topic, author: User | None, body: str = "Coffee and apples do.", *, at: datetime | None = None
) -> Post:
    made = Post.objects.create(topic=in_topic, author=author, body=body)
    if at is not None:
        Post.objects.filter(pk=made.pk).update(created_at=at)
        made.refresh_from_db()
    return made
