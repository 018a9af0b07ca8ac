"""Follow-up of alumni: some months after an event or course, the alumni who consented are
asked what they applied, what changed and what help they still need.

The organisers of an event (events/permissions.py) or the authors of a course
(learning/permissions.py) set the number of months; each consenting alumnus's participation gets
a request due that many months after they took part. A daily job creates the requests of later
participations and sends the due ones once, each in the alumnus's language, with a signed link
that works without an account. The answer is given once; it can open a draft need (for people
who register needs for a Party) or a help-desk ticket.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clearinghouse.accounts import roles
from clearinghouse.community import alumni
from clearinghouse.community.models import (
    Activity,
    Applied,
    Consent,
    FollowUp,
    FollowUpRequest,
    Participation,
)
from clearinghouse.core.languages import content_language
from clearinghouse.core.mail import send_templated, site_url
from clearinghouse.core.multilingual import show
from clearinghouse.core.navigation import register_place, register_record_action
from clearinghouse.events import permissions as event_permissions
from clearinghouse.events.models import Event
from clearinghouse.geo.models import Country
from clearinghouse.helpdesk import services as helpdesk
from clearinghouse.helpdesk.models import Channel, Ticket
from clearinghouse.helpdesk.routing import NoDeskError
from clearinghouse.learning import permissions as course_permissions
from clearinghouse.learning.models import Course
from clearinghouse.needs.formats import CURRENT_VERSION
from clearinghouse.needs.models import Need
from clearinghouse.publishing import registry, workflow
from clearinghouse.publishing.owners import owners_for

MONTHS = range(1, 25)
# The link in the e-mail stays valid this long after it is sent.
LINK_VALID_FOR = timedelta(days=365)
_LINK_SALT = "community.follow_up.answer"
ANSWER_LENGTH = 3000

Activity_ = Event | Course


# --- the activity and who manages it -------------------------------------------------------------


def activity_for(identifier: str) -> Activity_:
    """The event or course an identifier names; anything else is refused (``LookupError``)."""
    record = registry.find(identifier)
    if isinstance(record, (Event, Course)):
        return record
    raise LookupError(identifier)


def manages(user: Any, activity: Activity_) -> bool:
    """The event's organisers, the course's authors and the Secretariat."""
    if not getattr(user, "is_authenticated", False):
        return False
    if isinstance(activity, Event):
        return event_permissions.is_organiser(user, activity)
    return roles.is_secretariat(user) or course_permissions.can_author(user, activity)


def sees_all(user: Any) -> bool:
    """The Secretariat reads every follow-up's answers."""
    return bool(getattr(user, "is_authenticated", False)) and roles.is_secretariat(user)


def follow_up_of(activity: Activity_) -> FollowUp | None:
    if isinstance(activity, Event):
        return FollowUp.objects.filter(event=activity).first()
    return FollowUp.objects.filter(course=activity).first()


def activity_of(follow_up: FollowUp) -> Activity_:
    activity = follow_up.event or follow_up.course
    if activity is None:  # the check constraint guarantees one
        raise ValueError(follow_up.pk)
    return activity


def title_of(activity: Activity_, language: str | None = None) -> str:
    return show(activity.title, activity.original_language, language).text or activity.identifier


# --- setting the follow-up and its requests ------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 →
    28 or 29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _participations(follow_up: FollowUp) -> QuerySet[Participation]:
    """The participations in the follow-up's activity of alumni who consented."""
    found = Participation.objects.filter(alumnus__consent=Consent.GIVEN)
    if follow_up.event is not None:
        return found.filter(activity=Activity.EVENT, event=follow_up.event)
    return found.filter(activity=Activity.COURSE, course=follow_up.course)


def sync_requests(follow_up: FollowUp) -> int:
    """A request for each consenting alumnus's participation that has none yet. Idempotent;
    returns how many were created."""
    with transaction.atomic():
        missing = _participations(follow_up).filter(follow_up_request__isnull=True)
        created = FollowUpRequest.objects.bulk_create(
            [
                FollowUpRequest(
                    follow_up=follow_up,
                    participation=participation,
                    due_on=add_months(participation.took_part_on, follow_up.months_after),
                )
                for participation in missing.order_by("pk")
            ],
            ignore_conflicts=True,
        )
    return len(created)


def set_follow_up(activity: Activity_, *, actor: Any, months: int) -> FollowUp:
    """Ask the activity's alumni ``months`` (1–24) after they took part. Changing the months
    later moves the due dates of the requests not sent yet; those sent keep theirs."""
    if not manages(actor, activity):
        raise PermissionDenied(_("Only the organisers of this event or course can set its follow-up."))
    if months not in MONTHS:
        raise ValidationError({"months_after": _("Choose between 1 and 24 months.")}, code="months")
    with transaction.atomic():
        follow_up = follow_up_of(activity)
        if follow_up is None:
            follow_up = FollowUp(created_by=actor, months_after=months)
            if isinstance(activity, Event):
                follow_up.event = activity
            else:
                follow_up.course = activity
            follow_up.save()
        elif follow_up.months_after != months:
            follow_up.months_after = months
            follow_up.save(update_fields=["months_after"])
            waiting = follow_up.requests.filter(sent_at__isnull=True).select_related("participation")
            for request in waiting:
                request.due_on = add_months(request.participation.took_part_on, months)
            FollowUpRequest.objects.bulk_update(waiting, ["due_on"])
        sync_requests(follow_up)
    return follow_up


# --- sending ---------------------------------------------------------------------------------------


def token_for(request: FollowUpRequest) -> str:
    return signing.dumps(request.pk, salt=_LINK_SALT)


def answer_url(request: FollowUpRequest) -> str:
    return site_url(reverse("community:follow_up_answer", args=[token_for(request)]))


def language_of(request: FollowUpRequest) -> str:
    """The alumnus's account's language, else the one kept with the alumnus."""
    alumnus = request.participation.alumnus
    person = alumnus.person
    if person is not None and person.preferred_language:
        return str(person.preferred_language)
    return alumnus.language or "en"


def _mail(request_pk: int) -> None:
    request = FollowUpRequest.objects.select_related(
        "follow_up__event", "follow_up__course", "participation__alumnus__person"
    ).get(pk=request_pk)
    activity = activity_of(request.follow_up)
    alumnus = request.participation.alumnus

    def built() -> dict[str, Any]:
        return {
            "name": alumnus.name or alumnus.email,
            "title": title_of(activity),
            "is_event": isinstance(activity, Event),
            "took_part_on": request.participation.took_part_on,
            "months": request.follow_up.months_after,
            # Reversed here, for the link to open in the recipient's language.
            "url": answer_url(request),
        }

    send_templated("community/mail/follow_up_request", built, to=alumnus.email, language=language_of(request))


def send(request: FollowUpRequest, now: datetime | None = None) -> bool:
    """Send one request, once: ``sent_at`` is claimed by a conditional update in the same
    transaction, and the mail leaves when it commits. False when it was sent already or the
    alumnus no longer consents."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = FollowUpRequest.objects.filter(
            pk=request.pk,
            sent_at__isnull=True,
            participation__alumnus__consent=Consent.GIVEN,
        ).update(sent_at=now)
        if not claimed:
            return False
        transaction.on_commit(lambda: _mail(request.pk))
    return True


def due(today: date | None = None) -> QuerySet[FollowUpRequest]:
    """Requests due and not sent, of alumni who still consent."""
    today = today or timezone.localdate()
    return FollowUpRequest.objects.filter(
        sent_at__isnull=True,
        due_on__lte=today,
        participation__alumnus__consent=Consent.GIVEN,
    )


def run(now: datetime | None = None) -> tuple[int, int]:
    """The daily job's work: requests for the participations recorded since, then the due
    requests sent. Running it twice sends nothing twice. Returns (created, sent)."""
    now = now or timezone.now()
    created = sum(sync_requests(follow_up) for follow_up in FollowUp.objects.order_by("pk"))
    sent = sum(send(request, now) for request in due(timezone.localdate(now)).order_by("pk"))
    return created, sent


# --- answering ---------------------------------------------------------------------------------------


def request_from_token(token: str) -> FollowUpRequest:
    """The request a link names. A link changed, made up, expired or of a request no longer
    kept is refused with a message for the page."""
    try:
        pk = signing.loads(token, salt=_LINK_SALT, max_age=LINK_VALID_FOR)
    except signing.SignatureExpired as error:
        raise ValidationError(
            _("This link has expired. Write to the help desk if you still want to answer."), code="expired"
        ) from error
    except signing.BadSignature as error:
        raise ValidationError(
            _("This link is not valid: use the one in the e-mail you received."), code="token"
        ) from error
    found = (
        FollowUpRequest.objects.select_related(
            "follow_up__event",
            "follow_up__course",
            "participation__alumnus__person",
            "participation__alumnus__country",
            "need",
            "ticket",
        )
        .filter(pk=pk, sent_at__isnull=False)
        .first()
        if isinstance(pk, int)
        else None
    )
    if found is None:
        raise ValidationError(
            _("This link is not valid: use the one in the e-mail you received."), code="token"
        )
    return found


def need_owner(request: FollowUpRequest) -> Country | None:
    """The Party a need could be opened for: one the alumnus's account registers records for
    (the alumnus's country first). None when they have no account or no such role; then the
    answer page does not offer it."""
    alumnus = request.participation.alumnus
    person = alumnus.person
    if person is None or not person.is_active:
        return None
    parties = [owner for owner in owners_for(person) if isinstance(owner, Country)]
    preferred = [party for party in parties if party.pk == alumnus.country_id]
    if preferred:
        return preferred[0]
    if roles.is_secretariat(person):
        # The Secretariat registers for every Party: without the alumnus's own, none is chosen.
        return None
    return parties[0] if parties else None


OPEN_NOTHING = ""
OPEN_NEED = "need"
OPEN_TICKET = "ticket"


@dataclass
class Answer:
    applied: str
    applied_how: str = ""
    changed: str = ""
    help_needed: str = ""
    then: str = OPEN_NOTHING


def _clean(answer: Answer) -> dict[str, str]:
    errors: dict[str, str] = {}
    if answer.applied not in Applied.values:
        errors["applied"] = _("Say how much of it you have applied.")
    texts = {}
    for name in ("applied_how", "changed", "help_needed"):
        value = (getattr(answer, name) or "").replace("\x00", "").strip()
        if len(value) > ANSWER_LENGTH:
            errors[name] = _("Keep it under %(limit)s characters.") % {"limit": f"{ANSWER_LENGTH:,}"}
        texts[name] = value
    if answer.then not in (OPEN_NOTHING, OPEN_NEED, OPEN_TICKET):
        errors["then"] = _("Choose what to do next.")
    elif answer.then and not texts["help_needed"]:
        errors["help_needed"] = _("Say what help you still need, to open a need or ask the help desk.")
    if errors:
        raise ValidationError(errors, code="invalid")
    return texts


def refusal(request: FollowUpRequest) -> str:
    """Why the request cannot be answered now, in the active language; empty when it can."""
    if request.answered_at is not None:
        return _("You answered on %(date)s. Thank you.") % {
            "date": formats.date_format(timezone.localdate(request.answered_at), "DATE_FORMAT")
        }
    if request.participation.alumnus.consent != Consent.GIVEN:
        return _("You withdrew your consent: we no longer ask you about this activity.")
    return ""


def _body(request: FollowUpRequest, texts: dict[str, str]) -> str:
    activity = activity_of(request.follow_up)
    lines = [
        _("Follow-up of “%(title)s” (%(identifier)s)")
        % {"title": title_of(activity), "identifier": activity.identifier},
        "",
        _("How much of it have you applied?") + " " + str(Applied(request.applied).label),
    ]
    for label, value in (
        (_("What did you apply, and how?"), texts["applied_how"]),
        (_("What changed in your work or organisation?"), texts["changed"]),
        (_("What help do you still need?"), texts["help_needed"]),
    ):
        if value:
            lines += ["", label, value]
    return "\n".join(lines)


def _open_need(request: FollowUpRequest, texts: dict[str, str], language: str) -> Need:
    owner = need_owner(request)
    person = request.participation.alumnus.person
    if owner is None or person is None:
        raise ValidationError(
            {"then": _("Your account cannot register needs for a Party: ask the help desk instead.")},
            code="need",
        )
    activity = activity_of(request.follow_up)
    help_needed = texts["help_needed"]
    first_line = help_needed.splitlines()[0].strip()
    title = first_line if len(first_line) <= 200 else first_line[:199].rstrip() + "…"
    description = _body(request, texts)
    return workflow.create(
        Need,
        actor=person,
        owner=owner,
        values={
            "original_language": language,
            "format_version": CURRENT_VERSION,
            "title": {language: title},
            "description": {language: description},
        },
        note=_("Opened from the follow-up of %(identifier)s") % {"identifier": activity.identifier},
    )


def _open_ticket(request: FollowUpRequest, texts: dict[str, str], language: str) -> Ticket:
    alumnus = request.participation.alumnus
    activity = activity_of(request.follow_up)
    try:
        return _ask_help_desk(request, alumnus, activity, texts, language)
    except NoDeskError:
        raise ValidationError(
            {"then": _("The help desk is not open yet: send your answer alone for now.")}, code="no_desk"
        ) from None


def _ask_help_desk(
    request: FollowUpRequest, alumnus: Any, activity: Activity_, texts: dict[str, str], language: str
) -> Ticket:
    return helpdesk.open_ticket(
        helpdesk.Question(
            subject=_("Help still needed after “%(title)s”") % {"title": title_of(activity)[:200]},
            body=_body(request, texts),
            language=language,
            channel=Channel.WEB,
            requester=alumnus.person if alumnus.person is not None and alumnus.person.is_active else None,
            requester_name=alumnus.name,
            requester_email=alumnus.email,
            country=alumnus.country,
            records=[activity.identifier],
        )
    )


def answer(token: str, given: Answer, *, language: str) -> FollowUpRequest:
    """Record the answer of the request the link names, once; open a draft need or a help-desk
    ticket with it when asked. Nothing is saved when anything is refused."""
    request = request_from_token(token)
    texts = _clean(given)
    language = content_language(language)
    with transaction.atomic():
        locked = FollowUpRequest.objects.select_for_update().get(pk=request.pk)
        request.answered_at = locked.answered_at
        reason = refusal(request)
        if reason:
            raise ValidationError(reason, code="answered")
        request.applied = given.applied
        request.applied_how = texts["applied_how"]
        request.changed = texts["changed"]
        request.help_needed = texts["help_needed"]
        request.answered_at = timezone.now()
        if given.then == OPEN_NEED:
            request.need = _open_need(request, texts, language)
        elif given.then == OPEN_TICKET:
            request.ticket = _open_ticket(request, texts, language)
        request.save(
            update_fields=[
                "applied",
                "applied_how",
                "changed",
                "help_needed",
                "answered_at",
                "need",
                "ticket",
            ]
        )
        alumni.mark_active(request.participation.alumnus.person, request.answered_at)
    return request


# --- reading the answers -------------------------------------------------------------------------


@dataclass
class Summary:
    """What the organisers read of a follow-up."""

    asked: int = 0
    answered: int = 0
    waiting: int = 0
    applied: list[tuple[str, str, int]] = field(default_factory=list)
    answers: list[FollowUpRequest] = field(default_factory=list)


def summary(follow_up: FollowUp) -> Summary:
    """Counts of those asked and those who answered, how much they applied, and the answers."""
    requests = list(
        follow_up.requests.select_related("participation__alumnus", "need", "ticket").order_by(
            "-answered_at", "pk"
        )
    )
    asked = [request for request in requests if request.sent_at is not None]
    answers = [request for request in asked if request.answered_at is not None]
    counts = Counter(request.applied for request in answers)
    return Summary(
        asked=len(asked),
        answered=len(answers),
        waiting=len(requests) - len(asked),
        applied=[(str(value), str(label), counts.get(value, 0)) for value, label in Applied.choices],
        answers=answers,
    )


def follow_ups_for(user: Any) -> QuerySet[FollowUp]:
    """Every follow-up, for the Secretariat's list."""
    if not sees_all(user):
        raise PermissionDenied
    return FollowUp.objects.select_related("event", "course").order_by("-created_at")


def register_links() -> None:
    """Offer the follow-up page on the pages of events and courses, to those who manage them
    (called from CommunityConfig.ready(): events and learning never import community)."""
    for record_type in (Event.RECORD_TYPE, Course.RECORD_TYPE):
        register_record_action(
            record_type, gettext_lazy("Follow-up of the alumni"), "community:follow_up_set", manages, order=50
        )
    register_place(gettext_lazy("Follow-up of the alumni"), "community:follow_up_list", sees_all, order=90)
