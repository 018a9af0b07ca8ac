"""The help desk's cases, the matches it coordinates between needs and support, and what they
lead to: a cooperation with its contributions, and an outcome report (activities 4 and 5 of the
annex). State changes go through services.py; the models hold the invariants."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.matchmaking.currencies import validate_currency

if TYPE_CHECKING:
    from clearinghouse.needs.models import Need, Request

_USER = settings.AUTH_USER_MODEL


class CaseState(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    IN_MATCHMAKING = "in_matchmaking", _("In matchmaking")
    CLOSED = "closed", _("Closed")


# The cases the console lists and suggestions are made for.
ACTIVE_STATES = (CaseState.OPEN, CaseState.IN_MATCHMAKING)


class Case(models.Model):
    """A request for assistance (or a need) in the help desk's hands; one per record."""

    request = models.OneToOneField(
        "needs.Request",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="case",
        verbose_name=_("request for assistance"),
    )
    need = models.OneToOneField(
        "needs.Need", models.PROTECT, null=True, blank=True, related_name="case", verbose_name=_("need")
    )
    state = models.CharField(_("state"), max_length=20, choices=CaseState.choices, default=CaseState.OPEN)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    assigned_to = models.ForeignKey(
        _USER, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("agent")
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # What the requester wrote when it asked the help desk itself (a need has no case until then).
    request_note = models.TextField(_("the requester's words"), blank=True)
    # Offered to providers: listed on "Needs seeking support", where they say "I can help".
    circulated_at = models.DateTimeField(_("circulated to providers"), null=True, blank=True)
    circulated_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["opened_at", "pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(request__isnull=False, need__isnull=True)
                | Q(request__isnull=True, need__isnull=False),
                name="matchmaking_case_request_or_need",
            )
        ]
        indexes = [models.Index(fields=["state", "opened_at"], name="matchmaking_case_queue")]

    def __str__(self) -> str:
        return self.subject.identifier

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("matchmaking:case", args=[self.pk])

    @property
    def subject(self) -> Need | Request:
        subject = self.request or self.need
        if subject is None:
            raise ValueError(f"case {self.pk} has neither a request nor a need")
        return subject

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    def needs(self) -> list[Need]:
        """The needs whose status follows this case: its need, or the request's needs."""
        if self.request is not None:
            return list(self.request.needs.all())
        return [self.need] if self.need is not None else []


class Response(models.Model):
    """The help desk's direct answer to a simple request: text and published resources. An
    answer that did not meet the request is reopened (who, when, why): the case goes back to
    triage, and a later answer is another row."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="responses")
    text = models.TextField(_("answer"), max_length=8000)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    resources = models.JSONField(_("resources"), default=list, blank=True)
    answered_by = models.ForeignKey(_USER, models.SET_NULL, null=True, related_name="+")
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopened_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    reopen_reason = models.TextField(_("why it was reopened"), max_length=2000, blank=True)

    class Meta:
        ordering = ["answered_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(reopened_at__isnull=True) | ~Q(reopen_reason=""),
                name="matchmaking_reopened_with_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.answered_at:%Y-%m-%d}"


class MatchState(models.TextChoices):
    SUGGESTED = "suggested", _("Shortlisted")
    PROPOSED = "proposed", _("Proposed to the provider")
    OFFERED = "offered", _("Offered by the provider")
    ACCEPTED = "accepted", _("Accepted by the provider")
    DECLINED = "declined", _("Declined by the provider")
    CONFIRMED = "confirmed", _("Confirmed by the requester")
    AGREED = "agreed", _("Agreed")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


FINAL_STATES = frozenset({MatchState.DECLINED, MatchState.COMPLETED, MatchState.CANCELLED})
LIVE_STATES = frozenset(set(MatchState) - FINAL_STATES)
# From proposed on, the provider knows of the match and may see it.
VISIBLE_TO_PROVIDER = frozenset(set(MatchState) - {MatchState.SUGGESTED})


class ExchangeKind(models.TextChoices):
    """A peer exchange between two Parties (decision XIII/23, paragraphs 5(b), 5(j) and 6): the
    counterpart of the match is the peer Party's similar or addressed need, not support."""

    SOUTH_SOUTH = "south_south", _("South–South cooperation")
    TRIANGULAR = "triangular", _("Triangular cooperation")


class Match(models.Model):
    """A need or request (through its case) paired with a published support record.

    The support record is referenced by content type and id (one query per type fetches a page
    of them) and by its identifier, which feedback and e-mails use. Its owner and, for an
    expert, the expert's account are copied here so "my matches" is one indexed query.
    """

    case = models.ForeignKey(Case, models.PROTECT, related_name="matches", verbose_name=_("case"))
    support_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    support_id = models.PositiveBigIntegerField()
    support = GenericForeignKey("support_type", "support_id")
    support_identifier = models.CharField(_("support record"), max_length=40, db_index=True)
    support_owner_country = models.ForeignKey(
        "geo.Country", models.PROTECT, null=True, blank=True, related_name="+"
    )
    support_owner_organisation = models.ForeignKey(
        "organisations.Organisation", models.PROTECT, null=True, blank=True, related_name="+"
    )
    support_expert = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    state = models.CharField(
        _("state"), max_length=20, choices=MatchState.choices, default=MatchState.SUGGESTED
    )
    score = models.FloatField(_("score"), null=True, blank=True)
    explanation = models.JSONField(_("why it was suggested"), default=dict, blank=True)
    message = models.TextField(_("message to the provider"), blank=True)
    # "I can help": the provider put its support forward itself, and the message is its own.
    offered_by_provider = models.BooleanField(_("offered by the provider"), default=False)
    # A peer exchange: the "support" is the peer Party's need, and a triangular one names the
    # third party that funds it (a Party or an organisation).
    exchange = models.CharField(
        _("peer exchange"), max_length=12, choices=ExchangeKind.choices, blank=True, db_index=True
    )
    funder_country = models.ForeignKey(
        "geo.Country",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("funding Party"),
    )
    funder_organisation = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("funding organisation"),
    )
    created_at = models.DateTimeField(_("shortlisted"), default=timezone.now)
    created_by = models.ForeignKey(_USER, models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(_("last change"), default=timezone.now)
    # The requester's confirmation is also their consent to share the contact details.
    confirmed_at = models.DateTimeField(_("confirmed by the requester"), null=True, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "support_type", "support_id"],
                condition=Q(state__in=sorted(str(state) for state in LIVE_STATES)),
                name="matchmaking_one_live_match_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(support_owner_country__isnull=False, support_owner_organisation__isnull=True)
                | Q(support_owner_country__isnull=True, support_owner_organisation__isnull=False),
                name="matchmaking_match_one_support_owner",
            ),
            # A triangular exchange has exactly one funder; nothing else has any.
            models.CheckConstraint(
                condition=(
                    Q(exchange="triangular")
                    & (
                        Q(funder_country__isnull=False, funder_organisation__isnull=True)
                        | Q(funder_country__isnull=True, funder_organisation__isnull=False)
                    )
                )
                | (
                    ~Q(exchange="triangular")
                    & Q(funder_country__isnull=True, funder_organisation__isnull=True)
                ),
                name="matchmaking_match_funder_if_triangular",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} ↔ {self.support_identifier}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("matchmaking:match", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES

    @property
    def funder(self) -> Any:
        """The third party funding a triangular exchange (a Party or an organisation), else None."""
        return self.funder_country or self.funder_organisation


class MatchEvent(models.Model):
    """One step of a match, dated and attributed: the match's history."""

    match = models.ForeignKey(Match, models.CASCADE, related_name="events")
    state = models.CharField(_("state"), max_length=20, choices=MatchState.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(_USER, models.SET_NULL, null=True, related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["match", "at", "pk"]
        verbose_name = _("step of a match")
        verbose_name_plural = _("steps of matches")

    def __str__(self) -> str:
        return f"{self.match_id} {self.state} {self.at:%Y-%m-%d}"


class CooperationKind(models.TextChoices):
    TECHNICAL = "technical_cooperation", _("Technical cooperation")
    TRAINING = "training", _("Training")
    EXPERT_EXCHANGE = "exchange_of_experts", _("Exchange of experts")
    TWINNING = "twinning", _("Twinning")
    CO_FUNDED = "co_funded_project", _("Co-funded project")
    SOUTH_SOUTH = "south_south", _("South–South cooperation")
    TRIANGULAR = "triangular", _("Triangular cooperation")
    OTHER = "other", _("Other")


class Cooperation(models.Model):
    """The partnership or cooperation initiative a match became when both sides agreed."""

    match = models.OneToOneField(Match, models.PROTECT, related_name="cooperation")
    kind = models.CharField(_("type of cooperation"), max_length=30, choices=CooperationKind.choices)
    description = models.TextField(_("description"), max_length=8000)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    created_at = models.DateTimeField(_("agreed"), default=timezone.now)
    created_by = models.ForeignKey(_USER, models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("cooperation")
        verbose_name_plural = _("cooperations")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="matchmaking_cooperation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.match}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("matchmaking:cooperation", args=[self.match_id])

    def totals(self) -> dict[str, dict[str, Decimal]]:
        """Contributions summed per currency, financial and in kind apart."""
        sums: dict[str, dict[str, Decimal]] = {}
        rows = self.contributions.values("currency", "kind").annotate(total=Sum("amount"))
        for row in rows.order_by("currency", "kind"):
            sums.setdefault(row["currency"], {})[row["kind"]] = row["total"]
        return sums


class PartyRole(models.TextChoices):
    REQUESTER = "requester", _("Requester")
    PROVIDER = "provider", _("Provider")
    OTHER = "other", _("Other partner")


class CooperationParty(models.Model):
    """A Party, organisation or other partner taking part in a cooperation."""

    cooperation = models.ForeignKey(Cooperation, models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=10, choices=PartyRole.choices)
    country = models.ForeignKey("geo.Country", models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A partner not in the directory (a university department, a donor programme...).
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        ordering = ["cooperation", "role", "pk"]
        verbose_name = _("party to a cooperation")
        verbose_name_plural = _("parties to cooperations")
        constraints = [
            models.CheckConstraint(
                condition=Q(country__isnull=False, organisation__isnull=True, name="")
                | Q(country__isnull=True, organisation__isnull=False, name="")
                | (Q(country__isnull=True, organisation__isnull=True) & ~Q(name="")),
                name="matchmaking_party_is_one_thing",
            )
        ]

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self) -> str:
        if self.country is not None:
            return str(self.country.name())
        if self.organisation is not None:
            return str(self.organisation.display_name())
        return self.name


class ContributionKind(models.TextChoices):
    FINANCIAL = "financial", _("Financial")
    IN_KIND = "in_kind", _("In kind")


class Contribution(models.Model):
    """What one contributor brings to a cooperation (co-funding), in money or in kind."""

    cooperation = models.ForeignKey(Cooperation, models.CASCADE, related_name="contributions")
    contributor_country = models.ForeignKey(
        "geo.Country", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("country")
    )
    contributor_organisation = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    kind = models.CharField(_("kind"), max_length=10, choices=ContributionKind.choices)
    description = models.CharField(_("what it covers"), max_length=300, blank=True)

    class Meta:
        ordering = ["cooperation", "pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="matchmaking_contribution_not_negative"),
            models.CheckConstraint(
                condition=Q(contributor_country__isnull=False, contributor_organisation__isnull=True)
                | Q(contributor_country__isnull=True, contributor_organisation__isnull=False),
                name="matchmaking_contribution_one_contributor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contributor} {self.amount} {self.currency}"

    @property
    def contributor(self) -> Any:
        return self.contributor_country or self.contributor_organisation


_SATISFACTION = [MinValueValidator(1), MaxValueValidator(5)]


class Outcome(models.Model):
    """What a completed match achieved; each side rates its satisfaction itself."""

    match = models.OneToOneField(Match, models.PROTECT, related_name="outcome")
    results = models.TextField(_("results"), max_length=8000)
    lessons = models.TextField(_("lessons learned"), max_length=8000, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    reported_by = models.ForeignKey(_USER, models.SET_NULL, null=True, related_name="+")
    requester_satisfaction = models.PositiveSmallIntegerField(
        _("requester's satisfaction"), null=True, blank=True, validators=_SATISFACTION
    )
    requester_rated_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    provider_satisfaction = models.PositiveSmallIntegerField(
        _("provider's satisfaction"), null=True, blank=True, validators=_SATISFACTION
    )
    provider_rated_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=Q(requester_satisfaction__isnull=True) | Q(requester_satisfaction__range=(1, 5)),
                name="matchmaking_requester_satisfaction_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(provider_satisfaction__isnull=True) | Q(provider_satisfaction__range=(1, 5)),
                name="matchmaking_provider_satisfaction_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.match} {self.reported_at:%Y-%m-%d}"


class Feedback(models.Model):
    """ "Not relevant": a requester, provider or the help desk says a pairing should not be
    suggested. Turned into penalties for the matcher (see ranking.py)."""

    need = models.ForeignKey("needs.Need", models.CASCADE, null=True, blank=True, related_name="+")
    request = models.ForeignKey("needs.Request", models.CASCADE, null=True, blank=True, related_name="+")
    support_identifier = models.CharField(_("support record"), max_length=40, db_index=True)
    reason = models.CharField(_("reason"), max_length=500)
    given_by = models.ForeignKey(_USER, models.SET_NULL, null=True, related_name="+")
    given_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("not relevant")
        verbose_name_plural = _("not relevant")
        constraints = [
            models.CheckConstraint(
                condition=Q(request__isnull=False, need__isnull=True)
                | Q(request__isnull=True, need__isnull=False),
                name="matchmaking_feedback_request_or_need",
            )
        ]

    def __str__(self) -> str:
        return f"{self.need_id or self.request_id} ✗ {self.support_identifier}"


class StoredExplanation(models.Model):
    """Why a support record was suggested for a need, made once per pair of published revisions
    (and embedding model) and shown again from here: making it embeds the sentences of both
    texts. Made from the matching profiles, which hold only what is public (an expert's name and
    biography only with consent); rows of a revision published over or withdrawn are deleted
    (receivers.py). ``digest`` covers what it was made from (suggestions.ExplanationKey)."""

    need_identifier = models.CharField(_("need or request"), max_length=40)
    need_revision = models.PositiveIntegerField(_("need's published revision"))
    support_identifier = models.CharField(_("support record"), max_length=40, db_index=True)
    support_revision = models.PositiveIntegerField(_("support record's published revision"))
    embedder = models.CharField(_("embedding model"), max_length=200)
    digest = models.CharField(_("digest of what it was made from"), max_length=64)
    explanation = models.JSONField(_("why it was suggested"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("stored explanation")
        verbose_name_plural = _("stored explanations")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "need_identifier",
                    "need_revision",
                    "support_identifier",
                    "support_revision",
                    "embedder",
                ],
                name="matchmaking_one_explanation_per_revisions",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.need_identifier}/{self.need_revision} ↔ {self.support_identifier}/{self.support_revision}"
        )
