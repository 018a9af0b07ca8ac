"""Moderation: members report posts once; moderators hide posts (reports dealt with), pin and
close topics, ban and lift bans; nobody else can."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clearinghouse.community import discussions, moderation
from clearinghouse.community.models import MemberRole, MemberStatus, Post, ReportReason, Topic
from clearinghouse.community.tests.factories_discussions import community, member
from clearinghouse.core.testing import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(world: World) -> Topic:
    public = community(world)
    member(world.learner, public)
    member(world.trainer, public)
    return discussions.start_topic(
        author=world.learner, community=public, title="Buy now", body="Cheap pills."
    )


def test_a_member_reports_a_post_once_and_the_moderator_sees_it(world: World, topic: Topic) -> None:
    post = topic.posts.get()
    moderation.report(reporter=world.trainer, post=post, reason=ReportReason.SPAM, comment="Advert")
    with pytest.raises(ValidationError) as refused:
        moderation.report(reporter=world.trainer, post=post, reason=ReportReason.ABUSE)
    assert refused.value.code == "reported"
    assert [report.reporter for report in moderation.open_reports(topic.community)] == [world.trainer]


def test_strangers_and_authors_cannot_report(world: World, topic: Topic) -> None:
    post = topic.posts.get()
    with pytest.raises(ValidationError):
        moderation.report(reporter=world.outsider, post=post, reason=ReportReason.SPAM)
    with pytest.raises(ValidationError):
        moderation.report(reporter=world.learner, post=post, reason=ReportReason.SPAM)


def test_hiding_a_post_deals_with_its_reports_and_needs_a_reason(world: World, topic: Topic) -> None:
    post = topic.posts.get()
    moderation.report(reporter=world.trainer, post=post, reason=ReportReason.SPAM)
    with pytest.raises(PermissionDenied):
        moderation.hide_post(actor=world.trainer, post=post, reason="Spam")
    with pytest.raises(ValidationError):
        moderation.hide_post(actor=world.partner_editor, post=post, reason="  ")
    moderation.hide_post(actor=world.partner_editor, post=post, reason="Advertising")
    post = Post.objects.get(pk=post.pk)
    assert post.is_hidden and post.hidden_by == world.partner_editor
    assert not moderation.open_reports(topic.community).exists()
    moderation.show_post(actor=world.secretariat, post=post)
    assert not Post.objects.get(pk=post.pk).is_hidden


def test_moderators_pin_and_close_topics(world: World, topic: Topic) -> None:
    with pytest.raises(PermissionDenied):
        moderation.pin_topic(actor=world.learner, topic=topic)
    moderation.pin_topic(actor=world.partner_editor, topic=topic)
    moderation.close_topic(actor=world.secretariat, topic=topic)
    topic.refresh_from_db()
    assert topic.pinned and topic.is_closed


def test_a_ban_stops_posting_and_can_be_lifted(world: World, topic: Topic) -> None:
    public = topic.community
    with pytest.raises(ValidationError):
        moderation.ban(actor=world.partner_editor, community=public, person=world.learner, reason="")
    membership = moderation.ban(
        actor=world.partner_editor, community=public, person=world.learner, reason="Spam"
    )
    assert membership.status == MemberStatus.BANNED and membership.ban_reason == "Spam"
    with pytest.raises(ValidationError):
        discussions.post_reply(author=world.learner, topic=topic, body="Still here.")
    moderation.lift_ban(actor=world.partner_editor, membership=membership)
    assert discussions.join(person=world.learner, community=public, accepts_conduct=True).is_active


def test_only_the_secretariat_bans_a_moderator(world: World, topic: Topic) -> None:
    public = topic.community
    discussions.set_role(
        actor=world.partner_editor,
        membership=discussions.membership_of(world.trainer, public),  # type: ignore[arg-type]
        role=MemberRole.MODERATOR,
    )
    with pytest.raises(PermissionDenied):
        moderation.ban(actor=world.partner_editor, community=public, person=world.trainer, reason="Rude")
    moderation.ban(actor=world.secretariat, community=public, person=world.trainer, reason="Rude")
