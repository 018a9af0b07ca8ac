"""Who may read, write in and moderate a community of practice. Pages, the posting services,
attachment downloads, digests and the e-mail reply path all ask these same questions.

A public community is read by anyone; a members-only one by its active members alone (and the
Secretariat, which moderates everywhere). Only active members write. Moderators are the
community's members with that role, and the Secretariat.
"""

from __future__ import annotations

from typing import Any

from clearinghouse.accounts import roles
from clearinghouse.community.models import Community, Membership, MemberStatus, Topic
from clearinghouse.publishing import owners


def _signed_in(person: Any) -> bool:
    return person is not None and bool(getattr(person, "is_authenticated", False))


def membership_of(person: Any, community: Community) -> Membership | None:
    """The person's membership row in the community (whatever its status), or None."""
    if not _signed_in(person):
        return None
    return Membership.objects.filter(community=community, person=person).first()


def is_active_member(membership: Membership | None) -> bool:
    return membership is not None and membership.status == MemberStatus.ACTIVE


def moderates(person: Any, community: Community, membership: Membership | None = None) -> bool:
    """Whether the person moderates the community: an active moderator of it, or the Secretariat.
    ``membership`` spares a query when the caller already has it."""
    if not _signed_in(person):
        return False
    if roles.is_secretariat(person):
        return True
    if membership is None:
        membership = membership_of(person, community)
    return membership is not None and membership.is_moderator


def may_read(person: Any, community: Community, membership: Membership | None = None) -> bool:
    """Whether the person may read the community's topics and posts: anyone in a live public
    community; in a members-only one its active members and the Secretariat. Never a banned
    member of a members-only community."""
    if not community.live:
        return False
    if community.is_public:
        return True
    if not _signed_in(person):
        return False
    if roles.is_secretariat(person):
        return True
    if membership is None:
        membership = membership_of(person, community)
    return is_active_member(membership)


def may_post(person: Any, topic: Topic, membership: Membership | None = None) -> bool:
    """Whether the person may reply in the topic now: an active member, in a live community, to
    a topic neither closed nor hidden."""
    if topic.closed_at is not None or topic.hidden_at is not None:
        return False
    community = topic.community
    if not community.live or not _signed_in(person):
        return False
    if membership is None:
        membership = membership_of(person, community)
    return is_active_member(membership)


def may_create_communities(person: Any) -> bool:
    """The Secretariat, partner editors and focal points (anyone who registers records for a
    Party or an organisation) may propose a community; it is reviewed like any record."""
    return _signed_in(person) and owners.registers_records(person)
