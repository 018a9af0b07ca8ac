"""Messages "by message only": to an alumnus who accepts them, e-mailed from the platform in
the recipient's language without either address; refused to others, to oneself, anonymously,
and past ten an hour."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from clearinghouse.community.models import DirectMessage
from clearinghouse.community.tests.alumni_factories import listed
from clearinghouse.core.testing import World


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_message_reaches_the_recipient_without_either_address(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    listed(world, world.learner, accepts_messages=True)
    client = _signed_in(world.trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("community:write", args=[world.learner.pk]), {"body": "<script>alert(1)</script> Hello"}
        )
    assert response.status_code == 302
    message = DirectMessage.objects.get()
    assert message.body == "<script>alert(1)</script> Hello"
    (sent,) = mail.outbox
    assert sent.to == [world.learner.email]
    assert world.trainer.email not in sent.body and "Pierre Lefèvre" in sent.body
    assert "reply-to" not in {key.lower() for key in sent.extra_headers}
    # The recipient reads it on the platform, escaped, and may answer.
    inbox = _signed_in(world.learner).get(reverse("community:messages")).content.decode()
    assert "&lt;script&gt;" in inbox and "<script>alert" not in inbox
    assert world.trainer.email not in inbox
    message.refresh_from_db()
    assert message.read_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        _signed_in(world.learner).post(
            reverse("community:write", args=[world.trainer.pk]), {"body": "Thanks"}
        )
    assert DirectMessage.objects.filter(sender=world.learner).count() == 1


def test_messages_are_refused_to_those_who_do_not_accept_them_and_to_oneself(world: World) -> None:
    listed(world, world.learner)
    client = _signed_in(world.trainer)
    assert client.post(reverse("community:write", args=[world.learner.pk]), {"body": "Hi"}).status_code == 403
    assert client.post(reverse("community:write", args=[world.trainer.pk]), {"body": "Hi"}).status_code == 403
    assert client.post(reverse("community:write", args=[999999]), {"body": "Hi"}).status_code == 403
    anonymous = Client().post(reverse("community:write", args=[world.learner.pk]), {"body": "Hi"})
    assert anonymous.status_code == 302
    assert not DirectMessage.objects.exists() and not mail.outbox


def test_a_flood_of_messages_is_stopped(world: World, settings: Any) -> None:
    settings.COMMUNITY_MESSAGES_PER_HOUR = 3
    listed(world, world.learner, accepts_messages=True)
    client = _signed_in(world.trainer)
    url = reverse("community:write", args=[world.learner.pk])
    statuses = [client.post(url, {"body": f"Message {number}"}).status_code for number in range(4)]
    assert statuses == [302, 302, 302, 400]
    assert DirectMessage.objects.count() == 3
