"""What happens to a ticket: opened (web, e-mail, or by an agent for someone), answered,
noted, waited on, assigned, transferred, merged, closed, reopened and rated. Each service is
atomic and checks who may act; mail leaves once the transaction commits (mail_out.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.accounts.permissions import is_secretariat
from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.helpdesk import routing, sla
from clearinghouse.helpdesk.models import (
    ACTIVE_STATUSES,
    Article,
    Attachment,
    Channel,
    Desk,
    EventKind,
    HelpTopic,
    Kind,
    Status,
    Ticket,
    TicketEvent,
)

if TYPE_CHECKING:
    from clearinghouse.accounts.models import User
    from clearinghouse.geo.models import Country
    from clearinghouse.organisations.models import Organisation

LANGUAGE_CODES = frozenset(code for code, _label in LANGUAGE_CHOICES)
SUBJECT_LENGTH = 300
BODY_LENGTH = 50_000


class HelpdeskError(ValidationError):
    """A ticket operation refused for a reason the person can act on."""


class NotAllowed(PermissionDenied):
    pass


class TicketClosedError(HelpdeskError):
    """A message to a ticket closed too long ago to reopen: it starts a new ticket."""


@dataclass(frozen=True)
class File:
    """A file already checked by the upload rules (support/uploads.py)."""

    name: str
    content: bytes
    media_type: str


@dataclass
class Question:
    """What someone asks, by whatever channel; who they are as far as it is known."""

    subject: str
    body: str
    language: str
    channel: str
    requester: User | None = None
    requester_name: str = ""
    requester_email: str = ""
    topic: HelpTopic | None = None
    country: Country | None = None
    organisation: Organisation | None = None
    page: str = ""
    records: Sequence[str] = ()
    files: Sequence[File] = ()
    message_id: str = ""
    desk: Desk | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Who may act


def is_agent(user: Any) -> bool:
    """The Secretariat and the help-desk agents. Desks take agents and leads holding the
    help-desk role (desks.py), so this is read from the roles the request already holds."""
    from clearinghouse.accounts.models import Role
    from clearinghouse.accounts.roles import has_role

    return bool(getattr(user, "is_authenticated", False)) and (
        is_secretariat(user) or has_role(user, Role.HELPDESK_AGENT)
    )


def agent_desks(user: Any) -> list[Desk]:
    """The desks whose queues the person works: every active desk for the Secretariat and the
    central desk's agents, else the active desks they are an agent of."""
    if not is_agent(user):
        return []
    desks = list(Desk.objects.filter(active=True))
    if is_secretariat(user):
        return desks
    mine = set(Desk.agents.through.objects.filter(user_id=user.pk).values_list("desk_id", flat=True))
    if any(desk.is_central and desk.pk in mine for desk in desks):
        return desks
    return [desk for desk in desks if desk.pk in mine]


def may_work_on(user: Any, ticket: Ticket) -> bool:
    """Whether the person works the ticket's desk (the rule of ``agent_desks``), in one query."""
    if not is_agent(user) or not ticket.desk.active:
        return False
    if is_secretariat(user):
        return True
    works = Desk.objects.filter(active=True, agents=user)
    return works.filter(Q(pk=ticket.desk_id) | Q(is_central=True)).exists()


def _require_agent(user: Any, ticket: Ticket) -> None:
    if not may_work_on(user, ticket):
        raise NotAllowed(_("Only the agents of this ticket's desk can do this."))


def is_requester(user: Any, ticket: Ticket) -> bool:
    return bool(getattr(user, "is_authenticated", False) and ticket.requester_id == user.pk)


# ---------------------------------------------------------------------------------------------
# Checks of what people write


def _text(value: str, limit: int, empty: str, name: str) -> str:
    value = (value or "").replace("\x00", "").strip()
    if not value:
        raise HelpdeskError({name: empty}, code="required")
    if len(value) > limit:
        raise HelpdeskError(
            {name: _("Keep it under %(limit)s characters.") % {"limit": f"{limit:,}"}}, code="too_long"
        )
    return value


def _language(value: str) -> str:
    return value if value in LANGUAGE_CODES else settings.LANGUAGE_CODE[:2]


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update(of=("self",)).select_related("desk", "topic").get(pk=ticket.pk)


def _record(ticket: Ticket, kind: str, actor: Any = None, detail: str = "") -> None:
    TicketEvent.objects.create(
        ticket=ticket, kind=kind, actor=actor if getattr(actor, "pk", None) else None, detail=detail[:300]
    )


def _attach(article: Article, files: Sequence[File]) -> None:
    for upload in files:
        attachment = Attachment(
            article=article,
            name=upload.name[:200],
            media_type=upload.media_type[:100],
            size=len(upload.content),
        )
        attachment.file.save(upload.name[:100] or "file", ContentFile(upload.content), save=False)
        attachment.save()


def _next_reference(at: datetime) -> str:
    year = at.year
    prefix = f"HD-{year}-"
    last = Ticket.objects.filter(reference__startswith=prefix).aggregate(last=Max("reference"))["last"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:06d}"


# ---------------------------------------------------------------------------------------------
# Opening and writing


def open_ticket(question: Question, *, opened_by: Any = None, acknowledge: bool = True) -> Ticket:
    """A new ticket, routed to a desk (unless one is given), with the question as its first
    message; the requester gets an acknowledgement with the reference in their language."""
    subject = _text(question.subject, SUBJECT_LENGTH, _("Give your question a subject."), "subject")
    body = _text(question.body, BODY_LENGTH, _("Write your question."), "body")
    if question.requester is None:
        try:
            validate_email(question.requester_email)
        except ValidationError:
            raise HelpdeskError(
                {"requester_email": _("Give an e-mail address where the help desk can answer you.")},
                code="email",
            ) from None
    if question.channel not in Channel.values:
        raise HelpdeskError(_("Unknown channel."), code="channel")
    language = _language(question.language)
    desk = question.desk or routing.choose_desk(question.topic, question.country, language)
    # The reference is unique: two tickets opened at once retry with the next number.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return _open(question, subject, body, language, desk, opened_by, acknowledge)
        except IntegrityError:
            continue
    raise HelpdeskError(_("The help desk is busy; try again in a moment."), code="busy")


def _open(
    question: Question, subject: str, body: str, language: str, desk: Desk, opened_by: Any, acknowledge: bool
) -> Ticket:
    now = timezone.now()
    ticket = Ticket(
        reference=_next_reference(now),
        subject=subject,
        desk=desk,
        topic=question.topic,
        channel=question.channel,
        language=language,
        requester=question.requester,
        requester_name=(question.requester_name or "")[:200],
        requester_email=(question.requester_email or "")[:254],
        country=question.country,
        organisation=question.organisation,
        page=(question.page or "")[:500],
        opened_by=opened_by if getattr(opened_by, "pk", None) else None,
        created_at=now,
        updated_at=now,
    )
    sla.set_targets(ticket)
    ticket.save()
    article = Article.objects.create(
        ticket=ticket,
        kind=Kind.MESSAGE,
        channel=question.channel,
        author=question.requester,
        sender=question.requester_email[:300],
        body=body,
        language=language,
        message_id=question.message_id[:300],
        created_at=now,
    )
    _attach(article, question.files)
    for identifier in dict.fromkeys(identifier.strip().upper() for identifier in question.records):
        if identifier:
            link(ticket, identifier, actor=None, check_access=False)
    _record(ticket, EventKind.OPENED, opened_by, question.channel)
    if acknowledge:
        from clearinghouse.helpdesk import mail_out

        transaction.on_commit(lambda: mail_out.acknowledge(ticket.pk))
    return ticket


# A closed ticket reopens when its requester writes again within this long; later, a new one.
def reopen_period() -> timedelta:
    return timedelta(days=getattr(settings, "HELPDESK_REOPEN_DAYS", 14))


@transaction.atomic
def add_message(
    ticket: Ticket,
    *,
    body: str,
    channel: str,
    author: Any = None,
    sender: str = "",
    language: str = "",
    files: Sequence[File] = (),
    message_id: str = "",
) -> Article:
    """The requester writes again (page or e-mail): a waiting ticket's clock runs again, a
    recently closed ticket reopens, a merged ticket passes the message to the one it went into."""
    ticket = _locked(ticket)
    while ticket.status == Status.MERGED and ticket.merged_into_id is not None:
        ticket = _locked(ticket.merged_into)  # type: ignore[arg-type]
    body = _text(body, BODY_LENGTH, _("Write your message."), "body")
    now = timezone.now()
    if ticket.status == Status.CLOSED:
        if ticket.closed_at is not None and now - ticket.closed_at > reopen_period():
            raise TicketClosedError(
                _("Ticket %(reference)s was closed on %(date)s; your message opens a new ticket.")
                % {"reference": ticket.reference, "date": ticket.closed_at.date().isoformat()},
                code="closed",
            )
        ticket.status = Status.OPEN
        ticket.closed_at = None
        _record(ticket, EventKind.REOPENED, author)
    elif ticket.status == Status.WAITING:
        sla.resume(ticket, now)
        ticket.status = Status.OPEN
    ticket.updated_at = now
    ticket.save()
    article = Article.objects.create(
        ticket=ticket,
        kind=Kind.MESSAGE,
        channel=channel,
        author=author if getattr(author, "pk", None) else None,
        sender=sender[:300],
        body=body,
        language=_language(language or ticket.language),
        message_id=message_id[:300],
        created_at=now,
    )
    _attach(article, files)
    from clearinghouse.helpdesk import mail_out

    transaction.on_commit(lambda: mail_out.tell_agents(article.pk))
    return article


@transaction.atomic
def reply(
    ticket: Ticket,
    *,
    agent: Any,
    body: str,
    canned_answer: Any = None,
    files: Sequence[File] = (),
    then: str = Status.WAITING,
) -> Article:
    """An agent's public reply, sent to the requester in the ticket's language. ``then`` is the
    status it leaves: waiting for the requester (the clock pauses), open, or closed."""
    _require_agent(agent, ticket)
    ticket = _locked(ticket)
    if not ticket.is_active:
        raise HelpdeskError(_("This ticket is closed; reopen it to reply."), code="closed")
    if then not in {Status.WAITING, Status.OPEN, Status.CLOSED}:
        raise HelpdeskError(_("Unknown status."), code="status")
    body = _text(body, BODY_LENGTH, _("Write the reply."), "body")
    now = timezone.now()
    article = Article.objects.create(
        ticket=ticket,
        kind=Kind.REPLY,
        channel=Channel.EMAIL if ticket.address else Channel.WEB,
        author=agent,
        body=body,
        language=ticket.language,
        canned_answer=canned_answer,
        created_at=now,
    )
    _attach(article, files)
    if ticket.first_response_at is None:
        ticket.first_response_at = now
    if ticket.assigned_to_id is None:
        ticket.assigned_to = agent
    _move(ticket, Status(then), agent, now)
    ticket.updated_at = now
    ticket.save()
    from clearinghouse.helpdesk import mail_out

    transaction.on_commit(lambda: mail_out.send_reply(article.pk, closing=then == Status.CLOSED))
    return article


@transaction.atomic
def note(ticket: Ticket, *, agent: Any, body: str, files: Sequence[File] = ()) -> Article:
    """An internal note: agents only, never sent, no effect on the clock."""
    _require_agent(agent, ticket)
    ticket = _locked(ticket)
    body = _text(body, BODY_LENGTH, _("Write the note."), "body")
    article = Article.objects.create(
        ticket=ticket, kind=Kind.NOTE, channel=Channel.WEB, author=agent, body=body
    )
    _attach(article, files)
    ticket.updated_at = article.created_at
    ticket.save(update_fields=["updated_at"])
    return article


def _move(ticket: Ticket, status: Status, actor: Any, now: datetime) -> None:
    """Change the status, keeping the clock and the history right. The caller saves."""
    if status == ticket.status:
        return
    if ticket.status == Status.WAITING:
        sla.resume(ticket, now)
    if status == Status.WAITING:
        sla.pause(ticket, now)
    if status in {Status.CLOSED, Status.MERGED}:
        ticket.closed_at = now
    elif ticket.status in {Status.CLOSED, Status.MERGED}:
        ticket.closed_at = None
    _record(ticket, EventKind.STATUS, actor, f"{ticket.status} → {status}")
    ticket.status = status


@transaction.atomic
def set_status(ticket: Ticket, *, actor: Any, status: str) -> Ticket:
    """Open, waiting or closed, by an agent. A closed ticket asks its requester for a rating."""
    _require_agent(actor, ticket)
    ticket = _locked(ticket)
    if ticket.status == Status.MERGED:
        raise HelpdeskError(
            _("This ticket was merged into %(reference)s.")
            % {"reference": ticket.merged_into.reference if ticket.merged_into else ""},
            code="merged",
        )
    if status not in {Status.OPEN, Status.WAITING, Status.CLOSED}:
        raise HelpdeskError(_("Unknown status."), code="status")
    was_closed = ticket.status == Status.CLOSED
    _move(ticket, Status(status), actor, timezone.now())
    ticket.updated_at = timezone.now()
    ticket.save()
    if status == Status.CLOSED and not was_closed:
        from clearinghouse.helpdesk import mail_out

        transaction.on_commit(lambda: mail_out.ask_rating(ticket.pk))
    return ticket


def close(ticket: Ticket, *, actor: Any) -> Ticket:
    return set_status(ticket, actor=actor, status=Status.CLOSED)


@transaction.atomic
def assign(ticket: Ticket, *, actor: Any, agent: Any) -> Ticket:
    """Give the ticket to one of its desk's agents (or to nobody)."""
    _require_agent(actor, ticket)
    ticket = _locked(ticket)
    if agent is not None and not may_work_on(agent, ticket):
        raise HelpdeskError(_("Tickets go to the agents of their desk."), code="not_an_agent")
    ticket.assigned_to = agent
    ticket.save(update_fields=["assigned_to"])
    _record(ticket, EventKind.ASSIGNED, actor, agent.get_full_name() if agent else "")
    return ticket


@transaction.atomic
def transfer(
    ticket: Ticket, *, actor: Any, desk: Desk, topic: HelpTopic | None = None, reason: str = ""
) -> Ticket:
    """Pass the ticket to another desk (and topic): its targets become the new desk's,
    counted from the opening; it leaves its agent."""
    _require_agent(actor, ticket)
    ticket = _locked(ticket)
    if not ticket.is_active:
        raise HelpdeskError(_("This ticket is closed."), code="closed")
    if not desk.active:
        raise HelpdeskError(_("This desk is not active."), code="inactive")
    previous = str(ticket.desk)
    ticket.desk = desk
    if topic is not None:
        ticket.topic = topic
    ticket.assigned_to = None
    sla.set_targets(ticket)
    ticket.save()
    _record(ticket, EventKind.TRANSFERRED, actor, f"{previous} → {desk}" + (f": {reason}" if reason else ""))
    return ticket


@transaction.atomic
def follow(ticket: Ticket, *, user: Any, following: bool = True) -> None:
    """Follow a ticket (told of its messages) or stop following it."""
    _require_agent(user, ticket)
    if following:
        ticket.followers.add(user)
    else:
        ticket.followers.remove(user)


@transaction.atomic
def merge(duplicate: Ticket, *, into: Ticket, actor: Any) -> Ticket:
    """The duplicate's messages move to the other ticket; the duplicate is closed as merged and
    a later message to it goes to the other ticket."""
    _require_agent(actor, duplicate)
    _require_agent(actor, into)
    if duplicate.pk == into.pk:
        raise HelpdeskError(_("A ticket cannot be merged into itself."), code="same")
    first, second = sorted([duplicate.pk, into.pk])
    locked = {
        ticket.pk: ticket for ticket in Ticket.objects.select_for_update().filter(pk__in=[first, second])
    }
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    if not duplicate.is_active or into.status == Status.MERGED:
        raise HelpdeskError(
            _("Only an active ticket can be merged, into one not merged itself."), code="merged"
        )
    duplicate.articles.update(ticket=into)
    for link_row in duplicate.record_links.all():
        link_row.ticket = into
        if not into.record_links.filter(identifier=link_row.identifier).exists():
            link_row.save(update_fields=["ticket"])
    into.followers.add(*duplicate.followers.all())
    now = timezone.now()
    _move(duplicate, Status.MERGED, actor, now)
    duplicate.merged_into = into
    duplicate.save()
    into.updated_at = now
    if into.first_response_at is None and duplicate.first_response_at is not None:
        into.first_response_at = duplicate.first_response_at
    into.save()
    _record(duplicate, EventKind.MERGED, actor, into.reference)
    _record(into, EventKind.MERGED, actor, duplicate.reference)
    return into


def link(ticket: Ticket, identifier: str, *, actor: Any, check_access: bool = True) -> None:
    """Link a record the ticket is about, by its identifier."""
    from clearinghouse.helpdesk.models import RecordLink
    from clearinghouse.publishing import registry

    if check_access:
        _require_agent(actor, ticket)
    identifier = identifier.strip().upper()
    if registry.find(identifier) is None:
        raise HelpdeskError(
            {
                "identifier": _("No record has the identifier %(identifier)s.")
                % {"identifier": identifier[:40]}
            },
            code="unknown_record",
        )
    RecordLink.objects.get_or_create(
        ticket=ticket,
        identifier=identifier,
        defaults={"linked_by": actor if getattr(actor, "pk", None) else None},
    )


@transaction.atomic
def rate(ticket: Ticket, *, satisfaction: int, comment: str = "") -> Ticket:
    """The requester's rating of a closed ticket (from the page or the e-mail's link); rating
    again replaces it."""
    ticket = _locked(ticket)
    if ticket.status != Status.CLOSED:
        raise HelpdeskError(_("A ticket is rated once it is closed."), code="not_closed")
    if satisfaction not in range(1, 6):
        raise HelpdeskError({"satisfaction": _("Choose from 1 to 5.")}, code="range")
    ticket.satisfaction = satisfaction
    ticket.satisfaction_comment = (comment or "").strip()[:2000]
    ticket.rated_at = timezone.now()
    ticket.save(update_fields=["satisfaction", "satisfaction_comment", "rated_at"])
    _record(ticket, EventKind.RATED, ticket.requester, str(satisfaction))
    return ticket


def active_tickets_of(email: str) -> list[Ticket]:
    return list(Ticket.objects.filter(requester_email__iexact=email, status__in=ACTIVE_STATUSES))


# ---------------------------------------------------------------------------------------------
# What agents work from: their queues at a glance, and the canned answers they insert.


@dataclass(frozen=True)
class DeskCounts:
    desk: Desk
    active: int
    mine: int
    unassigned: int
    overdue: int


def desk_counts(desks: Sequence[Desk], user: Any, now: datetime) -> list[DeskCounts]:
    """For each desk: its active tickets, those assigned to ``user``, to nobody, and those past a
    due time (first response not given yet, or resolution), in one query."""
    from django.db.models import Count, Q

    overdue = overdue_filter(now)
    rows = {
        row["desk"]: row
        for row in Ticket.objects.filter(desk__in=desks, status__in=ACTIVE_STATUSES)
        .values("desk")
        .annotate(
            active=Count("pk"),
            mine=Count("pk", filter=Q(assigned_to=user)),
            unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
            overdue=Count("pk", filter=overdue),
        )
    }
    empty = {"active": 0, "mine": 0, "unassigned": 0, "overdue": 0}
    return [
        DeskCounts(
            desk=desk,
            active=rows.get(desk.pk, empty)["active"],
            mine=rows.get(desk.pk, empty)["mine"],
            unassigned=rows.get(desk.pk, empty)["unassigned"],
            overdue=rows.get(desk.pk, empty)["overdue"],
        )
        for desk in desks
    ]


def overdue_filter(now: datetime) -> Any:
    """Tickets past a due time: no first response by its due time, or not resolved by its due
    time while the clock runs (a ticket waiting for the requester is paused)."""
    from django.db.models import Q

    from clearinghouse.helpdesk.models import RUNNING_STATUSES

    return Q(first_response_at__isnull=True, first_response_due__lt=now) | Q(
        status__in=RUNNING_STATUSES, resolution_due__lt=now
    )


def asked_by(person: Any) -> QuerySet[Ticket]:
    """The tickets a person asked: signed in, or by e-mail from one of their verified addresses
    before the desk knew their account."""
    from allauth.account.models import EmailAddress
    from django.db.models import Exists, OuterRef, Q

    verified = EmailAddress.objects.filter(
        user=person, verified=True, email__iexact=OuterRef("requester_email")
    )
    return Ticket.objects.filter(Q(requester=person) | Q(requester__isnull=True) & Exists(verified))
