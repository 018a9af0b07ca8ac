"""The requester's side of the help desk: asking a question on the web (anyone, signed in or
not), their questions and the conversation on each, and the rating of a closed one, also by one
click from the e-mail. Views parse and render; services.py decides."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.accounts.models import User
from clearinghouse.core.languages import content_language
from clearinghouse.helpdesk import mail_out, ratelimits, routing, services
from clearinghouse.helpdesk.models import Attachment, Channel, Kind, Status, Ticket
from clearinghouse.helpdesk.public_forms import (
    AskForm,
    MessageForm,
    RatingForm,
    safe_page,
    safe_record,
    started_token,
)
from clearinghouse.outbox.middleware import replayed_submission

PAGE_SIZE = 25
ASKED_SESSION_KEY = "helpdesk_asked"
PUBLIC_KINDS = (Kind.MESSAGE, Kind.REPLY)


def _person(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) and request.user.is_authenticated else None


def _add_errors(form: Any, error: ValidationError, names: dict[str, str] | None = None) -> None:
    """A service's refusal shown on the form, on the field it is about where there is one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        name = (names or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)


# ---------------------------------------------------------------------------------------------
# Asking


def _where_they_act(person: User) -> tuple[Any, Any]:
    """The Party and the organisation a signed-in person acts for: an active appointment's,
    else their profile's."""
    country = organisation = None
    for appointment in person.appointments.filter(ended_at__isnull=True).select_related(
        "country", "organisation"
    ):
        country = country or appointment.country
        organisation = organisation or appointment.organisation
    return country or person.country, organisation or person.organisation


def _ask_page(request: HttpRequest, form: AskForm, *, status: int = 200, refusal: str = "") -> HttpResponse:
    context = {
        "form": form,
        "started": started_token(),
        "refusal": refusal,
        "helpdesk_email": settings.HELPDESK_EMAIL,
        "page": form["page"].value() or "",
        "record": form["record"].value() or "",
    }
    return render(request, "helpdesk/ask.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    """Ask the help desk, from anywhere; "help with this page" passes the page and record."""
    person = _person(request)
    if request.method != "POST":
        country, _organisation = _where_they_act(person) if person else (None, None)
        initial = {
            "page": safe_page(request.GET.get("page")),
            "record": safe_record(request.GET.get("record")),
            "country": country,
        }
        return _ask_page(request, AskForm(initial=initial, signed_in=person is not None))

    form = AskForm(request.POST, request.FILES, signed_in=person is not None)
    ip = ratelimits.client_address(request)
    email = str(person.email) if person else (request.POST.get("email") or "").strip()[:254]
    if form.is_spam:
        ratelimits.count(ip, "")
        return _ask_page(
            request,
            form,
            status=400,
            refusal=_("Your question could not be sent. Please check it and send it again."),
        )
    if form.too_fast(replayed=replayed_submission(request)):
        return _ask_page(
            request,
            form,
            status=400,
            refusal=_(
                "That was quicker than anyone can write. Please read your question over and send it again."
            ),
        )
    if not ratelimits.allows(ip, email):
        return _ask_page(
            request,
            form,
            status=429,
            refusal=_(
                "You have sent several questions in a short time. Please wait an hour before asking "
                "again, or write to %(email)s."
            )
            % {"email": settings.HELPDESK_EMAIL},
        )
    if not form.is_valid():
        return _ask_page(request, form, status=400)

    data = form.cleaned_data
    country, organisation = _where_they_act(person) if person else (None, None)
    question = services.Question(
        subject=data["subject"],
        body=data["body"],
        language=content_language(),
        channel=Channel.WEB,
        requester=person,
        requester_name=person.get_full_name() if person else data.get("name", ""),
        requester_email="" if person else data["email"],
        topic=data.get("topic"),
        country=data.get("country") or country,
        organisation=organisation,
        page=data["page"],
        records=[data["record"]] if data["record"] else [],
        files=data["attachments"],
    )
    try:
        ticket = services.open_ticket(question)
    except routing.NoDeskError:
        form.add_error(
            None,
            _("The help desk cannot take questions on the web just now. Please write to %(email)s.")
            % {"email": settings.HELPDESK_EMAIL},
        )
        return _ask_page(request, form, status=503)
    except services.HelpdeskError as error:
        _add_errors(form, error, {"requester_email": "email"})
        return _ask_page(request, form, status=400)
    ratelimits.count(ip, email)
    # Only the browser that asked sees the confirmation page: a reference alone shows nothing.
    asked = [*request.session.get(ASKED_SESSION_KEY, [])[-9:], ticket.reference]
    request.session[ASKED_SESSION_KEY] = asked
    return redirect("helpdesk:asked", ticket.reference)


@require_safe
def asked(request: HttpRequest, reference: str) -> HttpResponse:
    """The reference of the question just asked, and what happens next."""
    if reference not in request.session.get(ASKED_SESSION_KEY, []):
        raise Http404
    ticket = get_object_or_404(Ticket.objects.select_related("desk", "requester"), reference=reference)
    return render(request, "helpdesk/asked.html", {"ticket": ticket})


# ---------------------------------------------------------------------------------------------
# My questions


def _rated(request: HttpRequest, ticket: Ticket, form: RatingForm) -> bool:
    """Record the rating the form holds; errors go onto the form."""
    if not form.is_valid():
        return False
    try:
        services.rate(
            ticket, satisfaction=form.cleaned_data["satisfaction"], comment=form.cleaned_data["comment"]
        )
    except services.HelpdeskError as error:
        _add_errors(form, error)
        return False
    messages.success(request, _("Thank you for your rating."))
    return True


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    person = signed_in(request)
    tickets = services.asked_by(person).select_related("desk", "topic").order_by("-updated_at", "-pk")
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "helpdesk/mine.html", {"page": page})


def _own_ticket(request: HttpRequest, reference: str) -> Ticket:
    """The person's ticket; anyone else's does not exist for them."""
    person = _person(request)
    if person is None:
        raise Http404
    return get_object_or_404(
        services.asked_by(person).select_related("desk", "topic", "merged_into"), reference=reference.upper()
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_ticket(request: HttpRequest, reference: str) -> HttpResponse:
    """The public conversation of one of the person's tickets: write again, or rate it."""
    ticket = _own_ticket(request, reference)
    person = signed_in(request)
    if (
        ticket.status == Status.MERGED
        and ticket.merged_into is not None
        and services.asked_by(person).filter(pk=ticket.merged_into.pk).exists()
    ):
        return redirect("helpdesk:my_ticket", ticket.merged_into.reference)
    message_form = MessageForm()
    rating_form = RatingForm(initial={"satisfaction": ticket.satisfaction})
    if request.method == "POST" and request.POST.get("action") == "rate":
        rating_form = RatingForm(request.POST)
        if _rated(request, ticket, rating_form):
            return redirect("helpdesk:my_ticket", ticket.reference)
    elif request.method == "POST":
        message_form = MessageForm(request.POST, request.FILES)
        if message_form.is_valid():
            return _write_again(request, person, ticket, message_form)
    invalid = message_form.is_bound or rating_form.is_bound
    return _ticket_page(request, ticket, message_form, rating_form, status=400 if invalid else 200)


def _write_again(request: HttpRequest, person: User, ticket: Ticket, form: MessageForm) -> HttpResponse:
    data = form.cleaned_data
    language = content_language()
    try:
        services.add_message(
            ticket,
            body=data["body"],
            channel=Channel.WEB,
            author=person,
            sender=str(person.email),
            language=language,
            files=data["attachments"],
        )
    except services.TicketClosedError:
        # Closed too long ago to reopen: the message starts a new ticket that names the old one.
        subject = _("Follow-up to %(reference)s: %(subject)s") % {
            "reference": ticket.reference,
            "subject": ticket.subject,
        }
        try:
            follow_up = services.open_ticket(
                services.Question(
                    subject=subject[: services.SUBJECT_LENGTH],
                    body=data["body"],
                    language=language,
                    channel=Channel.WEB,
                    requester=person,
                    requester_name=person.get_full_name(),
                    topic=ticket.topic,
                    country=ticket.country,
                    organisation=ticket.organisation,
                    records=list(ticket.record_links.values_list("identifier", flat=True)),
                    files=data["attachments"],
                )
            )
        except routing.NoDeskError:
            form.add_error(
                None,
                _("The help desk cannot take questions on the web just now. Please write to %(email)s.")
                % {"email": settings.HELPDESK_EMAIL},
            )
            return _ticket_page(request, ticket, form, RatingForm(), status=503)
        messages.info(
            request,
            _(
                "%(old)s was closed too long ago to reopen, so your message opened a new question, "
                "%(new)s, which refers to it."
            )
            % {"old": ticket.reference, "new": follow_up.reference},
        )
        return redirect("helpdesk:my_ticket", follow_up.reference)
    except services.HelpdeskError as error:
        _add_errors(form, error)
        return _ticket_page(request, ticket, form, RatingForm(), status=400)
    messages.success(request, _("Your message was added. The help desk has been told."))
    return redirect("helpdesk:my_ticket", ticket.reference)


def _ticket_page(
    request: HttpRequest,
    ticket: Ticket,
    message_form: MessageForm,
    rating_form: RatingForm,
    status: int = 200,
) -> HttpResponse:
    articles = (
        ticket.articles.filter(kind__in=PUBLIC_KINDS).select_related("author").prefetch_related("attachments")
    )
    closed_for_good = bool(
        ticket.status == Status.CLOSED
        and ticket.closed_at is not None
        and timezone.now() - ticket.closed_at > services.reopen_period()
    )
    context = {
        "ticket": ticket,
        "articles": articles,
        "message_form": message_form,
        "rating_form": rating_form,
        "closed_for_good": closed_for_good,
        "reopen_days": services.reopen_period().days,
    }
    return render(request, "helpdesk/my_ticket.html", context, status=status)


@login_required
@require_safe
def my_attachment(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    """A file on a public message of the person's ticket (never one on an internal note)."""
    ticket = _own_ticket(request, reference)
    attachment = get_object_or_404(Attachment, pk=pk, article__ticket=ticket, article__kind__in=PUBLIC_KINDS)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.media_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------------------------
# Rating


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def rate(request: HttpRequest, token: str, score: int) -> HttpResponse:
    """The rating link of the closing e-mail. GET only shows the choice to confirm (mail
    scanners follow links); POST records it."""
    reference = mail_out.reference_of_rating_token(token)
    ticket = Ticket.objects.filter(reference=reference).first() if reference else None
    if ticket is None:
        return render(request, "helpdesk/rate.html", {"invalid": True}, status=400)
    form = RatingForm(initial={"satisfaction": score if score in range(1, 6) else None})
    if request.method == "POST":
        form = RatingForm(request.POST)
        if _rated(request, ticket, form):
            return redirect("helpdesk:rate", token, form.cleaned_data["satisfaction"])
    context = {"ticket": ticket, "form": form, "token": token, "score": score}
    return render(request, "helpdesk/rate.html", context, status=400 if form.errors else 200)
