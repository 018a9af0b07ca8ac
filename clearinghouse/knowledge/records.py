"""What knowledge products contribute to search, feeds, exports and monitoring (see
docs/knowledge.md). Loaded from KnowledgeConfig.ready().

A knowledge product is searched (its title, and its summary, problem, actions, results and advice
as texts; subjects, targets and its kind as facets), syndicated (/feeds/knowledge/), exported as
a workbook, CSV or JSON, and counted as ``knowledge.published`` by kind, region, Party, language,
subject and target. It is not matched: it neither asks for nor offers support.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django.utils.translation import gettext_lazy as _

from clearinghouse.exchange.fields import FieldDefinition
from clearinghouse.knowledge.feeds import KnowledgeFeed
from clearinghouse.knowledge.models import TEXTS, Kind, Knowledge
from clearinghouse.publishing import registry
from clearinghouse.publishing.registry import PARTY, Exchanged, RecordType, Searched, Syndicated
from clearinghouse.search import labels
from clearinghouse.support import exchange as support_exchange

KIND_FACET = "knowledge_kind"


def knowledge_facets(record: Knowledge) -> Mapping[str, list[str]]:
    return {KIND_FACET: [record.kind]}


def exchange_fields() -> tuple[FieldDefinition, ...]:
    """The columns of the workbook, from the model (labels in the six languages). The
    cooperation is left out: it is linked from the cooperation's page, never typed in."""
    found = support_exchange.fields(cast(Any, Knowledge))
    return tuple(item for item in found if item.name != "cooperation")


KNOWLEDGE = registry.register(
    RecordType(
        model=Knowledge,
        schema_type="Article",
        search=Searched(
            texts=TEXTS[1:],
            terms={"subject": ("subjects",), "target": ("gbf_targets",)},
            facets=knowledge_facets,
        ),
        feed=Syndicated("knowledge", KnowledgeFeed()),
        dimensions={
            "kind": "kind",
            "language": "original_language",
            "subject": "subjects__code",
            "target": "gbf_targets__code",
            "party": PARTY,
        },
        exchange=Exchanged(fields=exchange_fields, back=("knowledge:list", ()), by="kind"),
    )
)

# The search page names the facet knowledge products add, in the reader's language.
labels.register_facet(KIND_FACET, _("Kind of knowledge product"), dict(Kind.choices))
