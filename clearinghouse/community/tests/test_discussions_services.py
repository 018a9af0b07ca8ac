"""The posting services others call (pages, the e-mail reply path): who writes where, what a
post may hold, and the refusals of the issue's bad input — not a member, pending, banned,
closed or hidden topics, HTML and script, unknown records, bad files, floods."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clearinghouse.community import discussions, moderation
from clearinghouse.community.models import (
    Access,
    Alumnus,
    Consent,
    MemberRole,
    MemberStatus,
    Post,
    Topic,
    TopicKind,
)
from clearinghouse.community.tests.factories_discussions import community, member
from clearinghouse.core.testing import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]


def _png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(output, "PNG")
    return output.getvalue()


def test_the_creator_of_a_community_is_its_first_moderator(world: World) -> None:
    created = community(world)
    membership = discussions.membership_of(world.partner_editor, created)
    assert membership is not None and membership.is_moderator
    assert created.live and "COP" in created.identifier


def test_people_without_a_registering_role_cannot_propose_a_community(world: World) -> None:
    with pytest.raises(PermissionDenied):
        discussions.create_community(
            actor=world.learner,
            owner=world.kenyan_ngo,
            values={"original_language": "en", "name": {"en": "Mine"}},
        )


def test_joining_a_public_community_is_immediate_and_needs_the_code_of_conduct(world: World) -> None:
    public = community(world)
    with pytest.raises(ValidationError):
        discussions.join(person=world.learner, community=public, accepts_conduct=False)
    membership = discussions.join(person=world.learner, community=public, accepts_conduct=True)
    assert membership.status == MemberStatus.ACTIVE and membership.accepted_conduct_at is not None


def test_joining_a_members_only_community_waits_for_a_moderator(world: World) -> None:
    closed = community(world, access=Access.MEMBERS)
    membership = discussions.join(person=world.learner, community=closed, accepts_conduct=True)
    assert membership.status == MemberStatus.PENDING
    assert not discussions.may_read(world.learner, closed)
    with pytest.raises(PermissionDenied):
        discussions.approve(actor=world.outsider, membership=membership)
    discussions.approve(actor=world.partner_editor, membership=membership)
    assert discussions.may_read(world.learner, closed)


def test_a_declined_request_can_be_made_again(world: World) -> None:
    closed = community(world, access=Access.MEMBERS)
    membership = discussions.join(person=world.learner, community=closed, accepts_conduct=True)
    discussions.decline(actor=world.secretariat, membership=membership)
    assert discussions.membership_of(world.learner, closed) is None
    assert discussions.join(person=world.learner, community=closed, accepts_conduct=True).status == "pending"


def test_moderators_promote_and_demote_members(world: World) -> None:
    public = community(world)
    membership = member(world.learner, public)
    discussions.set_role(actor=world.partner_editor, membership=membership, role=MemberRole.MODERATOR)
    assert discussions.moderates(world.learner, public)
    discussions.set_role(actor=world.learner, membership=membership, role=MemberRole.MEMBER)
    assert not discussions.moderates(world.learner, public)
    with pytest.raises(PermissionDenied):
        discussions.set_role(actor=world.learner, membership=membership, role=MemberRole.MODERATOR)


def test_the_secretariat_moderates_every_community(world: World) -> None:
    assert discussions.moderates(world.secretariat, community(world))


def test_a_member_opens_a_discussion_and_another_replies(world: World) -> None:
    public = community(world)
    member(world.learner, public)
    member(world.trainer, public)
    topic = discussions.start_topic(
        author=world.learner,
        community=public,
        title="  Seedlings   from local nurseries? ",
        body="Where do you find mangrove seedlings for a restoration project of this size?",
    )
    assert topic.title == "Seedlings from local nurseries?"
    assert topic.language == "en" and topic.last_posted_at is not None
    reply = discussions.post_reply(
        author=world.trainer,
        topic=topic,
        body="Nous travaillons avec les pépinières communautaires de la région depuis des années.",
    )
    assert reply.language == "fr"
    topic.refresh_from_db()
    assert topic.last_posted_at == reply.created_at
    assert list(topic.posts.values_list("author", flat=True)) == [world.learner.pk, world.trainer.pk]


def test_posting_marks_the_alumnus_active(world: World) -> None:
    alumnus = Alumnus.objects.create(
        person=world.learner, name="Mei Wang", email="mei@example.org", consent=Consent.ASKED
    )
    public = community(world)
    member(world.learner, public)
    discussions.start_topic(author=world.learner, community=public, title="Hello", body="Hello all.")
    alumnus.refresh_from_db()
    assert alumnus.last_active_at is not None


@pytest.mark.parametrize("who", ["stranger", "pending", "left", "banned", "anonymous"])
def test_only_active_members_write(world: World, who: str) -> None:
    closed = community(world, access=Access.MEMBERS)
    topic = discussions.start_topic(
        author=world.partner_editor, community=closed, title="Welcome", body="Hi."
    )
    person = world.learner
    if who == "pending":
        discussions.join(person=person, community=closed, accepts_conduct=True)
    elif who == "left":
        member(person, closed)
        discussions.leave(person=person, community=closed)
    elif who == "banned":
        member(person, closed)
        moderation.ban(actor=world.partner_editor, community=closed, person=person, reason="Spam")
    author = None if who == "anonymous" else person
    with pytest.raises(ValidationError) as refused:
        discussions.post_reply(author=author, topic=topic, body="Let me in.")  # type: ignore[arg-type]
    assert refused.value.code == "not_member"
    with pytest.raises(ValidationError):
        discussions.start_topic(author=author, community=closed, title="Me", body="Hi.")  # type: ignore[arg-type]
    assert Post.objects.count() == 1 and Topic.objects.count() == 1
    assert not discussions.may_post(author, topic)


def test_a_banned_member_cannot_rejoin_or_read_a_members_only_community(world: World) -> None:
    closed = community(world, access=Access.MEMBERS)
    member(world.learner, closed)
    moderation.ban(actor=world.partner_editor, community=closed, person=world.learner, reason="Insults")
    assert not discussions.may_read(world.learner, closed)
    discussions.leave(person=world.learner, community=closed)
    with pytest.raises(ValidationError):
        discussions.join(person=world.learner, community=closed, accepts_conduct=True)
    membership = discussions.membership_of(world.learner, closed)
    assert membership is not None and membership.status == MemberStatus.BANNED


def test_only_moderators_post_announcements(world: World) -> None:
    public = community(world)
    member(world.learner, public)
    with pytest.raises(ValidationError) as refused:
        discussions.start_topic(
            author=world.learner, community=public, title="News", body="Hi.", kind=TopicKind.ANNOUNCEMENT
        )
    assert refused.value.code == "announcement"
    topic = discussions.start_topic(
        author=world.partner_editor, community=public, title="News", body="Hi.", kind=TopicKind.ANNOUNCEMENT
    )
    assert topic.kind == TopicKind.ANNOUNCEMENT


@pytest.mark.parametrize("state", ["closed", "hidden"])
def test_closed_and_hidden_topics_take_no_replies(world: World, state: str) -> None:
    public = community(world)
    member(world.learner, public)
    topic = discussions.start_topic(author=world.learner, community=public, title="T", body="First.")
    if state == "closed":
        moderation.close_topic(actor=world.partner_editor, topic=topic)
    else:
        moderation.hide_topic(actor=world.partner_editor, topic=topic)
    with pytest.raises(ValidationError) as refused:
        discussions.post_reply(author=world.learner, topic=topic, body="Another.")
    assert refused.value.code == state
    assert not discussions.may_post(world.learner, topic)
    if state == "closed":
        moderation.reopen_topic(actor=world.partner_editor, topic=topic)
        discussions.post_reply(author=world.learner, topic=topic, body="Another.")


@pytest.mark.parametrize(
    ("body", "code"), [("", "empty"), ("   \n ", "empty"), ("x" * (discussions.BODY_LENGTH + 1), "too_long")]
)
def test_empty_and_overlong_messages_are_refused(world: World, body: str, code: str) -> None:
    public = community(world)
    member(world.learner, public)
    with pytest.raises(ValidationError) as refused:
        discussions.start_topic(author=world.learner, community=public, title="T", body=body)
    assert refused.value.code == code
    assert not Topic.objects.exists()


def test_html_and_script_are_kept_as_plain_text(world: World) -> None:
    public = community(world)
    member(world.learner, public)
    body = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    topic = discussions.start_topic(author=world.learner, community=public, title="<b>T</b>", body=body)
    assert topic.title == "<b>T</b>" and topic.posts.get().body == body


def test_a_flood_of_posts_is_refused(world: World) -> None:
    public = community(world)
    member(world.learner, public)
    topic = discussions.start_topic(author=world.learner, community=public, title="T", body="1")
    for number in range(2, 6):
        discussions.post_reply(author=world.learner, topic=topic, body=str(number))
    with pytest.raises(ValidationError) as refused:
        discussions.post_reply(author=world.learner, topic=topic, body="6")
    assert refused.value.code == "flood"
    assert topic.posts.count() == 5
    # Another member is not held back by someone else's flood.
    member(world.trainer, public)
    discussions.post_reply(author=world.trainer, topic=topic, body="Calm down.")


def test_files_are_checked_by_the_upload_rules_and_stored(world: World) -> None:
    public = community(world)
    member(world.learner, public)
    topic = discussions.start_topic(
        author=world.learner,
        community=public,
        title="Photos",
        body="The site after one year.",
        files=[("site.gif.exe", _png()), SimpleUploadedFile("notes.txt", b"Plain notes about the site.")],
    )
    attachments = list(topic.posts.get().attachments.all())
    assert [(a.name, a.media_type) for a in attachments] == [
        ("site.gif.png", "image/png"),
        ("notes.txt", "text/plain"),
    ]
    assert attachments[0].size > 0 and attachments[0].file.read().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00program", b"<html><script>alert(1)</script></html>", b""],
    ids=["exe", "html", "empty"],
)
def test_a_bad_file_refuses_the_whole_post(world: World, content: bytes) -> None:
    public = community(world)
    member(world.learner, public)
    topic = discussions.start_topic(author=world.learner, community=public, title="T", body="First.")
    with pytest.raises(ValidationError) as refused:
        discussions.post_reply(
            author=world.learner, topic=topic, body="See file.", files=[("x.pdf", content)]
        )
    assert refused.value.code == "bad_file"
    assert topic.posts.count() == 1


def test_links_to_records_must_name_published_records(world: World) -> None:
    public = community(world)
    draft = discussions.create_community(
        actor=world.partner_editor,
        owner=world.kenyan_ngo,
        values={"original_language": "en", "name": {"en": "Draft"}},
    )
    member(world.learner, public)
    for identifier in ("CB-NEED-KE-999999", "NOTHING", draft.identifier):
        with pytest.raises(ValidationError) as refused:
            discussions.start_topic(
                author=world.learner, community=public, title="T", body="See.", records=[identifier]
            )
        assert refused.value.code == "unknown_record"
    topic = discussions.start_topic(
        author=world.learner,
        community=public,
        title="T",
        body="See.",
        records=[public.identifier.lower(), public.identifier],
    )
    assert topic.posts.get().records == [public.identifier]


def test_a_post_by_email_is_marked_so(world: World) -> None:
    public = community(world)
    member(world.learner, public)
    topic = discussions.start_topic(author=world.learner, community=public, title="T", body="First.")
    reply = discussions.post_reply(author=world.learner, topic=topic, body="From my phone.", by_email=True)
    assert reply.by_email


def test_reading_rules(world: World) -> None:
    public = community(world)
    closed = community(world, access=Access.MEMBERS, name="Closed")
    from django.contrib.auth.models import AnonymousUser

    assert discussions.may_read(AnonymousUser(), public)
    assert not discussions.may_read(AnonymousUser(), closed)
    assert not discussions.may_read(world.outsider, closed)
    assert discussions.may_read(world.secretariat, closed)
    assert discussions.may_read(world.partner_editor, closed)
