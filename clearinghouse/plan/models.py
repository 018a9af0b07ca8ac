"""The short-term action plan on capacity-building (2017-2020) of decision XIII/23, as data.

An Activity holds what the annex says (imported from its Arabic text by ``importer.py``); its
progress and evidence are recorded over time by the Secretariat (``services.py``). Progress is
history: every report is a new row and the current status is derived, never stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES

if TYPE_CHECKING:
    from clearinghouse.vocabularies.models import Term

# The annex was imported from its Arabic version; the other languages are translations added here.
ORIGINAL_LANGUAGE = "ar"
AICHI_VOCABULARY = "aichi-targets"
ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
# "decision XII/2", "decision CP-VIII/7", "decision NP-I/8" (the parser's canonical citations).
DECISION_CITATION = re.compile(r"^decision (?P<number>(?:(?:CP|NP)-)?[IVXLC]+/\d+)$")


class Section(models.TextChoices):
    CROSS_CUTTING = (
        "A",
        _("Cross-cutting activities, tools and services implemented or coordinated by the Secretariat"),
    )
    CONVENTION = (
        "B",
        _(
            "Substantive capacity-building activities for the Convention, by Aichi Biodiversity Target "
            "and cross-cutting theme"
        ),
    )
    NAGOYA = "C", _("Capacity-building activities for the Nagoya Protocol on Access and Benefit-sharing")
    CARTAGENA = "D", _("Capacity-building activities for the Cartagena Protocol on Biosafety")


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    UNDER_WAY = "under_way", _("Under way")
    COMPLETED = "completed", _("Completed")
    DISCONTINUED = "discontinued", _("Discontinued")


class EvidenceKind(models.TextChoices):
    EVENT = "event", _("Event")
    COURSE = "course", _("Course")
    RESOURCE = "resource", _("Resource")
    INITIATIVE = "initiative", _("Initiative")
    PARTNERSHIP = "partnership", _("Partnership")
    MATCH = "match", _("Match between a need and support")
    OTHER = "other", _("Other")


def text_language(text: str) -> str:
    """The language a partner name of the annex is written in: Arabic, or else English."""
    return "ar" if ARABIC_LETTER.search(text) else "en"


@dataclass(frozen=True)
class Period:
    """A reporting period: a calendar year ("2019") or a biennium ("2019-2020")."""

    start: int
    end: int

    def __str__(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}-{self.end}"


PERIOD = re.compile(r"^\s*(?P<start>\d{4})\s*(?:[-\u2010-\u2015]\s*(?P<end>\d{4}))?\s*$")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_period(text: str) -> Period:
    """Read a reporting period; raise ValidationError (for the ``period`` field) otherwise.

    A year ("2019") or a biennium of two consecutive years ("2019-2020", any dash), as the
    Convention plans and reports by biennium and some partners by year.
    """
    match = PERIOD.match(text or "")
    start = int(match["start"]) if match else 0
    end = int(match["end"] or start) if match else 0
    if not match or end not in (start, start + 1) or not FIRST_YEAR <= start <= LAST_YEAR:
        raise ValidationError(
            {
                "period": _(
                    "Give the reporting period as a year (2019) or a biennium of two consecutive "
                    "years (2019-2020)."
                )
            },
            code="invalid_period",
        )
    return Period(start, end)


def multilingual(original: str, translations: dict[str, str]) -> dict[str, str]:
    """{language: text} with the Arabic original, for the ``{% shown %}`` template tag."""
    return {**translations, ORIGINAL_LANGUAGE: original}


class ActivityQuerySet(models.QuerySet["Activity"]):
    def with_current_status(self) -> ActivityQuerySet:
        """Annotate ``current_status`` and ``current_period`` from the latest progress report.

        The latest report is the one for the latest period; within a period, the one recorded
        last (a correction of an earlier period does not hide the news of a later one).
        """
        latest = ActivityProgress.objects.filter(activity=models.OuterRef("pk")).order_by(*PROGRESS_ORDER)
        return self.annotate(
            current_status=models.Subquery(latest.values("status")[:1]),
            current_period=models.Subquery(latest.values("period")[:1]),
        )

    def with_status(self, status: str) -> ActivityQuerySet:
        """Activities whose current status is ``status``; "none" for those with no report yet."""
        annotated = self.with_current_status()
        # Q rather than keyword arguments: the type checker does not see annotations.
        if status == "none":
            return annotated.filter(models.Q(current_status__isnull=True))
        return annotated.filter(models.Q(current_status=status))


class Activity(models.Model):
    """One numbered activity of the annex of decision XIII/23."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    section = models.CharField(_("section"), max_length=1, choices=Section.choices)
    # The heading above the activity in section B (an Aichi target or cross-cutting theme).
    theme = models.TextField(_("theme"), blank=True)
    theme_translations = models.JSONField(_("theme in other languages"), default=dict, blank=True)
    text_original = models.TextField(_("activity (Arabic original)"))
    text_translations = models.JSONField(_("activity in other languages"), default=dict, blank=True)
    priority = models.BooleanField(_("priority"), default=False)
    secretariat = models.BooleanField(_("Secretariat role"), default=False)
    # Citations in one form, "decision XII/2", "decision CP-VIII/7", "decision NP-I/8".
    decisions = models.JSONField(_("decisions"), default=list, blank=True)
    decisions_text = models.TextField(_("decisions as written"), blank=True)
    timeframe_text = models.CharField(_("time frame as written"), max_length=100, blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    partners = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="plan_activities", verbose_name=_("partners")
    )
    # Partner names of the annex that name no registered organisation ("BirdLife", "others").
    other_partners = models.JSONField(_("other partners"), default=list, blank=True)
    partners_text = models.TextField(_("partners as written"), blank=True)
    partners_translations = models.JSONField(_("partners in other languages"), default=dict, blank=True)
    # The GBF targets follow from these through Term.maps_to; they are not stored.
    aichi_targets = models.ManyToManyField(
        "vocabularies.Term",
        blank=True,
        related_name="plan_activities",
        limit_choices_to={"vocabulary__name": AICHI_VOCABULARY},
        verbose_name=_("Aichi Biodiversity Targets"),
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("action plan activity")
        verbose_name_plural = _("action plan activities")

    def __str__(self) -> str:
        return f"{self.number}. {self.text_original[:80]}"

    @property
    def original_language(self) -> str:
        return ORIGINAL_LANGUAGE

    @property
    def texts(self) -> dict[str, str]:
        return multilingual(self.text_original, self.text_translations)

    @property
    def theme_texts(self) -> dict[str, str]:
        return multilingual(self.theme, self.theme_translations)

    @property
    def years(self) -> str:
        """The years of the time frame, "2017-2020" (with an en dash) or "2019"; "" if none."""
        if self.start_year is None or self.end_year is None:
            return ""
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}\u2013{self.end_year}"

    def decision_numbers(self) -> list[str]:
        """The decisions as "XII/2", "CP-VIII/7", for "Decision %(number)s" in any language."""
        return [match["number"] for match in map(DECISION_CITATION.match, self.decisions) if match]

    def other_partner_names(self) -> list[tuple[str, str]]:
        """(name, language) of the partners that are not registered organisations."""
        return [(name, text_language(name)) for name in self.other_partners]

    @property
    def partners_text_language(self) -> str:
        return text_language(self.partners_text)

    @property
    def partners_texts(self) -> dict[str, str]:
        """The partners cell as written, with its translations; written in English for some
        activities, whose original is then English."""
        return {**self.partners_translations, self.partners_text_language: self.partners_text}

    def status_label(self) -> str | Promise:
        """The current status, as annotated by ``with_current_status()``."""
        status = getattr(self, "current_status", None)
        return Status(status).label if status else _("No progress recorded")

    def gbf_targets(self) -> list[Term]:
        """The GBF targets of the activity's Aichi targets (prefetch ``aichi_targets__maps_to``)."""
        found: dict[int, Term] = {}
        for aichi in self.aichi_targets.all():
            for target in aichi.maps_to.all():
                found.setdefault(target.pk, target)
        return sorted(found.values(), key=lambda term: (term.position, term.code))


class ActivityItem(models.Model):
    """An expected output or an indicator: one item of a cell of the annex, in its order."""

    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("text (Arabic original)"))
    translations = models.JSONField(_("text in other languages"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["activity", "position"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def texts(self) -> dict[str, str]:
        return multilingual(self.text, self.translations)


class ActivityOutput(ActivityItem):
    activity = models.ForeignKey(Activity, models.CASCADE, related_name="outputs")

    class Meta(ActivityItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["activity", "position"], name="unique_output_position")
        ]
        verbose_name = _("expected output")
        verbose_name_plural = _("expected outputs")


class ActivityIndicator(ActivityItem):
    activity = models.ForeignKey(Activity, models.CASCADE, related_name="indicators")

    class Meta(ActivityItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["activity", "position"], name="unique_indicator_position")
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")


# Newest first: the latest period, then the latest report within it.
PROGRESS_ORDER = ["-period_end", "-period_start", "-recorded_at", "-pk"]


class ActivityProgress(models.Model):
    """A progress report on an activity for a reporting period. Reports are never changed: a new
    report for the same period supersedes the earlier one and both stay in the history."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="progress")
    # As given, normalised: "2019" or "2019-2020"; its years are kept apart for ordering.
    period = models.CharField(_("reporting period"), max_length=9)
    period_start = models.PositiveSmallIntegerField(_("first year of the period"))
    period_end = models.PositiveSmallIntegerField(_("last year of the period"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    note = models.TextField(_("note"), blank=True)
    note_language = models.CharField(_("language of the note"), max_length=2, choices=LANGUAGE_CHOICES)
    lead = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_progress",
        verbose_name=_("lead organisation"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["activity", *PROGRESS_ORDER]
        indexes = [models.Index(fields=["activity", "period_end", "period_start", "recorded_at"])]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.activity.number} {self.period}: {self.get_status_display()}"

    def clean(self) -> None:
        period = parse_period(self.period)
        self.period, self.period_start, self.period_end = str(period), period.start, period.end


class Evidence(models.Model):
    """A link from an activity to what shows its progress, on the platform or elsewhere."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address (URL)"), max_length=500)
    # The identifier of a record of the platform's registries ("CB-RES-KE-000012"), kept as text
    # because those registries are still being built.
    identifier = models.CharField(_("platform record identifier"), max_length=60, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("added by")
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["activity", "-added_at", "-pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title


class ContributionKind(models.TextChoices):
    INTEREST = "interest", _("Statement of interest")
    REPORT = "report", _("Contribution report")


class ContributionState(models.TextChoices):
    WAITING = "waiting", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Contribution(models.Model):
    """What a partner organisation says it does for an activity: that it implements or intends to
    contribute to it (``interest``), or what it did in a reporting period, with evidence
    (``report``). The Secretariat accepts or declines it (``contributions.py``); only accepted
    ones are public."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="contributions")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        related_name="plan_contributions",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ContributionKind.choices)
    description = models.TextField(_("description"))
    language = models.CharField(_("language of the description"), max_length=2, choices=LANGUAGE_CHOICES)
    # Reports only: "2019" or "2019-2020", its years kept apart for ordering and counting.
    period = models.CharField(_("reporting period"), max_length=9, blank=True)
    period_start = models.PositiveSmallIntegerField(_("first year of the period"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("last year of the period"), null=True, blank=True)
    countries = models.ManyToManyField(
        "geo.Country", blank=True, related_name="plan_contributions", verbose_name=_("countries")
    )
    # Identifiers of published records of the platform, checked when the report is made.
    identifiers = models.JSONField(_("platform record identifiers"), default=list, blank=True)
    url = models.URLField(_("address (URL)"), max_length=500, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ContributionState.choices, default=ContributionState.WAITING
    )
    reason = models.TextField(_("reason for declining"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["state", "submitted_at"])]
        constraints = [
            # One statement of interest per organisation and activity, waiting or accepted: the
            # service says so in words, the database holds it against two requests at once.
            models.UniqueConstraint(
                fields=["activity", "organisation"],
                condition=models.Q(kind="interest", state__in=["waiting", "accepted"]),
                name="one_live_interest_per_organisation",
            )
        ]
        verbose_name = _("contribution to the action plan")
        verbose_name_plural = _("contributions to the action plan")

    def __str__(self) -> str:
        return f"{self.activity.number} {self.organisation}: {self.get_kind_display()}"

    @property
    def direction(self) -> str:
        return "rtl" if self.language == "ar" else "ltr"
