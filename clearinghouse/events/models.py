"""Events, trainings and matchmaking round tables (activities 5, 11, 82–83 of the plan).

An event is a published record like the others: its description goes through the publishing
workflow. What happens around it is operational and changes without review: who registered
(with the facts the plan's indicators are disaggregated by), the waiting list, check-in, the
evaluation survey and certificates, and at a round table the 1:1 meetings and their schedule.
"""

from __future__ import annotations

import secrets
import zoneinfo
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clearinghouse.core import time_zones
from clearinghouse.publishing.models import terms_field, text_field
from clearinghouse.support.models.common import (
    SupportRecord,
    amount_field,
    currency_field,
    eligibility_field,
    languages_field,
    urls_field,
)


def validate_time_zone(value: str) -> None:
    if value not in time_zones.known():
        raise ValidationError(
            _("Unknown time zone %(zone)s: give a name such as Africa/Nairobi."),
            params={"zone": value[:60]},
            code="time_zone",
        )


def _token() -> str:
    """A code that starts with a letter or digit: a leading "-" would make a spreadsheet read the
    printed check-in list's code as a formula, and the exports then write it with an apostrophe."""
    while True:
        token = secrets.token_urlsafe(16)
        if token[0].isalnum():
            return token


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "training", _("Training")
    WEBINAR = "webinar", _("Webinar")
    ROUND_TABLE = "round_table", _("Matchmaking round table")
    KNOWLEDGE_FAIR = "knowledge_fair", _("Knowledge fair")
    SIDE_EVENT = "side_event", _("Side event")
    STUDY_VISIT = "study_visit", _("Study visit")


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class Event(SupportRecord):
    """A workshop, training, webinar, round table, knowledge fair, side event or study visit.

    Dates are stored in UTC and shown in the event's own time zone (and the reader's). The
    registration settings are not content: an organiser opens, closes or enlarges registration
    without a review.
    """

    RECORD_TYPE = "EVENT"
    SLUG = "events"
    SUBMISSION_REQUIRED = (
        ("title", _("title")),
        ("kind", _("kind")),
        ("starts_at", _("start")),
        ("ends_at", _("end")),
        ("time_zone", _("time zone")),
    )
    CONTENT_FIELDS = (
        "original_language",
        "title",
        "kind",
        "description",
        "starts_at",
        "ends_at",
        "time_zone",
        "attendance",
        "venue",
        "city",
        "venue_country",
        "online_url",
        "languages",
        "interpretation",
        "target_groups",
        "invited",
        "partners",
        "plan_activities",
        "gbf_targets",
        "subjects",
        "materials",
        "material_links",
        "budget",
        "currency",
        "cofunding",
        "contact_email",
    )
    CONFIDENTIAL_FIELDS = ("contact_email",)
    RICH_FIELDS = ("description",)
    VOCABULARIES = {
        "subjects": "subjects",
        "gbf_targets": "gbf-targets",
        "target_groups": "target-groups",
    }

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, blank=True)
    description = text_field(_("description"))
    starts_at = models.DateTimeField(_("start"), null=True, blank=True)
    ends_at = models.DateTimeField(_("end"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=60,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Where the event takes place, for example Africa/Nairobi or America/Montreal."),
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    venue_country = models.ForeignKey(
        "geo.Country",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country of the venue"),
    )
    online_url = models.URLField(_("online link"), blank=True)
    languages = languages_field(_("languages"))
    interpretation = languages_field(_("interpretation into"))
    target_groups = terms_field(_("target groups"))
    invited = eligibility_field(
        _("Parties or regions invited"), _("Country codes, UN regional groups, groups or “global”.")
    )
    partners = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="+", verbose_name=_("partners")
    )
    gbf_targets = terms_field(_("GBF targets"))
    subjects = terms_field(_("thematic subjects"))
    materials = models.ManyToManyField(
        "support.Resource", blank=True, related_name="+", verbose_name=_("materials")
    )
    material_links = urls_field(_("links to other materials"))
    budget = amount_field(_("budget"))
    currency = currency_field()
    cofunding = text_field(_("co-funding"))
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    # Registration: operational settings, changed by the organiser without review.
    # Not content under review: its organisers change it at once (events.views.event_picture),
    # as they do the registration settings. Shown through core.pictures, never as uploaded.
    picture = models.ImageField(
        _("picture"), upload_to="pictures/originals/events/", blank=True, max_length=200
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    requires_approval = models.BooleanField(_("the organiser approves each registration"), default=False)
    accepts_nominations = models.BooleanField(_("national focal points nominate participants"), default=False)
    # How long a freed place offered to the next on the waiting list stays theirs.
    seat_offer_hours = models.PositiveSmallIntegerField(
        _("hours to take up an offered place"), default=48, validators=[MinValueValidator(1)]
    )
    # Round tables: meeting requests close, and the schedule everyone sees.
    meeting_requests_close_at = models.DateTimeField(_("meeting requests close"), null=True, blank=True)
    schedule_published_at = models.DateTimeField(_("schedule published"), null=True, blank=True)

    class Meta(SupportRecord.Meta):
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The end comes before the start.")})
        if self.budget is not None and not self.currency:
            raise ValidationError({"currency": _("Give the currency of the budget.")})
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at < self.registration_opens_at
        ):
            raise ValidationError({"registration_closes_at": _("Registration closes before it opens.")})

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.identifier])

    @property
    def is_round_table(self) -> bool:
        return self.kind == EventKind.ROUND_TABLE

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The event's time zone (UTC when none is given)."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def is_past(self, now: datetime | None = None) -> bool:
        moment = self.ends_at or self.starts_at
        return moment is not None and moment < (now or timezone.now())

    def registration_is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.registration_opens_at is None or self.registration_opens_at > now:
            return False
        return self.registration_closes_at is None or self.registration_closes_at > now

    def search_facets(self) -> dict[str, list[str]]:
        """Facets besides its terms: the kind, and whether it is still to come."""
        when = "past" if self.is_past() else "upcoming"
        return {
            "event_kind": [self.kind] if self.kind else [],
            "when": [when],
            "status": self.status_facets(),
        }


# --- who takes part ------------------------------------------------------------------------------


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    ANOTHER = "another", _("Another gender")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    IPLC = "iplc", _("Indigenous peoples and local communities")
    NGO = "ngo", _("Non-governmental organisation")
    ACADEMIA = "academia", _("Academia and research")
    PRIVATE = "private", _("Private sector")
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organisation")


class ParticipantRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    TRAINER = "trainer", _("Trainer")
    SPEAKER = "speaker", _("Speaker")
    ORGANISER = "organiser", _("Organiser")


class Side(models.TextChoices):
    """What a round-table participant comes for."""

    SEEKER = "seeker", _("Seeks support")
    PROVIDER = "provider", _("Offers support")


class RegistrationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated, not yet registered")
    PENDING = "pending", _("Waiting for the organiser's approval")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    OFFERED = "offered", _("Offered a place")
    DECLINED = "declined", _("Not accepted")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Offer lapsed")


# The statuses that hold or wait for a place; the others are history.
ACTIVE_STATUSES = (
    RegistrationStatus.NOMINATED,
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.OFFERED,
)
# The statuses that take one of the event's places.
SEATED_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED, RegistrationStatus.PENDING)


class Registration(models.Model):
    """One person at one event: their registration, the facts the plan's indicators count,
    their consents, and their check-in. A person registers once per event (e-mail and account);
    a cancelled, declined or lapsed registration stays as history."""

    event = models.ForeignKey(Event, models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    # The language they registered in: what they are written to in (an account's own setting wins).
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    status = models.CharField(
        _("status"), max_length=12, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    # Higher first on the waiting list; nominated participants come before others.
    priority = models.SmallIntegerField(_("waiting-list priority"), default=0)
    waitlisted_at = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offered place held until"), null=True, blank=True)
    # Funded participants are nominated by their Party's focal point.
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nominated_for = models.ForeignKey(
        "geo.Country",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated by the Party"),
    )
    funded = models.BooleanField(_("funded participant"), default=False)
    answers = models.JSONField(_("answers to the registration questions"), default=dict, blank=True)

    # What the indicators are disaggregated by.
    country = models.ForeignKey(
        "geo.Country", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("country")
    )
    organisation_name = models.CharField(_("organisation"), max_length=300, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    represents_iplc = models.BooleanField(
        _("represents an indigenous people or local community"), default=False
    )
    youth = models.BooleanField(_("youth (under 35)"), default=False)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    role = models.CharField(
        _("role"), max_length=12, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT
    )

    # Per person and per event (the Indico pattern).
    listed = models.BooleanField(_("appear in the list of participants"), default=False)
    contactable = models.BooleanField(_("may be contacted after the event"), default=False)

    # Printed or on-screen as a QR code; the check-in desk reads it.
    code = models.CharField(_("check-in code"), max_length=32, unique=True, default=_token, editable=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Round tables: the side, how many meetings, where a provider stays, when they are free.
    side = models.CharField(_("comes to"), max_length=10, choices=Side.choices, blank=True)
    max_meetings = models.PositiveSmallIntegerField(
        _("most meetings"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    fixed_table = models.ForeignKey(
        "events.Table", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("own table")
    )
    available_slots = models.ManyToManyField(
        "events.Slot", blank=True, related_name="available", verbose_name=_("available in")
    )

    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["event", "name"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # The double registration check; the service says so in the person's language first.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=[str(status) for status in ACTIVE_STATUSES]),
                name="events_registration_once_per_email",
            ),
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(person__isnull=False, status__in=[str(status) for status in ACTIVE_STATUSES]),
                name="events_registration_once_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status=RegistrationStatus.OFFERED, offer_expires_at__isnull=False)
                | ~Q(status=RegistrationStatus.OFFERED),
                name="events_registration_offer_has_limit",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "-priority", "waitlisted_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.event_id})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def attended(self) -> bool:
        return self.checked_in_at is not None


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    CHOICE = "choice", _("One choice")
    CHOICES = "choices", _("Several choices")
    YES_NO = "yes_no", _("Yes or no")


class RegistrationQuestion(models.Model):
    """A question the organiser asks everyone who registers for the event."""

    event = models.ForeignKey(Event, models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = text_field(_("question"))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    # Each choice is {language: label}.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)

    class Meta:
        ordering = ["event", "position", "pk"]
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")

    def __str__(self) -> str:
        return f"{self.event_id} Q{self.position}"


# --- evaluation and certificates -----------------------------------------------------------------


class SurveyQuestionKind(models.TextChoices):
    RATING = "rating", _("Rating from 1 to 5")
    CHOICE = "choice", _("One choice")
    CHOICES = "choices", _("Several choices")
    YES_NO = "yes_no", _("Yes or no")
    TEXT = "text", _("Text")


class SurveyTemplate(models.Model):
    """A shared set of evaluation questions organisers start a survey from."""

    name = text_field(_("name"))
    # Each question: {"text": {language: text}, "kind": SurveyQuestionKind, "choices": [...]}.
    questions = models.JSONField(_("questions"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")

    def __str__(self) -> str:
        return str(self.name.get("en") or next(iter(self.name.values()), self.pk))


class Survey(models.Model):
    """The evaluation of one event, answered after it by those who attended."""

    event = models.OneToOneField(Event, models.CASCADE, related_name="survey")
    anonymous = models.BooleanField(_("answers are anonymous"), default=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    # The aggregate figures (never the free text) shown to everyone once there are enough answers.
    results_public = models.BooleanField(_("results are public"), default=False)

    class Meta:
        verbose_name = _("evaluation survey")
        verbose_name_plural = _("evaluation surveys")

    def __str__(self) -> str:
        return f"survey {self.event_id}"

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.opens_at is None or self.opens_at > now:
            return False
        return self.closes_at is None or self.closes_at > now


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = text_field(_("question"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=SurveyQuestionKind.choices, default=SurveyQuestionKind.RATING
    )
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self) -> str:
        return f"{self.survey_id} Q{self.position}"


class SurveyInvitation(models.Model):
    """Who may answer, and whether they did: kept apart from anonymous answers, so an answer
    cannot be traced to its author while nobody answers twice."""

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="invitations")
    registration = models.ForeignKey(Registration, models.CASCADE, related_name="survey_invitations")
    token = models.CharField(max_length=32, unique=True, default=_token, editable=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "registration"], name="events_one_invitation_each")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.registration_id}"


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, models.CASCADE, related_name="responses")
    # Empty when the survey is anonymous.
    registration = models.ForeignKey(
        Registration, models.SET_NULL, null=True, blank=True, related_name="survey_responses"
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    # The day only: an exact time could point to the person in a small event.
    submitted_on = models.DateField(_("answered on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"response {self.pk} to {self.survey_id}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, models.CASCADE, related_name="answers")
    # A rating, or the index of a choice; several choices are several answers.
    number = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=4000)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")

    def __str__(self) -> str:
        return f"{self.response_id} {self.question_id}"


class Certificate(models.Model):
    """A certificate of attendance; anyone holding its address can check that it is genuine."""

    registration = models.OneToOneField(Registration, models.CASCADE, related_name="certificate")
    token = models.CharField(max_length=32, unique=True, default=_token, editable=False)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate of attendance")
        verbose_name_plural = _("certificates of attendance")

    def __str__(self) -> str:
        return self.token

    def get_absolute_url(self) -> str:
        return reverse("events:certificate", args=[self.token])


# --- round tables --------------------------------------------------------------------------------


class Slot(models.Model):
    """A time in which 1:1 meetings run side by side at the tables."""

    event = models.ForeignKey(Event, models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["event", "starts_at"]
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="events_slot_once"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="events_slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class Table(models.Model):
    event = models.ForeignKey(Event, models.CASCADE, related_name="tables")
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["event", "name"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="events_table_name_once")]

    def __str__(self) -> str:
        return self.name


class MeetingPriority(models.IntegerChoices):
    IF_TIME_ALLOWS = 1, _("If time allows")
    WOULD_LIKE = 2, _("Would like to meet")
    MUST_MEET = 3, _("Must meet")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired unanswered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MeetingRequest(models.Model):
    """One participant asks another for a 1:1 meeting at a round table; the other side answers.
    The organiser may propose one from the matcher's suggestions (``proposed_by``)."""

    event = models.ForeignKey(Event, models.CASCADE, related_name="meeting_requests")
    requester = models.ForeignKey(Registration, models.CASCADE, related_name="requests_made")
    invitee = models.ForeignKey(Registration, models.CASCADE, related_name="requests_received")
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=MeetingPriority.choices, default=MeetingPriority.WOULD_LIKE
    )
    # The need, request or offer the meeting is about (an identifier), when one is named.
    about = models.CharField(_("about"), max_length=40, blank=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        ordering = ["event", "-priority", "created_at"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("invitee")), name="events_request_not_to_oneself"
            ),
            # One open or accepted request between two people in each direction.
            models.UniqueConstraint(
                fields=["requester", "invitee"],
                condition=Q(status__in=["pending", "accepted"]),
                name="events_request_once_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} → {self.invitee_id}"

    def other(self, registration: Registration) -> Registration:
        return self.invitee if registration.pk == self.requester_id else self.requester


class Outcome(models.TextChoices):
    NOTHING = "nothing", _("Nothing came of it")
    FOLLOW_UP = "follow_up", _("We will follow up")
    MATCH = "match", _("A match: support will follow")


class Meeting(models.Model):
    """An accepted request placed in a slot at a table. The schedule is provisional until the
    organiser publishes it; a locked meeting is never moved by the scheduler."""

    request = models.OneToOneField(MeetingRequest, models.CASCADE, related_name="meeting")
    slot = models.ForeignKey(Slot, models.PROTECT, related_name="meetings")
    table = models.ForeignKey(Table, models.PROTECT, related_name="meetings")
    locked = models.BooleanField(_("locked"), default=False)
    held = models.BooleanField(_("held"), null=True, blank=True)
    requester_outcome = models.CharField(
        _("outcome for the requester"), max_length=10, choices=Outcome.choices, blank=True
    )
    invitee_outcome = models.CharField(
        _("outcome for the invitee"), max_length=10, choices=Outcome.choices, blank=True
    )
    # The matchmaking match a "match" outcome opened: the round table's result, followed there.
    match = models.ForeignKey("matchmaking.Match", models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["slot__starts_at", "table__name"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["slot", "table"], name="events_one_meeting_per_table_slot")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} @ {self.slot_id}/{self.table_id}"

    @property
    def outcome(self) -> str:
        """The best either side recorded: a match counts once one side says so."""
        recorded = {self.requester_outcome, self.invitee_outcome}
        for value in (Outcome.MATCH, Outcome.FOLLOW_UP, Outcome.NOTHING):
            if value in recorded:
                return str(value)
        return ""


class BroughtItem(models.Model):
    """A need, request or offer a participant brings to a round table (by identifier: the
    record stays in its own registry, published through its own workflow)."""

    registration = models.ForeignKey(Registration, models.CASCADE, related_name="items")
    identifier = models.CharField(_("record"), max_length=40)

    class Meta:
        ordering = ["registration", "pk"]
        verbose_name = _("item brought")
        verbose_name_plural = _("items brought")
        constraints = [
            models.UniqueConstraint(fields=["registration", "identifier"], name="events_item_once")
        ]

    def __str__(self) -> str:
        return self.identifier
