"""The communities' pages as people use them: the list and its filters, a community's page,
joining with the code of conduct, topics and replies, escaped HTML, hidden posts, members-only
communities that leak nothing, the moderators' page, and Arabic right to left."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from clearinghouse.community import discussions, moderation
from clearinghouse.community.models import Access, MemberStatus, Post, Topic
from clearinghouse.community.tests.factories_discussions import community, member
from clearinghouse.core.testing import World

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror="alert(1)">'


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def _url(found: Any) -> str:
    return str(found.get_absolute_url())


def test_the_list_shows_live_communities_and_filters_by_language(world: World, client: Client) -> None:
    community(world, name="Mangrove restoration")
    community(world, name="Restauración de manglares", language="es")
    discussions.create_community(
        actor=world.partner_editor,
        owner=world.kenyan_ngo,
        values={"original_language": "en", "name": {"en": "Draft one"}},
    )
    page = client.get("/en/community/communities/").content.decode()
    assert "Mangrove restoration" in page and "Restauración de manglares" in page
    assert "Draft one" not in page
    page = client.get("/en/community/communities/?language=es").content.decode()
    assert "Restauración de manglares" in page and "Mangrove restoration" not in page
    # An unknown filter value is ignored, never an error page.
    assert client.get("/en/community/communities/?subject=NOPE&region=999").status_code == 200


def test_the_community_page_costs_a_few_queries_whatever_its_topics(
    world: World, client: Client, django_assert_max_num_queries: Any
) -> None:
    public = community(world)
    member(world.learner, public)
    for number in range(12):
        topic = Topic.objects.create(community=public, author=world.learner, title=f"Topic {number}")
        Post.objects.create(topic=topic, author=world.learner, body="Hi.")
        Post.objects.create(topic=topic, author=world.learner, body="Reply.")
    client.force_login(world.learner)
    client.get(_url(public))
    # The page's schema.org description reads the community's terms and country: three of these.
    with django_assert_max_num_queries(33):
        response = client.get(_url(public))
    page = response.content.decode()
    assert page.count("/topics/") >= 12
    assert "Be kind. Stay on topic." in page


def test_the_topic_page_costs_a_few_queries_whatever_its_posts(
    world: World, client: Client, django_assert_max_num_queries: Any
) -> None:
    public = community(world)
    member(world.learner, public)
    topic = discussions.start_topic(
        author=world.learner, community=public, title="T", body="First.", records=[public.identifier]
    )
    for number in range(15):
        Post.objects.create(
            topic=topic, author=world.learner, body=f"Reply {number}.", records=[public.identifier]
        )
    client.get(_url(topic))
    with django_assert_max_num_queries(20):
        response = client.get(_url(topic))
    page = response.content.decode()
    assert "Reply 14." in page
    # The linked record is a link with its title in the reader's language.
    assert f'href="{_url(public)}"' in page and "Restoring mangroves" in page


def test_joining_needs_the_code_of_conduct_accepted(world: World, client: Client) -> None:
    public = community(world)
    client.force_login(world.learner)
    client.post(f"{_url(public)}join/", {})
    assert discussions.membership_of(world.learner, public) is None
    client.post(f"{_url(public)}join/", {"accepts_conduct": "on"})
    membership = discussions.membership_of(world.learner, public)
    assert membership is not None and membership.status == MemberStatus.ACTIVE
    client.post(f"{_url(public)}leave/")
    membership.refresh_from_db()
    assert membership.status == MemberStatus.LEFT


def test_a_member_starts_a_discussion_and_html_is_shown_escaped(world: World, client: Client) -> None:
    public = community(world)
    member(world.learner, public)
    client.force_login(world.learner)
    response = client.post(f"{_url(public)}topics/new/", {"title": XSS, "body": XSS})
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(topic)
    page = client.get(_url(topic)).content.decode()
    body = page.split("<body", 1)[1]
    assert "<script>alert" not in body and 'onerror="alert' not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


def test_someone_not_a_member_cannot_reply(world: World, client: Client) -> None:
    public = community(world)
    topic = discussions.start_topic(author=world.partner_editor, community=public, title="T", body="First.")
    client.force_login(world.outsider)
    response = client.post(_url(topic), {"body": "Let me in."})
    assert response.status_code == 400 and "Join it first" in response.content.decode()
    assert topic.posts.count() == 1
    anonymous = Client()
    assert anonymous.post(_url(topic), {"body": "Anonymous."}).status_code == 302
    assert topic.posts.count() == 1


def test_a_member_replies_with_a_file_that_readers_download(world: World, client: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    public = community(world)
    member(world.learner, public)
    topic = discussions.start_topic(author=world.partner_editor, community=public, title="T", body="First.")
    client.force_login(world.learner)
    upload = SimpleUploadedFile("notes.txt", b"What we planted and where.")
    response = client.post(_url(topic), {"body": "Our notes.", "attachments": [upload]})
    assert response.status_code == 302
    attachment = topic.posts.last().attachments.get()  # type: ignore[union-attr]
    download = Client().get(f"{_url(public)}files/{attachment.pk}/")
    assert (
        download.status_code == 200 and b"".join(download.streaming_content) == b"What we planted and where."
    )  # type: ignore[attr-defined]


def test_a_members_only_community_leaks_nothing_to_others(world: World, client: Client) -> None:
    closed = community(world, access=Access.MEMBERS, name="Negotiators' room")
    topic = discussions.start_topic(
        author=world.partner_editor,
        community=closed,
        title="Secret strategy",
        body="Confidential notes.",
        files=[("plan.txt", b"The plan.")],
    )
    attachment = topic.posts.get().attachments.get()
    pending = discussions.join(person=world.learner, community=closed, accepts_conduct=True)
    assert pending.status == MemberStatus.PENDING
    urls = [_url(topic), f"{_url(closed)}files/{attachment.pk}/", f"{_url(closed)}members/"]
    for reader in (None, world.outsider, world.learner):
        browser = Client()
        if reader is not None:
            browser.force_login(reader)
        for url in urls:
            assert browser.get(url).status_code == 404, (reader, url)
        page = browser.get(_url(closed)).content.decode()
        # The community itself is public (name, description, code of conduct); its topics are not.
        assert "Negotiators" in page and "Secret strategy" not in page
        found = browser.get("/en/search/?q=Confidential+notes+strategy").content.decode()
        assert f"/topics/{topic.pk}/" not in found and "Confidential notes." not in found
    client.force_login(world.partner_editor)
    assert client.get(_url(topic)).status_code == 200


def test_a_hidden_post_shows_its_text_to_moderators_only(world: World, client: Client) -> None:
    public = community(world)
    member(world.learner, public)
    member(world.trainer, public)
    topic = discussions.start_topic(author=world.learner, community=public, title="T", body="First.")
    post = discussions.post_reply(author=world.trainer, topic=topic, body="Buy cheap pills.")
    client.force_login(world.learner)
    client.post(f"{_url(public)}posts/{post.pk}/report/", {"reason": "spam"})
    assert moderation.open_reports(public).count() == 1
    moderator = Client()
    moderator.force_login(world.partner_editor)
    page = moderator.get(f"{_url(public)}moderation/").content.decode()
    assert "Buy cheap pills." in page
    moderator.post(f"{_url(public)}posts/{post.pk}/hide/", {"reason": "Advertising"})
    member_page = client.get(_url(topic)).content.decode()
    assert "Buy cheap pills." not in member_page and "hidden by a moderator" in member_page
    moderator_page = moderator.get(_url(topic)).content.decode()
    assert "Buy cheap pills." in moderator_page and "Advertising" in moderator_page


def test_moderators_approve_requests_and_ban_from_their_page(world: World, client: Client) -> None:
    closed = community(world, access=Access.MEMBERS)
    pending = discussions.join(person=world.learner, community=closed, accepts_conduct=True)
    client.force_login(world.learner)
    assert client.get(f"{_url(closed)}moderation/").status_code == 403
    client.force_login(world.partner_editor)
    client.post(f"{_url(closed)}members/{pending.pk}/approve/")
    pending.refresh_from_db()
    assert pending.status == MemberStatus.ACTIVE
    client.post(f"{_url(closed)}members/{pending.pk}/ban/", {"reason": "Insults"})
    pending.refresh_from_db()
    assert pending.status == MemberStatus.BANNED and pending.ban_reason == "Insults"


def test_a_partner_editor_proposes_a_community_through_the_workflow(world: World, client: Client) -> None:
    client.force_login(world.partner_editor)
    form = client.get("/en/community/communities/new/").content.decode()
    assert f"organisation:{world.kenyan_ngo.pk}" in form
    response = client.post(
        "/en/community/communities/new/",
        {
            "owner": f"organisation:{world.kenyan_ngo.pk}",
            "original_language": "en",
            "name": "Pollinators in farmland",
            "description": "Farmers and researchers protecting pollinators.",
            "code_of_conduct": "Respect everyone.",
            "access": Access.PUBLIC,
            "languages": ["en", "fr"],
            "action": "submit",
        },
    )
    assert response.status_code == 302
    created = discussions.Community.objects.get()  # type: ignore[attr-defined]
    assert created.state == "submitted" and not created.live
    assert discussions.moderates(world.partner_editor, created)
    client.force_login(world.learner)
    assert client.get("/en/community/communities/new/").status_code == 403


def test_pages_in_arabic_read_right_to_left(world: World, client: Client) -> None:
    public = community(world, name="التخطيط المكاني البحري", language="ar")
    page = client.get(f"/ar/community/c/{public.identifier}/").content.decode()
    assert 'dir="rtl"' in page.split("<head", 1)[0]
    assert 'lang="ar" dir="rtl">التخطيط المكاني البحري' in page
