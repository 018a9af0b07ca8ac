"""Monitoring and evaluation of the action plan (activity 8): indicators as data, their computed
values per period kept as snapshots, values entered by hand and reviewed, and the biennial
progress reports (after DHIS2's indicators and IATI's results).

An indicator's computation names measures (``publishing.registry.Measure``), never SQL: the apps
that own the facts declare them. Values are computed for a period by ``compute.py``; each
computation is kept whole, so a report reads the numbers of the computation it was built from.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES


class Area(models.TextChoices):
    """The areas the public statistics pages are cut by."""

    NEEDS = "needs", _("Needs")
    SUPPORT = "support", _("Support")
    MATCHMAKING = "matchmaking", _("Matchmaking")
    EVENTS = "events", _("Events")
    LEARNING = "learning", _("Learning")
    HELPDESK = "helpdesk", _("Help desk")
    COMMUNITIES = "communities", _("Communities")
    QUALITY = "quality", _("Quality assurance")
    PLAN = "plan", _("Action plan")


class Unit(models.TextChoices):
    COUNT = "count", _("Number")
    SHARE = "share", _("Percentage")
    AMOUNT = "amount", _("Amount")
    MEDIAN_DAYS = "median_days", _("Median days")


class Method(models.TextChoices):
    COMPUTED = "computed", _("Computed from the platform's data")
    MANUAL = "manual", _("Entered with evidence")
    NOT_YET = "not_yet", _("Not yet possible")


class Direction(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")
    NEUTRAL = "neutral", _("Neither")


class Indicator(models.Model):
    """One measure of progress of an activity of the plan: one of the annex's indicator items, or
    one part of an item that joins two measures ("partnerships; co-funding mobilised").

    A computed indicator is ``numerator`` (a measure's code) counted over the period, divided by
    ``denominator`` when there is one, times ``factor``; ``activity_only`` counts only what names
    the indicator's activity; ``cumulative`` counts everything up to the period's end.
    """

    code = models.CharField(_("code"), max_length=12, unique=True)
    activity = models.ForeignKey(
        "plan.Activity", models.CASCADE, related_name="monitoring_indicators", verbose_name=_("activity")
    )
    # The annex's item it comes from; part 1, 2... when the item joins several measures.
    item = models.ForeignKey(
        "plan.ActivityIndicator",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="monitoring_indicators",
        verbose_name=_("indicator of the annex"),
    )
    part = models.PositiveSmallIntegerField(_("part"), default=1)
    position = models.PositiveIntegerField(_("position"), default=0)
    area = models.CharField(_("area"), max_length=12, choices=Area.choices)
    # {language: text}; empty: the annex item's own texts.
    names = models.JSONField(_("name"), default=dict, blank=True)
    definitions = models.JSONField(_("definition"), default=dict, blank=True)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices, default=Unit.COUNT)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    # Why the platform cannot compute it (manual or not yet possible), {language: text}.
    reasons = models.JSONField(_("why not computed"), default=dict, blank=True)
    numerator = models.CharField(_("numerator"), max_length=60, blank=True)
    denominator = models.CharField(_("denominator"), max_length=60, blank=True)
    factor = models.PositiveIntegerField(_("factor"), default=1)
    activity_only = models.BooleanField(_("only what serves this activity"), default=False)
    cumulative = models.BooleanField(_("cumulative"), default=False)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.UP
    )
    # Dimension codes the values are broken down by (region, party, gender...).
    disaggregations = models.JSONField(_("disaggregations"), default=list, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.FloatField(_("baseline value"), null=True, blank=True)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(method="computed") | ~Q(numerator=""),
                name="computed_indicator_has_numerator",
            ),
            models.CheckConstraint(
                condition=Q(unit="amount") | Q(currency=""), name="only_amounts_have_currency"
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True, baseline_value__isnull=True)
                | Q(baseline_year__isnull=False, baseline_value__isnull=False),
                name="baseline_has_year_and_value",
            ),
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        if self.method == Method.COMPUTED and not self.numerator:
            raise ValidationError({"numerator": _("A computed indicator needs a numerator.")})
        if self.unit == Unit.AMOUNT and not self.currency:
            raise ValidationError({"currency": _("An amount needs its currency.")})

    @property
    def texts(self) -> dict[str, str]:
        """The name in each language: its own, else the annex item's."""
        if self.names:
            return dict(self.names)
        return self.item.texts if self.item is not None else {}


class Target(models.Model):
    """What an indicator should reach in a reporting period (a year or a biennium)."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="targets")
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    value = models.FloatField(_("target"))

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_start", "period_end"], name="unique_target"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="target_period_order"
            ),
        ]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_start}-{self.period_end}: {self.value}"


class Computation(models.Model):
    """One computation of every indicator for a period (from ``start`` to ``end``, both days
    included): a snapshot of values kept for history; the latest finished one of a period is
    current."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["start", "end", "state", "finished_at"], name="computation_current")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="computation_period_order"),
        ]
        verbose_name = _("computation")
        verbose_name_plural = _("computations")

    def __str__(self) -> str:
        return f"{self.start}..{self.end} {self.state}"


class Value(models.Model):
    """An indicator's value in one computation: the total (``dimension`` and ``key`` empty) or one
    cell of a disaggregation (``dimension`` "region", ``key`` "africa"). ``people`` marks a count
    of people: a cell under the public threshold is not shown publicly."""

    computation = models.ForeignKey(Computation, models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="values")
    dimension = models.CharField(_("disaggregation"), max_length=30, blank=True)
    key = models.CharField(_("value of the disaggregation"), max_length=60, blank=True)
    numerator = models.FloatField(_("numerator"), null=True, blank=True)
    denominator = models.FloatField(_("denominator"), null=True, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    people = models.BooleanField(_("counts people"), default=False)

    class Meta:
        ordering = ["indicator", "dimension", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["computation", "indicator", "dimension", "key"], name="unique_value"
            ),
            models.CheckConstraint(condition=~Q(dimension="") | Q(key=""), name="total_has_no_key"),
        ]
        verbose_name = _("value")
        verbose_name_plural = _("values")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.dimension}:{self.key} = {self.value}"


class ManualValue(models.Model):
    """A value the platform cannot know, entered with its evidence and reviewed by the
    Secretariat before it counts (like a record)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for changes")

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="manual_values")
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    value = models.FloatField(_("value"))
    evidence = models.TextField(_("evidence"))
    evidence_url = models.URLField(_("address of the evidence"), max_length=500, blank=True)
    language = models.CharField(_("language of the evidence"), max_length=2, choices=LANGUAGE_CHOICES)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SUBMITTED)
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
    review_note = models.TextField(_("reviewer's note"), blank=True)

    class Meta:
        ordering = ["indicator", "-period_start", "-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="manual_period_order"
            ),
            models.CheckConstraint(
                condition=Q(state="submitted") | Q(reviewed_at__isnull=False), name="manual_reviewed_has_date"
            ),
        ]
        verbose_name = _("value entered by hand")
        verbose_name_plural = _("values entered by hand")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_start}-{self.period_end}: {self.value} ({self.state})"


class Report(models.Model):
    """A progress report for a period (the biennium before a meeting of the Conference), built
    from one computation, with the Secretariat's narrative per section and language."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    title = models.JSONField(_("title"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # The numbers the report shows; kept with it so the same report always shows the same.
    computation = models.ForeignKey(
        Computation, models.PROTECT, null=True, blank=True, related_name="reports", verbose_name=_("data")
    )
    # The gap analysis as it stood when the data was taken (numbers and keys, no labels): the
    # records it reads keep changing, the report does not.
    gaps = models.JSONField(_("gap analysis"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="report_period_order"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(published_at__isnull=False, computation__isnull=False),
                name="published_report_has_data",
            ),
        ]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.period_start}-{self.period_end} ({self.state})"


class ReportSection(models.Model):
    """The Secretariat's narrative for one section of a report, {language: text}."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="sections")
    section = models.CharField(_("section"), max_length=40)
    texts = models.JSONField(_("narrative"), default=dict, blank=True)

    class Meta:
        ordering = ["report", "section"]
        constraints = [models.UniqueConstraint(fields=["report", "section"], name="unique_report_section")]
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")

    def __str__(self) -> str:
        return f"{self.report_id} {self.section}"


class ReportFile(models.Model):
    """A built file of a report: one format in one language, kept under REPORTS_ROOT (``path``
    is relative to it; report_documents.stored_path also reads the earlier "reports/…" form)."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"

    report = models.ForeignKey(Report, models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=7, choices=LANGUAGE_CHOICES)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    path = models.CharField(_("file"), max_length=300)
    size = models.PositiveIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    built_at = models.DateTimeField(_("built"), auto_now=True)

    class Meta:
        ordering = ["report", "language", "format"]
        constraints = [
            models.UniqueConstraint(fields=["report", "language", "format"], name="unique_report_file")
        ]
        verbose_name = _("report file")
        verbose_name_plural = _("report files")

    def __str__(self) -> str:
        return f"{self.report_id} {self.language}.{self.format}"
