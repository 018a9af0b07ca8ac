"""A person downloads everything the platform holds about them, and closes their account: they
are gone, their work stays with their Party or organisation."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessLog
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from clearinghouse.accounts import closure, personal_data, services, tokens
from clearinghouse.accounts.models import AccessRequest, ApiToken, Appointment, AppointmentLog, User
from clearinghouse.accounts.tasks import forget_old_personal_data
from clearinghouse.core.testing import World, give_second_factor, invasive_species_need_values
from clearinghouse.needs.models import Need
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import Revision
from clearinghouse.search.models import SavedSearch
from clearinghouse.search.saved import save_search
from clearinghouse.vocabularies.services import data_files, load_vocabularies

PASSWORD = "otieno-passphrase-2026"  # core.testing.make_user gives Kenya's authorised user this one


@pytest.fixture
def author(world: World) -> User:
    """Kenya's authorised user, with a published need, a saved search, a token, a second factor."""
    load_vocabularies(data_files())
    person = world.authorised_user
    need = workflow.create(
        Need,
        actor=person,
        owner=world.kenya,
        values=invasive_species_need_values("en", "Training customs officers", "Invasive species"),
    )
    workflow.submit(need, actor=person)
    workflow.publish(need, actor=world.focal_point)
    save_search(person, "q=invasive", name="Invasive species", frequency="weekly")
    tokens.issue(user=person, name="Reporting script", scope="read", days=30)
    give_second_factor(person)
    SocialAccount.objects.create(
        user=person, provider="cbd", uid="otieno-at-cbd", extra_data={"userinfo": {"email": person.email}}
    )
    AccessLog.objects.create(username=person.email, ip_address="192.0.2.7", user_agent="Firefox")
    return person


def download(client: Client) -> dict[str, Any]:
    response = client.get("/en/people/data/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="clearinghouse-data-')
    data: dict[str, Any] = json.loads(response.content)
    return data


@pytest.mark.django_db
def test_the_download_holds_the_persons_data_from_every_app(client: Client, author: User) -> None:
    client.force_login(author)
    data = download(client)
    assert data["account"]["email"] == author.email
    assert data["email_addresses"] == [{"email": author.email, "verified": True, "primary": True}]
    assert [item["role"] for item in data["appointments"]] == ["authorised_user"]
    assert [item["name"] for item in data["saved_searches"]] == ["Invasive species"]
    assert [item["name"] for item in data["api_tokens"]] == ["Reporting script"]
    assert [item["type"] for item in data["second_factors"]] == ["totp"]
    assert [(item["provider"], item["uid"]) for item in data["connected_accounts"]] == [
        ("cbd", "otieno-at-cbd")
    ]
    assert [item["ip_address"] for item in data["sign_ins"]] == ["192.0.2.7"]
    assert {item["status"] for item in data["record_revisions"]} >= {"published"}
    assert all(item["saved_by_you"] for item in data["record_revisions"])
    # Every app that holds some data of a person has its part, even when it is empty.
    assert {"matchmaking", "expert_profiles", "imports", "record_reports", "share_links"} <= set(data)
    # Secrets stay on the platform.
    text = json.dumps(data)
    assert "secret" not in text
    assert ApiToken.objects.get(user=author).digest not in text


@pytest.mark.django_db
def test_the_download_is_for_the_signed_in_person_only(client: Client) -> None:
    assert client.get("/en/people/data/download/").status_code == 302


@pytest.mark.django_db
def test_the_account_pages_lead_to_the_download_and_to_closing(client: Client, world: World) -> None:
    client.force_login(world.learner)
    html = client.get("/fr/people/profile/").content.decode()
    assert 'href="/fr/people/data/"' in html
    assert 'href="/fr/people/close/"' in html
    page = client.get("/fr/people/data/").content.decode()
    assert 'href="/fr/people/data/download/"' in page


@pytest.mark.django_db
def test_a_wrong_password_closes_nothing(client: Client, author: User) -> None:
    client.force_login(author)
    response = client.post("/en/people/close/", {"password": "not the password"})
    assert response.status_code == 400
    assert "The password is not correct." in response.content.decode()
    author.refresh_from_db()
    assert author.is_active
    assert ApiToken.objects.filter(user=author).exists()


@pytest.mark.django_db
def test_closing_removes_the_person_and_keeps_their_work(client: Client, author: User, world: World) -> None:
    elsewhere = Client()
    elsewhere.force_login(author)
    client.force_login(author)
    email = author.email
    response = client.post("/en/people/close/", {"password": PASSWORD})
    assert response.status_code == 302
    author.refresh_from_db()
    # Gone as a person: no name, no address, no way in.
    assert not author.is_active
    assert not author.has_usable_password()
    assert author.first_name == author.last_name == ""
    assert email not in author.email
    assert str(author) == "Closed account"
    assert not EmailAddress.objects.filter(user=author).exists()
    assert not Authenticator.objects.filter(user=author).exists()
    assert not SocialAccount.objects.filter(user=author).exists()
    assert not ApiToken.objects.filter(user=author).exists()
    assert not SavedSearch.objects.filter(owner=author).exists()
    assert not AccessLog.objects.filter(username__iexact=email).exists()
    assert not AppointmentLog.objects.filter(email__iexact=email).exists()
    # The role ended, and the history says so.
    assert not Appointment.objects.filter(user=author, ended_at__isnull=True).exists()
    assert AppointmentLog.objects.filter(user=author, action="removed").exists()
    # Signed out here and on every other device.
    assert client.get("/en/people/profile/").status_code == 302
    assert elsewhere.get("/en/people/profile/").status_code == 302
    # The need stays published, in Kenya's name.
    need = Need.objects.get()
    assert need.state == "published"
    assert need.owner_country == world.kenya
    assert Revision.objects.filter(created_by=author).exists()


@pytest.mark.django_db
def test_closing_is_all_or_nothing(author: User, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(user: User) -> None:
        raise RuntimeError("a part that cannot be closed")

    holdings = {**personal_data._HOLDINGS, "failing": personal_data.Holding("failing", list, fail)}
    monkeypatch.setattr(personal_data, "_HOLDINGS", holdings)
    with pytest.raises(RuntimeError):
        closure.close_account(user=author, password=PASSWORD)
    author.refresh_from_db()
    assert author.is_active
    assert EmailAddress.objects.filter(user=author).exists()
    assert Appointment.objects.filter(user=author, ended_at__isnull=True).exists()
    assert SavedSearch.objects.filter(owner=author).exists()


@pytest.mark.django_db
def test_old_sessions_tokens_and_sign_in_records_are_deleted(author: User, settings: Any) -> None:
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(days=1))
    Session.objects.create(session_key="current", session_data="", expire_date=now + timedelta(days=1))
    ApiToken.objects.filter(user=author).update(expiry=now - timedelta(seconds=1))
    AccessLog.objects.create(username="someone@example.org", ip_address="192.0.2.9", user_agent="x")
    AccessLog.objects.filter(username=author.email).update(
        attempt_time=now - timedelta(days=settings.SIGN_IN_RECORDS_DAYS + 1)
    )
    forget_old_personal_data()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]
    assert not ApiToken.objects.filter(user=author).exists()
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["someone@example.org"]


@pytest.mark.django_db
def test_access_requests_are_in_the_download_and_withdrawn_on_closing(
    client: Client, author: User, world: World
) -> None:
    asked = services.request_access(
        requester=author, scope=world.tanzanian_ngo, message="I coordinate the Tanzanian survey"
    )
    client.force_login(author)
    data = download(client)
    assert [
        (entry["organisation"], entry["message"], entry["outcome"]) for entry in data["access_requests"]
    ] == [(world.tanzanian_ngo.display_name(), "I coordinate the Tanzanian survey", "")]

    closure.close_account(user=author, password=PASSWORD)

    # Nobody is left to grant it to: the pending request, and what it said, are gone.
    assert not AccessRequest.objects.filter(pk=asked.pk).exists()
