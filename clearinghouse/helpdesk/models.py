"""The help desk (activities 4, 62 and 78 of the plan): desks, help topics, service levels,
tickets and their messages, canned answers, the mail received, and answers kept as FAQ entries.

A ticket is one conversation with one person about one subject. It is not a matchmaking case:
a ticket that asks for a partner opens a case (kept in ``case``), and each then follows its own
life. State changes go through services.py; the models hold the invariants.
"""

from __future__ import annotations

import itertools
import re
from datetime import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.events.models import validate_time_zone
from clearinghouse.geo.models import RegionalGroup
from clearinghouse.publishing.models import Record, text_field

_USER = settings.AUTH_USER_MODEL
LANGUAGE_CODES = frozenset(code for code, _label in LANGUAGE_CHOICES)

# "HD-2026-000123": the year it was opened and a number; what a requester quotes by e-mail.
REFERENCE = re.compile(r"\bHD-(\d{4})-(\d{6})\b", re.IGNORECASE)
_HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def validate_languages(value: Any) -> None:
    if not isinstance(value, list) or not value or any(code not in LANGUAGE_CODES for code in value):
        raise ValidationError(_("Choose one or more of the six languages."), code="languages")


def validate_regions(value: Any) -> None:
    known = {str(group.value) for group in RegionalGroup}
    if not isinstance(value, list) or any(region not in known for region in value):
        raise ValidationError(_("Choose regions among the UN regional groups."), code="regions")


def validate_texts(value: Any) -> None:
    """{language code: text} in the six languages, at least one of them written."""
    if (
        not isinstance(value, dict)
        or any(code not in LANGUAGE_CODES or not isinstance(text, str) for code, text in value.items())
        or not any(text.strip() for text in value.values())
    ):
        raise ValidationError(_("Write it in at least one of the six languages."), code="texts")


def validate_opening_hours(value: Any) -> None:
    """{"0".."6" (Monday..Sunday): [["09:00", "17:00"], ...]}: periods that do not overlap."""
    if not isinstance(value, dict) or not value:
        raise ValidationError(_("Give the desk's opening hours for at least one day."), code="hours")
    for day, periods in value.items():
        if day not in {str(number) for number in range(7)} or not isinstance(periods, list):
            raise ValidationError(_("Opening hours are given per weekday, Monday to Sunday."), code="hours")
        ends: list[tuple[str, str]] = []
        for period in periods:
            if (
                not isinstance(period, list | tuple)
                or len(period) != 2
                or not all(isinstance(part, str) and _HOURS.match(part) for part in period)
                or period[0] >= period[1]
            ):
                raise ValidationError(
                    _("Each opening period is a start and an end such as 09:00 and 17:00, the end later."),
                    code="hours",
                )
            ends.append((period[0], period[1]))
        ends.sort()
        if any(later[0] < earlier[1] for earlier, later in itertools.pairwise(ends)):
            raise ValidationError(_("A day's opening periods must not overlap."), code="hours")


def opening_periods(hours: dict[str, list[list[str]]], weekday: int) -> list[tuple[time, time]]:
    """The day's opening periods as times, in order."""
    return sorted(
        (time.fromisoformat(start), time.fromisoformat(end)) for start, end in hours.get(str(weekday), [])
    )


def default_opening_hours() -> dict[str, list[list[str]]]:
    return {str(day): [["09:00", "17:00"]] for day in range(5)}


class HelpTopic(models.Model):
    """What a ticket is about; desks cover topics and service levels may differ by topic."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.JSONField(_("name"), default=dict, validators=[validate_texts])
    # A topic whose tickets usually end as matchmaking cases (a request for a partner).
    leads_to_matchmaking = models.BooleanField(_("usually a matchmaking case"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("offered on the question form"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("help topic")
        verbose_name_plural = _("help topics")

    def __str__(self) -> str:
        from clearinghouse.core.languages import pick_label

        return pick_label(self.name) or self.code


class Desk(models.Model):
    """A help desk: the central desk of the Secretariat, or a regional or thematic desk hosted by
    a partner institution, with its agents, languages, Parties and regions, topics and hours."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.JSONField(_("name"), default=dict, validators=[validate_texts])
    is_central = models.BooleanField(_("central desk"), default=False)
    host = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host institution"),
    )
    # The address requesters write to (and replies come from); empty: the platform's address.
    email = models.EmailField(_("e-mail address"), blank=True)
    languages = models.JSONField(_("languages answered"), default=list, validators=[validate_languages])
    countries = models.ManyToManyField(
        "geo.Country", blank=True, related_name="+", verbose_name=_("Parties served")
    )
    regions = models.JSONField(_("regions served"), default=list, blank=True, validators=[validate_regions])
    topics = models.ManyToManyField(
        HelpTopic, blank=True, related_name="desks", verbose_name=_("help topics")
    )
    agents: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        _USER, blank=True, related_name="help_desks", verbose_name=_("agents")
    )
    # Told of tickets about to breach or breached (escalation); agents of the desk besides.
    leads: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        _USER, blank=True, related_name="+", verbose_name=_("desk leads")
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    opening_hours = models.JSONField(
        _("opening hours"), default=default_opening_hours, validators=[validate_opening_hours]
    )
    # Public holidays of this country (the holidays package) close the desk; empty: none.
    holiday_country = models.CharField(_("public holidays of"), max_length=2, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-is_central", "code"]
        verbose_name = _("help desk")
        verbose_name_plural = _("help desks")
        constraints = [
            models.UniqueConstraint(
                fields=["is_central"], condition=Q(is_central=True), name="helpdesk_one_central"
            )
        ]

    def __str__(self) -> str:
        from clearinghouse.core.languages import pick_label

        return pick_label(self.name) or self.code

    def get_absolute_url(self) -> str:
        return reverse("helpdesk:queue", args=[self.code])


class Closure(models.Model):
    """A day the desk is closed besides its country's public holidays (a retreat, a local holiday)."""

    desk = models.ForeignKey(Desk, models.CASCADE, related_name="closures")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        constraints = [models.UniqueConstraint(fields=["desk", "date"], name="helpdesk_closure_once")]

    def __str__(self) -> str:
        return f"{self.desk} {self.date}"


class ServiceLevel(models.Model):
    """Targets in the desk's business hours, for one topic or (topic empty) the desk's others."""

    desk = models.ForeignKey(Desk, models.CASCADE, related_name="service_levels")
    topic = models.ForeignKey(HelpTopic, models.CASCADE, null=True, blank=True, related_name="+")
    first_response_hours = models.DecimalField(
        _("first response within (business hours)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0.25)],
    )
    resolution_hours = models.DecimalField(
        _("resolution within (business hours)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(0.25)],
    )
    # Agents are warned once this share of a target has passed.
    warn_at_percent = models.PositiveSmallIntegerField(
        # The % is a percent sign, not a placeholder: translations need not keep it as one.
        # xgettext:no-python-format
        _("warn at (% of the target)"),
        default=80,
        validators=[MinValueValidator(10), MaxValueValidator(99)],
    )

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        constraints = [
            models.UniqueConstraint(fields=["desk", "topic"], name="helpdesk_level_per_topic"),
            models.UniqueConstraint(
                fields=["desk"], condition=Q(topic__isnull=True), name="helpdesk_level_default"
            ),
            models.CheckConstraint(
                condition=Q(resolution_hours__gte=models.F("first_response_hours")),
                name="helpdesk_level_resolution_after_response",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.desk} / {self.topic or '*'}"

    def clean(self) -> None:
        if (
            self.first_response_hours is not None
            and self.resolution_hours is not None
            and self.resolution_hours < self.first_response_hours
        ):
            raise ValidationError(
                {"resolution_hours": _("Resolution cannot be due before the first response.")}, code="order"
            )


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    MEETING = "meeting", _("Meeting")


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    # Waiting for the requester: the service-level clock is paused.
    WAITING = "waiting", _("Waiting for the requester")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged into another ticket")


# Tickets an agent still has to act on, and those whose clock runs.
ACTIVE_STATUSES = (Status.NEW, Status.OPEN, Status.WAITING)
RUNNING_STATUSES = (Status.NEW, Status.OPEN)


class Ticket(models.Model):
    """One conversation with one person (or Party) about one subject."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    subject = models.CharField(_("subject"), max_length=300)
    desk = models.ForeignKey(Desk, models.PROTECT, related_name="tickets", verbose_name=_("desk"))
    topic = models.ForeignKey(
        HelpTopic, models.PROTECT, null=True, blank=True, related_name="tickets", verbose_name=_("topic")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)

    # Who asked: an account, or a name and an address (anonymous web form, e-mail).
    requester = models.ForeignKey(
        _USER,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_tickets",
        verbose_name=_("requester"),
    )
    requester_name = models.CharField(_("name"), max_length=200, blank=True)
    requester_email = models.EmailField(_("e-mail address"), blank=True)
    country = models.ForeignKey(
        "geo.Country", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("Party")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # "Help with this page": where the person was when they asked.
    page = models.CharField(_("page"), max_length=500, blank=True)

    opened_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    assigned_to = models.ForeignKey(
        _USER,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("agent"),
    )
    followers: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        _USER, blank=True, related_name="followed_tickets"
    )
    merged_into = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="merged")
    case = models.ForeignKey(
        "matchmaking.Case",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("case"),
    )

    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    updated_at = models.DateTimeField(_("last activity"), default=timezone.now)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    # The service level: targets fixed when the ticket is opened or changes desk or topic, due
    # times moved on by the business time spent waiting for the requester.
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    # Business time spent waiting for the requester so far: added to the targets.
    paused_seconds = models.PositiveIntegerField(default=0)
    response_warned_at = models.DateTimeField(null=True, blank=True)
    resolution_warned_at = models.DateTimeField(null=True, blank=True)
    response_breached_at = models.DateTimeField(_("first response overdue since"), null=True, blank=True)
    resolution_breached_at = models.DateTimeField(_("resolution overdue since"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    satisfaction_comment = models.TextField(_("comment"), max_length=2000, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester__isnull=True, requester_email=""), name="helpdesk_ticket_has_requester"
            ),
            models.CheckConstraint(
                condition=Q(status=Status.MERGED, merged_into__isnull=False)
                | (~Q(status=Status.MERGED) & Q(merged_into__isnull=True)),
                name="helpdesk_ticket_merged_into",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[Status.CLOSED, Status.MERGED], closed_at__isnull=False)
                | (~Q(status__in=[Status.CLOSED, Status.MERGED]) & Q(closed_at__isnull=True)),
                name="helpdesk_ticket_closed_at",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.WAITING, waiting_since__isnull=False)
                | (~Q(status=Status.WAITING) & Q(waiting_since__isnull=True)),
                name="helpdesk_ticket_waiting_since",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="helpdesk_ticket_satisfaction_range",
            ),
        ]
        indexes = [
            models.Index(fields=["desk", "status", "created_at"], name="helpdesk_ticket_queue"),
            models.Index(fields=["status", "first_response_due"], name="helpdesk_ticket_response_due"),
            models.Index(fields=["status", "resolution_due"], name="helpdesk_ticket_resolution_due"),
            models.Index(fields=["requester_email"], name="helpdesk_ticket_email"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("helpdesk:ticket", args=[self.reference])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def address(self) -> str:
        """Where replies go: the account's address, else the one given."""
        if self.requester is not None and self.requester.email:
            return str(self.requester.email)
        return self.requester_email

    @property
    def display_name(self) -> str:
        if self.requester is not None:
            return self.requester.get_full_name() or str(self.requester.email)
        return self.requester_name or self.requester_email


class Kind(models.TextChoices):
    # From the requester (web, e-mail, or written down by an agent after a call).
    MESSAGE = "message", _("Message from the requester")
    REPLY = "reply", _("Reply")
    NOTE = "note", _("Internal note")


class Article(models.Model):
    """One message on a ticket: the requester's, an agent's public reply, or an internal note
    (never shown to the requester)."""

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="articles")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    author = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    # The sender as written on an e-mail (a requester without an account, a follower).
    sender = models.CharField(_("from"), max_length=300, blank=True)
    body = models.TextField(_("text"), max_length=50_000)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, blank=True)
    # An answer from the canned answers, kept for the statistics of their use.
    canned_answer = models.ForeignKey(
        "helpdesk.CannedAnswer", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # E-mail threading: our Message-ID on what we sent, the sender's on what we received.
    message_id = models.CharField(max_length=300, blank=True, db_index=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.ticket.reference} {self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_public(self) -> bool:
        return self.kind != Kind.NOTE


def attachment_path(attachment: Attachment, filename: str) -> str:
    return f"helpdesk/{attachment.article.ticket.reference}/{attachment.article_id}/{filename}"


class Attachment(models.Model):
    """A file on a message, checked by the same rules as a resource's files (support/uploads.py)."""

    article = models.ForeignKey(Article, models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    media_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class RecordLink(models.Model):
    """A record the ticket is about (a need, request, offer, resource, event, course...)."""

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="record_links")
    identifier = models.CharField(_("identifier"), max_length=40)
    linked_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["linked_at", "pk"]
        verbose_name = _("linked record")
        verbose_name_plural = _("linked records")
        constraints = [models.UniqueConstraint(fields=["ticket", "identifier"], name="helpdesk_link_once")]

    def __str__(self) -> str:
        return self.identifier


class EventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    ASSIGNED = "assigned", _("Assigned")
    TRANSFERRED = "transferred", _("Transferred to another desk")
    STATUS = "status", _("Status changed")
    MERGED = "merged", _("Merged")
    WARNED = "warned", _("Service level about to be missed")
    BREACHED = "breached", _("Service level missed")
    ESCALATED = "escalated", _("Escalated")
    RATED = "rated", _("Rated")
    CASE = "case", _("Matchmaking case opened")
    REOPENED = "reopened", _("Reopened")


class TicketEvent(models.Model):
    """The ticket's history: who did what, when."""

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    @property
    def detail_display(self) -> str:
        """The detail in the reader's language: channels and statuses are stored as codes."""
        if self.kind == EventKind.OPENED and self.detail in Channel.values:
            return str(Channel(self.detail).label)
        if self.kind == EventKind.STATUS and " → " in self.detail:
            codes = self.detail.split(" → ", 1)
            if all(code in Status.values for code in codes):
                return " → ".join(str(Status(code).label) for code in codes)
        return self.detail


class CannedAnswer(models.Model):
    """A prepared answer in the six languages, shared by every desk (or kept to one desk);
    inserted in the requester's language, with {name} and {reference} filled in."""

    title = models.JSONField(_("title"), default=dict, validators=[validate_texts])
    body = models.JSONField(_("text"), default=dict, validators=[validate_texts])
    topic = models.ForeignKey(HelpTopic, models.SET_NULL, null=True, blank=True, related_name="+")
    desk = models.ForeignKey(Desk, models.CASCADE, null=True, blank=True, related_name="canned_answers")
    created_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("canned answer")
        verbose_name_plural = _("canned answers")

    def __str__(self) -> str:
        from clearinghouse.core.languages import pick_label

        return pick_label(self.title) or f"#{self.pk}"

    @property
    def languages(self) -> list[str]:
        return [code for code, _label in LANGUAGE_CHOICES if (self.body.get(code) or "").strip()]


class MailOutcome(models.TextChoices):
    NEW_TICKET = "new_ticket", _("Opened a ticket")
    REPLY = "reply", _("Added to a ticket")
    # Mail another part of the platform answers for (a reply to a community digest).
    ROUTED = "routed", _("Handed to another part of the platform")
    REFUSED = "refused", _("Refused: the sender may not post there")
    AUTO_REPLY = "auto_reply", _("Automatic reply: kept, not answered")
    LOOP = "loop", _("Mail loop: kept, not answered")
    RATE_LIMITED = "rate_limited", _("Too many messages from this sender: kept, not answered")
    REJECTED = "rejected", _("Could not be read: kept for an agent")
    PENDING = "pending", _("Not processed yet")


class InboundMail(models.Model):
    """Every message received, kept as it came, so nothing is lost whatever happens to it."""

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    sender = models.CharField(_("from"), max_length=300, blank=True)
    recipient = models.CharField(_("to"), max_length=300, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    message_id = models.CharField(max_length=300, blank=True, db_index=True)
    raw = models.BinaryField(_("message as received"))
    size = models.PositiveIntegerField(_("size"))
    outcome = models.CharField(
        _("outcome"), max_length=14, choices=MailOutcome.choices, default=MailOutcome.PENDING
    )
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    ticket = models.ForeignKey(Ticket, models.SET_NULL, null=True, blank=True, related_name="mails")

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("mail received")
        verbose_name_plural = _("mail received")
        indexes = [models.Index(fields=["sender", "received_at"], name="helpdesk_mail_sender")]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.sender} {self.subject}"


class FaqEntry(Record):
    """An answer worth keeping: a question and its answer, published in the six languages
    (a record type of the registry, searched like the others)."""

    RECORD_TYPE = "FAQ"
    CONTENT_FIELDS = ("original_language", "question", "answer", "topic", "plan_activities")

    question = text_field(_("question"))
    answer = text_field(_("answer"))
    topic = models.ForeignKey(
        HelpTopic, models.SET_NULL, null=True, blank=True, related_name="faq_entries", verbose_name=_("topic")
    )
    # The ticket it was written from (seen by agents only).
    source_ticket = models.ForeignKey(Ticket, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta(Record.Meta):
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self) -> str:
        return self.identifier

    def get_absolute_url(self) -> str:
        return reverse("helpdesk:faq_entry", args=[self.identifier])
