"""Replying to a digest by e-mail: the reply, received by the help desk's mail receiver, appears
in the topic under the member's name; anything forged, from someone else, automatic, to a closed
topic or in a flood is refused, with the right outcome, and answered only to the member."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone, translation
from PIL import Image

from clearinghouse.community import digests, discussions, mail_replies
from clearinghouse.community.models import DigestFrequency, Membership, MemberStatus, Post
from clearinghouse.community.tests import factories_digests as make
from clearinghouse.helpdesk import mail_in
from clearinghouse.helpdesk.models import InboundMail, MailOutcome, Ticket
from clearinghouse.helpdesk.tests.factories_mail import message

pytestmark = pytest.mark.django_db

FRENCH_REPLY = (
    "Merci Ana ! Chez nous, les haies d'aubépine attirent les abeilles sauvages.\n\n"
    "Le 6 déc. 2026 à 06:00, Clearinghouse a écrit :\n> Which crops need wild bees?\n> Coffee and apples do."
)


@pytest.fixture
def receive(django_capture_on_commit_callbacks) -> Callable[..., InboundMail]:  # type: ignore[no-untyped-def]
    """Receive a message as the SMTP receiver does, sending what it makes the platform send."""

    def _receive(raw: bytes, **kwargs: str) -> InboundMail:
        with django_capture_on_commit_callbacks(execute=True):
            received = mail_in.receive(raw, **kwargs)
        received.refresh_from_db()
        return received

    return _receive


@pytest.fixture
def thread():  # type: ignore[no-untyped-def]
    """Ana's topic in the pollinators' community, which Claire (French) reads in her digest."""
    community = make.community()
    ana, claire = make.person("ana", "es"), make.person("claire", "fr")
    make.member(community, ana)
    membership = make.member(community, claire)
    topic = make.topic(community, "Which crops need wild bees?", author=ana)
    make.post(topic, ana, "Coffee and apples do.")
    return topic, membership


def _reply(topic, membership: Membership, body: str = FRENCH_REPLY, **kwargs) -> bytes:  # type: ignore[no-untyped-def]
    kwargs.setdefault("sender", f"Claire Member <{membership.person.email}>")
    kwargs.setdefault("to", mail_replies.reply_address(topic.pk, membership.pk))
    return message(body, subject=f"Re: {topic.title}", **kwargs)


def _answers_to(address: str) -> list[mail.EmailMessage]:
    return [sent for sent in mail.outbox if sent.to == [address]]


def test_a_reply_to_the_digest_appears_in_the_topic(
    thread, receive, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    topic, claire = thread
    with django_capture_on_commit_callbacks(execute=True):
        digests.send_digests(DigestFrequency.WEEKLY)
    [digest] = _answers_to(claire.person.email)
    # Her mail program answers the Reply-To, quoting the digest under her words.
    reply = message(
        FRENCH_REPLY,
        subject=f"Re: {digest.subject}",
        sender=f"Claire Member <{claire.person.email}>",
        to=digest.extra_headers["Reply-To"],
        headers={"In-Reply-To": digest.extra_headers["Message-ID"]},
    )
    received = receive(reply)

    assert received.outcome == MailOutcome.ROUTED and received.ticket is None
    post = topic.posts.order_by("pk").last()
    assert post.author == claire.person and post.by_email
    # Only what she wrote: the quoted digest is left out.
    assert post.body == "Merci Ana ! Chez nous, les haies d'aubépine attirent les abeilles sauvages."
    assert not Ticket.objects.exists() and _answers_to(claire.person.email) == [digest]


def test_the_reply_s_files_are_attached_by_the_upload_rules(thread, receive) -> None:  # type: ignore[no-untyped-def]
    topic, claire = thread
    image = BytesIO()
    Image.new("RGB", (4, 4), "green").save(image, "PNG")
    received = receive(_reply(topic, claire, files=[("hedge.png", image.getvalue(), "image/png")]))
    assert received.outcome == MailOutcome.ROUTED
    [attachment] = topic.posts.order_by("pk").last().attachments.all()
    assert attachment.name == "hedge.png" and attachment.media_type == "image/png"


def test_a_reply_naming_only_the_digest_it_answers_is_posted(thread, receive) -> None:  # type: ignore[no-untyped-def]
    """Some mail programs answer the From address: the signed Message-ID still names the topic."""
    topic, claire = thread
    ours = mail_replies.digest_message_id(7, claire.pk, topic.pk)
    received = receive(_reply(topic, claire, to="clearinghouse@localhost", headers={"References": ours}))
    assert received.outcome == MailOutcome.ROUTED and topic.posts.count() == 2


def test_a_forged_address_posts_nothing_and_answers_no_one(thread, receive) -> None:  # type: ignore[no-untyped-def]
    topic, claire = thread
    genuine = mail_replies.reply_address(topic.pk, claire.pk)
    # Another topic's number with this topic's signature; a tag cut short.
    cut_short = genuine.rsplit(".", 1)[0] + "@localhost"
    for forged in (genuine.replace(f"c.{topic.pk}.", f"c.{topic.pk + 1}.", 1), cut_short):
        received = receive(_reply(topic, claire, f"{FRENCH_REPLY} {forged}", to=forged))
        assert received.outcome == MailOutcome.REFUSED
    assert topic.posts.count() == 1 and mail.outbox == [] and not Ticket.objects.exists()


def test_a_reply_from_another_address_than_the_members_is_refused_in_silence(thread, receive) -> None:  # type: ignore[no-untyped-def]
    topic, claire = thread
    ana = topic.author
    # Ana (a member too) and a stranger use the address given to Claire.
    for sender in (ana.email, "someone@elsewhere.example"):
        received = receive(_reply(topic, claire, sender=sender, body=f"Posted as Claire by {sender}"))
        assert received.outcome == MailOutcome.REFUSED
    # Nothing posted, and no answer to anyone: no backscatter, nothing learnt.
    assert topic.posts.count() == 1 and mail.outbox == []


def test_a_reply_to_a_closed_topic_is_answered_in_the_members_language(thread, receive) -> None:  # type: ignore[no-untyped-def]
    topic, claire = thread
    topic.closed_at = timezone.now()
    topic.save()
    received = receive(_reply(topic, claire))
    assert received.outcome == MailOutcome.REFUSED and topic.posts.count() == 1
    [answer] = mail.outbox
    assert answer.to == [claire.person.email] and answer.extra_headers["Auto-Submitted"] == "auto-replied"
    # Written in French, her language: the link to the topic and the HTML say so.
    with translation.override("fr"):
        assert topic.get_absolute_url() in answer.body
    assert 'lang="fr"' in answer.alternatives[0][0]


@pytest.mark.parametrize("status", [MemberStatus.BANNED, MemberStatus.LEFT])
def test_a_reply_from_someone_no_longer_a_member_is_refused_and_answered(thread, receive, status) -> None:  # type: ignore[no-untyped-def]
    topic, claire = thread
    Membership.objects.filter(pk=claire.pk).update(status=status, banned_at=timezone.now())
    received = receive(_reply(topic, claire))
    assert received.outcome == MailOutcome.REFUSED and topic.posts.count() == 1
    assert len(_answers_to(claire.person.email)) == 1


def test_an_out_of_office_reply_is_never_posted(thread, receive) -> None:  # type: ignore[no-untyped-def]
    topic, claire = thread
    received = receive(
        _reply(
            topic, claire, "Je suis absente jusqu'au 4 janvier.", headers={"Auto-Submitted": "auto-replied"}
        )
    )
    assert received.outcome == MailOutcome.AUTO_REPLY and topic.posts.count() == 1 and mail.outbox == []


def test_a_flood_of_replies_is_refused(thread, receive, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    topic, claire = thread
    # The discussions' flood limit (a burst of posts), made small for the test.
    monkeypatch.setattr(discussions, "FLOOD_LIMITS", ((120, 1),))
    first = receive(_reply(topic, claire, "Premier message."))
    second = receive(_reply(topic, claire, "Deuxième message."))
    assert (first.outcome, second.outcome) == (MailOutcome.ROUTED, MailOutcome.REFUSED)
    assert topic.posts.count() == 2 and len(_answers_to(claire.person.email)) == 1


@override_settings(HELPDESK_MAIL_PER_HOUR=2)
def test_more_replies_an_hour_than_the_help_desk_takes_are_rate_limited(thread, receive) -> None:  # type: ignore[no-untyped-def]
    topic, claire = thread
    outcomes = [receive(_reply(topic, claire, f"Message {number}.")).outcome for number in range(3)]
    assert outcomes == [MailOutcome.ROUTED, MailOutcome.ROUTED, MailOutcome.RATE_LIMITED]
    assert topic.posts.count() == 3


def test_refusals_are_answered_a_few_times_an_hour_at_most(thread, receive) -> None:  # type: ignore[no-untyped-def]
    topic, claire = thread
    topic.closed_at = timezone.now()
    topic.save()
    for number in range(mail_replies.ANSWERS_PER_HOUR + 2):
        assert receive(_reply(topic, claire, f"Encore {number}.")).outcome == MailOutcome.REFUSED
    assert len(mail.outbox) == mail_replies.ANSWERS_PER_HOUR


def test_answering_a_digest_of_several_topics_says_where_to_write(thread, receive) -> None:  # type: ignore[no-untyped-def]
    topic, claire = thread
    received = receive(_reply(topic, claire, to=mail_replies.digest_address(claire.pk)))
    assert received.outcome == MailOutcome.REFUSED and topic.posts.count() == 1
    [answer] = mail.outbox
    assert answer.to == [claire.person.email]


def test_mail_to_the_help_desk_is_not_taken_for_a_reply(receive) -> None:  # type: ignore[no-untyped-def]
    from clearinghouse.helpdesk.tests import factories

    factories.desk("central", email="clearinghouse@localhost")
    received = receive(message(to="clearinghouse@localhost"))
    assert received.outcome == MailOutcome.NEW_TICKET and not Post.objects.exists()
