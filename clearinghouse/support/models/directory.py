"""Who supports: provider profiles (education and training institutions and networks
included), partnerships with the Secretariat or a Party, and experts."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from clearinghouse.publishing.models import terms_field, text_field
from clearinghouse.support.models.common import (
    SupportRecord,
    eligibility_field,
    languages_field,
    urls_field,
)


class Provider(SupportRecord):
    """An organisation's profile as a provider of support."""

    RECORD_TYPE = "PROV"
    SUBMISSION_REQUIRED = (("title", _("title")), ("organisation", _("organisation")))
    SLUG = "providers"
    CONTENT_FIELDS = (
        "original_language",
        "title",
        "organisation",
        "description",
        "subjects",
        "support_types",
        "regions_served",
        "languages",
        "website",
        "contact_name",
        "contact_email",
        "contact_phone",
        "contact_public",
        "plan_activities",
    )
    # Shown to everyone only when the provider ticks contact_public.
    CONFIDENTIAL_FIELDS = ("contact_name", "contact_email", "contact_phone")
    RICH_FIELDS = ("description",)
    VOCABULARIES = {"subjects": "subjects", "support_types": "support-types"}

    organisation = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    description = text_field(_("description"))
    subjects = terms_field(_("areas of expertise"))
    support_types = terms_field(_("types of support offered"))
    regions_served = eligibility_field(
        _("regions served"), _("Country codes, UN regional groups, groups or “global”.")
    )
    languages = languages_field(_("working languages"))
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    contact_public = models.BooleanField(_("show the contact details to everyone"), default=False)

    class Meta(SupportRecord.Meta):
        verbose_name = _("provider profile")
        verbose_name_plural = _("provider profiles")

    def discloses_confidential(self) -> bool:
        return self.contact_public

    def search_facets(self) -> dict[str, list[str]]:
        """Facets besides its terms (``support.records`` declares those)."""
        return {"status": self.status_facets()}


class PartnershipKind(models.TextChoices):
    AGREEMENT = "agreement", _("Memorandum or agreement of cooperation")
    JOINT_PROGRAMME = "joint_programme", _("Joint programme")
    TRAINING = "training", _("Training partnership")
    NETWORK = "network", _("Network membership")
    OTHER = "other", _("Other")


class Counterpart(models.TextChoices):
    SECRETARIAT = "secretariat", _("The Secretariat of the Convention")
    PARTY = "party", _("A Party")


class Partnership(SupportRecord):
    """A partnership between the Secretariat or a Party and an institution."""

    RECORD_TYPE = "PART"
    SUBMISSION_REQUIRED = (("title", _("title")), ("institution", _("institution")), ("kind", _("type")))
    SLUG = "partnerships"
    CONTENT_FIELDS = (
        "original_language",
        "title",
        "counterpart",
        "institution",
        "kind",
        "start_date",
        "end_date",
        "scope",
        "materials",
        "material_links",
        "subjects",
        "plan_activities",
    )
    RICH_FIELDS = ("scope", "materials")
    VOCABULARIES = {"subjects": "subjects"}

    counterpart = models.CharField(
        _("partnership of"), max_length=12, choices=Counterpart.choices, blank=True
    )
    institution = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institution"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=PartnershipKind.choices, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    scope = text_field(_("scope"))
    materials = text_field(_("materials produced"))
    material_links = urls_field(_("links to the materials"))
    subjects = terms_field(_("thematic subjects"))

    class Meta(SupportRecord.Meta):
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end comes before the start.")})
        if self.counterpart == Counterpart.PARTY and self.owner_country_id is None:
            raise ValidationError({"counterpart": _("A Party's partnership is registered by that Party.")})

    def search_facets(self) -> dict[str, list[str]]:
        """Facets besides its terms (``support.records`` declares those)."""
        return {"status": self.status_facets()}


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    LIMITED = "limited", _("Available for short assignments")
    UNAVAILABLE = "unavailable", _("Not available at present")


class Expert(SupportRecord):
    """A person's expertise. Name, e-mail and biography are shown only with the expert's consent;
    the expert (``expert_user``) may edit the profile whatever their role."""

    RECORD_TYPE = "EXP"
    SUBMISSION_REQUIRED = (("title", _("title")), ("name", _("name")), ("subjects", _("areas of expertise")))
    SLUG = "experts"
    SUBJECT_FIELD = "expert_user"
    CONTENT_FIELDS = (
        "original_language",
        "title",
        "name",
        "email",
        "biography",
        "consent_to_publish",
        "subjects",
        "support_types",
        "gbf_targets",
        "languages",
        "countries",
        "availability",
        "availability_note",
        "plan_activities",
    )
    CONFIDENTIAL_FIELDS = ("name", "email", "biography")
    RICH_FIELDS = ("biography",)
    VOCABULARIES = {"subjects": "subjects", "support_types": "support-types", "gbf_targets": "gbf-targets"}

    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    biography = text_field(_("biography"))
    consent_to_publish = models.BooleanField(
        _("I agree that my name, e-mail and biography are public"), default=False
    )
    subjects = terms_field(_("areas of expertise"))
    support_types = terms_field(_("types of support"))
    gbf_targets = terms_field(_("GBF targets"))
    languages = languages_field(_("languages"))
    countries = models.ManyToManyField(
        "geo.Country", blank=True, related_name="+", verbose_name=_("countries of experience")
    )
    availability = models.CharField(
        _("availability"), max_length=12, choices=Availability.choices, blank=True
    )
    availability_note = text_field(_("about availability"))
    # Not content: who the profile is about. That person may always edit it (SUBJECT_FIELD).
    expert_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_profiles",
        verbose_name=_("expert's account"),
    )

    class Meta(SupportRecord.Meta):
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def discloses_confidential(self) -> bool:
        return self.consent_to_publish

    def search_facets(self) -> dict[str, list[str]]:
        """Facets besides its terms (``support.records`` declares those)."""
        return {"status": self.status_facets()}
