"""Certificates of attendance: for those checked in, once the event is over; a PDF in the
participant's language; a public page says whether one is genuine or revoked."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.events import attendance
from clearinghouse.events.models import Certificate, RegistrationStatus
from clearinghouse.events.tests.attendance_factories import make_event, register


def test_the_organiser_issues_certificates_to_those_checked_in_only(world: World, client: Client) -> None:
    event = make_event(world, past=True)
    came = register(event, "Came", checked_in_at=timezone.now())
    register(event, "Stayed Away")
    register(event, "Cancelled", status=RegistrationStatus.CANCELLED, checked_in_at=timezone.now())
    client.force_login(world.authorised_user)
    text = client.post(
        f"/en/events/{event.identifier}/certificates/", {"issue": "all"}, follow=True
    ).content.decode()
    assert "1 certificate issued." in text
    assert list(Certificate.objects.values_list("registration__name", flat=True)) == [came.name]
    # Again: nobody gets a second one.
    assert attendance.issue_certificates(event) == 0


def test_no_certificate_before_the_event_is_over(world: World) -> None:
    event = make_event(world)
    came = register(event, "Came", checked_in_at=timezone.now())
    with pytest.raises(ValidationError, match="once the event is over"):
        attendance.issue_certificates(event)
    with pytest.raises(ValidationError, match="once the event is over"):
        attendance.certificate_for(came)
    assert not Certificate.objects.exists()


def test_a_participant_who_was_not_checked_in_gets_no_certificate(world: World, client: Client) -> None:
    event = make_event(world, past=True)
    register(event, "Mei Wang", person=world.learner)
    client.force_login(world.learner)
    response = client.get(f"/en/events/{event.identifier}/certificate/")
    assert response.status_code == 403
    assert "for participants who were checked in" in response.content.decode()
    assert not Certificate.objects.exists()


def _pdf_or_skip(response: Any) -> bytes:
    if response.status_code == 503:
        pytest.skip("WeasyPrint's system libraries (Pango) are missing")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content: bytes = response.content
    assert content.startswith(b"%PDF")
    return content


@pytest.mark.parametrize("language", ["en", "ar", "zh-hans"])
def test_an_attendee_downloads_their_certificate_in_their_language(
    world: World, client: Client, language: str
) -> None:
    pytest.importorskip("weasyprint", exc_type=ImportError)
    world.learner.preferred_language = language
    world.learner.save()
    event = make_event(world, past=True)
    register(event, "Mei Wang", person=world.learner, checked_in_at=timezone.now())
    client.force_login(world.learner)
    _pdf_or_skip(client.get(f"/en/events/{event.identifier}/certificate/"))
    assert Certificate.objects.filter(registration__person=world.learner, revoked_at__isnull=True).exists()


def test_without_weasyprint_the_certificate_says_it_is_unavailable(
    world: World, client: Client, monkeypatch: Any
) -> None:
    def unavailable(*args: object) -> bytes:
        raise attendance.PdfUnavailableError

    monkeypatch.setattr(attendance, "pdf", unavailable)
    event = make_event(world, past=True)
    register(event, "Mei Wang", person=world.learner, checked_in_at=timezone.now())
    client.force_login(world.learner)
    response = client.get(f"/en/events/{event.identifier}/certificate/")
    assert response.status_code == 503
    assert "cannot make PDF files" in response.content.decode()


def test_the_verification_page_says_genuine_revoked_or_unknown(world: World, client: Client) -> None:
    event = make_event(world, past=True)
    came = register(event, "Wanjiku Mwangi", checked_in_at=timezone.now())
    certificate = attendance.certificate_for(came)
    page = client.get(f"/en/events/certificates/{certificate.token}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert (
        "This certificate is genuine." in text and "Wanjiku Mwangi" in text and "Workshop on invasive" in text
    )
    client.force_login(world.authorised_user)
    client.post(f"/en/events/{event.identifier}/certificates/", {"revoke": certificate.pk})
    client.logout()
    text = client.get(f"/en/events/certificates/{certificate.token}/").content.decode()
    assert "This certificate was revoked by the organiser" in text
    assert "This certificate is genuine." not in text
    unknown = client.get("/en/events/certificates/not-a-real-token/")
    assert unknown.status_code == 404
    assert "No certificate has this address" in unknown.content.decode()
    # A revoked certificate is not handed out again.
    with pytest.raises(ValidationError, match="revoked"):
        attendance.certificate_for(came)


def test_only_organisers_revoke(world: World, client: Client) -> None:
    event = make_event(world, past=True)
    certificate = attendance.certificate_for(register(event, "Came", checked_in_at=timezone.now()))
    client.force_login(world.outsider)
    response = client.post(f"/en/events/{event.identifier}/certificates/", {"revoke": certificate.pk})
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_undoing_a_check_in_revokes_the_certificate(world: World) -> None:
    event = make_event(world, past=True)
    came = register(event, "Came", checked_in_at=timezone.now())
    certificate = attendance.certificate_for(came)
    attendance.undo_check_in(came)
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None


def test_the_certificate_names_the_person_the_event_and_its_verification_address(
    world: World, client: Client
) -> None:
    pytest.importorskip("weasyprint", exc_type=ImportError)
    from pypdf import PdfReader

    event = make_event(world, past=True)
    came = register(
        event, "Wanjiku Mwangi", person=world.learner, checked_in_at=timezone.now(), language="en"
    )
    world.learner.preferred_language = ""
    world.learner.save()
    client.force_login(world.authorised_user)
    certificate = attendance.certificate_for(came)
    content = _pdf_or_skip(client.get(f"/fr/events/certificates/{certificate.token}/pdf/"))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    # In the participant's language (English here), whoever downloads it.
    assert "Certificate of attendance" in text
    assert "Wanjiku Mwangi" in text and "Workshop on invasive species" in text and "KEFRI" in text
    assert f"/en/events/certificates/{certificate.token}/" in text.replace("\n", "")
