"""What communities of practice contribute to search, feeds and monitoring. Loaded from
CommunityConfig.ready().

A community is searched (its name is the title, its description the text, in each language it
is written in, with its subjects, GBF targets and regions as facets) and syndicated (a feed of
new communities). It is not matched: it neither asks for nor offers support; people find it and
join.
"""

from __future__ import annotations

from clearinghouse.community.feeds import CommunityFeed
from clearinghouse.community.models import Community
from clearinghouse.publishing import registry
from clearinghouse.publishing.registry import PARTY, RecordType, Searched, Syndicated

COMMUNITY = registry.register(
    RecordType(
        model=Community,
        schema_type="Organization",
        search=Searched(
            title="name",
            texts=("description",),
            terms={"subject": ("subjects",), "target": ("gbf_targets",)},
        ),
        feed=Syndicated("communities", CommunityFeed()),
        dimensions={
            "access": "access",
            "language": "original_language",
            "party": PARTY,
        },
    )
)
