from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import pick_label


class RegionalGroup(models.TextChoices):
    """The five UN regional groups, as used for the Convention's bureau."""

    AFRICA = "Africa", _("Africa")
    ASIA_PACIFIC = "Asia-Pacific", _("Asia-Pacific")
    EASTERN_EUROPE = "Eastern Europe", _("Eastern Europe")
    LATIN_AMERICA_CARIBBEAN = "Latin America and Caribbean", _("Latin America and Caribbean")
    WEOG = "Western Europe and Others", _("Western Europe and Others")


class CountryGroup(models.TextChoices):
    """Groups of countries that eligibility rules and filters name."""

    LDC = "LDC", _("Least developed countries")
    SIDS = "SIDS", _("Small island developing States")
    ARAB_STATES = "Arab States", _("League of Arab States")
    DEVELOPING = "developing", _("Developing countries")
    EIT = "EIT", _("Economies in transition")


class Region(models.Model):
    """A UN M49 region, subregion or intermediate region, named in the six languages."""

    class Level(models.TextChoices):
        REGION = "region", _("region")
        SUBREGION = "subregion", _("subregion")
        INTERMEDIATE = "intermediate", _("intermediate region")

    code = models.CharField(_("M49 code"), max_length=3, unique=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    names = models.JSONField(_("names"), default=dict)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name()

    def name(self, language: str | None = None) -> str:
        return pick_label(self.names, language) or self.code


class Country(models.Model):
    """A country or territory of ISO 3166-1, with its status under the Convention and its groups."""

    code = models.CharField(_("ISO code"), max_length=2, unique=True)
    alpha3 = models.CharField(_("ISO alpha-3 code"), max_length=3, unique=True)
    m49 = models.CharField(_("M49 code"), max_length=3, blank=True)
    names = models.JSONField(_("names"), default=dict)
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+")
    subregion = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+")
    intermediate_region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+")
    regional_group = models.CharField(
        _("UN regional group"), max_length=30, choices=RegionalGroup.choices, blank=True
    )
    cbd_party = models.BooleanField(_("Party to the Convention"), default=False)
    cartagena_party = models.BooleanField(_("Party to the Cartagena Protocol"), default=False)
    nagoya_party = models.BooleanField(_("Party to the Nagoya Protocol"), default=False)
    arab_league = models.BooleanField(_("member of the League of Arab States"), default=False)
    developing = models.BooleanField(_("developing country"), default=False)
    ldc = models.BooleanField(_("least developed country"), default=False)
    sids = models.BooleanField(_("small island developing State"), default=False)
    economy_in_transition = models.BooleanField(_("economy in transition"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name()

    def name(self, language: str | None = None) -> str:
        return pick_label(self.names, language) or self.code

    @property
    def groups(self) -> list[str]:
        """The CountryGroup codes this country belongs to."""
        flags = {
            CountryGroup.LDC: self.ldc,
            CountryGroup.SIDS: self.sids,
            CountryGroup.ARAB_STATES: self.arab_league,
            CountryGroup.DEVELOPING: self.developing,
            CountryGroup.EIT: self.economy_in_transition,
        }
        return [str(group) for group, member in flags.items() if member]

    def is_eligible_under(self, labels: list[str]) -> bool:
        """Whether an eligibility list (ISO codes, regional groups, group codes, "global") admits
        this country. An empty list admits everyone."""
        if not labels or "global" in labels:
            return True
        admitted = {self.code, self.regional_group, *self.groups}
        return any(label in admitted for label in labels)
