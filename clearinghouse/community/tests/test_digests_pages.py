"""Stopping a digest from the e-mail in one click (RFC 8058), without signing in, and choosing how
often each community's digest comes."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from clearinghouse.community import digests
from clearinghouse.community.models import DigestFrequency, Membership
from clearinghouse.community.tests import factories_digests as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def claire() -> Membership:
    return make.member(make.community(), make.person("claire", "fr"))


def _digest_of(membership: Membership, django_capture_on_commit_callbacks) -> mail.EmailMessage:  # type: ignore[no-untyped-def]
    make.post(make.topic(membership.community), make.person("ana", "es"))
    with django_capture_on_commit_callbacks(execute=True):
        digests.send_digests(DigestFrequency.WEEKLY)
    [digest] = mail.outbox
    return digest


def test_the_mail_programs_one_click_unsubscribe_stops_the_digest(
    claire, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    digest = _digest_of(claire, django_capture_on_commit_callbacks)
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(https?://[^>]+)>", digest.extra_headers["List-Unsubscribe"])
    assert url is not None and "/fr/community/digest/unsubscribe/" in url[1]
    # The mail provider posts without cookies, CSRF token or session (RFC 8058).
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        urlsplit(url[1]).path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    claire.refresh_from_db()
    assert claire.digest == DigestFrequency.NEVER


def test_following_the_link_only_asks_to_confirm(claire, client) -> None:  # type: ignore[no-untyped-def]
    url = reverse("community:digest_unsubscribe", args=[digests.unsubscribe_token(claire)])
    response = client.get(url)
    assert response.status_code == 200
    assert b'<form method="post"' in response.content and make.POLLINATORS["en"].encode() in response.content
    claire.refresh_from_db()
    assert claire.digest == DigestFrequency.WEEKLY
    client.post(url)
    claire.refresh_from_db()
    assert claire.digest == DigestFrequency.NEVER


def test_a_changed_token_changes_nothing(claire, client) -> None:  # type: ignore[no-untyped-def]
    token = digests.unsubscribe_token(claire)
    # Another membership's number with this one's signature, and a token of another salt.
    other = make.member(claire.community, make.person("ana", "es"))
    payload, signature = digests.unsubscribe_token(other).split(":", 1)[0], token.split(":", 1)[1]
    forged = f"{payload}:{signature}"
    assert forged != digests.unsubscribe_token(other)
    for bad in (forged, "1:abc", digests.signing.dumps(other.pk, salt="clearinghouse.search.unsubscribe")):
        response = client.post(reverse("community:digest_unsubscribe", args=[bad]))
        assert response.status_code == 404
    assert set(Membership.objects.values_list("digest", flat=True)) == {DigestFrequency.WEEKLY}


def test_a_member_chooses_how_often_each_digest_comes(claire, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(claire.person)
    page = client.get(reverse("community:digest_settings"))
    assert page.status_code == 200 and make.POLLINATORS["en"].encode() in page.content
    response = client.post(
        reverse("community:digest_settings"),
        {"membership": claire.pk, "digest": DigestFrequency.DAILY, "next": "/fr/community/"},
    )
    assert response.status_code == 302 and response["Location"] == "/fr/community/"
    claire.refresh_from_db()
    assert claire.digest == DigestFrequency.DAILY


def test_no_one_changes_another_members_digest(claire, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make.person("mallory"))
    response = client.post(
        reverse("community:digest_settings"), {"membership": claire.pk, "digest": DigestFrequency.NEVER}
    )
    assert response.status_code == 404
    claire.refresh_from_db()
    assert claire.digest == DigestFrequency.WEEKLY


def test_the_settings_ask_to_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("community:digest_settings"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
