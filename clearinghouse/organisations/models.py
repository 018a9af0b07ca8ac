from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES, content_language


def free_codes(acronyms: list[str]) -> list[str]:
    """A code for each acronym that no organisation holds, none given twice: the Latin letters
    and digits of the acronym (ORG when it has none), made unique with a number. One query."""
    stems = [
        re.sub(r"[^A-Z0-9]", "", unicodedata.normalize("NFKD", acronym).upper())[:12] or "ORG"
        for acronym in acronyms
    ]
    starts = models.Q()
    for stem in set(stems):
        starts |= models.Q(code__startswith=stem)
    taken = set(Organisation.objects.filter(starts).values_list("code", flat=True)) if stems else set()
    codes = []
    for stem in stems:
        code, number = stem, 1
        while code in taken:
            number += 1
            code = f"{stem}{number}"
        taken.add(code)
        codes.append(code)
    return codes


class OrganisationType(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    IPLC = "iplc", _("Indigenous peoples' or local community organisation")
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organisation")
    NGO = "ngo", _("Non-governmental organisation")
    ACADEMIC = "academic", _("Academic or research institution")
    EDUCATION = "education_training", _("Education and training institution")
    PRIVATE = "private_sector", _("Private sector")
    FUNDING = "funding_body", _("Funding body")
    UN_BODY = "un_body", _("United Nations body")


class Organisation(models.Model):
    """An organisation that needs, offers or takes part in capacity-building."""

    # Stable short code used in public record identifiers (CB-OFFER-IFDD-000012); set once.
    code = models.CharField(_("code"), max_length=16, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=300)
    name_language = models.CharField(_("language of the name"), max_length=2, choices=LANGUAGE_CHOICES)
    # Names in other languages, as {language code: name}; the original stays in `name`.
    name_translations = models.JSONField(_("name in other languages"), default=dict, blank=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    type = models.CharField(_("type"), max_length=30, choices=OrganisationType.choices)
    country = models.ForeignKey(
        "geo.Country",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("country"),
        help_text=_("Where it is based; leave empty for international organisations."),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    # Shown through core.pictures at the sizes of the pages and lists, never as uploaded.
    logo = models.ImageField(_("logo"), upload_to="pictures/originals/logos/", blank=True, max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["acronym"])]

    def __str__(self) -> str:
        return self.display_name()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.code:
            self.code = free_codes([self.acronym])[0]
        super().save(*args, **kwargs)

    def display_name(self, language: str | None = None) -> str:
        """The name in the reader's language when there is one, else the original name."""
        return str(self.name_translations.get(content_language(language)) or self.name)

    def display_language(self, language: str | None = None) -> str:
        """The language of ``display_name``: the reader's when there is a translation."""
        wanted = content_language(language)
        return wanted if self.name_translations.get(wanted) else self.name_language

    def clean(self) -> None:
        if self.type == OrganisationType.GOVERNMENT and self.country_id is None:
            raise ValidationError({"country": _("A government organisation belongs to a country.")})

    @property
    def is_international(self) -> bool:
        return self.country_id is None
