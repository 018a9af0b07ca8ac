"""The agents' pages: their desks at a glance, a desk's queue, a ticket with its conversation and
everything done on it, a file attached to a message, and a ticket opened for someone who called.
Views parse and render; services.py and case.py decide. Every action is a plain POST form that
works without JavaScript; inserting a canned answer also answers htmx with the reply form alone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.models import User
from clearinghouse.accounts.permissions import is_secretariat
from clearinghouse.core.forms import add_service_errors
from clearinghouse.core.languages import pick_label
from clearinghouse.helpdesk import canned, forms, mail_in, routing, services, sla
from clearinghouse.helpdesk import case as cases
from clearinghouse.helpdesk.canned import CannedAnswerError
from clearinghouse.helpdesk.hours import BusinessCalendar
from clearinghouse.helpdesk.models import (
    ACTIVE_STATUSES,
    Attachment,
    Desk,
    Status,
    Ticket,
    TicketEvent,
)
from clearinghouse.publishing import registry

PAGE_SIZE = 30


def _desks(request: HttpRequest) -> list[Desk]:
    """The desks the person works; nobody else sees the help desk's pages."""
    desks = services.agent_desks(request.user)
    if not desks:
        raise PermissionDenied(_("Only help-desk agents can see this page."))
    return desks


def _user(request: HttpRequest) -> User:
    """The signed-in person (the views ask for a signed-in person first)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


# ---------------------------------------------------------------------------------------------
# Desks and queues


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The agent's desks, each with its active tickets, those assigned to them, to nobody, and
    those overdue."""
    user = _user(request)
    if not services.is_agent(user):
        raise PermissionDenied(_("Only help-desk agents can see this page."))
    # The Secretariat before any desk is set up, or an agent not yet given a desk, is told so.
    desks = services.agent_desks(user)
    counts = services.desk_counts(desks, user, timezone.now())
    return render(
        request,
        "helpdesk/home.html",
        {"counts": counts, "secretariat": is_secretariat(user), "reads_mail": mail_in.may_see_mail(user)},
    )


@dataclass(frozen=True)
class Row:
    ticket: Ticket
    targets: list[sla.Target]


@require_safe
@login_required
def queue(request: HttpRequest, code: str) -> HttpResponse:
    """A desk's active tickets, the resolution due soonest first, with their service level."""
    desk = next((desk for desk in _desks(request) if desk.code == code), None)
    if desk is None:
        if Desk.objects.filter(code=code).exists():
            raise PermissionDenied(_("You are not an agent of this desk."))
        raise Http404
    now = timezone.now()
    filters = forms.QueueFilters(request.GET or None)
    tickets = (
        Ticket.objects.filter(desk=desk, status__in=ACTIVE_STATUSES)
        .select_related("topic", "country", "requester", "assigned_to")
        .order_by(F("resolution_due").asc(nulls_last=True), "created_at", "pk")
    )
    if filters.is_valid():
        data = filters.cleaned_data
        if data["status"]:
            tickets = tickets.filter(status=data["status"])
        if data["topic"]:
            tickets = tickets.filter(topic=data["topic"])
        if data["language"]:
            tickets = tickets.filter(language=data["language"])
        if data["assigned"] == "me":
            tickets = tickets.filter(assigned_to=_user(request))
        elif data["assigned"] == "nobody":
            tickets = tickets.filter(assigned_to__isnull=True)
        if data["overdue"]:
            tickets = tickets.filter(services.overdue_filter(now))
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    # One calendar and one set of levels for the whole page.
    calendar = BusinessCalendar.of(desk)
    levels = sla.levels_of(desk.pk)
    rows = [Row(ticket, sla.targets(ticket, now, calendar, levels)) for ticket in page.object_list]
    return render(
        request,
        "helpdesk/queue.html",
        {"desk": desk, "filters": filters, "page": page, "rows": rows},
    )


# ---------------------------------------------------------------------------------------------
# A ticket


def _ticket(request: HttpRequest, reference: str) -> Ticket:
    ticket = get_object_or_404(
        Ticket.objects.select_related(
            "desk", "topic", "country", "organisation", "requester", "assigned_to", "merged_into", "case"
        ),
        reference=reference.upper(),
    )
    _desks(request)
    if not services.may_work_on(request.user, ticket):
        raise PermissionDenied(_("Only the agents of this ticket's desk can see it."))
    return ticket


@dataclass(frozen=True)
class Linked:
    identifier: str
    title: str
    url: str


def _linked_records(ticket: Ticket) -> list[Linked]:
    linked = []
    for link in ticket.record_links.all():
        record = registry.find(link.identifier)
        title = pick_label(getattr(record, "title", None) or {}) if record is not None else ""
        url = str(getattr(record, "get_absolute_url", str)()) if record is not None else ""
        linked.append(Linked(link.identifier, title or link.identifier, url))
    return linked


def _page(request: HttpRequest, ticket: Ticket, bound: dict[str, Any] | None = None) -> HttpResponse:
    """The ticket page; ``bound`` holds the form that was just sent, with its errors or its
    filled-in text."""
    bound = bound or {}
    records = cases.candidates(ticket) if ticket.case_id is None else []
    context_forms = {
        "reply_form": forms.ReplyForm(),
        "note_form": forms.NoteForm(),
        "canned_form": forms.CannedForm(ticket=ticket),
        "assign_form": forms.AssignForm(ticket=ticket, initial={"agent": ticket.assigned_to_id}),
        "transfer_form": forms.TransferForm(ticket=ticket),
        "status_form": forms.StatusForm(initial={"status": ticket.status}),
        "merge_form": forms.MergeForm(),
        "link_form": forms.LinkForm(),
        "case_form": forms.CaseForm(records=records),
    } | bound
    articles = ticket.articles.select_related("author", "canned_answer").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    )
    events = TicketEvent.objects.filter(ticket=ticket).select_related("actor")
    return render(
        request,
        "helpdesk/ticket.html",
        {
            "ticket": ticket,
            "articles": articles,
            "events": events,
            "linked": _linked_records(ticket),
            "targets": sla.targets(ticket, timezone.now()),
            "case_records": records,
            "case_needed": cases.what_is_needed(ticket) if ticket.case_id is None else "",
            "following": ticket.followers.filter(pk=request.user.pk).exists(),
            "may_act": ticket.status != Status.MERGED,
            **context_forms,
        },
    )


@require_safe
@login_required
def ticket_page(request: HttpRequest, reference: str) -> HttpResponse:
    return _page(request, _ticket(request, reference))


@require_POST
@login_required
def ticket_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """One action on the ticket; back to the page with what happened, or with the form's errors."""
    ticket = _ticket(request, reference)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    return handler(request, ticket)


def _done(request: HttpRequest, ticket: Ticket, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(ticket)


def _reply(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    form = forms.ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            answer = canned.usable_one(ticket, data["canned_answer"]) if data["canned_answer"] else None
            services.reply(
                ticket,
                agent=request.user,
                body=data["body"],
                canned_answer=answer,
                files=data["attachments"],
                then=data["then"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, ticket, _("Your reply was sent to the requester."))
    return _page(request, ticket, {"reply_form": form})


def _canned(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    """Put a canned answer, in the ticket's language, into the reply box (the reply is not sent)."""
    canned_form = forms.CannedForm(request.POST, ticket=ticket)
    reply_form = forms.ReplyForm()
    fallback = ""
    if canned_form.is_valid():
        try:
            answer = canned.usable_one(ticket, canned_form.cleaned_data["canned_answer"])
            text, used = canned.render(answer, ticket)
            if not text:
                raise CannedAnswerError(_("This canned answer has no text."), code="empty_answer")
        except ValidationError as error:
            add_service_errors(canned_form, error)
        else:
            reply_form = forms.ReplyForm(initial={"body": text, "canned_answer": answer.pk})
            if used != ticket.language:
                fallback = _(
                    "This answer is not written in %(wanted)s yet: it was inserted in %(used)s. "
                    "Translate it before sending."
                ) % {
                    "wanted": _language_name(ticket.language),
                    "used": _language_name(used),
                }
    if request.headers.get("HX-Request"):
        return render(
            request,
            "helpdesk/_reply_form.html",
            {"ticket": ticket, "reply_form": reply_form, "canned_form": canned_form, "fallback": fallback},
        )
    if fallback:
        messages.warning(request, fallback)
    return _page(request, ticket, {"reply_form": reply_form, "canned_form": canned_form})


def _language_name(code: str) -> str:
    from clearinghouse.core.languages import LANGUAGE_CHOICES

    return str(dict(LANGUAGE_CHOICES).get(code, code))


def _note(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    form = forms.NoteForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.note(
                ticket,
                agent=request.user,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, ticket, _("Your note was added. The requester does not see it."))
    return _page(request, ticket, {"note_form": form})


def _assign(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    agent: User | None
    if request.POST.get("to") == "me":
        agent = _user(request)
        form = forms.AssignForm(ticket=ticket)
    else:
        form = forms.AssignForm(request.POST, ticket=ticket)
        if not form.is_valid():
            return _page(request, ticket, {"assign_form": form})
        agent = form.cleaned_data["agent"]
    try:
        services.assign(ticket, actor=request.user, agent=agent)
    except ValidationError as error:
        add_service_errors(form, error)
        return _page(request, ticket, {"assign_form": form})
    if agent is None:
        return _done(request, ticket, _("The ticket is assigned to nobody."))
    return _done(
        request, ticket, _("The ticket is assigned to %(agent)s.") % {"agent": agent.get_full_name() or agent}
    )


def _transfer(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    form = forms.TransferForm(request.POST, ticket=ticket)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.transfer(
                ticket, actor=request.user, desk=data["desk"], topic=data["topic"], reason=data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The ticket went to %(desk)s.") % {"desk": data["desk"]})
            # The agent may not work the new desk: their way back is their own desks.
            if services.may_work_on(request.user, Ticket.objects.get(pk=ticket.pk)):
                return redirect(ticket)
            return redirect("helpdesk:home")
    return _page(request, ticket, {"transfer_form": form})


def _status(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    form = forms.StatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_status(ticket, actor=request.user, status=form.cleaned_data["status"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(
                request,
                ticket,
                _("The ticket is now: %(status)s.") % {"status": Status(form.cleaned_data["status"]).label},
            )
    return _page(request, ticket, {"status_form": form})


def _follow(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    following = request.POST.get("following") == "1"
    services.follow(ticket, user=request.user, following=following)
    return _done(
        request,
        ticket,
        _("You follow this ticket.") if following else _("You no longer follow this ticket."),
    )


def _merge(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    form = forms.MergeForm(request.POST)
    if form.is_valid():
        into = Ticket.objects.filter(reference=form.cleaned_data["reference"]).first()
        if into is None or not services.may_work_on(request.user, into):
            form.add_error(
                "reference",
                _("No ticket of your desks has the reference %(reference)s.")
                % {"reference": form.cleaned_data["reference"]},
            )
        else:
            try:
                services.merge(ticket, into=into, actor=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(duplicate)s was merged into this ticket.") % {"duplicate": ticket.reference},
                )
                return redirect(into)
    return _page(request, ticket, {"merge_form": form})


def _link(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    form = forms.LinkForm(request.POST)
    if form.is_valid():
        try:
            services.link(ticket, form.cleaned_data["identifier"], actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(
                request,
                ticket,
                _("%(identifier)s is linked to the ticket.")
                % {"identifier": form.cleaned_data["identifier"].strip().upper()},
            )
    return _page(request, ticket, {"link_form": form})


def _case(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    records = cases.candidates(ticket)
    if not records:
        # Nothing to open a case on: say what is needed, and invent nothing.
        messages.error(request, cases.what_is_needed(ticket))
        return redirect(ticket)
    form = forms.CaseForm(request.POST, records=records)
    if form.is_valid():
        try:
            case = cases.open_case(ticket, actor=request.user, identifier=form.cleaned_data["identifier"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The matchmaking case for %(identifier)s is open.") % {"identifier": case}
            )
            return redirect(ticket)
    return _page(request, ticket, {"case_form": form})


ACTIONS = {
    "reply": _reply,
    "canned": _canned,
    "note": _note,
    "assign": _assign,
    "transfer": _transfer,
    "status": _status,
    "follow": _follow,
    "merge": _merge,
    "link": _link,
    "case": _case,
}


@require_safe
@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A file attached to a message, for the agents of the ticket's desk only; always downloaded,
    never shown inline, so that no file runs in the site's pages."""
    found = get_object_or_404(Attachment.objects.select_related("article__ticket"), pk=pk)
    if not services.may_work_on(request.user, found.article.ticket):
        raise PermissionDenied(_("Only the agents of this ticket's desk can open its files."))
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)
    response["Content-Type"] = found.media_type or "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------------------------------------
# A ticket opened for someone


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def open_for_someone(request: HttpRequest) -> HttpResponse:
    """Someone called or came to a meeting: the agent writes down their question as a ticket."""
    desks = _desks(request)
    form = forms.OpenForSomeoneForm(request.POST or None, desks=desks)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.open_ticket(
                form.question(), opened_by=request.user, acknowledge=form.cleaned_data["acknowledge"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except routing.NoDeskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Ticket %(reference)s is open.") % {"reference": ticket.reference})
            if services.may_work_on(request.user, ticket):
                return redirect(ticket)
            return redirect("helpdesk:home")
    return render(request, "helpdesk/open_for_someone.html", {"form": form})
