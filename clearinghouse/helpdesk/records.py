"""What FAQ entries contribute to search, feeds and monitoring. Loaded from HelpdeskConfig.ready().

An FAQ entry is searched (its question is the title, its answer the text, in each language it is
written in) and syndicated; it is not matched: it answers a question, it neither asks for nor
offers support. It has no bulk import or export: entries are written from tickets, one by one.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.utils.translation import gettext_lazy as _

from clearinghouse.helpdesk.feeds import FaqFeed
from clearinghouse.helpdesk.models import FaqEntry, HelpTopic
from clearinghouse.publishing import registry
from clearinghouse.publishing.registry import PARTY, RecordType, Searched, Syndicated
from clearinghouse.search import labels

TOPIC_FACET = "help_topic"


def faq_facets(entry: FaqEntry) -> Mapping[str, list[str]]:
    """The entry's help topic (select ``topic``)."""
    return {TOPIC_FACET: [entry.topic.code] if entry.topic else []}


def topic_labels(codes: Collection[str], language: str) -> dict[str, str]:
    """The help topics' names in the reader's language (one query)."""
    from clearinghouse.core.languages import pick_label

    return {
        topic.code: pick_label(topic.name, language) or topic.code
        for topic in HelpTopic.objects.filter(code__in=list(codes))
    }


FAQ = registry.register(
    RecordType(
        model=FaqEntry,
        schema_type="Question",
        search=Searched(
            title="question",
            texts=("answer",),
            facets=faq_facets,
            select_related=("topic",),
        ),
        feed=Syndicated("faq", FaqFeed()),
        dimensions={
            "topic": "topic__code",
            "language": "original_language",
            "party": PARTY,
        },
    )
)

# The search page names the facet FAQ entries add, in the reader's language.
labels.register_facet(TOPIC_FACET, _("Help topic"), labeller=topic_labels)
