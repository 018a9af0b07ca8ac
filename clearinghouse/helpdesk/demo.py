"""The help desk's demo (data/demo-helpdesk.yaml): six help topics; the Secretariat's central
desk in Montreal and regional desks for Africa (hosted by the Kenya Wildlife Service in Nairobi)
and for Latin America and the Caribbean (hosted by the Humboldt Institute in Bogotá), each with
its agents, leads, hours, holidays and service levels; canned answers in the six languages; and
tickets in the six languages on every desk, by web, e-mail, phone and meeting, new, open,
waiting, closed and rated, merged and transferred, some overdue.

Everything goes through the help desk's services, so targets, history and references are what
people would see. Each ticket is replayed as it happened: a service runs, then what it wrote is
moved to the moment of the story (``opened`` business hours before the demo was loaded, each
step ``at`` business hours after the opening) and the clock recomputed with ``sla``, so that
the service levels show met, paused, due soon and missed targets whatever day the demo loads.

The services e-mail requesters as they would (replies, closing); every demo address is on a
reserved ``.example`` domain, so nothing reaches a real person: `make run`'s worker prints them.
Only the story of the issue (a French e-mail to the Africa desk) asks for an acknowledgement.

Idempotent: topics, desks and agents are found again by their code or address, canned answers
by their English title, tickets by their subject; what exists is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from clearinghouse.accounts import mfa_policy
from clearinghouse.accounts import services as account_services
from clearinghouse.accounts.demo import (
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    _demo_account,
    _turn_on_demo_totp,
    demo_owner,
    demo_person,
)
from clearinghouse.accounts.models import Appointment, Role
from clearinghouse.core.demo import demo_data
from clearinghouse.events.models import Event
from clearinghouse.geo.models import Country
from clearinghouse.helpdesk import case, demo_faq, routing, services, sla
from clearinghouse.helpdesk.hours import BusinessCalendar
from clearinghouse.helpdesk.models import (
    ACTIVE_STATUSES,
    Article,
    CannedAnswer,
    Channel,
    Desk,
    HelpTopic,
    RecordLink,
    ServiceLevel,
    Ticket,
    TicketEvent,
)
from clearinghouse.learning.models import Course
from clearinghouse.needs.models import Need, Request
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing.models import Record

# Requesters without an account write from here: a reserved domain no mail can reach.
REQUESTERS_DOMAIN = "@requesters.demo.clearinghouse.example"

# The moments a service writes on a ticket, moved to the story's moment after each step.
_TICKET_MOMENTS = ("created_at", "updated_at", "first_response_at", "closed_at", "waiting_since", "rated_at")


def data() -> dict[str, Any]:
    found: dict[str, Any] = demo_data("clearinghouse.helpdesk", "demo-helpdesk.yaml")
    return found


# --- topics, agents, desks, canned answers ---------------------------------------------------


def _topics(rows: list[dict[str, Any]]) -> dict[str, HelpTopic]:
    topics = {}
    for position, row in enumerate(rows, start=1):
        topic, _created = HelpTopic.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "leads_to_matchmaking": bool(row.get("leads_to_matchmaking")),
                "position": position,
            },
        )
        topics[topic.code] = topic
    return topics


def _agents(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The regional desks' agents, made like the other demo people (shared password, verified
    address, the help-desk agent role for their host institution, the fixed authenticator
    secret their role calls for); (address, TOTP secret) of each."""
    made = []
    for row in rows:
        email = f"{row['email']}{DEMO_DOMAIN}"
        host = demo_owner(row["organisation"])
        if not isinstance(host, Organisation):
            raise CommandError(f"{row['organisation']} is not an organisation.")
        user = _demo_account(email, row["first_name"], row["last_name"], row["language"], organisation=host)
        if not Appointment.objects.filter(
            user=user, role=Role.HELPDESK_AGENT, ended_at__isnull=True
        ).exists():
            account_services.appoint(actor=None, user=user, role=Role.HELPDESK_AGENT, organisation=host)
        secret = _turn_on_demo_totp(user) if mfa_policy.requires_second_factor(user) else ""
        made.append((email, secret))
    return made


def _desks(rows: list[dict[str, Any]], topics: dict[str, HelpTopic]) -> tuple[dict[str, Desk], int]:
    desks = {}
    created = 0
    for row in rows:
        desk = Desk.objects.filter(code=row["code"]).first()
        if desk is None:
            host = demo_owner(row["host"]) if row.get("host") else None
            if host is not None and not isinstance(host, Organisation):
                raise CommandError(f"{row['host']} is not an organisation.")
            desk = Desk(
                code=row["code"],
                name=row["name"],
                is_central=bool(row.get("central")),
                host=host,
                email=row.get("email", ""),
                languages=row["languages"],
                regions=row["regions"],
                time_zone=row["time_zone"],
                opening_hours=row["hours"],
                holiday_country=row["holidays"],
            )
            desk.full_clean()
            desk.save()
            desk.agents.add(*(demo_person(name) for name in row["agents"]))
            desk.leads.add(*(demo_person(name) for name in row["leads"]))
            created += 1
        for code, (response, resolution) in row["levels"].items():
            level = ServiceLevel(
                desk=desk,
                topic=None if code == "default" else topics[code],
                first_response_hours=Decimal(str(response)),
                resolution_hours=Decimal(str(resolution)),
            )
            if not ServiceLevel.objects.filter(desk=desk, topic=level.topic).exists():
                level.full_clean()
                level.save()
        desks[desk.code] = desk
    return desks, created


def _canned_answers(
    rows: list[dict[str, Any]], topics: dict[str, HelpTopic], desks: dict[str, Desk]
) -> dict[str, CannedAnswer]:
    answers = {}
    secretariat = demo_person("secretariat")
    for row in rows:
        answer = CannedAnswer.objects.filter(title__en=row["title"]["en"]).first()
        if answer is None:
            answer = CannedAnswer(
                title=row["title"],
                body=row["body"],
                topic=topics[row["topic"]],
                desk=desks[row["desk"]] if row.get("desk") else None,
                created_by=secretariat,
            )
            answer.full_clean()
            answer.save()
        answers[row["key"]] = answer
    return answers


# --- linked records --------------------------------------------------------------------------


def _records(selectors: list[str]) -> list[str]:
    """The identifiers of the published demo records named "need EG", "request KE",
    "event KE training" (Party of the venue, kind), "course fr" (original language). A record
    whose area's demo was not loaded is left out: the help desk's demo needs only the people,
    the organisations and the needs."""
    found = []
    for selector in selectors:
        kind, value, *rest = selector.split()
        record: Record | None
        if kind in {"need", "request"}:
            model = Need if kind == "need" else Request
            record = model.objects.filter(live=True, owner_country__code=value).order_by("pk").first()
        elif kind == "event":
            events = Event.objects.filter(live=True, venue_country__code=value)
            record = (events.filter(kind=rest[0]) if rest else events).order_by("pk").first()
        elif kind == "course":
            record = Course.objects.filter(live=True, original_language=value).order_by("pk").first()
        else:
            raise CommandError(f"Unknown kind of record in the help desk's demo: {selector}")
        if record is not None:
            found.append(record.identifier)
    return found


# --- replaying a ticket ----------------------------------------------------------------------


def _business_hours_before(calendar: BusinessCalendar, end: datetime, hours: float) -> datetime:
    """The latest moment from which ``hours`` of the desk's business time have passed by
    ``end`` (the calendar only counts forward: found by halving the interval)."""
    wanted = timedelta(hours=hours)
    # The demo's oldest ticket is a few business days old, a fortnight with holidays at most.
    low, high = end - timedelta(days=30), end
    while high - low > timedelta(seconds=30):
        middle = low + (high - low) / 2
        if calendar.between(middle, end) > wanted:
            low = middle
        else:
            high = middle
    if calendar.between(high, end) < wanted - timedelta(minutes=1):
        raise CommandError("A demo ticket is older than the help desk's demo can place it.")
    return high.replace(microsecond=0)


@dataclass
class _Story:
    """Where a ticket's story stands: its first desk and its calendar, its opening and the
    demo's real now."""

    desk: Desk
    calendar: BusinessCalendar
    opened_at: datetime
    now: datetime

    def moment(self, hours: float) -> datetime:
        moment = self.calendar.add(self.opened_at, timedelta(hours=hours))
        if moment >= self.now:
            raise CommandError("A demo ticket's step would happen after the demo is loaded.")
        return moment


def _settle(ticket_pk: int, started: datetime, moment: datetime) -> None:
    """Move what the last service wrote on the ticket (at the real time, ``started`` or later)
    to the story's ``moment``."""
    ticket = Ticket.objects.select_related("desk").get(pk=ticket_pk)
    changed = [
        name for name in _TICKET_MOMENTS if (value := getattr(ticket, name)) is not None and value >= started
    ]
    for name in changed:
        setattr(ticket, name, moment)
    if changed:
        ticket.save(update_fields=changed)
    Article.objects.filter(ticket=ticket, created_at__gte=started).update(created_at=moment)
    TicketEvent.objects.filter(ticket=ticket, at__gte=started).update(at=moment)
    RecordLink.objects.filter(ticket=ticket, linked_at__gte=started).update(linked_at=moment)


def _step(
    ticket: Ticket, story: _Story, hours: float, action: Callable[[], object], others: tuple[int, ...] = ()
) -> Ticket:
    """Run one service for the ticket as if at ``hours`` business hours after its opening;
    ``others`` are further tickets the service writes on (the one a duplicate is merged into)."""
    moment = story.moment(hours)
    before = Ticket.objects.get(pk=ticket.pk)
    started = timezone.now()
    action()
    after = Ticket.objects.select_related("desk").get(pk=ticket.pk)
    if before.waiting_since is not None and after.waiting_since != before.waiting_since:
        # The service resumed the clock at the real time: resume it at the story's moment.
        after.waiting_since = before.waiting_since
        after.paused_seconds = before.paused_seconds
        after.resolution_due = before.resolution_due
        after.resolution_breached_at = before.resolution_breached_at
        sla.resume(after, moment)
        after.save(
            update_fields=["waiting_since", "paused_seconds", "resolution_due", "resolution_breached_at"]
        )
    for pk in (ticket.pk, *others):
        _settle(pk, started, moment)
    return Ticket.objects.select_related("desk", "topic").get(pk=ticket.pk)


@dataclass
class _Context:
    topics: dict[str, HelpTopic]
    desks: dict[str, Desk]
    answers: dict[str, CannedAnswer]
    tickets: dict[str, Ticket]
    now: datetime
    stories: dict[str, _Story] = field(default_factory=dict)


def _fill(text: str, ticket: Ticket) -> str:
    """A canned answer's text for this ticket: the requester's name and the reference."""
    return text.replace("{name}", ticket.display_name).replace("{reference}", ticket.reference)


def _country(row: dict[str, Any]) -> Country | None:
    """The requester's Party: given on the row, else the demo person's."""
    if row.get("country"):
        country = Country.objects.filter(code=row["country"]).first()
        if country is None:
            raise CommandError("Reference data is missing: run `clearinghouse loadreference` first.")
        return country
    return demo_person(row["person"]).country if row.get("person") else None


def _opening(row: dict[str, Any], context: _Context) -> _Story:
    """The ticket's desk (as given, else as routing chooses it) and when it was opened there."""
    if row["key"] not in context.stories:
        desk = (
            context.desks[row["desk"]]
            if row.get("desk")
            else routing.choose_desk(context.topics[row["topic"]], _country(row), row["language"])
        )
        calendar = BusinessCalendar.of(desk)
        # A few minutes that differ from ticket to ticket, so that openings fall on no round hour.
        hours = row["opened"] + sum(map(ord, row["key"])) % 47 / 60
        opened_at = _business_hours_before(calendar, context.now, hours)
        context.stories[row["key"]] = _Story(desk, calendar, opened_at, context.now)
    return context.stories[row["key"]]


def _open(row: dict[str, Any], context: _Context, records: list[str]) -> tuple[Ticket, _Story]:
    """Open the ticket through the services, then move its opening ``opened`` business hours
    back and fix its targets from there."""
    story = _opening(row, context)
    person = demo_person(row["person"]) if row.get("person") else None
    asker = row.get("from", {})
    question = services.Question(
        subject=row["subject"],
        body=row["body"],
        language=row["language"],
        channel=Channel(row["channel"]),
        requester=person,
        requester_name=asker.get("name", ""),
        requester_email=f"{asker['email']}{REQUESTERS_DOMAIN}" if asker else "",
        topic=context.topics[row["topic"]],
        country=_country(row),
        organisation=person.organisation if person is not None else None,
        page=row.get("page", ""),
        records=records,
        message_id=f"<{row['key']}{REQUESTERS_DOMAIN.replace('@', '@mail.')}>"
        if row["channel"] == Channel.EMAIL
        else "",
        desk=story.desk,
    )
    started = timezone.now()
    opened_by = demo_person(row["opened_by"]) if row.get("opened_by") else None
    ticket = services.open_ticket(question, opened_by=opened_by, acknowledge=bool(row.get("acknowledge")))
    _settle(ticket.pk, started, story.opened_at)
    ticket = Ticket.objects.select_related("desk", "topic").get(pk=ticket.pk)
    sla.set_targets(ticket, story.calendar)
    ticket.save()
    return ticket, story


def _action(step: dict[str, Any], ticket: Ticket, context: _Context) -> Callable[[], object]:
    """The service a step of the data file runs on the ticket."""
    if "reply" in step:
        answer = context.answers.get(step.get("canned", ""))
        body = _fill(answer.body[ticket.language], ticket) if answer is not None else step["text"]
        return lambda: services.reply(
            ticket, agent=demo_person(step["reply"]), body=body, canned_answer=answer, then=step["then"]
        )
    if "note" in step:
        return lambda: services.note(ticket, agent=demo_person(step["note"]), body=step["text"])
    if "message" in step:
        # A message after a call or a meeting comes by e-mail.
        channel = ticket.channel if ticket.channel == Channel.WEB else Channel.EMAIL
        return lambda: services.add_message(
            ticket,
            body=step["message"],
            channel=channel,
            author=ticket.requester,
            sender=ticket.requester_email,
        )
    if "assign" in step:
        agent = demo_person(step["assign"])
        return lambda: services.assign(ticket, actor=agent, agent=agent)
    if "follow" in step:
        return lambda: services.follow(ticket, user=demo_person(step["follow"]))
    if "transfer" in step:
        desk = context.desks[step["transfer"]]
        return lambda: services.transfer(
            ticket, actor=demo_person(step["by"]), desk=desk, reason=step["reason"]
        )
    if "merge_into" in step:
        into = context.tickets[step["merge_into"]]
        return lambda: services.merge(ticket, into=into, actor=demo_person(step["by"]))
    if "rate" in step:
        return lambda: services.rate(ticket, satisfaction=step["rate"], comment=step.get("comment", ""))
    raise CommandError(f"Unknown step in the help desk's demo: {step}")


def _play(ticket: Ticket, story: _Story, steps: list[dict[str, Any]], context: _Context) -> Ticket:
    """The ticket's life after its opening, one service per step."""
    for step in steps:
        others = (context.tickets[step["merge_into"]].pk,) if "merge_into" in step else ()
        ticket = _step(ticket, story, step["at"], _action(step, ticket, context), others)
    return ticket


def _ticket(row: dict[str, Any], context: _Context) -> tuple[Ticket, bool]:
    """The demo ticket of ``row``, opened and played through; whether it is new."""
    found = Ticket.objects.filter(subject=row["subject"]).first()
    if found is not None:
        return found, False
    ticket, story = _open(row, context, _records(row.get("records", [])))
    return _play(ticket, story, row.get("steps", []), context), True


def _arabic_question(row: dict[str, Any], context: _Context) -> tuple[Ticket, bool]:
    """Egypt's focal point asks on the web, in Arabic, for a partner for one of Egypt's
    published needs: the ticket is opened with the need linked and played through its
    ``steps``; once the matchmaking case is opened from it, its ``after_case`` steps tell the
    requester that the request went to matchmaking."""
    found = Ticket.objects.filter(subject=row["subject"]).first()
    if found is not None:
        return found, False
    need = Need.objects.filter(live=True, owner_country__code="EG").order_by("pk").first()
    if need is None:
        raise CommandError("Egypt's published needs are missing: the needs demo data must load first.")
    ticket, story = _open(row, context, [need.identifier])
    ticket = _play(ticket, story, row["steps"], context)
    agent = demo_person("helpdesk.africa")
    ticket = _step(ticket, story, 1.8, lambda: case.open_case(ticket, actor=agent))
    return _play(ticket, story, row["after_case"], context), True


def load() -> list[str]:
    content = data()
    agents = _agents(content["agents"])
    topics = _topics(content["topics"])
    desks, new_desks = _desks(content["desks"], topics)
    answers = _canned_answers(content["canned_answers"], topics, desks)
    context = _Context(topics, desks, answers, {}, timezone.now().replace(microsecond=0))
    story = content["arabic_question"]
    new = 0
    # Oldest first, so that references follow the order in which the tickets were opened.
    for row in sorted([*content["tickets"], story], key=lambda row: _opening(row, context).opened_at):
        ticket, created = _arabic_question(row, context) if row is story else _ticket(row, context)
        context.tickets[row["key"]] = ticket
        new += created
    active = Ticket.objects.filter(status__in=ACTIVE_STATUSES).count()
    lines = [
        f"{'Help desk':32} {len(desks)} desks ({new_desks} new), {len(answers)} canned answers, "
        f"{Ticket.objects.count()} tickets ({new} new, {active} to act on)",
    ]
    # Answers worth keeping, published as FAQ entries (after the tickets they may name).
    entries = demo_faq.load_faq()
    lines[0] += f", {len(entries)} FAQ entries"
    lines += [
        f"{'  sign in as ' + email.split('@')[0]:32} {DEMO_PASSWORD}  TOTP {secret}"
        for email, secret in agents
    ]
    return lines
