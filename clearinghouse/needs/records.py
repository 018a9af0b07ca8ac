"""What needs assessments, needs and requests contribute to search, matching and monitoring
(see docs/records.md). Loaded from NeedsConfig.ready()."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.db.models import Prefetch, Q

from clearinghouse.needs.models import Need, NeedsAssessment, NeedStatus, Request
from clearinghouse.publishing import registry
from clearinghouse.publishing.registry import (
    OWNER_RELATED,
    Matched,
    MatchFacts,
    RecordType,
    Searched,
    aichi_as_gbf,
    codes,
    codes_only,
    gbf_targets,
    owner_country_code,
)

# Needs that no longer ask for anything.
CLOSED_NEED_STATUSES = frozenset({NeedStatus.ADDRESSED, NeedStatus.WITHDRAWN})


def need_is_open() -> Q:
    return ~Q(status__in=CLOSED_NEED_STATUSES)


def need_facts(need: Need) -> MatchFacts:
    return MatchFacts(
        texts=(need.title, need.description, need.gap, need.outcome),
        country=owner_country_code(need),
        support_types=codes(need.support_types),
        targets=gbf_targets(need),
        subjects=codes(need.subjects),
        languages=tuple(need.support_languages or ()),
    )


def request_facts(request: Request) -> MatchFacts:
    """A request in its own words, asking for what its needs ask for."""
    needs = list(request.needs.all())
    return MatchFacts(
        texts=(request.title, request.asked, request.deliverables),
        country=owner_country_code(request),
        support_types=codes(*(need.support_types for need in needs)),
        targets=tuple(dict.fromkeys(code for need in needs for code in gbf_targets(need))),
        subjects=codes(*(need.subjects for need in needs)),
        languages=tuple(dict.fromkeys(code for need in needs for code in need.support_languages or ())),
    )


def requests_of_needs(identifiers: Collection[str]) -> Iterable[str]:
    """The public requests made of these needs: their facts read the needs' terms."""
    return Request.objects.filter(live=True, needs__identifier__in=list(identifiers)).values_list(
        "identifier", flat=True
    )


_TERM_DIMENSIONS = {
    "subject": "subjects__code",
    "target": "gbf_targets__code",
    "support_type": "support_types__code",
}

registry.register(
    RecordType(
        model=NeedsAssessment,
        schema_type="Report",
        search=Searched(texts=("nbsap", "method", "participants")),
        dimensions={"language": "original_language", "scope": "scope"},
    )
)
registry.register(
    RecordType(
        model=Need,
        schema_type="CreativeWork",
        search=Searched(
            texts=("description", "gap", "outcome", "beneficiaries"),
            terms={
                "target": ("gbf_targets", "aichi_targets"),
                "subject": ("subjects",),
                "support_type": ("support_types",),
            },
            facets=Need.search_facets,
        ),
        matching=Matched(
            side="need",
            facts=need_facts,
            current=need_is_open,
            select_related=OWNER_RELATED,
            prefetch_related=(*codes_only("subjects", "gbf_targets", "support_types"), aichi_as_gbf()),
            dependents=requests_of_needs,
        ),
        dimensions={
            "status": "status",
            "priority": "priority",
            "language": "original_language",
            **_TERM_DIMENSIONS,
        },
    )
)
registry.register(
    RecordType(
        model=Request,
        schema_type="CreativeWork",
        search=Searched(texts=("asked", "deliverables", "contribution")),
        matching=Matched(
            side="need",
            facts=request_facts,
            select_related=OWNER_RELATED,
            prefetch_related=(
                Prefetch(
                    "needs",
                    queryset=Need.objects.prefetch_related(
                        *codes_only("subjects", "gbf_targets", "support_types"), aichi_as_gbf()
                    ),
                ),
            ),
        ),
        dimensions={
            "language": "original_language",
            **{name: f"needs__{path}" for name, path in _TERM_DIMENSIONS.items()},
        },
    )
)
