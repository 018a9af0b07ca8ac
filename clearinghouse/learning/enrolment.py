"""Who studies a course, and when: self-enrolment, invitations, cohorts with dates, cohorts tied
to an event, withdrawal. Views parse and render; these functions decide.

A learner studies in one of the course's complete languages (``Course.languages``) and may give,
with consent, the facts the plan's indicators are disaggregated by; a later enrolment starts from
the facts given at the previous one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import User
from clearinghouse.core.languages import content_language
from clearinghouse.events.models import Event, RegistrationStatus
from clearinghouse.geo.models import Country
from clearinghouse.learning import progress
from clearinghouse.learning.models import (
    Cohort,
    Course,
    Enrolment,
    EnrolmentMethod,
    EnrolmentStatus,
    Invitation,
)
from clearinghouse.support.permissions import can_edit

# More addresses than this in one go is a mailing list, not an invitation.
MAX_INVITATIONS = 200


@dataclass(frozen=True)
class Profile:
    """What statistics may count about a learner: only with their consent."""

    consents: bool = False
    country: Country | None = None
    gender: str = ""
    represents_iplc: bool = False
    sector: str = ""
    job_role: str = ""


# --- who may do what --------------------------------------------------------------------------


def teaches(user: Any, course: Course) -> bool:
    """Invite, make cohorts and follow the learners of a course: the Secretariat, the people who
    may change the course's record, and the trainer who wrote it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if roles.is_secretariat(user) or can_edit(user, course):
        return True
    return bool(course.created_by_id == user.pk and user.has_perm("learning.author_courses"))


def _require_teacher(actor: User, course: Course) -> None:
    if not teaches(actor, course):
        raise PermissionDenied(_("Only the course's trainers manage who studies it."))


def has_enrolments(user: Any) -> bool:
    """Whether "My learning" has anything for the person (read once per request: the header
    asks it)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached: bool | None = getattr(user, "_has_course_enrolments", None)
    if cached is None:
        # One query, for the header of every page.
        invited = Invitation.objects.filter(
            email__iexact=user.email or "-", accepted_at__isnull=True, course__live=True
        )
        cached = (
            User.objects.filter(pk=user.pk)
            .filter(Exists(Enrolment.objects.filter(person=user)) | Exists(invited))
            .exists()
        )
        user._has_course_enrolments = cached
    return cached


# --- languages and profile ----------------------------------------------------------------------


def language_for(course: Course, *preferred: str | None) -> str:
    """The first of the ``preferred`` interface or content languages the course can be studied
    in, else the course's first complete language."""
    available = list(course.languages)
    for language in preferred:
        if language and (code := content_language(language)) in available:
            return code
    return available[0] if available else course.original_language or "en"


def previous_profile(person: User) -> Profile:
    """The facts the person consented to give at their latest enrolment (to prefill a new one)."""
    latest = (
        Enrolment.objects.filter(person=person, consents_to_statistics=True)
        .select_related("country")
        .order_by("-enrolled_at", "-pk")
        .first()
    )
    if latest is None:
        return Profile()
    return Profile(
        consents=True,
        country=latest.country,
        gender=latest.gender,
        represents_iplc=latest.represents_iplc,
        sector=latest.sector,
        job_role=latest.job_role,
    )


def _apply_profile(enrolment: Enrolment, profile: Profile) -> None:
    # Without consent nothing is kept, not even what an earlier enrolment held.
    given = profile if profile.consents else Profile()
    enrolment.consents_to_statistics = given.consents
    enrolment.country = given.country
    enrolment.gender = given.gender
    enrolment.represents_iplc = given.represents_iplc
    enrolment.sector = given.sector
    enrolment.job_role = given.job_role[:120]


# --- enrolling ----------------------------------------------------------------------------------


def closed_reason(course: Course) -> str:
    """Why nobody can enrol in the course now; empty when they can."""
    if not course.live:
        return _("This course is not published: nobody can enrol in it.")
    if not course.languages:
        return _("This course cannot be studied yet: no language version of it is complete.")
    return ""


def enrolment_of(course: Course, person: Any) -> Enrolment | None:
    if not getattr(person, "is_authenticated", False):
        return None
    return Enrolment.objects.filter(course=course, person=person).select_related("cohort").first()


@transaction.atomic
def enrol(
    course: Course,
    person: User,
    *,
    language: str | None = None,
    profile: Profile | None = None,
    method: EnrolmentMethod = EnrolmentMethod.SELF,
    cohort: Cohort | None = None,
    at: datetime | None = None,
) -> Enrolment:
    """Enrol ``person`` in ``course``, or enrol them again after they withdrew (by themselves:
    in the way and cohort they first came). Someone already studying it keeps their enrolment
    as it is. ValidationError when the course is closed, is
    open by invitation only, or cannot be studied in ``language``."""
    reason = closed_reason(course)
    if reason:
        raise ValidationError(reason, code="closed")
    existing = Enrolment.objects.select_for_update().filter(course=course, person=person).first()
    # Someone who withdrew was admitted once: they come back whatever the course's setting.
    if method == EnrolmentMethod.SELF and not course.self_enrolment and existing is None:
        raise ValidationError(
            _("This course is open by invitation only: ask its trainers to invite you."),
            code="invitation_only",
        )
    if cohort is not None and cohort.course_id != course.pk:
        raise ValidationError(_("This cohort belongs to another course."), code="cohort")
    language = language or language_for(course, person.preferred_language)
    if language not in course.languages:
        raise ValidationError(
            {"language": _("This course cannot be studied in that language.")}, code="language"
        )
    now = at or timezone.now()
    if existing is not None and existing.status != EnrolmentStatus.WITHDRAWN:
        if cohort is not None and existing.cohort_id is None:
            existing.cohort = cohort
            existing.save(update_fields=["cohort"])
        return existing
    enrolment = existing or Enrolment(course=course, person=person)
    enrolment.status = EnrolmentStatus.ACTIVE
    enrolment.completed_at = None
    enrolment.passed = None
    if existing is None or method != EnrolmentMethod.SELF:
        enrolment.method = method
        enrolment.cohort = cohort
    enrolment.language = language
    enrolment.enrolled_at = now
    _apply_profile(enrolment, profile if profile is not None else previous_profile(person))
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        # Enrolled twice at once (a double click): the other request's enrolment stands.
        if existing is not None:
            raise
        return Enrolment.objects.get(course=course, person=person)
    person.__dict__.pop("_has_course_enrolments", None)
    if existing is not None:
        progress.check_completion(enrolment, at=now)
    return enrolment


@transaction.atomic
def change_language(enrolment: Enrolment, language: str) -> Enrolment:
    if language not in enrolment.course.languages:
        raise ValidationError(_("This course cannot be studied in that language."), code="language")
    enrolment.language = language
    enrolment.save(update_fields=["language"])
    return enrolment


@transaction.atomic
def withdraw(enrolment: Enrolment) -> Enrolment:
    """The learner stops studying; their progress is kept should they enrol again."""
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if locked.status == EnrolmentStatus.COMPLETED:
        raise ValidationError(_("You completed this course: there is nothing to withdraw from."), code="done")
    if locked.status == EnrolmentStatus.WITHDRAWN:
        raise ValidationError(_("You already withdrew from this course."), code="withdrawn")
    locked.status = EnrolmentStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    # The caller's object says so too.
    enrolment.status = locked.status
    return locked


# --- when a learner may study ------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """Whether the learner may study now: ``opens_on`` is set before a cohort starts,
    ``read_only`` after it ended or once they withdrew."""

    open: bool
    opens_on: date | None = None
    read_only: bool = False
    reason: str = ""


def window(enrolment: Enrolment, today: date | None = None) -> Window:
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        return Window(False, read_only=True, reason=_("You withdrew from this course."))
    cohort = enrolment.cohort
    if cohort is None:
        return Window(True)
    today = today or timezone.localdate()
    if today < cohort.starts_on:
        return Window(
            False,
            opens_on=cohort.starts_on,
            reason=_("Your cohort starts studying on %(date)s.") % {"date": date_format(cohort.starts_on)},
        )
    if today > cohort.ends_on:
        return Window(
            False,
            read_only=True,
            reason=_("Your cohort ended on %(date)s: you can read the course, no longer answer or progress.")
            % {"date": date_format(cohort.ends_on)},
        )
    return Window(True)


def check_may_study(enrolment: Enrolment, today: date | None = None) -> None:
    """ValidationError unless the learner may make progress now."""
    now = window(enrolment, today)
    if not now.open:
        raise ValidationError(now.reason, code="window")


# --- cohorts ------------------------------------------------------------------------------------


@transaction.atomic
def create_cohort(
    course: Course, *, actor: User, name: str, starts_on: date, ends_on: date, event: Event | None = None
) -> Cohort:
    _require_teacher(actor, course)
    name = name.strip()
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = _("Give the cohort a name.")
    elif course.cohorts.filter(name__iexact=name).exists():
        problems["name"] = _("This course already has a cohort of that name.")
    if ends_on < starts_on:
        problems["ends_on"] = _("A cohort ends on or after the day it starts.")
    if event is not None and not event.live:
        problems["event"] = _("Only a published event can fill a cohort.")
    if problems:
        raise ValidationError(problems)
    return Cohort.objects.create(course=course, name=name, starts_on=starts_on, ends_on=ends_on, event=event)


@transaction.atomic
def enrol_event_participants(cohort: Cohort, *, at: datetime | None = None) -> int:
    """Enrol in ``cohort`` the confirmed participants of its event who have an account; return
    how many were enrolled now. People studying already are left as they are, and people who
    withdrew are not enrolled again: running it twice enrols nobody twice."""
    event = cohort.event
    course = cohort.course
    if event is None or closed_reason(course):
        return 0
    known = set(Enrolment.objects.filter(course=course).values_list("person_id", flat=True))
    registrations = (
        event.registrations.filter(status=RegistrationStatus.CONFIRMED, person__isnull=False)
        .exclude(person_id__in=known)
        .select_related("person")
        .order_by("pk")
    )
    enrolled = 0
    for registration in registrations:
        person = registration.person
        if person is None:  # filtered out above; narrows the type
            continue
        enrol(
            course,
            person,
            language=language_for(course, person.preferred_language, registration.language),
            method=EnrolmentMethod.EVENT,
            cohort=cohort,
            at=at,
        )
        enrolled += 1
    return enrolled


def event_cohorts_to_fill(today: date | None = None) -> QuerySet[Cohort]:
    """Cohorts tied to an event, of published courses, that have not ended."""
    today = today or timezone.localdate()
    return Cohort.objects.filter(event__isnull=False, ends_on__gte=today, course__live=True).select_related(
        "course", "event"
    )


# --- invitations --------------------------------------------------------------------------------


def parse_addresses(text: str) -> list[str]:
    """E-mail addresses separated by commas, semicolons, spaces or lines, each once. ValidationError
    naming the ones that are not addresses."""
    found: list[str] = []
    bad: list[str] = []
    for raw in text.replace(",", " ").replace(";", " ").split():
        address = raw.strip().strip("<>").lower()
        try:
            validate_email(address)
        except ValidationError:
            bad.append(raw[:80])
            continue
        if address not in found:
            found.append(address)
    if bad:
        raise ValidationError(
            _("These are not e-mail addresses: %(addresses)s") % {"addresses": ", ".join(bad[:10])},
            code="addresses",
        )
    if not found:
        raise ValidationError(_("Give at least one e-mail address."), code="no_addresses")
    if len(found) > MAX_INVITATIONS:
        raise ValidationError(
            _("Invite at most %(count)d people at a time.") % {"count": MAX_INVITATIONS}, code="too_many"
        )
    return found


@transaction.atomic
def invite(
    course: Course, *, actor: User, emails: Iterable[str], cohort: Cohort | None = None, language: str
) -> list[Invitation]:
    """Invite people by e-mail; each gets a link to accept in their language (their account's,
    else ``language``). Addresses with an invitation still pending are not invited again."""
    from clearinghouse.learning import enrolment_mail

    _require_teacher(actor, course)
    reason = closed_reason(course)
    if reason:
        raise ValidationError(reason, code="closed")
    if cohort is not None and cohort.course_id != course.pk:
        raise ValidationError(_("This cohort belongs to another course."), code="cohort")
    addresses = list(dict.fromkeys(email.strip().lower() for email in emails))
    pending = set(
        course.invitations.filter(accepted_at__isnull=True, email__in=addresses).values_list(
            "email", flat=True
        )
    )
    created = [
        Invitation.objects.create(course=course, email=email, cohort=cohort, invited_by=actor)
        for email in addresses
        if email not in pending
    ]
    for invitation in created:
        transaction.on_commit(partial(enrolment_mail.invited, invitation, language))
    return created


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link names. ValidationError for an unknown or already used link."""
    invitation = Invitation.objects.select_related("course", "cohort").filter(token=token[:32]).first()
    if invitation is None:
        raise ValidationError(
            _("This invitation link is not valid. Ask the course's trainers for a new one."), code="unknown"
        )
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already used."), code="used")
    return invitation


@transaction.atomic
def accept(
    invitation: Invitation,
    person: User,
    *,
    language: str | None = None,
    profile: Profile | None = None,
    at: datetime | None = None,
) -> Enrolment:
    """Enrol the signed-in ``person`` by the invitation; a link works once."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("course", "cohort")
        .get(pk=invitation.pk)
    )
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already used."), code="used")
    now = at or timezone.now()
    enrolment = enrol(
        invitation.course,
        person,
        language=language,
        profile=profile,
        method=EnrolmentMethod.INVITATION,
        cohort=invitation.cohort,
        at=now,
    )
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_at"])
    return enrolment


def addresses_of(person: User) -> list[str]:
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(user=person, verified=True).values_list("email", flat=True)
    return sorted({address.lower() for address in (*verified, person.email) if address})


def pending_invitations(person: User) -> QuerySet[Invitation]:
    """Invitations to the person's addresses not yet accepted, to published courses they do not
    study already."""
    addresses = addresses_of(person)
    if not addresses:
        return Invitation.objects.none()
    wanted = Q()
    for address in addresses:
        wanted |= Q(email__iexact=address)
    studying = Enrolment.objects.filter(person=person).exclude(status=EnrolmentStatus.WITHDRAWN)
    return (
        Invitation.objects.filter(wanted, accepted_at__isnull=True, course__live=True)
        .exclude(course__in=studying.values("course"))
        .select_related("course", "cohort")
        .order_by("-created_at")
    )
