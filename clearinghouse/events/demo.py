"""Demo events, trainings and round tables (data/demo-events.yaml), in the six languages: events
past and to come of every kind, published through the same workflow people use; people
registered with the facts the indicators count, a full training with its waiting list and
nominations, a study visit waiting for approvals; check-ins, certificates and an evaluation
survey answered after the past events; a past round table whose meetings were held and whose
matches are followed in matchmaking; and a round table to come whose schedule the real scheduler
made and the organiser published, so that officer.ke and partner.ifdd find their agenda and
requests to answer when they sign in.

Through the services people use: events created, translated, submitted, published and set up by
their organisers (``services``); check-in and certificates (``attendance``); the survey made from
the shared template and answered (``surveys``); slots, tables, availability, the scheduler's run
and publication (``schedules``); what demo people bring to a round table and the matches its
outcomes open (``roundtables``). Written as those services leave them, without the e-mails they
would send: registrations (their services e-mail each person), meeting requests and their
answers (only the person asked answers, and most demo participants have no account), survey
invitations, the outcomes recorded by participants without an account, and the past schedule's
publication date. Idempotent: an event is found again by its owner and original title, a
registration by its event and e-mail, and each event's survey, schedule and certificates are
made once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone, translation

from clearinghouse.accounts.demo import demo_owner, demo_person
from clearinghouse.accounts.models import User
from clearinghouse.core import demo_pictures
from clearinghouse.core.demo import demo_data
from clearinghouse.core.languages import content_language
from clearinghouse.events import attendance, roundtables, schedules, services, surveys
from clearinghouse.events.models import (
    Attendance,
    BroughtItem,
    Event,
    Meeting,
    MeetingRequest,
    Registration,
    RegistrationStatus,
    Sector,
    Side,
    Slot,
    Survey,
    SurveyInvitation,
    SurveyQuestionKind,
    SurveyResponse,
    SurveyTemplate,
    Table,
)
from clearinghouse.events.registration import NOMINATION_PRIORITY
from clearinghouse.geo.models import Country
from clearinghouse.needs.models import Need
from clearinghouse.organisations.models import Organisation, OrganisationType
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import services as publishing_services
from clearinghouse.publishing import workflow
from clearinghouse.publishing.demo import REVIEWERS, owner_filter
from clearinghouse.publishing.models import Record
from clearinghouse.publishing.signals import batched_announcements
from clearinghouse.support import services as support_services
from clearinghouse.support.demo_records import demo_support
from clearinghouse.support.models import BY_SLUG, Resource
from clearinghouse.vocabularies.demo import Terms, topic

# Participants' addresses: a reserved domain, so that no demo e-mail reaches a real person.
PARTICIPANTS_DOMAIN = "@participants.demo.clearinghouse.example"


def _data() -> dict[str, Any]:
    data: dict[str, Any] = demo_data("clearinghouse.events", "demo-events.yaml")
    return data


def _wall(day: int, clock: str) -> datetime:
    """The wall-clock time ``clock``, ``day`` days from today, as an organiser types it: the
    event services read it in the event's time zone."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(timezone.localdate() + timedelta(days=day), time(hours, minutes))


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


def _cleaned(row: dict[str, Any], terms: Terms) -> dict[str, Any]:
    """The event's form, as its organiser fills it in its original language."""
    language = str(next(iter(row["title"])))
    subjects: list[str] = []
    targets: list[str] = []
    groups: list[str] = []
    for key in row["topics"]:
        subject = topic(key)
        subjects += [code for code in subject.subjects if code not in subjects]
        targets += [code for code in subject.gbf if code not in targets]
        groups += [code for code in subject.groups if code not in groups]
    cleaned: dict[str, Any] = {
        "title": row["title"][language],
        "kind": row["kind"],
        "description": row["description"],
        "starts_at": _wall(row["start"]["day"], row["start"]["time"]),
        "ends_at": _wall(row["end"]["day"], row["end"]["time"]),
        "time_zone": row["time_zone"],
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
        cleaned |= {"budget": row["budget"]["amount"], "currency": row["budget"]["currency"]}
    return cleaned


def _find(row: dict[str, Any]) -> Event | None:
    language = str(next(iter(row["title"])))
    owner = demo_owner(row["owner"])
    for event in Event.objects.filter(original_language=language, **owner_filter(owner)):
        if event.title.get(language) == row["title"][language]:
            return event
    return None


def _event(row: dict[str, Any], terms: Terms) -> tuple[Event, bool]:
    """The demo event of ``row`` the first time: registered in its original language and
    translated by its organiser, submitted, published by their reviewer (the platform for the
    Secretariat's), and its registration set up; whether it is new."""
    found = _find(row)
    if found is not None:
        return found, False
    author = demo_person(row["by"])
    reviewer = demo_person(REVIEWERS[row["by"]]) if row["by"] in REVIEWERS else None
    language = str(next(iter(row["title"])))
    event = services.create(
        actor=author, owner=demo_owner(row["owner"]), language=language, cleaned=_cleaned(row, terms)
    )
    for other, title in list(row["title"].items())[1:]:
        publishing_services.translate(
            event,
            actor=author,
            language=other,
            texts={"title": title},
            base_revision=None,
            save=support_services.save_values,
        )
    services.submit(event, actor=author)
    workflow.publish(event, actor=reviewer)
    window = row.get("registration", {})
    settings: dict[str, Any] = {
        "capacity": row.get("capacity"),
        "requires_approval": row.get("requires_approval", False),
        "accepts_nominations": row.get("accepts_nominations", False),
        "registration_opens_at": _wall(window["opens"], "08:00") if "opens" in window else None,
        "registration_closes_at": _wall(window["closes"], "23:59") if "closes" in window else None,
        "meeting_requests_close_at": _wall(row["requests_close"], "18:00")
        if "requests_close" in row
        else None,
    }
    return services.change_settings(event, actor=author, cleaned=settings), True


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


@dataclass(frozen=True)
class Pool:
    """The data file's people, and the countries by code (read once per load)."""

    people: dict[str, dict[str, Any]]
    countries: dict[str, Country]


def _person(key: str, pool: Pool) -> Person:
    """A person of the data file's pool, or a demo person (who has an account) by their key."""
    if key in pool.people:
        facts = pool.people[key]
        return Person(
            name=facts["name"],
            email=f"{key}{PARTICIPANTS_DOMAIN}",
            language=facts["language"],
            country=pool.countries[facts["country"]],
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
    )
    # When they registered, in the event's own history (the field is set on creation).
    Registration.objects.filter(pk=registration.pk).update(created_at=registered)
    return registration


def _registrations(event: Event, row: dict[str, Any], pool: Pool) -> dict[str, Registration]:
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
    opened = event.starts_at - timedelta(minutes=40)
    for minutes, key in enumerate(keys):
        registration = registrations[key]
        if registration.status == RegistrationStatus.CONFIRMED:
            attendance.check_in(registration, actor=desk, at=opened + timedelta(minutes=2 * minutes))


def _certificates(event: Event, row: dict[str, Any]) -> None:
    """A certificate of attendance for each participant who came (those issued stay)."""
    if row.get("certificates"):
        attendance.issue_certificates(event)


# --- the evaluation ------------------------------------------------------------------------------


def _survey(event: Event, row: dict[str, Any]) -> None:
    """The event's anonymous survey, made by its organiser from the shared template when the
    event ended, its figures public; one invitation for each person who came (written without
    the e-mails), and the answers given with them on the days after the event."""
    spec = row.get("survey")
    if spec is None or Survey.objects.filter(event=event).exists():
        return
    template = SurveyTemplate.objects.filter(name__en=spec["template"]).order_by("pk").first()
    if template is None:
        raise CommandError(
            "The shared survey templates are missing: run `clearinghouse loadreference` first."
        )
    organiser = demo_person(row["by"])
    survey = surveys.create_survey(event, template, organiser)
    opens = survey.opens_at or timezone.now()
    survey = surveys.save_settings(
        survey,
        organiser,
        anonymous=True,
        opens_at=opens,
        closes_at=survey.closes_at or opens + surveys.OPEN_FOR,
        results_public=True,
    )
    invitations = [
        SurveyInvitation.objects.create(survey=survey, registration=registration)
        for registration in surveys.recipients(event).order_by("pk")
    ]
    Survey.objects.filter(pk=survey.pk).update(
        invited_at=opens + timedelta(hours=2), reminded_at=opens + timedelta(days=7)
    )
    questions = list(survey.questions.all())
    ratings = [question for question in questions if question.kind == SurveyQuestionKind.RATING]
    texts = [question for question in questions if question.kind == SurveyQuestionKind.TEXT]
    (recommend,) = [question for question in questions if question.kind == SurveyQuestionKind.YES_NO]
    for number, (given, invitation) in enumerate(zip(spec["answers"], invitations, strict=False)):
        data = {
            f"q{question.pk}": [str(value)]
            for question, value in zip(ratings, given["ratings"], strict=False)
        }
        data[f"q{recommend.pk}"] = ["yes" if given["recommend"] else "no"]
        for question, name in zip(texts, ("apply", "improve"), strict=False):
            if given.get(name):
                data[f"q{question.pk}"] = [given[name]]
        answered = opens + timedelta(days=1 + number % 6, hours=number % 9)
        surveys.submit(invitation.token, data, given["language"], now=answered)


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


def _slots_and_tables(
    event: Event, row: dict[str, Any], organiser: User
) -> tuple[list[Slot], dict[str, Table]]:
    """The slots, on the round table's own day (the day it was loaded for), and the tables."""
    spec = row["slots"]
    if not event.slots.exists() and event.starts_at is not None:
        hours, minutes = (int(part) for part in spec["first"].split(":"))
        first = datetime.combine(
            event.starts_at.astimezone(event.zone).date(), time(hours, minutes), tzinfo=event.zone
        )
        length, pause = timedelta(minutes=spec["minutes"]), timedelta(minutes=spec["pause"])
        schedules.generate_slots(
            event,
            actor=organiser,
            starts_at=first,
            ends_at=first + spec["count"] * length + (spec["count"] - 1) * pause,
            length=length,
            pause=pause,
        )
    if not event.tables.exists():
        schedules.add_tables(event, actor=organiser, names=row["tables"])
    return list(event.slots.order_by("starts_at")), {table.name: table for table in event.tables.all()}


def _participants(
    row: dict[str, Any],
    registrations: dict[str, Registration],
    slots: list[Slot],
    tables: dict[str, Table],
    organiser: User,
) -> None:
    """What each participant brings (a demo person through the round-table services, which
    check it is theirs to bring), the table a provider keeps, and when each is free."""
    for entry in row["participants"]:
        registration = registrations[entry["who"]]
        person = registration.person
        for reference in entry["items"]:
            identifier = _brought(reference).identifier
            if registration.items.filter(identifier=identifier).exists():
                continue
            if person is not None:
                roundtables.set_side(registration, entry["side"], actor=person)
                roundtables.bring(registration, identifier, actor=person)
            else:
                BroughtItem.objects.create(registration=registration, identifier=identifier)
        if "table" in entry and registration.fixed_table_id is None:
            schedules.set_fixed_table(registration, tables[entry["table"]], actor=organiser)
        if not registration.available_slots.exists():
            numbers = entry.get("slots") or range(1, len(slots) + 1)
            schedules.set_availability(
                registration,
                actor=organiser,
                slots=[slots[number - 1] for number in numbers],
                max_meetings=entry.get("max"),
            )


def _about(requester: Registration, invitee: Registration) -> str:
    """The need the meeting is about: the seeker's first item."""
    seeker = requester if requester.side == Side.SEEKER else invitee
    item = seeker.items.first()
    return item.identifier if item else ""


def _requests(event: Event, row: dict[str, Any], registrations: dict[str, Registration]) -> None:
    """The meeting requests as they were answered, each asked in turn after registration."""
    closes = roundtables.requests_close_at(event)
    for position, entry in enumerate(row["requests"]):
        requester, invitee = registrations[entry["from"]], registrations[entry["to"]]
        if MeetingRequest.objects.filter(event=event, requester=requester, invitee=invitee).exists():
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


def _schedule(event: Event, organiser: User) -> None:
    """The organiser runs the scheduler and publishes the schedule (each participant is sent
    their agenda); a past round table's schedule was published before it, without agendas
    sent again now."""
    if Meeting.objects.filter(slot__event=event).exists():
        return
    schedules.build_schedule(event, actor=organiser)
    if event.is_past():
        published = (event.starts_at or timezone.now()) - timedelta(days=3)
        Event.objects.filter(pk=event.pk).update(schedule_published_at=published)
    else:
        schedules.publish(event, actor=organiser)


def _outcomes(event: Event, row: dict[str, Any], registrations: dict[str, Registration]) -> None:
    """Whether each meeting of the past round table was held and what each side recorded; a
    match is followed up in matchmaking by the round-table service: the seeker's need gets its
    case and a match with the provider's support, proposed to the provider with a note, in the
    round table's language, that it came from there."""
    for entry in row["requests"]:
        if "held" not in entry:
            continue
        meeting = Meeting.objects.filter(
            request__requester=registrations[entry["from"]], request__invitee=registrations[entry["to"]]
        ).first()
        if meeting is None or meeting.held is not None:
            continue
        meeting.held = entry["held"]
        if entry["held"]:
            meeting.requester_outcome, meeting.invitee_outcome = entry["outcomes"]
        meeting.save(update_fields=["held", "requester_outcome", "invitee_outcome", "updated_at"])
        if "match" in entry.get("outcomes", []):
            with translation.override(event.original_language):
                notice = roundtables.open_follow_up(meeting, actor=demo_person(row["by"]))
            if notice:
                raise CommandError(f"{event.identifier}: {notice}")


def _round_table(event: Event, row: dict[str, Any], registrations: dict[str, Registration]) -> str:
    """The round table's slots, tables, participants' items and availability, requests, and its
    schedule; for a past one, the meetings held and their outcomes. Returns what to print."""
    organiser = demo_person(row["by"])
    slots, tables = _slots_and_tables(event, row, organiser)
    _participants(row, registrations, slots, tables, organiser)
    _requests(event, row, registrations)
    _schedule(event, organiser)
    meetings = Meeting.objects.filter(slot__event=event)
    if not event.is_past():
        return f"{meetings.count()} meetings in its published schedule"
    _outcomes(event, row, registrations)
    matches = meetings.filter(match__isnull=False).count()
    return f"{meetings.filter(held=True).count()} meetings held, {matches} matches followed in matchmaking"


# --- the whole demo ------------------------------------------------------------------------------


def load() -> list[str]:
    data = _data()
    terms = Terms()
    pool = Pool(data["people"], {country.code: country for country in Country.objects.all()})
    new = 0
    events = {}
    lines = []
    # One announcement per kind of record for the whole demo: the events published and the
    # needs whose matches the round table opened are indexed together.
    with batched_announcements():
        for row in data["events"]:
            events[row["key"]], created = _event(row, terms)
            new += created
            if not events[row["key"]].picture:
                # Drawn here, so that the list and the events' pages show pictures.
                events[row["key"]] = services.change_picture(
                    events[row["key"]], actor=None, picture=demo_pictures.landscape(row["key"])
                )
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
            _survey(event, row)
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
