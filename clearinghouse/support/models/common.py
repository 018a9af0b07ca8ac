"""What every record type of the support registry shares: multilingual and rich texts,
eligibility lists, the yearly confirmation that a record is still accurate, and staleness."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any, ClassVar, cast

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import is_language_code
from clearinghouse.geo.models import CountryGroup, RegionalGroup
from clearinghouse.publishing.models import Record, text_field
from clearinghouse.support.sanitising import clean_texts

# A record neither confirmed nor published for this long is flagged stale.
STALE_AFTER = timedelta(days=730)
# Owners are reminded to confirm a record this long after it was last confirmed or published.
REMINDER_AFTER = timedelta(days=365)

_ISO_CODE = re.compile(r"^[A-Z]{2}$")


def eligibility_labels() -> set[str]:
    """Labels an eligibility list may hold besides ISO country codes."""
    return {
        "global",
        *(str(group.value) for group in RegionalGroup),
        *(str(group.value) for group in CountryGroup),
    }


def validate_eligibility(value: Any) -> None:
    """A list of ISO 3166-1 codes, UN regional groups, country groups or "global"
    (the labels ``Country.is_eligible_under`` understands)."""
    from clearinghouse.geo.models import Country

    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Give a list of country codes, regional groups or groups."), code="invalid")
    named = eligibility_labels()
    codes = {item for item in value if item not in named}
    bad = sorted(item for item in codes if not _ISO_CODE.match(item))
    known = set(Country.objects.filter(code__in=codes - set(bad)).values_list("code", flat=True))
    bad += sorted(codes - set(bad) - known)
    if bad:
        raise ValidationError(
            _("Unknown countries or groups: %(labels)s."), params={"labels": ", ".join(bad)}, code="unknown"
        )


def validate_languages(value: Any) -> None:
    if not isinstance(value, list) or not all(is_language_code(item) for item in value):
        raise ValidationError(
            _("Give languages as ISO 639 codes (ISO 639-1 where there is one, else ISO 639-3)."),
            code="invalid",
        )


def validate_urls(value: Any) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Give a list of web addresses."), code="invalid")
    check = URLValidator(schemes=["http", "https"])
    for item in value:
        try:
            check(item)
        except ValidationError:
            raise ValidationError(
                _("Not a valid web address: %(url)s"), params={"url": str(item)[:200]}, code="invalid_url"
            ) from None


def model_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """A concrete field of the model (content fields never name reverse relations)."""
    return cast("models.Field[Any, Any]", model._meta.get_field(name))


def eligibility_field(verbose_name: Any, help_text: Any = "") -> models.JSONField[Any]:
    return models.JSONField(
        verbose_name, default=list, blank=True, validators=[validate_eligibility], help_text=help_text
    )


def languages_field(verbose_name: Any) -> models.JSONField[Any]:
    return models.JSONField(verbose_name, default=list, blank=True, validators=[validate_languages])


def urls_field(verbose_name: Any) -> models.JSONField[Any]:
    return models.JSONField(verbose_name, default=list, blank=True, validators=[validate_urls])


def amount_field(verbose_name: Any) -> models.DecimalField[Any, Any]:
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=2, null=True, blank=True)


def currency_field() -> models.CharField[Any, Any]:
    return models.CharField(_("currency"), max_length=3, blank=True)


class SupportRecord(Record):
    """A record of the support registry: published through the workflow, confirmed yearly."""

    # The URL segment of its pages (/support/offers/...) and of its API (/api/v1/offers/).
    SLUG: ClassVar[str]
    # Multilingual fields that hold rich text (sanitised HTML); the others are plain text.
    RICH_FIELDS: ClassVar[tuple[str, ...]] = ()
    # Term fields and the vocabulary their terms come from (forms, filters, imports).
    VOCABULARIES: ClassVar[dict[str, str]] = {}
    # What must be filled in before submission, with the name the problem gives it; forms mark
    # these fields as required from the start.
    SUBMISSION_REQUIRED: ClassVar[tuple[tuple[str, str | Promise], ...]] = ()

    title = text_field(_("title"))
    confirmed_at = models.DateTimeField(_("confirmed as accurate"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True, editable=False)

    objects = models.Manager()

    class Meta(Record.Meta):
        abstract = True

    @classmethod
    def code_label(cls, name: str, code: str) -> str | None:
        """An eligibility entry (everyone, a group, a country) named in the reader's language."""
        from clearinghouse.geo.models import Country

        if name not in {"eligibility", "regions_served"}:
            return None
        if code == "global":
            return str(_("Everyone (global)"))
        for group in (*RegionalGroup, *CountryGroup):
            if code == str(group.value):
                return str(group.label)
        country = Country.objects.filter(code=code).first()
        return country.name() if country else None

    def submission_problems(self, content: dict[str, Any]) -> list[str]:
        missing = [str(label) for name, label in self.SUBMISSION_REQUIRED if not content.get(name)]
        if not missing:
            return []
        return [str(_("Fill in before submitting: %(fields)s.") % {"fields": ", ".join(missing)})]

    def __str__(self) -> str:
        return self.identifier

    def clean(self) -> None:
        super().clean()
        # Sanitised on every save through the workflow, so no revision ever holds a script.
        for name in self.RICH_FIELDS:
            setattr(self, name, clean_texts(getattr(self, name)))

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("support:detail", args=[self.SLUG, self.identifier])

    @property
    def freshness(self) -> datetime | None:
        """When someone last vouched for the record: confirmed it, or published it."""
        dates = [moment for moment in (self.confirmed_at, self.last_published_at) if moment is not None]
        return max(dates) if dates else None

    @property
    def stale(self) -> bool:
        """Published, and neither confirmed nor published again for two years."""
        fresh = self.freshness
        return self.live and fresh is not None and fresh < timezone.now() - STALE_AFTER

    @staticmethod
    def stale_condition(now: datetime | None = None) -> Q:
        """The database condition for ``stale``: both dates older than two years."""
        cutoff = (now or timezone.now()) - STALE_AFTER
        return Q(live=True, last_published_at__lt=cutoff) & (
            Q(confirmed_at__isnull=True) | Q(confirmed_at__lt=cutoff)
        )

    @staticmethod
    def reminder_condition(now: datetime | None = None) -> Q:
        """Published records last vouched for a year ago or more, not reminded since a year."""
        cutoff = (now or timezone.now()) - REMINDER_AFTER
        return (
            Q(live=True, last_published_at__lt=cutoff)
            & (Q(confirmed_at__isnull=True) | Q(confirmed_at__lt=cutoff))
            & (Q(reminded_at__isnull=True) | Q(reminded_at__lt=cutoff))
        )

    def status_facets(self) -> list[str]:
        return ["stale"] if self.stale else []
