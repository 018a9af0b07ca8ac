"""What events contribute to search, matching, feeds, monitoring and import/export (see
docs/events.md). Loaded from EventsConfig.ready()."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clearinghouse.events import jsonld
from clearinghouse.events.feeds import EventFeed
from clearinghouse.events.models import Event, EventKind
from clearinghouse.events.services import upcoming_condition
from clearinghouse.publishing import registry
from clearinghouse.publishing.registry import (
    PARTY,
    Matched,
    MatchFacts,
    RecordType,
    Searched,
    Syndicated,
    codes,
    codes_only,
)
from clearinghouse.search import labels
from clearinghouse.support.exchange import exchanged

# The kinds of event where people learn: they answer needs for training.
TRAINING_KINDS = (
    EventKind.TRAINING,
    EventKind.WORKSHOP,
    EventKind.WEBINAR,
    EventKind.STUDY_VISIT,
    EventKind.KNOWLEDGE_FAIR,
)
TRAINING = "training"


def answers_needs() -> Q:
    """Events that answer needs: trainings and their like, not over yet."""
    return Q(kind__in=[str(kind) for kind in TRAINING_KINDS]) & upcoming_condition()


def event_facts(event: Event) -> MatchFacts:
    return MatchFacts(
        texts=(event.title, event.description),
        countries_eligible=tuple(event.invited or ()),
        support_types=(TRAINING,) if event.kind in TRAINING_KINDS else (),
        targets=codes(event.gbf_targets),
        subjects=codes(event.subjects),
        languages=tuple(dict.fromkeys([*(event.languages or ()), *(event.interpretation or ())])),
        provider=event.owner_organisation.display_name() if event.owner_organisation else "",
    )


EVENTS = registry.register(
    RecordType(
        model=Event,
        schema_type="Event",
        linked_data=jsonld.data,
        search=Searched(
            texts=("description", "cofunding"),
            terms={
                "target": ("gbf_targets",),
                "subject": ("subjects",),
                "target_group": ("target_groups",),
            },
            facets=Event.search_facets,
        ),
        matching=Matched(
            side="support",
            facts=event_facts,
            current=answers_needs,
            select_related=("owner_organisation",),
            prefetch_related=codes_only("subjects", "gbf_targets"),
        ),
        feed=Syndicated("events", EventFeed()),
        dimensions={
            "kind": "kind",
            "attendance": "attendance",
            "party": PARTY,
            "subject": "subjects__code",
            "target": "gbf_targets__code",
            "language": "original_language",
        },
        exchange=exchanged(Event, back=("events:list", ())),
    )
)

# The search page names the facets events add, in the reader's language.
labels.register_facet("event_kind", _("Kind of event"), dict(EventKind.choices))
labels.register_facet("when", _("When"), {"upcoming": _("Upcoming"), "past": _("Past")})
labels.register_facet("target_group", _("Target group"), vocabulary="target-groups")
