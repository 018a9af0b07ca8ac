"""Participants' ratings: 1 to 5 stars and an optional comment, one per person and item,
given only by those who took part in it, changeable and removable by themselves.

Who took part in what:

- an event (EVENT): a registration of theirs that was checked in at the desk;
- a course (COURSE): an enrolment of theirs that is not withdrawn;
- a resource (RES): they downloaded it while signed in (a ``Use`` row, written when
  ``record_downloaded`` is sent);
- a provider's offer (OFFER): they act for the requester of a completed match with it;
- a cooperation (matchmaking): they act for the requester or the provider of its match, once the
  match is completed (its outcome reported).

The stars of every rating count in the averages; a comment reported as abusive may be hidden by
quality staff (``items.runs_quality``), and is then shown as hidden by the moderators. A record's
average is a search facet (``facets``): a rating that changes it re-indexes the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clearinghouse.accounts.models import Appointment, User
from clearinghouse.core.languages import CONTENT_LANGUAGES, content_language
from clearinghouse.events.models import Registration
from clearinghouse.geo.models import Country
from clearinghouse.learning.models import Enrolment, EnrolmentStatus
from clearinghouse.matchmaking import sides
from clearinghouse.matchmaking.models import Cooperation, Match, MatchState
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record
from clearinghouse.publishing.signals import announce_change
from clearinghouse.quality.items import RATED_TYPES, runs_quality
from clearinghouse.quality.models import Rating, RatingReport, Use
from clearinghouse.support.models import Offer

MAX_COMMENT = 2000
STARS = range(1, 6)
# The search facet: a record carries every threshold its average reaches ("4+" and "3+" for 4.2),
# so that choosing "3 stars and up" finds the records rated 4 too.
FACET = "rating"
THRESHOLDS = (4, 3, 2)
RATED = "rated"

NOT_PARTICIPANT: Mapping[str, Any] = {
    "EVENT": _("Only participants who were checked in at this event can rate it."),
    "COURSE": _("Only learners enrolled in this course can rate it."),
    "RES": _("Only people who downloaded this resource while signed in can rate it."),
    "OFFER": _("Only the requesters of a completed cooperation with this offer can rate it."),
}


# --- who took part --------------------------------------------------------------------------------


def _signed_in(person: Any) -> bool:
    return person is not None and bool(getattr(person, "is_authenticated", False)) and person.is_active


def _offer_cooperations(person: Any, identifier: str) -> bool:
    completed = Match.objects.filter(
        support_identifier=identifier, state=MatchState.COMPLETED
    ).select_related("case__request", "case__need")
    return any(sides.acts_for_requester(person, match.case) for match in completed)


def took_part(person: Any, record: Record) -> bool:
    """Whether this person took part in the record, as its type says (see the module)."""
    if not _signed_in(person):
        return False
    identifier, record_type = record.identifier, record.RECORD_TYPE
    if record_type == "EVENT":
        return Registration.objects.filter(
            event__identifier=identifier, person=person, checked_in_at__isnull=False
        ).exists()
    if record_type == "COURSE":
        return (
            Enrolment.objects.filter(course__identifier=identifier, person=person)
            .exclude(status=EnrolmentStatus.WITHDRAWN)
            .exists()
        )
    if record_type == "RES":
        return Use.objects.filter(identifier=identifier, person=person).exists()
    if record_type == "OFFER":
        return _offer_cooperations(person, identifier)
    return False


def is_completed(cooperation: Cooperation) -> bool:
    return cooperation.match.state == MatchState.COMPLETED


def side_of(person: Any, cooperation: Cooperation) -> bool:
    """Whether the person acts for the requester or the provider of the cooperation."""
    match = cooperation.match
    return _signed_in(person) and (
        sides.acts_for_requester(person, match.case) or sides.acts_for_provider(person, match)
    )


def may_rate_record(person: Any, record: Record) -> bool:
    return record.RECORD_TYPE in RATED_TYPES and record.live and took_part(person, record)


def may_rate_cooperation(person: Any, cooperation: Cooperation) -> bool:
    return is_completed(cooperation) and side_of(person, cooperation)


def cooperations_to_rate(person: Any) -> list[Cooperation]:
    """The completed cooperations this person is a side of (rated or not), newest first."""
    if not _signed_in(person):
        return []
    matches = Match.objects.filter(sides.matches_of(person), state=MatchState.COMPLETED)
    found = (
        Cooperation.objects.filter(match__in=matches)
        .select_related(
            "match__case__request",
            "match__case__need",
            "match__support_owner_country",
            "match__support_owner_organisation",
        )
        .order_by("-match__changed_at", "-pk")
    )
    return [cooperation for cooperation in found if side_of(person, cooperation)]


# --- the rater's Party ---------------------------------------------------------------------------


def rater_country(person: User) -> Country | None:
    """The rater's Party: their own country, else that of a role of theirs (a Party's, or an
    organisation's country)."""
    if person.country_id is not None:
        return person.country
    appointments = Appointment.objects.filter(user=person, ended_at__isnull=True).select_related(
        "country", "organisation__country"
    )
    for appointment in appointments.order_by("pk"):
        if appointment.country is not None:
            return appointment.country
        if appointment.organisation is not None and appointment.organisation.country is not None:
            return appointment.organisation.country
    if person.organisation_id is not None and person.organisation is not None:
        return person.organisation.country
    return None


# --- giving, changing and removing a rating ------------------------------------------------------


def _checked(stars: Any, comment: str) -> tuple[int, str]:
    problems: dict[str, Any] = {}
    if not isinstance(stars, int) or isinstance(stars, bool) or stars not in STARS:
        problems["stars"] = _("Give from 1 to 5 stars.")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        problems["comment"] = _("The comment may have at most 2,000 characters.")
    if problems:
        raise ValidationError(problems, code="invalid")
    return int(stars), comment


def _language(language: str, person: User) -> str:
    code = content_language(language or person.preferred_language or "en")
    return code if code in CONTENT_LANGUAGES else ""


def _reindex(identifier: str) -> None:
    model = registry.model_for_identifier(identifier)
    if model is not None:
        announce_change(model, [identifier])


_TWICE = _("You have already rated this: change your rating instead.")


@transaction.atomic
def rate_record(record: Record, *, person: User, stars: int, comment: str = "", language: str = "") -> Rating:
    """A first rating of a record by a person who took part in it. A second one is refused:
    the person changes theirs (``change``)."""
    stars, comment = _checked(stars, comment)
    if record.RECORD_TYPE not in RATED_TYPES:
        raise ValidationError(_("Records of this type are not rated."), code="not_rated")
    if not record.live:
        raise ValidationError(_("Only published items can be rated."), code="not_published")
    if not took_part(person, record):
        raise PermissionDenied(NOT_PARTICIPANT[record.RECORD_TYPE])
    if Rating.objects.filter(identifier=record.identifier, person=person).exists():
        raise ValidationError(_TWICE, code="twice")
    now = timezone.now()
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                identifier=record.identifier,
                record_type=record.RECORD_TYPE,
                person=person,
                stars=stars,
                comment=comment,
                language=_language(language, person),
                created_at=now,
                updated_at=now,
                country=rater_country(person),
            )
    except IntegrityError:
        # Rated at the same moment in another request (a double click).
        raise ValidationError(_TWICE, code="twice") from None
    _reindex(record.identifier)
    return rating


@transaction.atomic
def rate_cooperation(
    cooperation: Cooperation, *, person: User, stars: int, comment: str = "", language: str = ""
) -> Rating:
    """A first rating of a completed cooperation by a person who acts for one of its sides."""
    stars, comment = _checked(stars, comment)
    if not side_of(person, cooperation):
        raise PermissionDenied(
            _("Only the people who act for the requester or the provider can rate this cooperation.")
        )
    if not is_completed(cooperation):
        raise ValidationError(
            _("A cooperation can be rated once it is completed and its outcome reported."),
            code="not_completed",
        )
    if Rating.objects.filter(cooperation=cooperation, person=person).exists():
        raise ValidationError(_TWICE, code="twice")
    now = timezone.now()
    try:
        with transaction.atomic():
            return Rating.objects.create(
                cooperation=cooperation,
                person=person,
                stars=stars,
                comment=comment,
                language=_language(language, person),
                created_at=now,
                updated_at=now,
                country=rater_country(person),
            )
    except IntegrityError:
        raise ValidationError(_TWICE, code="twice") from None


def _own(rating: Rating, person: Any) -> Rating:
    locked = Rating.objects.select_for_update().filter(pk=rating.pk).first()
    if locked is None:
        raise ValidationError(_("This rating no longer exists."), code="gone")
    if not _signed_in(person) or locked.person_id != person.pk:
        raise PermissionDenied(_("Only the person who gave a rating can change or remove it."))
    return locked


@transaction.atomic
def change(rating: Rating, *, person: User, stars: int, comment: str = "", language: str = "") -> Rating:
    """The rater changes their stars or comment. A changed comment is shown again (a hidden one
    was hidden for what it said), and the reports of the old one are closed."""
    stars, comment = _checked(stars, comment)
    rating = _own(rating, person)
    stars_changed = rating.stars != stars
    if comment != rating.comment:
        rating.comment_hidden = False
        rating.hidden_reason = ""
        rating.hidden_by = None
        RatingReport.objects.filter(rating=rating, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
        rating.language = _language(language, person)
    rating.stars = stars
    rating.comment = comment
    rating.updated_at = timezone.now()
    rating.save()
    if stars_changed and rating.identifier:
        _reindex(rating.identifier)
    return rating


@transaction.atomic
def remove(rating: Rating, *, person: User) -> None:
    """The rater takes their rating back."""
    rating = _own(rating, person)
    identifier = rating.identifier
    rating.delete()
    if identifier:
        _reindex(identifier)


# --- reports and moderation -----------------------------------------------------------------------


@transaction.atomic
def report(rating: Rating, *, person: User, reason: str) -> RatingReport:
    """A signed-in person says a rating's comment is abusive: once per person and rating."""
    if not _signed_in(person):
        raise PermissionDenied(_("Sign in to report a comment."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is abusive in the comment.")}, code="reason")
    if len(reason) > 500:
        raise ValidationError({"reason": _("The reason may have at most 500 characters.")}, code="reason")
    if not rating.comment:
        raise ValidationError(_("This rating has no comment to report."), code="no_comment")
    if rating.person_id == person.pk:
        raise ValidationError(_("You cannot report your own rating: change it instead."), code="own")
    if RatingReport.objects.filter(rating=rating, reported_by=person).exists():
        raise ValidationError(_("You have already reported this comment."), code="twice")
    try:
        with transaction.atomic():
            return RatingReport.objects.create(rating=rating, reported_by=person, reason=reason)
    except IntegrityError:
        raise ValidationError(_("You have already reported this comment."), code="twice") from None


def _require_moderator(person: Any) -> None:
    if not runs_quality(person):
        raise PermissionDenied(_("Only the Secretariat and the help desk moderate ratings."))


@transaction.atomic
def hide(rating: Rating, *, person: User, reason: str) -> Rating:
    """Quality staff hide a comment: its stars still count; its open reports are resolved."""
    _require_moderator(person)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the comment is hidden.")}, code="reason")
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    rating.comment_hidden = True
    rating.hidden_reason = reason[:500]
    rating.hidden_by = person
    rating.save(update_fields=["comment_hidden", "hidden_reason", "hidden_by"])
    RatingReport.objects.filter(rating=rating, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=person
    )
    return rating


@transaction.atomic
def show_again(rating: Rating, *, person: User) -> Rating:
    """Quality staff show a hidden comment again (hidden by mistake)."""
    _require_moderator(person)
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    rating.comment_hidden = False
    rating.hidden_reason = ""
    rating.hidden_by = None
    rating.save(update_fields=["comment_hidden", "hidden_reason", "hidden_by"])
    return rating


@transaction.atomic
def dismiss(rating: Rating, *, person: User) -> int:
    """Quality staff find nothing abusive: the open reports of the rating are resolved, the
    comment stays. Returns how many reports were resolved."""
    _require_moderator(person)
    return RatingReport.objects.filter(rating=rating, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=person
    )


def reported(person: Any) -> QuerySet[Rating]:
    """The ratings with open reports, most reported first, for the moderators."""
    _require_moderator(person)
    return (
        Rating.objects.filter(reports__resolved_at__isnull=True)
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .select_related("cooperation__match")
        .order_by("-open_reports", "-updated_at")
    )


# --- uses of resources ---------------------------------------------------------------------------


def note_use(identifier: str, person: Any) -> None:
    """Keep that a signed-in person downloaded a record (once: the first time)."""
    if not _signed_in(person) or Use.objects.filter(identifier=identifier, person=person).exists():
        return
    try:
        with transaction.atomic():
            Use.objects.create(identifier=identifier, person=person)
    except IntegrityError:
        pass  # downloaded twice at once: the other request kept it


def record_downloaded(sender: Any, record: Record, person: Any, **kwargs: Any) -> None:
    """Receiver of ``publishing.signals.record_downloaded``: resources only are rated by use."""
    if record.RECORD_TYPE == "RES":
        note_use(record.identifier, person)


# --- averages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """The stars given to an item: how many ratings, their average, and how many gave each."""

    count: int = 0
    average: float | None = None
    by_stars: Mapping[int, int] = field(default_factory=dict)

    @property
    def rounded(self) -> float | None:
        return round(self.average, 1) if self.average is not None else None

    @property
    def bars(self) -> list[tuple[int, int, int]]:
        """(stars, ratings, percentage of the ratings), from 5 stars down."""
        return [
            (stars, self.by_stars.get(stars, 0), round(100 * self.by_stars.get(stars, 0) / self.count))
            for stars in reversed(STARS)
            if self.count
        ]


def _summarise(ratings: QuerySet[Rating], key: str) -> dict[Any, Summary]:
    rows = ratings.values(key, "stars").annotate(n=Count("pk")).order_by()
    counts: dict[Any, dict[int, int]] = {}
    for row in rows:
        counts.setdefault(row[key], {})[row["stars"]] = row["n"]
    found = {}
    for value, by_stars in counts.items():
        total = sum(by_stars.values())
        average = sum(stars * n for stars, n in by_stars.items()) / total
        found[value] = Summary(total, average, by_stars)
    return found


def summaries(identifiers: Iterable[str]) -> dict[str, Summary]:
    """The summaries of many records' ratings, in one query (records without any left out)."""
    wanted = list(dict.fromkeys(identifiers))
    if not wanted:
        return {}
    return _summarise(Rating.objects.filter(identifier__in=wanted), "identifier")


def summary(identifier: str) -> Summary:
    return summaries([identifier]).get(identifier, Summary())


def cooperation_summary(cooperation: Cooperation) -> Summary:
    return _summarise(Rating.objects.filter(cooperation=cooperation), "cooperation").get(
        cooperation.pk, Summary()
    )


def overall(ratings: QuerySet[Rating]) -> Summary:
    """One summary of every rating of a set (a provider's offers and cooperations together)."""
    aggregated = ratings.aggregate(average=Avg("stars"), count=Count("pk"))
    if not aggregated["count"]:
        return Summary()
    by_stars = dict(ratings.values_list("stars").annotate(n=Count("pk")).order_by())
    return Summary(aggregated["count"], float(aggregated["average"]), by_stars)


def of_record(identifier: str) -> QuerySet[Rating]:
    return Rating.objects.filter(identifier=identifier).select_related("person").order_by("-updated_at", "pk")


def of_cooperation(cooperation: Cooperation) -> QuerySet[Rating]:
    return (
        Rating.objects.filter(cooperation=cooperation).select_related("person").order_by("-updated_at", "pk")
    )


def own_rating(person: Any, *, identifier: str = "", cooperation: Cooperation | None = None) -> Rating | None:
    if not _signed_in(person):
        return None
    if cooperation is not None:
        return Rating.objects.filter(cooperation=cooperation, person=person).first()
    return Rating.objects.filter(identifier=identifier, person=person).first()


# --- a provider's ratings ------------------------------------------------------------------------


def of_provider(organisation_id: int | None) -> QuerySet[Rating]:
    """The ratings of a provider: of its offers (it provides them or owns them) and of the
    cooperations in which it gave the support."""
    if organisation_id is None:
        return Rating.objects.none()
    offers = Offer.objects.filter(
        Q(provider_id=organisation_id) | Q(owner_organisation_id=organisation_id)
    ).values("identifier")
    return Rating.objects.filter(
        Q(identifier__in=offers) | Q(cooperation__match__support_owner_organisation_id=organisation_id)
    )


# --- the search facet ----------------------------------------------------------------------------


def facet_values(average: float) -> list[str]:
    """The facet's values for an average: each threshold it reaches, and "rated"."""
    return [f"{threshold}+" for threshold in THRESHOLDS if average >= threshold] + [RATED]


def facets(identifiers: Sequence[str]) -> dict[str, dict[str, list[str]]]:
    """The rating facet of many records (a ``publishing.registry`` facet contributor): one query
    for all of them; records without ratings have none."""
    rows = (
        Rating.objects.filter(identifier__in=list(identifiers))
        .values("identifier")
        .annotate(average=Avg("stars"))
        .order_by()
    )
    return {row["identifier"]: {FACET: facet_values(float(row["average"]))} for row in rows}


FACET_TITLE = _("Participants' rating")
FACET_CHOICES: Mapping[str, Any] = {
    "4+": _("4 stars and up"),
    "3+": _("3 stars and up"),
    "2+": _("2 stars and up"),
    RATED: _("Rated by participants"),
}
