"""What the support registry's record types contribute to search, matching, feeds and
monitoring (see docs/records.md). Loaded from SupportConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from clearinghouse.publishing import access, registry
from clearinghouse.publishing.registry import (
    Matched,
    MatchFacts,
    RecordType,
    Searched,
    Syndicated,
    aichi_as_gbf,
    codes,
    codes_only,
    gbf_targets,
)
from clearinghouse.support.exchange import exchanged
from clearinghouse.support.feeds import OpportunityFeed
from clearinghouse.support.models import (
    Availability,
    Expert,
    Initiative,
    InitiativeStatus,
    Offer,
    Opportunity,
    Partnership,
    Provider,
    Resource,
    SupportRecord,
)


def offer_is_open() -> Q:
    return ~Q(period_end__lt=timezone.localdate())


def expert_is_available() -> Q:
    return ~Q(availability=Availability.UNAVAILABLE)


def offer_facts(offer: Offer) -> MatchFacts:
    return MatchFacts(
        texts=(offer.title, offer.description),
        countries_eligible=tuple(offer.eligibility or ()),
        support_types=codes(offer.support_types),
        targets=gbf_targets(offer),
        subjects=codes(offer.subjects),
        languages=tuple(offer.languages or ()),
        provider=offer.provider.name if offer.provider else "",
    )


def opportunity_facts(opportunity: Opportunity) -> MatchFacts:
    return MatchFacts(
        texts=(opportunity.title, opportunity.description),
        countries_eligible=tuple(opportunity.eligibility or ()),
        support_types=codes(opportunity.support_types),
        targets=gbf_targets(opportunity),
        subjects=codes(opportunity.subjects),
        provider=opportunity.provider.name if opportunity.provider else "",
    )


def provider_facts(provider: Provider) -> MatchFacts:
    return MatchFacts(
        texts=(provider.title, provider.description),
        countries_eligible=tuple(provider.regions_served or ()),
        support_types=codes(provider.support_types),
        subjects=codes(provider.subjects),
        languages=tuple(provider.languages or ()),
        provider=provider.organisation.name if provider.organisation else "",
    )


def expert_facts(expert: Expert) -> MatchFacts:
    """The biography and the name only where the expert disclosed them (the rule of
    ``publishing.access``: matching's profiles and explanations are read by both sides); the
    e-mail never (it says nothing of the expertise). The countries of experience describe past
    work, not who may ask: an expert is open to every country."""
    withheld = access.hidden_fields(None, expert)
    return MatchFacts(
        texts=(expert.title,) if "biography" in withheld else (expert.title, expert.biography),
        support_types=codes(expert.support_types),
        targets=gbf_targets(expert),
        subjects=codes(expert.subjects),
        languages=tuple(expert.languages or ()),
        provider="" if "name" in withheld else expert.name,
    )


def initiative_is_running() -> Q:
    # Completed initiatives keep their lessons for search; only running ones can take part.
    return Q(status__in=(InitiativeStatus.PLANNED, InitiativeStatus.ONGOING))


def initiative_facts(initiative: Initiative) -> MatchFacts:
    """An initiative (registered here or harvested from another clearing-house) supports the
    needs of the countries it works in; none named, any country."""
    return MatchFacts(
        texts=(initiative.title, initiative.description),
        countries_eligible=tuple(country.code for country in initiative.countries.all()),
        support_types=codes(initiative.support_types),
        targets=gbf_targets(initiative),
        subjects=codes(initiative.subjects),
        provider=initiative.lead_organisation.name if initiative.lead_organisation else "",
    )


def resource_facts(resource: Resource) -> MatchFacts:
    return MatchFacts(
        texts=(resource.title, resource.description),
        targets=gbf_targets(resource),
        subjects=codes(resource.subjects),
        # The languages it can be read in: those of its published versions.
        languages=tuple(dict.fromkeys(version.language for version in resource.published_versions)),
        provider=resource.publisher,
    )


TermFacets = dict[str, tuple[str, ...]]
_TARGETS: TermFacets = {"target": ("gbf_targets", "aichi_targets")}
_GBF_TARGETS: TermFacets = {"target": ("gbf_targets",)}
_SUBJECTS: TermFacets = {"subject": ("subjects",)}
_SUPPORT_TYPES: TermFacets = {"support_type": ("support_types",)}


def _searched(model: type[SupportRecord], terms: TermFacets, *texts: str) -> Searched:
    """The support types' documents: facets of their vocabulary fields, and the model's own."""
    return Searched(texts=texts, terms=terms, facets=model.search_facets)  # type: ignore[attr-defined]


def _dimensions(model: type[SupportRecord], **extra: Any) -> dict[str, Any]:
    names = {"subjects": "subject", "gbf_targets": "target", "support_types": "support_type"}
    return {
        "language": "original_language",
        **{names[field]: f"{field}__code" for field in model.VOCABULARIES if field in names},
        **extra,
    }


_TERMS = codes_only("subjects", "gbf_targets", "support_types")

for record_type in (
    RecordType(
        model=Offer,
        schema_type="Service",
        search=_searched(Offer, _TARGETS | _SUBJECTS | _SUPPORT_TYPES, "description", "how_to_request"),
        matching=Matched(
            side="support",
            facts=offer_facts,
            current=offer_is_open,
            select_related=("provider",),
            prefetch_related=(*_TERMS, aichi_as_gbf()),
        ),
        dimensions=_dimensions(Offer),
        exchange=exchanged(Offer),
    ),
    RecordType(
        model=Opportunity,
        schema_type="Grant",
        search=_searched(
            Opportunity, _GBF_TARGETS | _SUBJECTS | _SUPPORT_TYPES, "description", "how_to_apply"
        ),
        matching=Matched(
            side="support",
            facts=opportunity_facts,
            current=Opportunity.open_condition,
            select_related=("provider",),
            prefetch_related=_TERMS,
        ),
        feed=Syndicated("opportunities", OpportunityFeed()),
        dimensions=_dimensions(Opportunity, status="status", kind="kind"),
        exchange=exchanged(Opportunity),
    ),
    RecordType(
        model=Initiative,
        schema_type="Project",
        search=_searched(
            Initiative, _TARGETS | _SUBJECTS | _SUPPORT_TYPES, "description", "results", "lessons"
        ),
        matching=Matched(
            side="support",
            facts=initiative_facts,
            current=initiative_is_running,
            select_related=("lead_organisation",),
            prefetch_related=(*_TERMS, aichi_as_gbf(), "countries"),
        ),
        dimensions=_dimensions(Initiative, status="status"),
        exchange=exchanged(Initiative),
    ),
    RecordType(
        model=Resource,
        schema_type="LearningResource",
        search=_searched(Resource, _TARGETS | _SUBJECTS, "description"),
        matching=Matched(
            side="support",
            facts=resource_facts,
            prefetch_related=(*codes_only("subjects", "gbf_targets"), aichi_as_gbf(), "versions"),
        ),
        dimensions=_dimensions(Resource, kind="kind"),
        exchange=exchanged(Resource),
    ),
    RecordType(
        model=Provider,
        schema_type="Organization",
        search=_searched(Provider, _SUBJECTS | _SUPPORT_TYPES, "description"),
        matching=Matched(
            side="support",
            facts=provider_facts,
            select_related=("organisation",),
            prefetch_related=codes_only("subjects", "support_types"),
        ),
        dimensions=_dimensions(Provider),
        exchange=exchanged(Provider),
    ),
    RecordType(
        model=Partnership,
        schema_type="Project",
        search=_searched(Partnership, _SUBJECTS, "scope", "materials"),
        dimensions=_dimensions(Partnership, kind="kind"),
        exchange=exchanged(Partnership),
    ),
    RecordType(
        model=Expert,
        schema_type="Person",
        # The biography is confidential: indexed only with the expert's consent.
        search=_searched(Expert, _GBF_TARGETS | _SUBJECTS | _SUPPORT_TYPES, "biography", "availability_note"),
        matching=Matched(
            side="support",
            facts=expert_facts,
            current=expert_is_available,
            prefetch_related=_TERMS,
        ),
        dimensions=_dimensions(Expert, availability="availability"),
        exchange=exchanged(Expert),
    ),
):
    registry.register(record_type)
