"""The register of national clearing-house mechanisms (CHMs): per Party, its national CHM's
website, status, technology, public contacts and languages, with the dated history of its status
(so that the Parties with a functional national CHM can be counted at the end of any past
period, action-plan activity 72), and the requests for support to build or improve it, each a
need of the Party in the needs registry."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clearinghouse.core.languages import validate_language_code


class Status(models.TextChoices):
    # In context: the words agree with "mechanism" where languages have genders.
    PLANNED = "planned", pgettext_lazy("national CHM", "Planned")
    FUNCTIONAL = "functional", pgettext_lazy("national CHM", "Functional")
    INACTIVE = "inactive", pgettext_lazy("national CHM", "Inactive")


class Technology(models.TextChoices):
    BIOLAND = "bioland", _("Bioland")
    DRUPAL = "drupal", _("Drupal")
    WORDPRESS = "wordpress", _("WordPress")
    OTHER = "other", _("Other")


class NationalCHM(models.Model):
    """A Party's national clearing-house mechanism, one per Party. ``status`` and
    ``status_since`` repeat its current entry in ``history`` (kept together by the services), so
    that lists read them without reading the history."""

    party = models.OneToOneField(
        "geo.Country", models.PROTECT, related_name="national_chm", verbose_name=_("Party")
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    status_since = models.DateField(_("status since"))
    technology = models.CharField(_("technology"), max_length=12, choices=Technology.choices, blank=True)
    technology_detail = models.CharField(
        _("technology (details)"),
        max_length=200,
        blank=True,
        help_text=_("The software or platform when it is none of those listed, or its version."),
    )
    # ISO 639 codes of the site's languages (national and local languages too).
    languages = models.JSONField(_("languages of the site"), default=list, blank=True)
    # The office that answers for the site: a public contact, never a person's own account.
    contact_office = models.CharField(_("office in charge"), max_length=300, blank=True)
    contact_email = models.EmailField(_("public e-mail address"), blank=True)
    last_checked = models.DateField(_("last checked"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["party__code"]
        verbose_name = _("national clearing-house mechanism")
        verbose_name_plural = _("national clearing-house mechanisms")
        constraints = [
            # A functional CHM is one people can visit.
            models.CheckConstraint(
                condition=~Q(status=Status.FUNCTIONAL) | ~Q(website=""), name="nodes_functional_has_website"
            ),
        ]

    def __str__(self) -> str:
        return str(_("National CHM of %(party)s") % {"party": self.party.name()})

    def get_absolute_url(self) -> str:
        """The Party's country page, where its national CHM is shown."""
        return reverse("nodes:country", args=[self.party.code.lower()])

    def clean(self) -> None:
        problems: dict[str, list[str]] = {}
        if self.status == Status.FUNCTIONAL and not self.website:
            problems.setdefault("website", []).append(
                str(_("A functional national clearing-house mechanism has a website: give its address."))
            )
        if self.technology == Technology.OTHER and not self.technology_detail.strip():
            problems.setdefault("technology_detail", []).append(str(_("Name the technology the site uses.")))
        if not isinstance(self.languages, list):
            problems.setdefault("languages", []).append(str(_("Give the languages as a list.")))
        else:
            for code in self.languages:
                try:
                    validate_language_code(code)
                except ValidationError as error:
                    problems.setdefault("languages", []).extend(error.messages)
        if self.last_checked and self.last_checked > timezone.localdate():
            problems.setdefault("last_checked", []).append(
                str(_("The site cannot be checked in the future."))
            )
        if problems:
            raise ValidationError(problems)


class StatusChange(models.Model):
    """One status of a national CHM and the days it held: from ``since`` until the next change
    (``until``, empty for the current status). At most one current status per CHM."""

    chm = models.ForeignKey(NationalCHM, models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    since = models.DateField(_("from"))
    until = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["chm", "since", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [
            models.UniqueConstraint(
                fields=["chm"], condition=Q(until__isnull=True), name="nodes_one_current_status"
            ),
            models.UniqueConstraint(fields=["chm", "since"], name="nodes_one_status_per_day"),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gt=F("since")),
                name="nodes_status_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.since.isoformat()})"


class SupportRequest(models.Model):
    """A request for support to build or improve a national CHM. The request itself is a need
    of the Party (needs registry, action-plan activity 72), searched and matched like any need;
    this row ties it to the CHM it is for."""

    chm = models.ForeignKey(NationalCHM, models.CASCADE, related_name="support_requests")
    need = models.OneToOneField("needs.Need", models.PROTECT, related_name="+", verbose_name=_("need"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)

    class Meta:
        ordering = ["-asked_at", "-pk"]
        verbose_name = _("request for support")
        verbose_name_plural = _("requests for support")

    def __str__(self) -> str:
        return f"{self.chm} · {self.need.identifier}"
