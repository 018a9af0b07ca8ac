"""Needs assessments, needs and requests for assistance: activity 1 of the short-term action
plan. Their fields are those of the common format (formats/needs-<version>.json): the web
forms, the spreadsheet and the XLSForm are generated from that definition, and a test checks
that every field of it is stored here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.text import trimmed
from clearinghouse.geo.models import Country
from clearinghouse.publishing.models import Record, terms_field, text_field


class FormatRecord(Record):
    """A record made in one of the common formats; knows which form of the format it is."""

    FORM: str

    format_version = models.CharField(_("format version"), max_length=10)

    class Meta(Record.Meta):
        abstract = True

    @classmethod
    def code_label(cls, name: str, code: str) -> str | None:
        from clearinghouse.needs.formats import definition

        try:
            field = definition().form(cls.FORM).field(name)
        except KeyError:
            return None
        labels = {choice.value: choice.label() for choice in field.choices}
        return labels.get(code)

    def submission_problems(self, content: dict[str, Any]) -> list[str]:
        from clearinghouse.needs.formats import definition

        form = definition(self.format_version).form(self.FORM)
        missing = [
            field.label()
            for field in form.fields
            if field.required and field.type != "boolean" and not _filled(content.get(field.name))
        ]
        problems = national_problems(self, content)
        if not missing:
            return problems
        return [str(_("Fill in before submitting: %(fields)s.") % {"fields": ", ".join(missing)}), *problems]


def owner_party(record: Record) -> Country | None:
    """The Party whose national targets and reports a record may name: its owner, or the country
    its owning organisation is based in."""
    if record.owner_country_id is not None:
        return record.owner_country
    return record.owner_organisation.country if record.owner_organisation is not None else None


def national_problems(record: Record, content: dict[str, Any]) -> list[str]:
    """The national targets and report a record names must be its own Party's, and in force
    when named; whatever path the content came by (the form, an import), it is not submitted
    otherwise."""
    from clearinghouse.national.models import NationalReport, NationalTarget

    party = owner_party(record)
    problems: list[str] = []
    target_ids = content.get("national_targets") or []
    if target_ids:
        foreign = NationalTarget.objects.filter(pk__in=target_ids).exclude(party=party)
        if party is None or foreign.exists():
            problems.append(str(national_targets_refusal(party)))
    report_id = content.get("national_report")
    if report_id and not NationalReport.objects.filter(pk=report_id, party=party).exists():
        problems.append(str(national_report_refusal(party)))
    return problems


def national_targets_refusal(party: Country | None) -> str:
    if party is None:
        return str(_("Only records of a Party, or of an organisation based in one, name national targets."))
    return str(_("Only national targets of %(party)s can be named here.") % {"party": party.name()})


def national_report_refusal(party: Country | None) -> str:
    if party is None:
        return str(_("Only records of a Party, or of an organisation based in one, cite a national report."))
    return str(_("Only a national report of %(party)s can be cited here.") % {"party": party.name()})


def _filled(value: Any) -> bool:
    if isinstance(value, dict):
        return any(trimmed(str(text)) for text in value.values())
    return value not in (None, "", [])


class Scope(models.TextChoices):
    NATIONAL = "national", _("National")
    SUBNATIONAL = "subnational", _("Subnational")
    IPLC = "iplc", _("Indigenous peoples and local communities")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_MATCHMAKING = "in_matchmaking", _("In matchmaking")
    MATCHED = "matched", _("Matched")
    SUPPORT_UNDER_WAY = "support_under_way", _("Support under way")
    ADDRESSED = "addressed", _("Addressed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The order a need moves through towards being addressed (withdrawn stands outside it).
NEED_PROGRESS = (
    NeedStatus.OPEN,
    NeedStatus.IN_MATCHMAKING,
    NeedStatus.MATCHED,
    NeedStatus.SUPPORT_UNDER_WAY,
    NeedStatus.ADDRESSED,
)


class NeedsAssessment(FormatRecord):
    """A Party's or IPLC organisation's periodic overview of its capacity needs."""

    RECORD_TYPE = "ASMT"
    FORM = "assessment"
    CONTENT_FIELDS = (
        "original_language",
        "format_version",
        "title",
        "scope",
        "period_start",
        "period_end",
        "nbsap",
        "method",
        "participants",
        "participants_total",
        "participants_women",
        "participants_youth",
        "participants_iplc",
        "plan_activities",
        "national_report",
    )

    title = text_field(_("title"))
    # Blank until submission: a draft may be saved at any step (see submission_problems()).
    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices, blank=True)
    period_start = models.PositiveIntegerField(_("from (year)"), null=True, blank=True)
    period_end = models.PositiveIntegerField(_("to (year)"), null=True, blank=True)
    nbsap = text_field(_("plan it serves"))
    method = text_field(_("method"))
    participants = text_field(_("who took part"))
    participants_total = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)
    participants_women = models.PositiveIntegerField(_("of whom women"), null=True, blank=True)
    participants_youth = models.PositiveIntegerField(_("of whom youth"), null=True, blank=True)
    participants_iplc = models.PositiveIntegerField(_("of whom IPLC"), null=True, blank=True)
    # The national report the assessment draws on: one of its own Party's (see national_problems).
    national_report = models.ForeignKey(
        "national.NationalReport",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("national report it draws on"),
    )

    class Meta(FormatRecord.Meta):
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")

    def __str__(self) -> str:
        return self.identifier

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("needs:assessment", args=[self.identifier])


class Need(FormatRecord):
    """One capacity need, in the common format."""

    RECORD_TYPE = "NEED"
    FORM = "need"
    CONTENT_FIELDS = (
        "original_language",
        "format_version",
        "assessment",
        "title",
        "description",
        "gap",
        "outcome",
        "priority",
        "subjects",
        "gbf_targets",
        "aichi_targets",
        "instruments",
        "capacity_levels",
        "support_types",
        "target_groups",
        "beneficiaries",
        "start_year",
        "end_year",
        "estimated_cost",
        "currency",
        "co_financing",
        "support_languages",
        "contact_name",
        "contact_email",
        "plan_activities",
        "national_targets",
    )
    # Seen only by the owner, the reviewers and the help desk.
    CONFIDENTIAL_FIELDS = ("contact_name", "contact_email")

    assessment = models.ForeignKey(
        NeedsAssessment,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("assessment"),
    )
    title = text_field(_("title"))
    description = text_field(_("description"))
    gap = text_field(_("gap it closes"))
    outcome = text_field(_("outcome sought"))
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, blank=True)
    subjects = terms_field(_("thematic subjects"))
    gbf_targets = terms_field(_("GBF targets"))
    aichi_targets = terms_field(_("Aichi targets"))
    instruments = terms_field(_("Convention or protocol"))
    capacity_levels = terms_field(_("capacity levels"))
    support_types = terms_field(_("types of support wanted"))
    target_groups = terms_field(_("target groups"))
    beneficiaries = text_field(_("beneficiaries"))
    start_year = models.PositiveIntegerField(_("needed from"), null=True, blank=True)
    end_year = models.PositiveIntegerField(_("needed until"), null=True, blank=True)
    estimated_cost = models.DecimalField(
        _("estimated cost"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    co_financing = models.DecimalField(
        _("co-financing"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    support_languages = models.JSONField(
        _("languages in which support can be received"), default=list, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # The targets of its own Party's NBSAP the need serves (see national_problems).
    national_targets = models.ManyToManyField(
        "national.NationalTarget", blank=True, related_name="needs", verbose_name=_("national targets")
    )
    status = models.CharField(_("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    # A digest of the spreadsheet row or submission it came from: importing it again finds it.
    import_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta(FormatRecord.Meta):
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return self.identifier

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("needs:need", args=[self.identifier])

    def search_facets(self) -> dict[str, list[str]]:
        """Facets besides its terms (``needs.records`` declares those)."""
        return {"status": [self.status]}


class StatusReason(models.TextChoices):
    """Why the platform changed a need's status. Stored as a code and shown in the reader's
    language; ``%(identifier)s`` is the matched support record, ``%(reason)s`` a person's words."""

    SENT_TO_MATCHMAKING = "sent_to_matchmaking", _("Sent to matchmaking by the help desk.")
    ANSWERED = "answered", _("Answered by the help desk.")
    ANSWER_REOPENED = "answer_reopened", _("The help desk's answer was reopened: %(reason)s")
    MATCH_PROPOSED = "match_proposed", _("A match was proposed: %(identifier)s.")
    MATCH_DECLINED = "match_declined", _("A match was declined: %(identifier)s.")
    MATCH_AGREED = "match_agreed", _("A match was agreed: %(identifier)s.")
    SUPPORT_STARTED = "support_started", _("Support under way: %(identifier)s.")
    SUPPORT_COMPLETED = "support_completed", _("Support completed: %(identifier)s.")
    MATCH_CANCELLED = "match_cancelled", _("A match was cancelled: %(identifier)s.")


class NeedStatusChange(models.Model):
    """Every change of a need's status, dated: the monitoring indicators count them over time.
    A change the platform made carries its ``reason`` (and the record or words it names in
    ``detail``); a person's own words go in ``note``."""

    need = models.ForeignKey(Need, models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=20, choices=NeedStatus.choices)
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=30, choices=StatusReason.choices, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["need", "changed_at"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.need_id} {self.status} {self.changed_at:%Y-%m-%d}"

    @property
    def explanation(self) -> str:
        """Why the status changed, in the reader's language."""
        if not self.reason:
            return self.note
        return str(StatusReason(self.reason).label) % {"identifier": self.detail, "reason": self.detail}


class Request(FormatRecord):
    """A request for assistance: one or more needs turned into a concrete request."""

    RECORD_TYPE = "REQ"
    FORM = "request"
    CONTENT_FIELDS = (
        "original_language",
        "format_version",
        "needs",
        "title",
        "asked",
        "deliverables",
        "duration_months",
        "modalities",
        "contribution",
        "contribution_amount",
        "currency",
        "consent_to_share",
        "plan_activities",
    )

    needs = models.ManyToManyField(Need, blank=True, related_name="requests", verbose_name=_("needs"))
    title = text_field(_("title"))
    asked = text_field(_("what is asked"))
    deliverables = text_field(_("expected deliverables"))
    duration_months = models.PositiveIntegerField(_("duration (months)"), null=True, blank=True)
    modalities = models.JSONField(_("preferred modality"), default=list, blank=True)
    contribution = text_field(_("your contribution"))
    contribution_amount = models.DecimalField(
        _("value of your contribution"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    consent_to_share = models.BooleanField(_("shared with potential providers"), default=False)

    class Meta(FormatRecord.Meta):
        verbose_name = _("request for assistance")
        verbose_name_plural = _("requests for assistance")

    def __str__(self) -> str:
        return self.identifier

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("needs:request", args=[self.identifier])
