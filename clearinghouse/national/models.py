"""A Party's national targets, from its national biodiversity strategy and action plan (NBSAP),
and its national reports: what needs name and needs assessments cite (action-plan activities 1
and 63). They follow the clearing-house mechanism's ``nationalTarget`` and ``nationalReport``
formats: an identifier for the header, titles and descriptions as {language: text}, GBF targets
as terms of the GBF vocabulary.

They are a Party's reference data, kept directly by its focal point and authorised users (no
review): a target that no longer applies is retired, not deleted, so that the needs naming it
keep their link."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.multilingual import Shown, show
from clearinghouse.core.text import trimmed

# The vocabulary GBF alignments come from (vocabularies/data/gbf-targets.json).
GBF_VOCABULARY = "gbf-targets"

_YEAR = [MinValueValidator(1992), MaxValueValidator(2100)]


def clean_texts(texts: Any) -> dict[str, str]:
    """Texts by language, trimmed, the empty ones left out."""
    if not isinstance(texts, dict):
        return {}
    cleaned = {str(code).strip().lower(): trimmed(str(text or "")) for code, text in texts.items()}
    return {code: text for code, text in cleaned.items() if code and text}


def check_gbf_terms(terms: Iterable[Any]) -> None:
    """A national target aligns with GBF targets only: refuse terms of another vocabulary."""
    wrong = sorted(term.code for term in terms if term.vocabulary.name != GBF_VOCABULARY)
    if wrong:
        raise ValidationError(
            gettext("These are not targets of the Global Biodiversity Framework: %(codes)s.")
            % {"codes": ", ".join(wrong)},
            code="not_gbf",
        )


class NationalTarget(models.Model):
    """One national target of a Party's NBSAP (the CHM's ``nationalTarget``)."""

    identifier = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    party = models.ForeignKey(
        "geo.Country", models.PROTECT, related_name="national_targets", verbose_name=_("Party")
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("As the NBSAP numbers it, e.g. T3."))
    original_language = models.CharField(_("original language"), max_length=10)
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    gbf_targets = models.ManyToManyField(
        "vocabularies.Term", blank=True, related_name="+", verbose_name=_("GBF targets")
    )
    adopted_year = models.PositiveSmallIntegerField(
        _("year adopted"), null=True, blank=True, validators=_YEAR
    )
    nbsap_name = models.CharField(_("NBSAP"), max_length=300, blank=True)
    nbsap_year = models.PositiveSmallIntegerField(_("NBSAP year"), null=True, blank=True, validators=_YEAR)
    nbsap_url = models.URLField(_("NBSAP link"), max_length=500, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["party", "code"]
        constraints = [
            models.UniqueConstraint(fields=["party", "code"], name="national_target_code_per_party"),
            models.CheckConstraint(condition=~Q(code=""), name="national_target_has_code"),
        ]
        verbose_name = _("national target")
        verbose_name_plural = _("national targets")

    def __str__(self) -> str:
        return f"{self.code} · {self.shown_title.text}"

    def label(self) -> str:
        """How the record pages name it (publishing.snapshots)."""
        return str(self)

    @property
    def shown_title(self) -> Shown:
        return show(self.title, self.original_language)

    @property
    def shown_description(self) -> Shown:
        return show(self.description, self.original_language)

    @property
    def is_active(self) -> bool:
        return self.retired_at is None

    def clean(self) -> None:
        self.code = trimmed(self.code)
        self.title = clean_texts(self.title)
        self.description = clean_texts(self.description)
        if not self.title:
            raise ValidationError({"title": gettext("Give the target a title in at least one language.")})
        if self.original_language not in self.title:
            self.original_language = next(iter(self.title))
        if self.nbsap_year and self.adopted_year and self.adopted_year < self.nbsap_year - 1:
            # A target may be adopted the year before its NBSAP is published, not long before.
            raise ValidationError(
                {"adopted_year": gettext("A target cannot be adopted long before the NBSAP it belongs to.")}
            )


class ReportKind(models.TextChoices):
    SIXTH = "nr6", _("Sixth national report")
    SEVENTH = "nr7", _("Seventh national report")
    NBSAP = "nbsap", _("NBSAP")
    VOLUNTARY = "voluntary", _("Voluntary report")


# A Party submits one of each numbered report.
_ONE_PER_PARTY = (ReportKind.SIXTH, ReportKind.SEVENTH)


class NationalReport(models.Model):
    """A national report of a Party (the CHM's ``nationalReport``): its document is a link, or a
    reference to where it is kept (a CHM record's unique identifier, a file name)."""

    identifier = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    party = models.ForeignKey(
        "geo.Country", models.PROTECT, related_name="national_reports", verbose_name=_("Party")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=_YEAR)
    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(_("language"), max_length=10)
    url = models.URLField(_("link"), max_length=500, blank=True)
    document = models.CharField(
        _("document reference"),
        max_length=200,
        blank=True,
        help_text=_("Where the document is kept when it has no link, e.g. CHM-NR7-KE-252780."),
    )
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["party", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "kind"],
                condition=Q(kind__in=[str(kind) for kind in _ONE_PER_PARTY]),
                name="national_report_one_numbered_per_party",
            ),
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(document=""), name="national_report_has_document"
            ),
        ]
        verbose_name = _("national report")
        verbose_name_plural = _("national reports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.year}) · {self.title}"

    def label(self) -> str:
        return str(self)

    @property
    def is_active(self) -> bool:
        return self.retired_at is None

    def clean(self) -> None:
        self.title = trimmed(self.title)
        self.url = self.url.strip()
        self.document = trimmed(self.document)
        if not self.url and not self.document:
            raise ValidationError(
                {"url": gettext("Give a link to the report or say where its document is kept.")}
            )
        if self.kind in _ONE_PER_PARTY and self.party_id is not None:
            others = NationalReport.objects.filter(party_id=self.party_id, kind=self.kind).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError(
                    {
                        "kind": gettext("This Party already has a report of this kind: %(kind)s.")
                        % {"kind": self.get_kind_display()}
                    }
                )


def with_counts(parties: QuerySet[Any]) -> QuerySet[Any]:
    """Parties (Countries) with the number of their national targets and reports in force."""
    in_force = {
        name: Count(name_of, filter=Q(**{f"{name_of}__retired_at__isnull": True}), distinct=True)
        for name, name_of in (("targets", "national_targets"), ("reports", "national_reports"))
    }
    counted: QuerySet[Any] = parties.annotate(**in_force).order_by("code")
    return counted
