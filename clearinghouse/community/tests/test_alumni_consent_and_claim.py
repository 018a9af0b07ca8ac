"""Consent, asked when a person becomes an alumnus, given or refused from the e-mail's link or
the profile, withdrawn later; a record kept by address claimed with its signed link or by the
account that verifies the address."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.core import signing
from django.test import Client
from django.urls import reverse

from clearinghouse.community import alumni
from clearinghouse.community.models import Alumnus, Consent
from clearinghouse.community.tests.alumni_factories import attended
from clearinghouse.core.testing import World, make_user
from clearinghouse.events.tests.attendance_factories import make_event


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_e_mail_link_gives_consent_without_signing_in(world: World) -> None:
    alumnus = attended(world)
    url = reverse("community:consent_link", args=[alumni.token(alumnus, alumni.CONSENT_SALT)])
    assert Client().get(url).status_code == 200
    Client().post(url, {"decision": "give"})
    alumnus.refresh_from_db()
    assert alumnus.consent == Consent.GIVEN and alumnus.consent_changed_at is not None


def test_refusing_keeps_the_record_for_counting_only(world: World) -> None:
    alumnus = attended(world)
    url = reverse("community:consent_link", args=[alumni.token(alumnus, alumni.CONSENT_SALT)])
    Client().post(url, {"decision": "refuse"})
    alumnus.refresh_from_db()
    assert alumnus.consent == Consent.REFUSED and alumnus.participations.count() == 1


def test_a_forged_or_expired_consent_link_is_refused(world: World, monkeypatch: Any) -> None:
    alumnus = attended(world)
    forged = signing.dumps({"alumnus": alumnus.pk, "email": alumnus.email}, salt="another")
    assert (
        Client().post(reverse("community:consent_link", args=[forged]), {"decision": "give"}).status_code
        == 404
    )
    valid = alumni.token(alumnus, alumni.CONSENT_SALT)
    monkeypatch.setattr(alumni, "LINK_DAYS", -1)
    assert (
        Client().post(reverse("community:consent_link", args=[valid]), {"decision": "give"}).status_code
        == 404
    )
    alumnus.refresh_from_db()
    assert alumnus.consent == Consent.ASKED


def test_withdrawing_from_the_profile_takes_the_alumnus_out_of_the_directory(world: World) -> None:
    alumnus = alumni.give_consent(attended(world, person=world.learner))
    alumni.update_profile(alumnus, {"in_directory": True, "accepts_messages": True})
    client = _signed_in(world.learner)
    assert 'value="withdraw"' in client.get(reverse("community:profile")).content.decode()
    client.post(reverse("community:consent"), {"decision": "withdraw"})
    alumnus.refresh_from_db()
    assert alumnus.consent == Consent.WITHDRAWN
    assert not alumnus.in_directory and not alumnus.accepts_messages
    assert not alumni.consents(world.learner)
    # The record stays, for anonymous counting.
    assert alumnus.participations.count() == 1


def test_the_dashboard_prompts_an_alumnus_whose_consent_is_asked(world: World) -> None:
    attended(world, person=world.learner)
    prompt = reverse("community:consent")
    assert prompt in _signed_in(world.learner).get(reverse("workspace:dashboard")).content.decode()
    assert prompt not in _signed_in(world.outsider).get(reverse("workspace:dashboard")).content.decode()


def test_the_claim_link_links_the_record_to_the_signed_in_account(world: World) -> None:
    alumnus = attended(world, email="grace@example.net")
    url = reverse("community:claim", args=[alumni.token(alumnus, alumni.CLAIM_SALT)])
    # Signing in first.
    assert Client().get(url).status_code == 302
    client = _signed_in(world.outsider)
    assert client.get(url).status_code == 200
    client.post(url)
    alumnus.refresh_from_db()
    assert alumnus.person == world.outsider and alumnus.claimed_at is not None
    # Consent is still to be given by the person.
    assert alumnus.consent == Consent.ASKED


def test_a_record_already_claimed_by_another_account_is_not_taken(world: World) -> None:
    alumnus = attended(world, email="grace@example.net")
    token = alumni.token(alumnus, alumni.CLAIM_SALT)
    alumni.claim_with_token(token, world.outsider)
    _signed_in(world.learner).post(reverse("community:claim", args=[token]))
    alumnus.refresh_from_db()
    assert alumnus.person == world.outsider


def test_a_bad_claim_link_is_refused(world: World) -> None:
    alumnus = attended(world, email="grace@example.net")
    tampered = alumni.token(alumnus, alumni.CLAIM_SALT)[:-2] + "xx"
    response = _signed_in(world.outsider).post(reverse("community:claim", args=[tampered]))
    assert response.status_code == 404
    alumnus.refresh_from_db()
    assert alumnus.person is None


def test_claiming_without_the_link_needs_the_verified_address(world: World) -> None:
    alumnus = attended(world, email="grace@example.net")
    with pytest.raises(alumni.PermissionDenied):
        alumni.claim(alumnus, world.outsider)
    alumnus.refresh_from_db()
    assert alumnus.person is None


def test_verifying_the_address_of_a_record_links_it(world: World) -> None:
    alumnus = attended(world, email="grace@example.net")
    grace = make_user("grace", "Grace", "Wanjiku")
    address = EmailAddress.objects.create(user=grace, email="Grace@example.net", verified=True)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    alumnus.refresh_from_db()
    assert alumnus.person == grace and alumnus.consent == Consent.ASKED


def test_claiming_a_second_record_merges_its_activities(world: World) -> None:
    own = attended(world, person=world.outsider)
    other = attended(world, make_event(world, past=True), email="ivan.other@example.net")
    alumni.claim_with_token(alumni.token(other, alumni.CLAIM_SALT), world.outsider)
    assert not Alumnus.objects.filter(pk=other.pk).exists()
    assert own.participations.count() == 2
