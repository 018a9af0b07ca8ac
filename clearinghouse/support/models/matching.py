"""Offers of support and opportunities (grants, fellowships, calls...): what matchmaking pairs
with the needs and requests of Parties and of indigenous peoples and local communities."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clearinghouse.publishing.models import terms_field, text_field
from clearinghouse.support.models.common import (
    SupportRecord,
    amount_field,
    currency_field,
    eligibility_field,
    languages_field,
)

_ELIGIBILITY_HELP = _(
    "Country codes, UN regional groups, groups such as LDC or SIDS, or “global”. Empty: everyone."
)


class ValueKind(models.TextChoices):
    IN_KIND = "in_kind", _("In kind")
    FINANCIAL = "financial", _("Financial")


class Offer(SupportRecord):
    """An offer of support by a provider: what it offers, to whom, how many requests it can take."""

    RECORD_TYPE = "OFFER"
    SUBMISSION_REQUIRED = (
        ("title", _("title")),
        ("description", _("description")),
        ("support_types", _("types of support")),
    )
    SLUG = "offers"
    CONTENT_FIELDS = (
        "original_language",
        "title",
        "description",
        "provider",
        "support_types",
        "subjects",
        "gbf_targets",
        "aichi_targets",
        "target_groups",
        "eligibility",
        "capacity",
        "languages",
        "period_start",
        "period_end",
        "value_kind",
        "value_amount",
        "currency",
        "how_to_request",
        "contact_email",
        "plan_activities",
    )
    CONFIDENTIAL_FIELDS = ("contact_email",)
    RICH_FIELDS = ("description",)
    VOCABULARIES = {
        "support_types": "support-types",
        "subjects": "subjects",
        "gbf_targets": "gbf-targets",
        "aichi_targets": "aichi-targets",
        "target_groups": "target-groups",
    }

    description = text_field(_("description"))
    provider = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
    )
    support_types = terms_field(_("types of support"))
    subjects = terms_field(_("thematic subjects"))
    gbf_targets = terms_field(_("GBF targets"))
    aichi_targets = terms_field(_("Aichi targets"))
    target_groups = terms_field(_("target groups"))
    eligibility = eligibility_field(_("who may ask"), _ELIGIBILITY_HELP)
    capacity = models.PositiveIntegerField(_("requests it can take"), null=True, blank=True)
    languages = languages_field(_("languages of the support"))
    period_start = models.DateField(_("available from"), null=True, blank=True)
    period_end = models.DateField(_("available until"), null=True, blank=True)
    value_kind = models.CharField(_("kind of value"), max_length=10, choices=ValueKind.choices, blank=True)
    value_amount = amount_field(_("value"))
    currency = currency_field()
    how_to_request = text_field(_("how to ask for it"))
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta(SupportRecord.Meta):
        verbose_name = _("offer of support")
        verbose_name_plural = _("offers of support")

    def clean(self) -> None:
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The end comes before the start.")})
        if self.value_amount is not None and not self.currency:
            raise ValidationError({"currency": _("Give the currency of the value.")})

    @property
    def is_open(self) -> bool:
        return self.period_end is None or self.period_end >= timezone.localdate()

    def search_facets(self) -> dict[str, list[str]]:
        """Facets besides its terms (``support.records`` declares those)."""
        return {"status": ["open" if self.is_open else "closed", *self.status_facets()]}


class OpportunityKind(models.TextChoices):
    GRANT = "grant", _("Grant")
    FELLOWSHIP = "fellowship", _("Fellowship")
    INTERNSHIP = "internship", _("Internship")
    SCHOLARSHIP = "scholarship", _("Scholarship")
    TRAINING_PLACE = "training_place", _("Place on a training")
    CALL = "call_for_proposals", _("Call for proposals")


class OpportunityStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Opportunity(SupportRecord):
    """A grant, fellowship, internship, scholarship, training place or call, open until its deadline."""

    RECORD_TYPE = "OPP"
    SUBMISSION_REQUIRED = (("title", _("title")), ("kind", _("kind")), ("deadline", _("deadline")))
    SLUG = "opportunities"
    CONTENT_FIELDS = (
        "original_language",
        "title",
        "kind",
        "description",
        "provider",
        "eligibility",
        "target_groups",
        "subjects",
        "gbf_targets",
        "support_types",
        "deadline",
        "value_amount",
        "currency",
        "how_to_apply",
        "apply_url",
        "plan_activities",
    )
    RICH_FIELDS = ("description", "how_to_apply")
    VOCABULARIES = {
        "target_groups": "target-groups",
        "subjects": "subjects",
        "gbf_targets": "gbf-targets",
        "support_types": "support-types",
    }

    kind = models.CharField(_("kind"), max_length=20, choices=OpportunityKind.choices, blank=True)
    description = text_field(_("description"))
    provider = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
    )
    eligibility = eligibility_field(_("who is eligible"), _ELIGIBILITY_HELP)
    target_groups = terms_field(_("target groups"))
    subjects = terms_field(_("thematic subjects"))
    gbf_targets = terms_field(_("GBF targets"))
    support_types = terms_field(_("types of support"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    value_amount = amount_field(_("value"))
    currency = currency_field()
    how_to_apply = text_field(_("how to apply"))
    apply_url = models.URLField(_("where to apply"), blank=True)
    # Not content: set by the nightly job once the deadline has passed.
    status = models.CharField(
        _("status"), max_length=10, choices=OpportunityStatus.choices, default=OpportunityStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta(SupportRecord.Meta):
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")

    def clean(self) -> None:
        super().clean()
        if self.value_amount is not None and not self.currency:
            raise ValidationError({"currency": _("Give the currency of the value.")})

    @property
    def is_open(self) -> bool:
        """Open, and its deadline not passed: a past deadline closes it even before the job runs."""
        return self.status == OpportunityStatus.OPEN and not self.past_deadline(timezone.localdate())

    def past_deadline(self, today: date) -> bool:
        return self.deadline is not None and self.deadline < today

    @staticmethod
    def open_condition(today: date | None = None) -> Q:
        today = today or timezone.localdate()
        return Q(status=OpportunityStatus.OPEN) & (Q(deadline__isnull=True) | Q(deadline__gte=today))

    def search_facets(self) -> dict[str, list[str]]:
        """Facets besides its terms (``support.records`` declares those)."""
        return {"status": ["open" if self.is_open else "closed", *self.status_facets()]}
