"""Communities of practice for the discussion and moderation tests, made through the same
services people use."""

from __future__ import annotations

from typing import Any

from clearinghouse.accounts.models import User
from clearinghouse.community import discussions
from clearinghouse.community.models import Access, Community, Membership
from clearinghouse.core.testing import World
from clearinghouse.publishing import workflow


def community(
    world: World,
    *,
    access: str = Access.PUBLIC,
    name: str = "Restoring mangroves",
    language: str = "en",
    creator: User | None = None,
    **values: Any,
) -> Community:
    """A published community proposed by the Kenyan NGO's partner editor (its first moderator)
    and published by the Secretariat."""
    creator = creator or world.partner_editor
    created = discussions.create_community(
        actor=creator,
        owner=world.kenyan_ngo if creator == world.partner_editor else world.kenya,
        values={
            "original_language": language,
            "name": {language: name},
            "description": {language: "Practitioners restoring mangrove forests share what works."},
            "code_of_conduct": {language: "Be kind. Stay on topic. No advertising."},
            "access": access,
            "languages": [language],
            **values,
        },
    )
    workflow.submit(created, actor=creator)
    return workflow.publish(created, actor=world.secretariat)


def member(person: User, of: Community) -> Membership:
    """An active member (approved by the community's moderator where it is members-only)."""
    membership = discussions.join(person=person, community=of, accepts_conduct=True)
    if not membership.is_active:
        moderator = Membership.objects.filter(community=of, role="moderator").first()
        assert moderator is not None
        membership = discussions.approve(actor=moderator.person, membership=membership)
    return membership
