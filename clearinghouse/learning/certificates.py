"""Certificates of completion: issued when a learner completes a course, printed as a PDF in the
language they studied in, checked by anyone who holds the code, revoked by the course's owners.

Who gets one: a learner whose enrolment is completed and who did not fail. A course with quizzes
records whether the learner passed them all (``Enrolment.passed``); a course whose rule is
"every lesson viewed" can be completed with a failed quiz, and that completion earns no
certificate. A course without quizzes (``passed`` stays None) earns one on completion. The
certificate is issued in the transaction that completes the course (the ``course_completed``
signal), once: a second completion, or asking again, returns the same certificate.

The verification code (``7KQ2-XM4P-9RTA``) is typed from paper: it is read without regard to
case, spaces or dashes. A revoked certificate stays on record, and its page says so; its PDF is
no longer handed out.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language_bidi, override
from django.utils.translation import gettext as _

from clearinghouse.accounts import roles
from clearinghouse.core.mail import site_url
from clearinghouse.core.multilingual import show
from clearinghouse.events.attendance import pdf, qr_svg
from clearinghouse.learning.models import (
    Course,
    CourseCertificate,
    Enrolment,
    EnrolmentStatus,
)
from clearinghouse.support.permissions import can_edit

# Content languages as stored (``zh``) and the interface language a page is rendered in.
_UI_LANGUAGES = {"zh": "zh-hans"}
_CODE_CHARACTERS = re.compile(r"[^0-9A-Z]")
REASON_MAX_LENGTH = 300


def ui_language(content_code: str) -> str:
    """The interface language (Django's code) of a content language code."""
    return _UI_LANGUAGES.get(content_code, content_code or "en")


# --- who, what, by whom --------------------------------------------------------------------------


def holder_name(enrolment: Enrolment) -> str:
    """The learner's name as their account gives it."""
    person = enrolment.person
    return person.get_full_name().strip() or person.username


def course_title(course: Course, language: str | None = None) -> str:
    """The course's title in ``language`` (a content code), else in its original language."""
    return show(course.title or {}, course.original_language, language).text or course.identifier


def course_summary(course: Course, language: str | None = None) -> str:
    return show(course.summary or {}, course.original_language, language).text


def organisation_name(course: Course, language: str | None = None) -> str:
    """Who offers the course: the Party or the organisation that owns its record."""
    if course.owner_country is not None:
        return course.owner_country.name(language)
    if course.owner_organisation is not None:
        return course.owner_organisation.display_name(language)
    return ""


def may_manage(user: Any, course: Course) -> bool:
    """The course's owners (those who may edit its record) and the Secretariat revoke its
    certificates and read its exact figures."""
    if not getattr(user, "is_authenticated", False):
        return False
    return roles.is_secretariat(user) or can_edit(user, course)


# --- issuing -------------------------------------------------------------------------------------


def deserves_certificate(enrolment: Enrolment) -> bool:
    """Completed, and not failed (a course without quizzes leaves ``passed`` empty)."""
    return enrolment.status == EnrolmentStatus.COMPLETED and enrolment.passed is not False


def _refusal(enrolment: Enrolment) -> ValidationError:
    if enrolment.status != EnrolmentStatus.COMPLETED:
        return ValidationError(
            _("The certificate is issued once you have completed the course."), code="not_complete"
        )
    return ValidationError(
        _("The certificate is for learners who passed the course's quizzes."), code="not_passed"
    )


@transaction.atomic
def issue(enrolment: Enrolment) -> CourseCertificate:
    """The enrolment's certificate, issued now if it has none; ValidationError saying why when
    the learner has not earned one."""
    if not deserves_certificate(enrolment):
        raise _refusal(enrolment)
    certificate, _created = CourseCertificate.objects.get_or_create(enrolment=enrolment)
    return certificate


def on_course_completed(sender: Any, enrolment: Enrolment, **kwargs: Any) -> None:
    """Receiver of ``progress.course_completed``: a certificate for a completion that earns one."""
    if deserves_certificate(enrolment):
        issue(enrolment)


def certificate_of(user: Any, course: Course) -> CourseCertificate:
    """A learner's own certificate of ``course`` (issued on first request for completions made
    before certificates were issued automatically); ValidationError saying why there is none,
    or that it was revoked."""
    enrolment = (
        Enrolment.objects.select_related("course", "person").filter(course=course, person=user).first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if enrolment is None:
        raise ValidationError(_("You are not enrolled in this course."), code="not_enrolled")
    certificate = issue(enrolment)
    if certificate.revoked_at is not None:
        raise ValidationError(revocation_notice(certificate), code="revoked")
    return certificate


# --- finding by code -----------------------------------------------------------------------------


def normalise_code(text: str) -> str:
    """A code as typed (any case, with or without dashes or spaces) in its stored form
    (``7KQ2-XM4P-9RTA``); "" when it cannot be a code."""
    raw = _CODE_CHARACTERS.sub("", (text or "")[:64].upper())
    if len(raw) != 12:
        return ""
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def find(code: str) -> CourseCertificate | None:
    """The certificate with this code, however it was typed; None for an unknown or forged one."""
    normal = normalise_code(code)
    if not normal:
        return None
    return (
        CourseCertificate.objects.select_related(
            "enrolment__person",
            "enrolment__course__owner_country",
            "enrolment__course__owner_organisation",
        )
        .filter(code=normal)
        .first()
    )


# --- revocation ----------------------------------------------------------------------------------


def revocation_notice(certificate: CourseCertificate) -> str:
    """ "Revoked on <date> (<reason>)" in the active language."""
    if certificate.revoked_at is None:
        return ""
    date = date_format(timezone.localtime(certificate.revoked_at), "DATE_FORMAT")
    if certificate.revocation_reason:
        return _("This certificate was revoked on %(date)s (%(reason)s): it is no longer valid.") % {
            "date": date,
            "reason": certificate.revocation_reason,
        }
    return _("This certificate was revoked on %(date)s: it is no longer valid.") % {"date": date}


@transaction.atomic
def revoke(
    certificate: CourseCertificate, *, actor: Any, reason: str, at: datetime | None = None
) -> CourseCertificate:
    """Revoke a certificate, saying why. For the course's owners and the Secretariat; a
    certificate is revoked once (there is no reinstating: a new completion does not issue a
    second one either)."""
    course = certificate.enrolment.course
    if not may_manage(actor, course):
        raise PermissionDenied(_("Only the course's owners and the Secretariat revoke its certificates."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Say why the certificate is revoked."), code="no_reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("Keep the reason under %(count)d characters.") % {"count": REASON_MAX_LENGTH},
            code="too_long",
        )
    locked = CourseCertificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is not None:
        raise ValidationError(revocation_notice(locked), code="already_revoked")
    locked.revoked_at = at or timezone.now()
    locked.revocation_reason = reason
    locked.save(update_fields=["revoked_at", "revocation_reason"])
    certificate.revoked_at, certificate.revocation_reason = locked.revoked_at, locked.revocation_reason
    return locked


# --- the printed certificate ---------------------------------------------------------------------


def verification_url(certificate: CourseCertificate, language: str | None = None) -> str:
    """The certificate's public page, absolute, in ``language`` (a content code) or the active one."""
    if language is None:
        return site_url(reverse("learning:verify", args=[certificate.code]))
    with override(ui_language(language)):
        return site_url(reverse("learning:verify", args=[certificate.code]))


def print_context(certificate: CourseCertificate) -> dict[str, Any]:
    """What the certificate shows, in the learner's language (call it with that language active)."""
    enrolment = certificate.enrolment
    course = enrolment.course
    language = enrolment.language
    url = verification_url(certificate, language)
    title = show(course.title or {}, course.original_language, language)
    return {
        "certificate": certificate,
        "holder": holder_name(enrolment),
        "course_title": title.text or course.identifier,
        "title_language": title.language,
        "title_direction": title.direction,
        "organisation": organisation_name(course, language),
        "issued": date_format(timezone.localtime(certificate.issued_at), "DATE_FORMAT"),
        "duration": course.duration_hours,
        "verify_url": url,
        "qr": qr_svg(url),
    }


def printable_html(certificate: CourseCertificate) -> str:
    """The certificate's page in the learner's language of study, as WeasyPrint prints it."""
    language = certificate.enrolment.language
    with override(ui_language(language)):
        context = print_context(certificate) | {
            "LANGUAGE_CODE": ui_language(language),
            "LANGUAGE_BIDI": get_language_bidi(),
        }
        return render_to_string("learning/certificates/certificate_print.html", context)


def render_pdf(certificate: CourseCertificate) -> bytes:
    """The certificate as a PDF in the learner's language of study, whoever downloads it
    (Arabic right to left, shaped by WeasyPrint; Chinese in a CJK font). PdfUnavailableError
    when WeasyPrint or its system libraries are missing."""
    return pdf(printable_html(certificate), site_url("/"))
