"""Demo events, trainings and round tables (data/demo-events.yaml), in the six languages: events
past and to come of every kind, published through the same workflow people use; people
registered with the facts the indicators count, a full training with its waiting list and
nominations, a study visit waiting for approvals; check-ins, certificates and an evaluation
survey answered after the past events; a past round table whose meetings were held and whose
matches are followed in matchmaking; and a round table to come whose schedule the real scheduler
made and the organiser published, so that officer.ke and partner.ifdd find their agenda and
requests to answer when they sign in.

Registrations, check-ins, answers and meetings are operational rows written as the services
would leave them (without the e-mails those services send). Idempotent: an event is found again
by its owner and original title, a registration by its event and e-mail, and each event's
survey, schedule and certificates are made once.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from clearinghouse.accounts.demo import demo_owner, demo_person
from clearinghouse.accounts.models import User
from clearinghouse.core.demo import demo_data
from clearinghouse.core.languages import content_language
from clearinghouse.events import scheduling
from clearinghouse.events.models import (
    Attendance,
    BroughtItem,
    Certificate,
    Event,
    Meeting,
    MeetingRequest,
    Registration,
    RegistrationStatus,
    RequestStatus,
    Sector,
    Side,
    Slot,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyQuestionKind,
    SurveyResponse,
    SurveyTemplate,
    Table,
)
from clearinghouse.geo.models import Country
from clearinghouse.matchmaking import services as matchmaking
from clearinghouse.matchmaking.models import Match
from clearinghouse.needs.models import Need, Request
from clearinghouse.organisations.models import Organisation, OrganisationType
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import workflow
from clearinghouse.publishing.demo import REVIEWERS, owner_filter, take_to
from clearinghouse.publishing.models import Record
from clearinghouse.publishing.signals import batched_announcements
from clearinghouse.support.demo_records import demo_support
from clearinghouse.support.models import BY_SLUG, Resource
from clearinghouse.vocabularies.demo import Terms, topic

# Participants' addresses: a reserved domain, so that no demo e-mail reaches a real person.
PARTICIPANTS_DOMAIN = "@participants.demo.clearinghouse.example"
# As in the registration services: nominated people come before those who registered alone.
NOMINATION_PRIORITY = 10
# The small round tables of the demo are solved to optimality well within this.
SCHEDULER_SECONDS = 5.0


def _data() -> dict[str, Any]:
    data: dict[str, Any] = demo_data("clearinghouse.events", "demo-events.yaml")
    return data


def _at(day: int, clock: str, zone_name: str) -> datetime:
    """The wall-clock time ``clock`` where the event is, ``day`` days from today."""
    hours, minutes = (int(part) for part in clock.split(":"))
    local = datetime.combine(timezone.localdate() + timedelta(days=day), time(hours, minutes))
    return local.replace(tzinfo=zoneinfo.ZoneInfo(zone_name))


def _day_start(day: int) -> datetime:
    return timezone.now().replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(days=day)


# --- the events ----------------------------------------------------------------------------------


def _organisations(acronyms: list[str]) -> list[Organisation]:
    found = []
    for acronym in acronyms:
        owner = demo_owner(acronym)
        if not isinstance(owner, Organisation):
            raise CommandError(f"{acronym} is not an organisation.")
        found.append(owner)
    return found


def _materials(owners: list[str]) -> list[Resource]:
    """The first published resource of each owner."""
    materials = []
    for code in owners:
        resource = Resource.objects.filter(live=True, **owner_filter(demo_owner(code))).order_by("pk").first()
        if resource is None:
            raise CommandError(
                f"No published demo resource of {code}: the support demo data must load first."
            )
        materials.append(resource)
    return materials


def _values(row: dict[str, Any], terms: Terms) -> dict[str, Any]:
    language = str(next(iter(row["title"])))
    zone = row["time_zone"]
    subjects: list[str] = []
    targets: list[str] = []
    groups: list[str] = []
    for key in row["topics"]:
        subject = topic(key)
        subjects += [code for code in subject.subjects if code not in subjects]
        targets += [code for code in subject.gbf if code not in targets]
        groups += [code for code in subject.groups if code not in groups]
    values: dict[str, Any] = {
        "original_language": language,
        "title": dict(row["title"]),
        "kind": row["kind"],
        "description": {language: row["description"]},
        "starts_at": _at(row["start"]["day"], row["start"]["time"], zone),
        "ends_at": _at(row["end"]["day"], row["end"]["time"], zone),
        "time_zone": zone,
        "attendance": row.get("attendance", Attendance.IN_PERSON),
        "venue": row.get("venue", ""),
        "city": row.get("city", ""),
        "venue_country": Country.objects.filter(code=row["venue_country"]).first()
        if "venue_country" in row
        else None,
        "online_url": row.get("online_url", ""),
        "languages": row["languages"],
        "interpretation": row.get("interpretation", []),
        "subjects": terms(subjects),
        "gbf_targets": terms(targets),
        "target_groups": terms(groups),
        "partners": _organisations(row.get("partners", [])),
        "plan_activities": list(Activity.objects.filter(number__in=row.get("plan_activities", []))),
        "materials": _materials(row.get("materials", [])),
        "contact_email": row.get("contact", ""),
    }
    if "budget" in row:
        values |= {"budget": row["budget"]["amount"], "currency": row["budget"]["currency"]}
    return values


def _find(row: dict[str, Any]) -> Event | None:
    language = str(next(iter(row["title"])))
    owner = demo_owner(row["owner"])
    for event in Event.objects.filter(original_language=language, **owner_filter(owner)):
        if event.title.get(language) == row["title"][language]:
            return event
    return None


def _event(row: dict[str, Any], terms: Terms) -> tuple[Event, bool]:
    """The demo event of ``row``, registered and published by its organiser and their reviewer
    (the platform for the Secretariat's) the first time; whether it is new."""
    found = _find(row)
    if found is not None:
        return found, False
    author = demo_person(row["by"])
    reviewer = demo_person(REVIEWERS[row["by"]]) if row["by"] in REVIEWERS else None
    event = workflow.create(Event, actor=author, owner=demo_owner(row["owner"]), values=_values(row, terms))
    take_to(event, "published", author=author, reviewer=reviewer)
    # Registration settings are operational: changed by the organiser without a review.
    zone = row["time_zone"]
    window = row.get("registration", {})
    settings: dict[str, Any] = {
        "capacity": row.get("capacity"),
        "requires_approval": row.get("requires_approval", False),
        "accepts_nominations": row.get("accepts_nominations", False),
        "registration_opens_at": _day_start(window["opens"]) if "opens" in window else None,
        "registration_closes_at": _at(window["closes"], "23:59", zone) if "closes" in window else None,
        "meeting_requests_close_at": _at(row["requests_close"], "18:00", zone)
        if "requests_close" in row
        else None,
    }
    Event.objects.filter(pk=event.pk).update(**settings)
    event.refresh_from_db()
    return event, True


# --- who takes part ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    language: str
    country: Country | None
    gender: str = ""
    sector: str = ""
    organisation: str = ""
    youth: bool = False
    iplc: bool = False
    listed: bool = False
    contactable: bool = False
    account: User | None = None


@cache
def _countries() -> dict[str, Country]:
    return {country.code: country for country in Country.objects.all()}


def _person(key: str, pool: dict[str, dict[str, Any]]) -> Person:
    """A person of the data file's pool, or a demo person (who has an account) by their key."""
    if key in pool:
        facts = pool[key]
        return Person(
            name=facts["name"],
            email=f"{key}{PARTICIPANTS_DOMAIN}",
            language=facts["language"],
            country=_countries()[facts["country"]],
            gender=facts["gender"],
            sector=facts["sector"],
            organisation=facts["organisation"],
            youth=facts.get("youth", False),
            iplc=facts.get("iplc", False),
            listed=facts.get("listed", False),
            contactable=facts.get("contactable", False),
        )
    user = demo_person(key)
    employer = user.organisation
    return Person(
        name=user.get_full_name() or user.email,
        email=user.email,
        language=user.preferred_language or "en",
        country=user.country or (employer.country if employer else None),
        sector=_sector_of(user),
        organisation=employer.display_name(content_language(user.preferred_language)) if employer else "",
        iplc=bool(employer and employer.type == OrganisationType.IPLC),
        listed=True,
        contactable=True,
        account=user,
    )


# The sector a demo person counts in, from their organisation's type.
SECTORS: dict[str, str] = {
    OrganisationType.IPLC: Sector.IPLC,
    OrganisationType.INTERGOVERNMENTAL: Sector.INTERGOVERNMENTAL,
    OrganisationType.UN_BODY: Sector.INTERGOVERNMENTAL,
    OrganisationType.NGO: Sector.NGO,
    OrganisationType.ACADEMIC: Sector.ACADEMIA,
    OrganisationType.EDUCATION: Sector.ACADEMIA,
    OrganisationType.PRIVATE: Sector.PRIVATE,
    OrganisationType.GOVERNMENT: Sector.GOVERNMENT,
}


def _sector_of(user: User) -> str:
    employer = user.organisation
    if employer is None:
        return str(Sector.GOVERNMENT) if user.country_id else ""
    return SECTORS.get(str(employer.type), "")


def _register(
    event: Event, person: Person, *, entry: dict[str, Any], position: int, side: str = ""
) -> Registration:
    """The person's registration at the event, as the registration services leave it."""
    existing = Registration.objects.filter(event=event, email=person.email).first()
    if existing is not None:
        return existing
    status = entry.get("status", RegistrationStatus.CONFIRMED)
    nominator = demo_person(entry["nominated_by"]) if "nominated_by" in entry else None
    opened = event.registration_opens_at or event.created_at
    registered = opened + timedelta(hours=5 * position + 1)
    # A nomination not yet completed holds what the focal point gave: the facts and consents
    # come when the person completes it.
    completed = status != RegistrationStatus.NOMINATED
    registration = Registration.objects.create(
        event=event,
        person=person.account,
        name=person.name,
        email=person.email,
        language=person.language,
        status=status,
        priority=NOMINATION_PRIORITY if nominator else 0,
        waitlisted_at=registered if status == RegistrationStatus.WAITLISTED else None,
        nominated_by=nominator,
        nominated_for=person.country if nominator else None,
        funded=entry.get("funded", False),
        country=person.country,
        organisation_name=person.organisation if completed else "",
        gender=person.gender if completed else "",
        represents_iplc=person.iplc and completed,
        youth=person.youth and completed,
        sector=person.sector if completed else "",
        role=entry.get("role", "participant"),
        listed=person.listed and completed,
        contactable=person.contactable and completed,
        side=side,
        max_meetings=entry.get("max"),
    )
    # When they registered, in the event's own history (the field is set on creation).
    Registration.objects.filter(pk=registration.pk).update(created_at=registered)
    return registration


def _registrations(
    event: Event, row: dict[str, Any], pool: dict[str, dict[str, Any]]
) -> dict[str, Registration]:
    entries = row.get("registrations", []) + row.get("participants", [])
    return {
        entry["who"]: _register(
            event, _person(entry["who"], pool), entry=entry, position=position, side=entry.get("side", "")
        )
        for position, entry in enumerate(entries)
    }


def _check_in(event: Event, row: dict[str, Any], registrations: dict[str, Registration]) -> None:
    """The people who came, checked in at the desk by the organiser as the event opened."""
    if "checked_in" not in row or event.starts_at is None:
        return
    keys = list(registrations) if row["checked_in"] == "all" else row["checked_in"]
    desk = demo_person(row["by"])
    for minutes, key in enumerate(keys):
        registration = registrations[key]
        if registration.status != RegistrationStatus.CONFIRMED or registration.checked_in_at:
            continue
        registration.checked_in_at = event.starts_at - timedelta(minutes=40) + timedelta(minutes=2 * minutes)
        registration.checked_in_by = desk
        registration.save(update_fields=["checked_in_at", "checked_in_by"])


def _certificates(event: Event, row: dict[str, Any]) -> int:
    """A certificate of attendance for each participant who came, issued the day it ended."""
    if not row.get("certificates") or event.ends_at is None:
        return 0
    attended = Registration.objects.filter(
        event=event,
        checked_in_at__isnull=False,
        certificate__isnull=True,
        status=RegistrationStatus.CONFIRMED,
    )
    issued = [Certificate(registration=registration, issued_at=event.ends_at) for registration in attended]
    Certificate.objects.bulk_create(issued)
    return len(issued)


# --- the evaluation ------------------------------------------------------------------------------


def _template(name: str, data: dict[str, Any]) -> SurveyTemplate:
    """The shared template known by this English name (the evaluation's reference data), made
    from the demo file when the reference data does not hold it."""
    template = SurveyTemplate.objects.filter(name__en=name).order_by("pk").first()
    if template is None:
        shipped = data["survey_templates"][name]
        template = SurveyTemplate.objects.create(name=shipped["name"], questions=shipped["questions"])
    return template


def _survey(event: Event, row: dict[str, Any], data: dict[str, Any]) -> None:
    """The event's anonymous survey, started from the shared template when the event ended, and
    the answers given: one invitation each for those who came, answered by as many as answered,
    on the days after the event; the answers never point to the people."""
    spec = row.get("survey")
    if spec is None or event.ends_at is None or Survey.objects.filter(event=event).exists():
        return
    template = _template(spec["template"], data)
    survey = Survey.objects.create(
        event=event,
        anonymous=True,
        opens_at=event.ends_at,
        closes_at=event.ends_at + timedelta(days=30),
        invited_at=event.ends_at + timedelta(hours=2),
        reminded_at=event.ends_at + timedelta(days=7),
    )
    questions = [
        SurveyQuestion.objects.create(
            survey=survey,
            position=position,
            text=dict(question["text"]),
            kind=question["kind"],
            choices=list(question.get("choices") or []),
            required=bool(question.get("required")),
        )
        for position, question in enumerate(template.questions)
    ]
    attended = list(Registration.objects.filter(event=event, checked_in_at__isnull=False).order_by("pk"))
    invitations = SurveyInvitation.objects.bulk_create(
        [SurveyInvitation(survey=survey, registration=registration) for registration in attended]
    )
    ratings = [q for q in questions if q.kind == SurveyQuestionKind.RATING]
    texts = [q for q in questions if q.kind == SurveyQuestionKind.TEXT]
    yes_no = next(q for q in questions if q.kind == SurveyQuestionKind.YES_NO)
    zone = event.zone
    for number, (given, invitation) in enumerate(zip(spec["answers"], invitations, strict=False)):
        day = (event.ends_at + timedelta(days=1 + number % 6)).astimezone(zone).date()
        response = SurveyResponse.objects.create(
            survey=survey, registration=None, language=content_language(given["language"]), submitted_on=day
        )
        answers = [
            SurveyAnswer(response=response, question=question, number=value)
            for question, value in zip(ratings, given["ratings"], strict=False)
        ]
        answers.append(
            SurveyAnswer(response=response, question=yes_no, number=1 if given["recommend"] else 0)
        )
        for question, name in zip(texts, ("apply", "improve"), strict=False):
            if given.get(name):
                answers.append(SurveyAnswer(response=response, question=question, text=given[name]))
        SurveyAnswer.objects.bulk_create(answers)
        # Anonymous: the day only, so the invitation cannot be matched to its answers by time.
        invitation.answered_at = datetime.combine(day, time.min, tzinfo=zone)
        invitation.save(update_fields=["answered_at"])


# --- round tables --------------------------------------------------------------------------------


def _brought(reference: dict[str, str]) -> Record:
    """A published need, or support record, by the demo data's names for it."""
    if "need" in reference:
        need = Need.objects.filter(import_key=reference["need"], live=True).first()
        if need is None:
            raise CommandError(
                f"Demo need {reference['need']} is missing: the needs demo data must load first."
            )
        return need
    if "support" in reference:
        return demo_support(reference["support"])
    model = BY_SLUG[reference["type"]]
    found = (
        model.objects.filter(live=True, **owner_filter(demo_owner(reference["owner"]))).order_by("pk").first()
    )
    if found is None:
        raise CommandError(f"Demo {reference['type']} of {reference['owner']} is missing.")
    return found


def _slots_and_tables(event: Event, row: dict[str, Any]) -> tuple[list[Slot], dict[str, Table]]:
    """The slots, on the round table's own day (the day it was loaded for), and the tables."""
    spec = row["slots"]
    if not event.slots.exists() and event.starts_at is not None:
        hours, minutes = (int(part) for part in spec["first"].split(":"))
        day = event.starts_at.astimezone(event.zone).date()
        first = datetime.combine(day, time(hours, minutes), tzinfo=event.zone)
        step = timedelta(minutes=spec["minutes"] + spec["pause"])
        length = timedelta(minutes=spec["minutes"])
        Slot.objects.bulk_create(
            [
                Slot(event=event, starts_at=first + index * step, ends_at=first + index * step + length)
                for index in range(spec["count"])
            ]
        )
    for name in row["tables"]:
        Table.objects.get_or_create(event=event, name=name)
    return list(event.slots.order_by("starts_at")), {table.name: table for table in event.tables.all()}


def _participants(
    row: dict[str, Any], registrations: dict[str, Registration], slots: list[Slot], tables: dict[str, Table]
) -> None:
    """What each participant brings, when they are free, and the table a provider keeps."""
    for entry in row["participants"]:
        registration = registrations[entry["who"]]
        for reference in entry["items"]:
            BroughtItem.objects.get_or_create(
                registration=registration, identifier=_brought(reference).identifier
            )
        if "table" in entry and registration.fixed_table_id is None:
            registration.fixed_table = tables[entry["table"]]
            registration.save(update_fields=["fixed_table"])
        if not registration.available_slots.exists():
            numbers = entry.get("slots") or range(1, len(slots) + 1)
            registration.available_slots.set([slots[number - 1] for number in numbers])


def _about(requester: Registration, invitee: Registration) -> str:
    """The need the meeting is about: the seeker's first item."""
    seeker = requester if requester.side == Side.SEEKER else invitee
    item = seeker.items.first()
    return item.identifier if item else ""


def _requests(
    event: Event, row: dict[str, Any], registrations: dict[str, Registration]
) -> list[MeetingRequest]:
    """The meeting requests as they were answered, each asked in turn after registration."""
    made = []
    closes = event.meeting_requests_close_at or event.starts_at or timezone.now()
    for position, entry in enumerate(row["requests"]):
        requester, invitee = registrations[entry["from"]], registrations[entry["to"]]
        found = MeetingRequest.objects.filter(event=event, requester=requester, invitee=invitee).first()
        if found is not None:
            made.append(found)
            continue
        status = entry["status"]
        asked = (event.registration_opens_at or event.created_at) + timedelta(days=2, hours=3 * position)
        request = MeetingRequest.objects.create(
            event=event,
            requester=requester,
            invitee=invitee,
            priority=entry["priority"],
            about=_about(requester, invitee),
            message=entry.get("message", ""),
            status=status,
            proposed_by=demo_person(entry["proposed_by"]) if "proposed_by" in entry else None,
            answered_at=asked + timedelta(hours=20) if status in {"accepted", "declined"} else None,
            expires_at=closes,
        )
        MeetingRequest.objects.filter(pk=request.pk).update(created_at=asked)
        made.append(request)
    return made


def instance_for(event: Event) -> scheduling.Instance:
    """The scheduler's instance for the round table as it stands: its slots and tables, the
    confirmed participants with their availability, maximum and fixed table, and the accepted
    requests between them (the schedule services build the same)."""
    slots = list(event.slots.order_by("starts_at"))
    people = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).prefetch_related(
        "available_slots"
    )
    requests = MeetingRequest.objects.filter(
        event=event,
        status=RequestStatus.ACCEPTED,
        requester__status=RegistrationStatus.CONFIRMED,
        invitee__status=RegistrationStatus.CONFIRMED,
    )
    data = {
        "event": event.identifier,
        "slots": [
            {"id": slot.pk, "start": slot.starts_at.isoformat(), "end": slot.ends_at.isoformat()}
            for slot in slots
        ],
        "tables": [{"id": table.pk} for table in event.tables.order_by("pk")],
        "participants": [
            {
                "id": person.pk,
                "role": "provider" if person.side == Side.PROVIDER else "seeker",
                "available": sorted(slot.pk for slot in person.available_slots.all()),
                "max_meetings": person.max_meetings or len(slots),
                **({"fixed_table": person.fixed_table_id} if person.fixed_table_id else {}),
            }
            for person in people.order_by("pk")
        ],
        "requests": [
            {
                "id": request.pk,
                "a": request.requester_id,
                "b": request.invitee_id,
                "priority": request.priority,
            }
            for request in requests.order_by("pk")
        ],
        "locked": [
            {"request": meeting.request_id, "slot": meeting.slot_id, "table": meeting.table_id}
            for meeting in Meeting.objects.filter(request__event=event, locked=True).order_by("pk")
        ],
    }
    return scheduling.parse_instance(data)


def _schedule(event: Event) -> scheduling.Schedule | None:
    """Run the scheduler on the round table, put its meetings in place, and publish the
    schedule (the day before requests closed for a past one, today for one to come)."""
    if Meeting.objects.filter(request__event=event).exists():
        return None
    instance = instance_for(event)
    result = scheduling.schedule(instance, time_limit=SCHEDULER_SECONDS)
    problems = scheduling.check(instance, result)
    if problems:
        raise CommandError(f"The demo schedule of {event.identifier} breaks a rule: {'; '.join(problems)}")
    Meeting.objects.bulk_create(
        [
            Meeting(request_id=meeting.request, slot_id=meeting.slot, table_id=meeting.table)
            for meeting in result.meetings
        ]
    )
    published = (
        timezone.now() if not event.is_past() else (event.starts_at or timezone.now()) - timedelta(days=3)
    )
    Event.objects.filter(pk=event.pk).update(schedule_published_at=published)
    event.schedule_published_at = published
    return result


def _outcomes(row: dict[str, Any], registrations: dict[str, Registration]) -> None:
    """What each side of the past round table's meetings recorded; a match is followed up in
    matchmaking: the seeker's need gets its case and a match with the provider's support,
    proposed to the provider with a note that it came from the round table."""
    for entry in row["requests"]:
        if "held" not in entry:
            continue
        meeting = (
            Meeting.objects.filter(
                request__requester=registrations[entry["from"]], request__invitee=registrations[entry["to"]]
            )
            .select_related("slot", "request__requester", "request__invitee")
            .first()
        )
        if meeting is None or meeting.held is not None:
            continue
        meeting.held = entry["held"]
        if entry["held"]:
            meeting.requester_outcome, meeting.invitee_outcome = entry["outcomes"]
        if "match" in entry.get("outcomes", []):
            meeting.match = _follow_up(meeting, entry["note"])
        meeting.save()


def _follow_up(meeting: Meeting, note: str) -> Match:
    seeker, provider = meeting.request.requester, meeting.request.invitee
    if seeker.side != Side.SEEKER:
        seeker, provider = provider, seeker
    need = _record(seeker, (Need, Request))
    support = _record(provider, tuple(BY_SLUG.values()))
    case = matchmaking.open_case(need, actor=None)
    match = matchmaking.shortlist(case, support, actor=None, note=note)
    return matchmaking.propose(match, actor=None, message=note)


def _record(registration: Registration, models: tuple[type[Record], ...]) -> Any:
    for item in registration.items.all():
        for model in models:
            found = model._default_manager.filter(identifier=item.identifier, live=True).first()
            if found is not None:
                return found
    raise CommandError(f"{registration.name} brings nothing to follow up in matchmaking.")


def _round_table(event: Event, row: dict[str, Any], registrations: dict[str, Registration]) -> str:
    """The round table's slots, tables, participants' items and availability, requests, and its
    schedule; for a past one, the meetings held and their outcomes. Returns what to print."""
    slots, tables = _slots_and_tables(event, row)
    _participants(row, registrations, slots, tables)
    _requests(event, row, registrations)
    _schedule(event)
    meetings = Meeting.objects.filter(request__event=event)
    if not event.is_past():
        return f"{meetings.count()} meetings in its published schedule"
    _outcomes(row, registrations)
    matches = meetings.filter(match__isnull=False).count()
    return f"{meetings.filter(held=True).count()} meetings held, {matches} matches followed in matchmaking"


# --- the whole demo ------------------------------------------------------------------------------


def load() -> list[str]:
    data = _data()
    terms = Terms()
    pool = data["people"]
    new = 0
    events = {}
    lines = []
    # One announcement per kind of record for the whole demo: the events published and the
    # needs whose matches the round table opened are indexed together.
    with batched_announcements():
        for row in data["events"]:
            events[row["key"]], created = _event(row, terms)
            new += created
        for row in data["events"]:
            event = events[row["key"]]
            registrations = _registrations(event, row, pool)
            _check_in(event, row, registrations)
            if event.is_round_table:
                when = "past" if event.is_past() else "to come"
                lines.append(
                    f"{'  round table ' + when:32} {event.identifier}: {_round_table(event, row, registrations)}"
                )
            _certificates(event, row)
            _survey(event, row, data)
    lines.insert(0, f"{'Events (/events/)':32} {len(events)} ({new} new)")
    trained = events["training-kunming"]
    answered = SurveyResponse.objects.filter(survey__event=trained).count()
    lines += [
        f"{'  evaluation':32} {trained.identifier}: {answered} answers, certificates issued",
        f"{'  sign in as officer.ke':32} /events/{events['roundtable-sbi'].identifier}/: their agenda and two "
        f"requests to answer; /events/{events['training-naivasha'].identifier}/: full, waiting list, nominations",
        f"{'  sign in as partner.ifdd':32} the same round table as a provider; their webinar's registrations",
        f"{'  sign in as focalpoint.eg':32} their nomination to the Naivasha training, still to complete",
    ]
    return lines
