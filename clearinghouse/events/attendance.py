"""Check-in and certificates of attendance (the lists to download and upload are in
attendance_lists.py).

Check-in reads the code of a registration (its QR code, scanned or typed) or picks a confirmed
participant from the list; doing it twice changes nothing and says when and by whom it was done.
A certificate is for a confirmed participant who was checked in, once the event is over; anyone
holding its address checks that it is genuine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.core.multilingual import show
from clearinghouse.events.models import Certificate, Event, Registration, RegistrationStatus
from clearinghouse.publishing.documents import PdfUnavailableError

__all__ = ["PdfUnavailableError"]


def title_of(event: Event, language: str | None = None) -> str:
    return show(event.title or {}, event.original_language, language).text or event.identifier


def local(moment: datetime, event: Event) -> str:
    """A moment as the event's clock shows it, with the zone's name."""
    return (
        f"{date_format(timezone.localtime(moment, event.zone), 'SHORT_DATETIME_FORMAT')} ({event.zone.key})"
    )


# --- check-in ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckIn:
    """What the desk shows after a check-in: who, and whether they were checked in already."""

    registration: Registration
    already: bool


def confirmed(event: Event) -> QuerySet[Registration]:
    """Who is expected at the desk: the confirmed registrations."""
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED)


def counts(event: Event) -> tuple[int, int]:
    """(checked in, expected)."""
    expected = confirmed(event)
    return expected.filter(checked_in_at__isnull=False).count(), expected.count()


def search(event: Event, query: str, limit: int = 30) -> list[Registration]:
    """Confirmed participants whose name, e-mail or organisation contains ``query``."""
    query = query.strip()
    if not query:
        return []
    found = confirmed(event).filter(
        Q(name__icontains=query) | Q(email__icontains=query) | Q(organisation_name__icontains=query)
    )
    return list(found.select_related("checked_in_by").order_by("name")[:limit])


def registration_by_code(event: Event, code: str) -> Registration:
    """The confirmed registration of ``event`` with this check-in code; ValidationError saying
    what is wrong otherwise (unknown, another event's, not confirmed)."""
    code = code.strip()
    found = Registration.objects.select_related("event", "checked_in_by").filter(code=code).first()
    if not code or found is None:
        raise ValidationError(
            _("No registration has the code “%(code)s”. Check it, or find the person by name.")
            % {"code": code[:40]},
            code="unknown",
        )
    if found.event_id != event.pk:
        raise ValidationError(
            _("This code is a registration for another event: %(event)s.") % {"event": title_of(found.event)},
            code="other_event",
        )
    _require_confirmed(found)
    return found


def _require_confirmed(registration: Registration) -> None:
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(
            _("The registration of %(name)s is not confirmed (%(status)s): they cannot be checked in.")
            % {"name": registration.name, "status": registration.get_status_display()},
            code="not_confirmed",
        )


def registration_by_pk(event: Event, pk: Any) -> Registration:
    """A registration of ``event`` picked from the list; ValidationError if it is not there."""
    try:
        found = event.registrations.select_related("checked_in_by").get(pk=int(pk))
    except (Registration.DoesNotExist, TypeError, ValueError) as error:
        raise ValidationError(_("This person is not registered for this event."), code="unknown") from error
    _require_confirmed(found)
    return found


@transaction.atomic
def check_in(registration: Registration, *, actor: User | None, at: datetime | None = None) -> CheckIn:
    """Record that the person arrived; a second check-in keeps the first one."""
    locked = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("checked_in_by")
        .get(pk=registration.pk)
    )
    _require_confirmed(locked)
    if locked.checked_in_at is not None:
        return CheckIn(locked, already=True)
    locked.checked_in_at = at or timezone.now()
    locked.checked_in_by = actor
    locked.save(update_fields=["checked_in_at", "checked_in_by"])
    return CheckIn(locked, already=False)


@transaction.atomic
def undo_check_in(registration: Registration) -> Registration:
    """Take back a check-in made by mistake (a certificate already issued is revoked with it)."""
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    locked.checked_in_at = None
    locked.checked_in_by = None
    locked.save(update_fields=["checked_in_at", "checked_in_by"])
    Certificate.objects.filter(registration=locked, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return locked


# --- certificates --------------------------------------------------------------------------------


def may_have_certificate(registration: Registration, now: datetime | None = None) -> bool:
    """A certificate is for a confirmed participant who was checked in, once the event is over."""
    return (
        registration.status == RegistrationStatus.CONFIRMED
        and registration.checked_in_at is not None
        and registration.event.is_past(now)
    )


def certificate_for(registration: Registration, now: datetime | None = None) -> Certificate:
    """The participant's certificate, issued on first request; ValidationError if they may not
    have one, or if it was revoked."""
    if not may_have_certificate(registration, now):
        if not registration.event.is_past(now):
            raise ValidationError(_("Certificates are issued once the event is over."), code="not_over")
        raise ValidationError(
            _("Certificates of attendance are for participants who were checked in at the event."),
            code="not_attended",
        )
    certificate, _created = Certificate.objects.get_or_create(registration=registration)
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate was revoked by the organiser."), code="revoked")
    return certificate


@transaction.atomic
def issue_certificates(event: Event, now: datetime | None = None) -> int:
    """Issue a certificate to every participant who was checked in (the revoked stay revoked);
    returns how many were issued now."""
    if not event.is_past(now):
        raise ValidationError(_("Certificates are issued once the event is over."), code="not_over")
    attended = confirmed(event).filter(checked_in_at__isnull=False, certificate__isnull=True)
    made = [Certificate(registration=registration) for registration in attended]
    Certificate.objects.bulk_create(made)
    return len(made)


def revoke(certificate: Certificate) -> Certificate:
    if certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.save(update_fields=["revoked_at"])
    return certificate


def reader_language(registration: Registration) -> str:
    """The language a participant reads: their account's setting, else the one they registered in."""
    person = registration.person
    preferred = getattr(person, "preferred_language", "") if person is not None else ""
    return str(preferred or registration.language or "en")


# --- QR codes and PDF ----------------------------------------------------------------------------


def qr_svg(text: str) -> SafeString:
    """``text`` as a QR code in inline SVG (no image file, no script): scanners at the desk read
    it from a screen or from paper."""
    import qrcode  # type: ignore[import-untyped]
    import qrcode.image.svg  # type: ignore[import-untyped]

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = str(image.to_string(encoding="unicode"))
    # Built by qrcode from our own code or address: nothing of the reader's goes in.
    return mark_safe(svg[svg.index("<svg") :])  # noqa: S308  # nosec B308 B703


def pdf(html: str, base_url: str) -> bytes:
    """HTML as PDF through WeasyPrint (it shapes Arabic and lays out right to left);
    PdfUnavailableError when WeasyPrint or Pango is missing."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]
    except (ImportError, OSError) as error:
        raise PdfUnavailableError from error
    document: bytes = HTML(string=html, base_url=base_url).write_pdf()
    return document
