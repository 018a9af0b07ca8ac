"""Pages of certificates of completion: the learner's PDF, the public verification page and the
form that finds a certificate by its code, revocation, the course owners' list, and the Open
Badges 3.0 credential (JSON-LD and VC-JWT) with its issuer, key and revocation list (rules in
certificates.py and badges.py)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from clearinghouse.core.languages import content_language
from clearinghouse.learning import badges, certificates
from clearinghouse.learning.models import Course, CourseCertificate
from clearinghouse.publishing.documents import PdfUnavailableError


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=64,
        help_text=gettext_lazy(
            "The twelve letters and digits printed on the certificate, such as 7KQ2-XM4P-9RTA."
        ),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for revocation"),
        max_length=certificates.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown on the certificate's public page."),
    )


class _Lookups(SimpleRateThrottle):
    """Look-ups of certificates by code, per client address (the same count of trusted proxies
    as the API's throttle): codes cannot be guessed, and this keeps anyone from trying."""

    scope = "learning_verify"

    def get_rate(self) -> str:
        return str(getattr(settings, "LEARNING_VERIFY_RATE", "60/minute"))

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _too_many(request: HttpRequest) -> HttpResponse | None:
    if _Lookups().allow_request(Request(request), APIView()):
        return None
    return render(
        request,
        "learning/certificates/verify_form.html",
        {
            "form": VerifyForm(),
            "error": _("Too many look-ups from your address. Wait a minute, then try again."),
        },
        status=429,
    )


def _found(code: str) -> CourseCertificate:
    certificate = certificates.find(code)
    if certificate is None:
        raise Http404
    return certificate


def _pdf_response(request: HttpRequest, certificate: CourseCertificate) -> HttpResponse:
    try:
        content = certificates.render_pdf(certificate)
    except PdfUnavailableError:
        return render(request, "learning/certificates/pdf_unavailable.html", status=503)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


@login_required
@require_safe
def my_certificate(request: HttpRequest, identifier: str) -> HttpResponse:
    """The learner's own certificate of a course, as a PDF in the language they studied in."""
    course = get_object_or_404(
        Course.objects.select_related("owner_country", "owner_organisation"), identifier=identifier
    )
    try:
        certificate = certificates.certificate_of(request.user, course)
    except ValidationError as error:
        context = {"course": course, "course_title": certificates.course_title(course, content_language())}
        return render(
            request,
            "learning/certificates/no_certificate.html",
            context | {"message": error.messages[0]},
            status=403,
        )
    return _pdf_response(request, certificate)


@require_safe
def verify_form(request: HttpRequest) -> HttpResponse:
    """Where someone types a code read from a certificate."""
    if "code" not in request.GET:
        return render(request, "learning/certificates/verify_form.html", {"form": VerifyForm()})
    limited = _too_many(request)
    if limited is not None:
        return limited
    form = VerifyForm(request.GET)
    if not form.is_valid():
        return render(request, "learning/certificates/verify_form.html", {"form": form}, status=400)
    certificate = certificates.find(form.cleaned_data["code"])
    if certificate is None:
        error = _("No certificate has this code. Check it against the certificate, letter by letter.")
        return render(
            request, "learning/certificates/verify_form.html", {"form": form, "error": error}, status=404
        )
    return redirect("learning:verify", certificate.code)


def _verify_page(
    request: HttpRequest, certificate: CourseCertificate, form: RevokeForm | None = None, status: int = 200
) -> HttpResponse:
    enrolment = certificate.enrolment
    course = enrolment.course
    reader = content_language()
    manages = certificates.may_manage(request.user, course)
    context = {
        "certificate": certificate,
        "holder": certificates.holder_name(enrolment),
        "course": course,
        "course_title": certificates.course_title(course, reader),
        "organisation": certificates.organisation_name(course, reader),
        "platform": badges.issuer()["name"],
        "revoked": certificates.revocation_notice(certificate),
        "manages": manages,
        "form": form or (RevokeForm() if manages and certificate.revoked_at is None else None),
    }
    return render(request, "learning/certificates/verify.html", context, status=status)


@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone holding a certificate's code or address checks here that it is genuine."""
    limited = _too_many(request)
    if limited is not None:
        return limited
    certificate = certificates.find(code)
    if certificate is None:
        context = {
            "form": VerifyForm(initial={"code": code[:64]}),
            "error": _("No certificate has this code. Check it against the certificate, letter by letter."),
        }
        return render(request, "learning/certificates/verify_form.html", context, status=404)
    if certificate.code != code:
        return redirect("learning:verify", certificate.code)
    return _verify_page(request, certificate)


@login_required
@require_POST
def revoke(request: HttpRequest, code: str) -> HttpResponse:
    """The course's owners and the Secretariat revoke a certificate, saying why."""
    certificate = _found(code)
    if not certificates.may_manage(request.user, certificate.enrolment.course):
        raise PermissionDenied(_("Only the course's owners and the Secretariat revoke its certificates."))
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            certificates.revoke(certificate, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _verify_page(request, certificate, form, status=400)
    messages.success(
        request,
        _("The certificate of %(name)s is revoked.")
        % {"name": certificates.holder_name(certificate.enrolment)},
    )
    return redirect("learning:verify", certificate.code)


@login_required
@require_safe
def course_certificates(request: HttpRequest, identifier: str) -> HttpResponse:
    """The course owners' list of the certificates issued, each with its public page."""
    course = get_object_or_404(Course, identifier=identifier)
    if not certificates.may_manage(request.user, course):
        raise PermissionDenied(_("Only the course's owners and the Secretariat see its certificates."))
    issued = (
        CourseCertificate.objects.filter(enrolment__course=course)
        .select_related("enrolment__person")
        .order_by("-issued_at")
    )
    rows = [(certificate, certificates.holder_name(certificate.enrolment)) for certificate in issued]
    context = {
        "course": course,
        "course_title": certificates.course_title(course, content_language()),
        "rows": rows,
    }
    return render(request, "learning/certificates/course_certificates.html", context)


def _json(document: dict[str, Any], content_type: str = "application/json") -> HttpResponse:
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def badge(request: HttpRequest, code: str) -> HttpResponse:
    """The certificate as an Open Badges 3.0 credential (JSON-LD, unsigned: see badge.jwt)."""
    return _json(badges.credential(_found(code)), f"{badges.MEDIA_TYPE}; charset=utf-8")


@require_safe
def badge_jwt(request: HttpRequest, code: str) -> HttpResponse:
    """The same credential signed, as a Compact JWS (VC-JWT)."""
    response = HttpResponse(badges.signed(_found(code)), content_type="application/jwt")
    response["Content-Disposition"] = f'attachment; filename="badge-{code}.jwt"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def badge_status(request: HttpRequest, code: str) -> HttpResponse:
    """The credential's revocation list (1EdTech Revocation List)."""
    return _json(badges.revocation_list(_found(code)))


@require_safe
def badge_issuer(request: HttpRequest) -> HttpResponse:
    """The issuer's Profile, which the credentials name."""
    return _json({"@context": badges.CONTEXTS} | badges.issuer(), f"{badges.MEDIA_TYPE}; charset=utf-8")


@require_safe
def badge_key(request: HttpRequest) -> HttpResponse:
    """The public key that verifies the signed credentials (JWK), named by their ``kid``."""
    return _json(badges.public_jwk())


urlpatterns = [
    path("verify/", verify_form, name="verify_form"),
    path("verify/<str:code>/", verify, name="verify"),
    path("verify/<str:code>/revoke/", revoke, name="certificate_revoke"),
    path("verify/<str:code>/badge.json", badge, name="badge"),
    path("verify/<str:code>/badge.jwt", badge_jwt, name="badge_jwt"),
    path("verify/<str:code>/status.json", badge_status, name="badge_status"),
    path("badges/issuer.json", badge_issuer, name="badge_issuer"),
    path("badges/key.json", badge_key, name="badge_key"),
    path("courses/<str:identifier>/certificate/", my_certificate, name="certificate"),
    path("courses/<str:identifier>/certificates/", course_certificates, name="course_certificates"),
]
