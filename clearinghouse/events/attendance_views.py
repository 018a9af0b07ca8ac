"""Pages around attendance: a participant's ticket, the organisers' check-in desk, the offline
check-in list and its upload, participants' lists in and out, certificates of attendance and
their public verification, and participation over events (rules in attendance.py and
statistics.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.languages import content_language
from clearinghouse.events import attendance, attendance_lists, permissions, statistics
from clearinghouse.events.models import Certificate, Event, EventKind, Registration, RegistrationStatus
from clearinghouse.geo.models import Country, RegionalGroup
from clearinghouse.publishing.documents import PdfUnavailableError


def _event(request: HttpRequest, identifier: str) -> Event:
    """The event, if the reader may see it (public, or theirs to organise)."""
    event = get_object_or_404(
        Event.objects.select_related("owner_country", "owner_organisation"), identifier=identifier
    )
    if not event.live and not permissions.is_organiser(request.user, event):
        raise Http404
    return event


def _organised(request: HttpRequest, identifier: str) -> Event:
    event = _event(request, identifier)
    if not permissions.is_organiser(request.user, event):
        raise PermissionDenied(_("Only the event's organisers do this."))
    return event


def _organiser_name(event: Event) -> str:
    if event.owner_country is not None:
        return event.owner_country.name()
    return event.owner_organisation.display_name() if event.owner_organisation is not None else ""


def _when(event: Event) -> str:
    if event.starts_at is None:
        return ""
    start = timezone.localtime(event.starts_at, event.zone)
    end = timezone.localtime(event.ends_at or event.starts_at, event.zone)
    if start.date() == end.date():
        return date_format(start, "DATE_FORMAT")
    return _("%(start)s to %(end)s") % {
        "start": date_format(start, "DATE_FORMAT"),
        "end": date_format(end, "DATE_FORMAT"),
    }


def _place(event: Event) -> str:
    parts = [event.venue, event.city, event.venue_country.name() if event.venue_country else ""]
    place = ", ".join(part for part in parts if part)
    return place or (_("Online") if event.online_url else "")


def _event_context(event: Event) -> dict[str, Any]:
    return {
        "event": event,
        "event_title": attendance.title_of(event),
        "when": _when(event),
        "zone": event.zone.key,
        "place": _place(event),
        "organiser": _organiser_name(event),
    }


def _pdf_response(request: HttpRequest, html: str, context: dict[str, Any], filename: str) -> HttpResponse:
    """``html`` as a PDF; without WeasyPrint, a page that says so (in the reader's language)."""
    try:
        content = attendance.pdf(html, request.build_absolute_uri("/"))
    except PdfUnavailableError:
        return render(request, "events/attendance/pdf_unavailable.html", context, status=503)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


# --- ticket --------------------------------------------------------------------------------------


def _own_registration(request: HttpRequest, event: Event) -> Registration | None:
    user = signed_in(request)
    return (
        event.registrations.filter(person=user)
        .exclude(
            status__in=[RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED, RegistrationStatus.EXPIRED]
        )
        .first()
    )


def _ticket_context(request: HttpRequest, identifier: str) -> tuple[dict[str, Any], Registration | None]:
    event = _event(request, identifier)
    registration = _own_registration(request, event)
    context = _event_context(event) | {"registration": registration}
    if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
        context["qr"] = attendance.qr_svg(registration.code)
    return context, registration


@login_required
@require_safe
def ticket(request: HttpRequest, identifier: str) -> HttpResponse:
    """The participant's ticket: the QR code of their check-in code (confirmed registrations only)."""
    context, _registration = _ticket_context(request, identifier)
    status = 200 if "qr" in context else 404
    return render(request, "events/attendance/ticket.html", context, status=status)


@login_required
@require_safe
def ticket_pdf(request: HttpRequest, identifier: str) -> HttpResponse:
    context, registration = _ticket_context(request, identifier)
    if registration is None or "qr" not in context:
        return render(request, "events/attendance/ticket.html", context, status=404)
    html = render_to_string("events/attendance/ticket_print.html", context, request)
    return _pdf_response(request, html, context, f"ticket-{context['event'].identifier}")


# --- the check-in desk ---------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Check-in code"), max_length=64)


def _checkin_url(event: Event, query: str = "") -> str:
    url = reverse("events:checkin", args=[event.identifier])
    return f"{url}?{_query(query)}" if query else url


def _query(query: str) -> str:
    return urlencode({"q": query})


def _already(registration: Registration, event: Event) -> str:
    moment = attendance.local(registration.checked_in_at, event) if registration.checked_in_at else ""
    if registration.checked_in_by is not None:
        return _("%(name)s was already checked in at %(time)s by %(by)s.") % {
            "name": registration.name,
            "time": moment,
            "by": registration.checked_in_by.get_full_name() or registration.checked_in_by.get_username(),
        }
    return _("%(name)s was already checked in at %(time)s.") % {"name": registration.name, "time": moment}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def checkin(request: HttpRequest, identifier: str) -> HttpResponse:
    """One input for the scanner (or typed code), a search by name with a button per person, and
    the counts. A check-in posts back here and the page comes back with the result."""
    event = _organised(request, identifier)
    query = request.POST.get("q", request.GET.get("q", "")).strip()[:100]
    if request.method == "POST":
        try:
            if "registration" in request.POST:
                registration = attendance.registration_by_pk(event, request.POST["registration"])
            else:
                registration = attendance.registration_by_code(event, request.POST.get("code", ""))
            done = attendance.check_in(registration, actor=signed_in(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if done.already:
                messages.warning(request, _already(done.registration, event))
            else:
                messages.success(
                    request,
                    _("Checked in: %(name)s (%(organisation)s).")
                    % {
                        "name": done.registration.name,
                        "organisation": done.registration.organisation_name or "—",
                    },
                )
        return redirect(_checkin_url(event, query))
    checked_in, expected = attendance.counts(event)
    recent = (
        attendance.confirmed(event)
        .filter(checked_in_at__isnull=False)
        .select_related("checked_in_by")
        .order_by("-checked_in_at")[:10]
    )
    context = _event_context(event) | {
        "form": CodeForm(),
        "query": query,
        "found": attendance.search(event, query),
        "searched": bool(query),
        "checked_in": checked_in,
        "expected": expected,
        "recent": recent,
    }
    return render(request, "events/attendance/checkin.html", context)


@login_required
@require_POST
def checkin_undo(request: HttpRequest, identifier: str) -> HttpResponse:
    event = _organised(request, identifier)
    try:
        registration = event.registrations.get(pk=int(request.POST.get("registration", "")))
    except (Registration.DoesNotExist, ValueError):
        messages.error(request, _("This person is not registered for this event."))
    else:
        attendance.undo_check_in(registration)
        messages.info(request, _("Check-in of %(name)s undone.") % {"name": registration.name})
    return redirect(_checkin_url(event, request.POST.get("q", "").strip()[:100]))


def _format(format_name: str) -> str:
    if format_name not in attendance_lists.FORMATS:
        raise Http404
    return format_name


def _file_response(content: bytes, format_name: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=attendance_lists.CONTENT_TYPES[format_name])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{format_name}"'
    return response


@login_required
@require_safe
def checkin_list(request: HttpRequest, identifier: str, format_name: str) -> HttpResponse:
    """The list to check people in without network, in the organiser's language."""
    event = _organised(request, identifier)
    content = attendance_lists.checkin_list(event, _format(format_name), content_language())
    return _file_response(content, format_name, f"checkin-{event.identifier}")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("The list downloaded here (.xlsx or CSV), filled in."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def checkin_sync(request: HttpRequest, identifier: str) -> HttpResponse:
    """Upload the filled check-in list after the event: all of it is applied, or nothing."""
    event = _organised(request, identifier)
    form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    context = _event_context(event) | {"form": form}
    if request.method == "POST" and form.is_valid():
        result = attendance_lists.synchronise(
            event, form.cleaned_data["file"], actor=signed_in(request), language=content_language()
        )
        context |= {"result": result, "problems": result.problems}
        return render(request, "events/attendance/sync.html", context, status=400 if result.problems else 200)
    return render(request, "events/attendance/sync.html", context)


# --- participants' lists -------------------------------------------------------------------------


@require_safe
def participants_export(request: HttpRequest, identifier: str, format_name: str) -> HttpResponse:
    """Organisers: everyone with their facts and answers; others: those who agreed to be listed."""
    event = _event(request, identifier)
    organiser = permissions.is_organiser(request.user, event)
    content = attendance_lists.participants_export(
        event, _format(format_name), content_language(), organiser=organiser
    )
    return _file_response(content, format_name, f"participants-{event.identifier}")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def participants_import(request: HttpRequest, identifier: str) -> HttpResponse:
    event = _organised(request, identifier)
    form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    context = _event_context(event) | {
        "form": form,
        "columns": [item.name for item in attendance_lists.participant_fields()],
    }
    if request.method == "POST" and form.is_valid():
        result = attendance_lists.import_participants(
            event, form.cleaned_data["file"], actor=signed_in(request), language=content_language()
        )
        context |= {"result": result, "problems": result.problems}
        return render(
            request, "events/attendance/import.html", context, status=400 if result.problems else 200
        )
    return render(request, "events/attendance/import.html", context)


# --- certificates --------------------------------------------------------------------------------


def _certificate_context(request: HttpRequest, certificate: Certificate) -> dict[str, Any]:
    registration = certificate.registration
    verify = request.build_absolute_uri(reverse("events:certificate", args=[certificate.token]))
    return _event_context(registration.event) | {
        "certificate": certificate,
        "registration": registration,
        "verify_url": verify,
        "qr": attendance.qr_svg(verify),
    }


def _certificate_pdf(request: HttpRequest, certificate: Certificate) -> HttpResponse:
    # In the participant's language, whoever downloads it.
    with override(attendance.reader_language(certificate.registration)):
        context = _certificate_context(request, certificate)
        html = render_to_string("events/attendance/certificate_print.html", context, request)
    return _pdf_response(
        request, html, _certificate_context(request, certificate), f"certificate-{certificate.token}"
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def certificates(request: HttpRequest, identifier: str) -> HttpResponse:
    """The organisers' page: who attended, their certificates, issue them all, revoke one."""
    event = _organised(request, identifier)
    if request.method == "POST":
        if "revoke" in request.POST:
            certificate = get_object_or_404(Certificate, pk=request.POST["revoke"], registration__event=event)
            attendance.revoke(certificate)
            messages.info(
                request,
                _("The certificate of %(name)s is revoked.") % {"name": certificate.registration.name},
            )
        else:
            try:
                count = attendance.issue_certificates(event)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    ngettext("%(count)d certificate issued.", "%(count)d certificates issued.", count)
                    % {"count": count},
                )
        return redirect("events:certificates", event.identifier)
    attended = (
        attendance.confirmed(event)
        .filter(checked_in_at__isnull=False)
        .select_related("certificate")
        .order_by("name")
    )
    context = _event_context(event) | {"attended": attended, "past": event.is_past()}
    return render(request, "events/attendance/certificates.html", context)


@login_required
@require_safe
def my_certificate(request: HttpRequest, identifier: str) -> HttpResponse:
    """The participant's own certificate (PDF), once the event is over and they were checked in."""
    event = _event(request, identifier)
    registration = _own_registration(request, event)
    try:
        if registration is None:
            raise ValidationError(_("You are not registered for this event."))
        certificate = attendance.certificate_for(registration)
    except ValidationError as error:
        context = _event_context(event) | {"message": " ".join(error.messages)}
        return render(request, "events/attendance/no_certificate.html", context, status=403)
    return _certificate_pdf(request, certificate)


@require_safe
def certificate(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone holding a certificate's address checks here whether it is genuine."""
    found = (
        Certificate.objects.select_related(
            "registration__event__owner_country", "registration__event__owner_organisation"
        )
        .filter(token=token)
        .first()
    )
    if found is None:
        return render(request, "events/attendance/verify.html", {"certificate": None}, status=404)
    return render(
        request,
        "events/attendance/verify.html",
        _event_context(found.registration.event) | {"certificate": found},
    )


@login_required
@require_safe
def certificate_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """A certificate's PDF, for its holder and the event's organisers."""
    found = get_object_or_404(
        Certificate.objects.select_related("registration__event", "registration__person"), token=token
    )
    event = found.registration.event
    if not (
        permissions.is_participant(request.user, found.registration)
        or permissions.is_organiser(request.user, event)
    ):
        raise Http404
    if found.revoked_at is not None:
        return render(
            request,
            "events/attendance/verify.html",
            _event_context(event) | {"certificate": found},
            status=410,
        )
    return _certificate_pdf(request, found)


# --- participation over events -------------------------------------------------------------------


class ParticipationFilter(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=1990, max_value=2100)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of event"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Participants from the region"), required=False)
    party = forms.CharField(
        label=gettext_lazy("Participants from the Party"),
        required=False,
        max_length=3,
        help_text=gettext_lazy("Its ISO code, such as KE."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["kind"].choices = everything + list(EventKind.choices)  # type: ignore[attr-defined]
        self.fields["region"].choices = everything + list(RegionalGroup.choices)  # type: ignore[attr-defined]

    def clean_party(self) -> Country | None:
        code = str(self.cleaned_data.get("party") or "").strip().upper()
        if not code:
            return None
        country = Country.objects.filter(code=code).first()
        if country is None:
            raise ValidationError(_("No Party has the code %(code)s.") % {"code": code})
        return country


@require_safe
def participation(request: HttpRequest) -> HttpResponse:
    """Participation over published events, disaggregated; small figures hidden unless the reader
    organises every event counted or is the Secretariat."""
    form = ParticipationFilter(request.GET or None)
    context: dict[str, Any] = {"form": form, "threshold": statistics.THRESHOLD}
    if request.GET and not form.is_valid():
        return render(request, "events/attendance/participation.html", context, status=400)
    values = form.cleaned_data if form.is_bound else {}
    events = Event.objects.filter(live=True)
    if values.get("year"):
        events = events.filter(starts_at__year=values["year"])
    if values.get("kind"):
        events = events.filter(kind=values["kind"])
    exact = statistics.sees_exact(request.user, events)
    if not exact:
        # Others see events once they are over.
        events = events.filter(
            Q(ends_at__lt=timezone.now()) | Q(ends_at__isnull=True, starts_at__lt=timezone.now())
        )
    context |= {
        "events_count": events.count(),
        "exact": exact,
        "breakdowns": [
            statistics.participation(
                events, by, exact=exact, party=values.get("party"), region=values.get("region") or ""
            )
            for by in statistics.Dimension
        ],
    }
    return render(request, "events/attendance/participation.html", context)


urlpatterns = [
    path("participation/", participation, name="participation"),
    path("certificates/<str:token>/", certificate, name="certificate"),
    path("certificates/<str:token>/pdf/", certificate_pdf, name="certificate_pdf"),
    path("<str:identifier>/ticket/", ticket, name="ticket"),
    path("<str:identifier>/ticket/pdf/", ticket_pdf, name="ticket_pdf"),
    path("<str:identifier>/checkin/", checkin, name="checkin"),
    path("<str:identifier>/checkin/undo/", checkin_undo, name="checkin_undo"),
    path("<str:identifier>/checkin/list.<str:format_name>", checkin_list, name="checkin_list"),
    path("<str:identifier>/checkin/upload/", checkin_sync, name="checkin_sync"),
    path("<str:identifier>/participants.<str:format_name>", participants_export, name="participants_export"),
    path("<str:identifier>/participants/import/", participants_import, name="participants_import"),
    path("<str:identifier>/certificates/", certificates, name="certificates"),
    path("<str:identifier>/certificate/", my_certificate, name="my_certificate"),
]
