"""Registering an expert profile names the expert by e-mail: they are written to, and the profile
becomes theirs when they follow the link signed in with that address. The page answers the same
whether or not the address has an account, so it tells no one who is registered."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail, signing
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.support import services
from clearinghouse.support.models import Expert
from clearinghouse.support.tests.samples import sample

pytestmark = pytest.mark.usefixtures("vocabularies")


def _register(client: Client, world: World, email: str, capture: Any, **extra: str) -> Any:
    client.force_login(world.authorised_user)
    values = sample(Expert, world)
    data = {
        "owner": f"country:{world.kenya.pk}",
        "original_language": "en",
        "expert_email": email,
        "title": values["title"],
        "name": values["name"],
        "action": "save",
    } | extra
    with capture(execute=True):
        return client.post("/en/support/experts/new/", data, follow=True)


def _link(email: str) -> str:
    [message] = [message for message in mail.outbox if message.to == [email]]
    found = re.search(r"https?://\S+/support/experts/claim/\S+/", message.body)
    assert found, message.body
    return found.group(0).split("://", 1)[1].split("/", 1)[1]


def test_the_answer_is_the_same_with_or_without_an_account(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    answers = []
    for email in (world.learner.email, "nobody-here@example.org"):
        response = _register(client, world, email, django_capture_on_commit_callbacks)
        assert response.status_code == 200
        page = response.content.decode().replace(email, "<address>")
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
        answers.append(re.sub(r"CB-EXP-KE-\d+", "<id>", page))
        assert not Expert.objects.filter(expert_user__isnull=False).exists()
    assert answers[0] == answers[1]
    assert "We wrote to" in answers[0]
    assert len([message for message in mail.outbox if "claim" in message.body]) == 2


def test_the_expert_takes_charge_signed_in_with_that_address(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _register(client, world, world.learner.email.upper(), django_capture_on_commit_callbacks)
    path = "/" + _link(world.learner.email.upper())
    expert = Expert.objects.get()

    # Anyone else, signed in, is refused, and nothing is linked.
    client.force_login(world.outsider)
    response = client.post(path)
    assert response.status_code == 403 and world.learner.email in response.content.decode()
    expert.refresh_from_db()
    assert expert.expert_user is None

    # An unverified address does not count.
    EmailAddress.objects.filter(user=world.learner).update(verified=False)
    client.force_login(world.learner)
    assert client.post(path).status_code == 403
    EmailAddress.objects.filter(user=world.learner).update(verified=True)

    assert "look after it" in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.expert_user == world.learner


def test_a_forged_or_expired_link_is_refused_in_the_readers_language(world: World, client: Client) -> None:
    expert = services.create(
        Expert, actor=world.authorised_user, owner=world.kenya, language="en", cleaned=sample(Expert, world)
    )
    forged = signing.dumps({"expert": expert.pk, "email": world.learner.email}, salt="another-purpose")
    client.force_login(world.learner)
    for path in (f"/fr/support/experts/claim/{forged}/", "/fr/support/experts/claim/x%00y/"):
        response = client.post(path)
        assert response.status_code == 400
        assert "pas valide" in response.content.decode()
    expert.refresh_from_db()
    assert expert.expert_user is None
