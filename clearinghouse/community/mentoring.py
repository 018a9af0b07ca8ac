"""Mentoring: a mentee asks an alumnus or an expert to mentor them on a subject for a period.

pending → accepted (the mentor) or declined (the mentor) or withdrawn (the mentee: ended with a
reason) → active once either side writes the goals → completed or ended early (either side, with
a reason); once it is over, each side rates it once. Every step is one atomic service that checks
who acts and from which state, and e-mails the other side once the transaction commits
(mentoring_mail.py). Notes are seen by the two people only; the Secretariat counts relations
(statistics) but reads no goals or notes.
"""

from __future__ import annotations

import calendar
import hashlib
import time
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.community import alumni, mentoring_mail
from clearinghouse.community.models import (
    CLOSED_MENTORING,
    OPEN_MENTORING,
    Alumnus,
    Consent,
    MentoringNote,
    MentoringStatus,
    Mentorship,
)
from clearinghouse.support.models import Expert
from clearinghouse.vocabularies.models import Term

if TYPE_CHECKING:
    from clearinghouse.accounts.models import User

SUBJECTS = "subjects"
LONGEST_MONTHS = 12
TOPIC_LENGTH = 200
REQUEST_LENGTH = 3000
GOALS_LENGTH = 3000
NOTE_LENGTH = 5000
REASON_LENGTH = 500
COMMENT_LENGTH = 1000


class MentoringError(ValidationError):
    """A mentoring step refused for a reason the person can read and act on."""


# ---------------------------------------------------------------------------------------------
# Who


def can_mentor(person: Any) -> bool:
    """An alumnus with an account who consented to be kept in the network, or the person a
    live expert profile is about."""
    if person is None or not getattr(person, "pk", None) or not getattr(person, "is_active", False):
        return False
    return (
        Alumnus.objects.filter(person=person, consent=Consent.GIVEN).exists()
        or Expert.objects.filter(expert_user=person, live=True).exists()
    )


def full_name(person: Any) -> str:
    if person is None:
        return ""
    return str(person.get_full_name() or person.username)


def public_name(mentor: User) -> str:
    """The mentor's name as they let strangers see it: the directory's choice for an alumnus,
    the published profile for an expert who consented; otherwise no name at all."""
    alumnus = Alumnus.objects.filter(person=mentor, consent=Consent.GIVEN).first()
    if alumnus is not None and alumnus.in_directory and alumnus.shows_name:
        return full_name(mentor)
    expert = Expert.objects.filter(expert_user=mentor, live=True, consent_to_publish=True).first()
    if expert is not None:
        return expert.name or full_name(mentor)
    return ""


def name_for(mentorship: Mentorship, viewer: Any, person: User) -> str:
    """How ``person``, one side of the relation, is named to ``viewer``, the other. The mentee
    gave their name by asking; the mentor's shows once they accepted, as they allow it before."""
    accepted = mentorship.answered_at is not None and mentorship.status != MentoringStatus.DECLINED
    if person.pk == mentorship.mentee_id or accepted:
        return full_name(person)
    return public_name(person) or _("A mentor who keeps their name private")


def is_party(mentorship: Mentorship, person: Any) -> bool:
    """Whether ``person`` is the mentee or the mentor: nobody else reads the relation."""
    pk = getattr(person, "pk", None)
    return pk is not None and pk in (mentorship.mentee_id, mentorship.mentor_id)


def of(person: User) -> QuerySet[Mentorship]:
    """The relations the person is a side of."""
    return Mentorship.objects.filter(Q(mentee=person) | Q(mentor=person))


def other_side(mentorship: Mentorship, person: User) -> User:
    return mentorship.mentor if person.pk == mentorship.mentee_id else mentorship.mentee


def actions_for(mentorship: Mentorship, person: Any) -> set[str]:
    """The steps ``person`` may take now (the page shows these; the services decide again)."""
    if not is_party(mentorship, person):
        return set()
    mentee = person.pk == mentorship.mentee_id
    status = mentorship.status
    if status == MentoringStatus.PENDING:
        return {"withdraw"} if mentee else {"accept", "decline"}
    if status == MentoringStatus.ACCEPTED:
        return {"start", "end"}
    if status == MentoringStatus.ACTIVE:
        return {"note", "goals", "complete", "end"}
    rated = mentorship.mentee_rating if mentee else mentorship.mentor_rating
    if status in CLOSED_MENTORING and mentorship.started_at and rated is None:
        return {"rate"}
    return set()


# ---------------------------------------------------------------------------------------------
# Checks


def _refuse(message: str, code: str) -> MentoringError:
    return MentoringError(message, code=code)


def _one_open() -> MentoringError:
    return _refuse(
        _(
            "You already have an open mentoring relation with this person: it must be over "
            "before you ask again."
        ),
        "one_open",
    )


def _locked(mentorship: Mentorship) -> Mentorship:
    """The relation read again under a row lock, so two clicks cannot both move it."""
    return Mentorship.objects.select_for_update().select_related("mentee", "mentor").get(pk=mentorship.pk)


def _as_party(mentorship: Mentorship, actor: Any) -> None:
    if not is_party(mentorship, actor):
        raise _refuse(_("Only the mentee and the mentor take part in a mentoring relation."), "not_a_party")


def _as_mentor(mentorship: Mentorship, actor: Any) -> None:
    _as_party(mentorship, actor)
    if actor.pk != mentorship.mentor_id:
        raise _refuse(_("Only the mentor answers a request for mentoring."), "not_the_mentor")


def _as_mentee(mentorship: Mentorship, actor: Any) -> None:
    _as_party(mentorship, actor)
    if actor.pk != mentorship.mentee_id:
        raise _refuse(_("Only the mentee may withdraw their request."), "not_the_mentee")


def _in(mentorship: Mentorship, *statuses: str) -> None:
    if mentorship.status not in statuses:
        raise _refuse(
            _("This cannot be done now: the relation is “%(status)s”.")
            % {"status": mentorship.get_status_display()},
            "wrong_state",
        )


def _text(value: str, length: int, *, field: str, required: bool, missing: str) -> str:
    text = (value or "").strip()
    if required and not text:
        raise MentoringError({field: _refuse(missing, "required")})
    if len(text) > length:
        raise MentoringError(
            {field: _refuse(_("Keep it under %(length)s characters.") % {"length": length}, "too_long")}
        )
    return text


def months_later(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_period(starts_on: date | None, ends_on: date | None) -> None:
    """From today or later, until after it, for at most LONGEST_MONTHS months."""
    if starts_on is None or ends_on is None:
        raise MentoringError(_("Give the period: from and until."), code="period")
    if starts_on < timezone.localdate():
        raise MentoringError({"starts_on": _refuse(_("The period cannot start in the past."), "past")})
    if ends_on <= starts_on:
        raise MentoringError({"ends_on": _refuse(_("The end must come after the start."), "period")})
    if ends_on > months_later(starts_on, LONGEST_MONTHS):
        raise MentoringError(
            {
                "ends_on": _refuse(
                    _("A mentoring relation lasts %(months)s months at most.") % {"months": LONGEST_MONTHS},
                    "too_long",
                )
            }
        )


# ---------------------------------------------------------------------------------------------
# Rate limits: requests and notes, counted per person in a fixed window (as helpdesk/ratelimits)


def _limit_key(kind: str, person: User) -> tuple[str, int, int]:
    window = max(60, int(getattr(settings, "COMMUNITY_MENTORING_LIMIT_WINDOW", 3600)))
    limits = {
        "ask": int(getattr(settings, "COMMUNITY_MENTORING_ASKS_PER_WINDOW", 5)),
        "note": int(getattr(settings, "COMMUNITY_MENTORING_NOTES_PER_WINDOW", 30)),
    }
    digest = hashlib.sha256(str(person.pk).encode()).hexdigest()[:24]
    return f"community:mentoring:{kind}:{digest}:{int(time.time()) // window}", limits[kind], window


def _within_limit(kind: str, person: User) -> None:
    key, limit, _window = _limit_key(kind, person)
    if int(cache.get(key, 0)) >= limit:
        raise _refuse(_("Too many in a short time: please try again in an hour."), "rate_limited")


def _count(kind: str, person: User) -> None:
    key, _limit, window = _limit_key(kind, person)
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=window)


def _mail(step: str, mentorship: Mentorship, to: User, **extra: Any) -> None:
    transaction.on_commit(partial(mentoring_mail.send, step, mentorship.pk, to.pk, extra))


def _active(*people: User) -> None:
    for person in people:
        alumni.mark_active(person)


# ---------------------------------------------------------------------------------------------
# Steps


@transaction.atomic
def ask(
    mentee: User,
    mentor: User,
    *,
    topic: str,
    request: str,
    starts_on: date,
    ends_on: date,
    subject: Term | None = None,
) -> Mentorship:
    """The mentee asks the mentor; the mentor is told by e-mail."""
    if not getattr(mentee, "is_authenticated", False) or not mentee.pk:
        raise _refuse(_("Sign in to ask for mentoring."), "not_signed_in")
    if mentee.pk == mentor.pk:
        raise _refuse(_("You cannot be your own mentor."), "self")
    if not can_mentor(mentor):
        raise _refuse(_("This person does not take mentees on the platform."), "not_a_mentor")
    _within_limit("ask", mentee)
    topic = _text(topic, TOPIC_LENGTH, field="topic", required=True, missing=_("Say what it is about."))
    text = _text(
        request,
        REQUEST_LENGTH,
        field="request",
        required=True,
        missing=_("Tell the mentor why you ask them and what you hope for."),
    )
    check_period(starts_on, ends_on)
    if subject is not None and (subject.vocabulary.name != SUBJECTS or not subject.is_active):
        raise MentoringError({"subject": _refuse(_("Choose a subject from the list."), "subject")})
    if Mentorship.objects.filter(mentee=mentee, mentor=mentor, status__in=OPEN_MENTORING).exists():
        raise _one_open()
    try:
        with transaction.atomic():
            mentorship = Mentorship.objects.create(
                mentee=mentee,
                mentor=mentor,
                subject=subject,
                topic=topic,
                request=text,
                starts_on=starts_on,
                ends_on=ends_on,
            )
    except IntegrityError:  # the same request sent twice at once
        raise _one_open() from None
    _count("ask", mentee)
    _mail("asked", mentorship, mentor)
    return mentorship


@transaction.atomic
def accept(mentorship: Mentorship, actor: User) -> Mentorship:
    """The mentor accepts; the goals come next."""
    mentorship = _locked(mentorship)
    _as_mentor(mentorship, actor)
    _in(mentorship, MentoringStatus.PENDING)
    mentorship.status = MentoringStatus.ACCEPTED
    mentorship.answered_at = timezone.now()
    mentorship.save(update_fields=["status", "answered_at"])
    _active(mentorship.mentor, mentorship.mentee)
    _mail("accepted", mentorship, mentorship.mentee)
    return mentorship


@transaction.atomic
def decline(mentorship: Mentorship, actor: User, reason: str = "") -> Mentorship:
    """The mentor declines, saying why if they wish."""
    mentorship = _locked(mentorship)
    _as_mentor(mentorship, actor)
    _in(mentorship, MentoringStatus.PENDING)
    mentorship.decline_reason = _text(reason, REASON_LENGTH, field="reason", required=False, missing="")
    mentorship.status = MentoringStatus.DECLINED
    mentorship.answered_at = timezone.now()
    mentorship.save(update_fields=["status", "answered_at", "decline_reason"])
    _mail("declined", mentorship, mentorship.mentee)
    return mentorship


@transaction.atomic
def withdraw(mentorship: Mentorship, actor: User, reason: str = "") -> Mentorship:
    """The mentee takes back a request not yet answered (it ends, with their reason or a note
    that it was withdrawn)."""
    mentorship = _locked(mentorship)
    _as_mentee(mentorship, actor)
    _in(mentorship, MentoringStatus.PENDING)
    text = _text(reason, REASON_LENGTH, field="reason", required=False, missing="")
    mentorship.end_reason = text or _("The mentee withdrew the request.")
    mentorship.status = MentoringStatus.ENDED
    mentorship.finished_at = timezone.now()
    mentorship.save(update_fields=["status", "end_reason", "finished_at"])
    _mail("withdrawn", mentorship, mentorship.mentor)
    return mentorship


@transaction.atomic
def start(mentorship: Mentorship, actor: User, goals: str) -> Mentorship:
    """Either side writes the goals they agreed: the relation is under way."""
    mentorship = _locked(mentorship)
    _as_party(mentorship, actor)
    _in(mentorship, MentoringStatus.ACCEPTED)
    mentorship.goals = _text(
        goals, GOALS_LENGTH, field="goals", required=True, missing=_("Write the goals you agreed on.")
    )
    mentorship.status = MentoringStatus.ACTIVE
    mentorship.started_at = timezone.now()
    mentorship.save(update_fields=["status", "goals", "started_at"])
    _active(mentorship.mentor, mentorship.mentee)
    _mail("started", mentorship, other_side(mentorship, actor), actor=actor.pk)
    return mentorship


@transaction.atomic
def revise_goals(mentorship: Mentorship, actor: User, goals: str) -> Mentorship:
    """Either side rewrites the goals of a relation under way (no e-mail: the page shows them)."""
    mentorship = _locked(mentorship)
    _as_party(mentorship, actor)
    _in(mentorship, MentoringStatus.ACTIVE)
    mentorship.goals = _text(
        goals, GOALS_LENGTH, field="goals", required=True, missing=_("Write the goals you agreed on.")
    )
    mentorship.save(update_fields=["goals"])
    return mentorship


@transaction.atomic
def note(mentorship: Mentorship, actor: User, body: str) -> MentoringNote:
    """A note on a relation under way, for the two people only; the other side is told."""
    mentorship = _locked(mentorship)
    _as_party(mentorship, actor)
    _in(mentorship, MentoringStatus.ACTIVE)
    _within_limit("note", actor)
    text = _text(body, NOTE_LENGTH, field="body", required=True, missing=_("Write the note."))
    written = MentoringNote.objects.create(mentorship=mentorship, author=actor, body=text)
    _count("note", actor)
    _active(mentorship.mentor, mentorship.mentee)
    _mail("noted", mentorship, other_side(mentorship, actor), actor=actor.pk)
    return written


@transaction.atomic
def complete(mentorship: Mentorship, actor: User) -> Mentorship:
    """Either side closes a relation under way as completed; both may rate it then."""
    mentorship = _locked(mentorship)
    _as_party(mentorship, actor)
    _in(mentorship, MentoringStatus.ACTIVE)
    mentorship.status = MentoringStatus.COMPLETED
    mentorship.finished_at = timezone.now()
    mentorship.save(update_fields=["status", "finished_at"])
    _active(mentorship.mentor, mentorship.mentee)
    _mail("completed", mentorship, other_side(mentorship, actor), actor=actor.pk)
    return mentorship


@transaction.atomic
def end(mentorship: Mentorship, actor: User, reason: str) -> Mentorship:
    """Either side ends an accepted or active relation early, saying why."""
    mentorship = _locked(mentorship)
    _as_party(mentorship, actor)
    _in(mentorship, MentoringStatus.ACCEPTED, MentoringStatus.ACTIVE)
    mentorship.end_reason = _text(
        reason, REASON_LENGTH, field="reason", required=True, missing=_("Say why it ends early.")
    )
    mentorship.status = MentoringStatus.ENDED
    mentorship.finished_at = timezone.now()
    mentorship.save(update_fields=["status", "end_reason", "finished_at"])
    _mail("ended", mentorship, other_side(mentorship, actor), actor=actor.pk)
    return mentorship


@transaction.atomic
def rate(mentorship: Mentorship, actor: User, rating: int, comment: str = "") -> Mentorship:
    """One side rates a relation that is over (1 to 5, a comment if they wish), once."""
    mentorship = _locked(mentorship)
    _as_party(mentorship, actor)
    if mentorship.status in OPEN_MENTORING:
        raise _refuse(_("A mentoring relation is rated once it is over."), "still_open")
    if mentorship.started_at is None:
        raise _refuse(_("This relation never started: there is nothing to rate."), "never_started")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise MentoringError({"rating": _refuse(_("Give a rating from 1 to 5."), "rating")})
    text = _text(comment, COMMENT_LENGTH, field="comment", required=False, missing="")
    side = "mentee" if actor.pk == mentorship.mentee_id else "mentor"
    if getattr(mentorship, f"{side}_rating") is not None:
        raise _refuse(_("You already rated this relation; a rating cannot be changed."), "rated")
    setattr(mentorship, f"{side}_rating", rating)
    setattr(mentorship, f"{side}_comment", text)
    mentorship.save(update_fields=[f"{side}_rating", f"{side}_comment"])
    return mentorship
