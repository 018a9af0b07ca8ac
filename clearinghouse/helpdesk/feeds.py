"""An Atom feed of published FAQ entries (Django's syndication framework), newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from clearinghouse.core.multilingual import show
from clearinghouse.helpdesk.models import FaqEntry
from clearinghouse.publishing.feeds import summary_html

FEED_SIZE = 100


class FaqFeed(Feed[FaqEntry, Any]):
    feed_type = Atom1Feed

    def link(self) -> str:
        return reverse("helpdesk:faq")

    def title(self) -> str:
        return _("Frequently asked questions of the help desk")

    def subtitle(self) -> str:
        return _("Answers of the help desk in the six languages, newest first.")

    def items(self) -> QuerySet[FaqEntry]:
        return (
            FaqEntry.objects.filter(live=True)
            .select_related("topic")
            .order_by("-first_published_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item: FaqEntry) -> str:
        return show(item.question, item.original_language).text or item.identifier

    def item_description(self, item: FaqEntry) -> str:
        return summary_html(item.answer, item.original_language)

    def item_link(self, item: FaqEntry) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: FaqEntry) -> str:
        return f"urn:clearinghouse:{item.identifier}"

    def item_guid_is_permalink(self, item: FaqEntry) -> bool:
        return False

    def item_pubdate(self, item: FaqEntry) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: FaqEntry) -> datetime | None:
        return item.last_published_at

    def item_categories(self, item: FaqEntry) -> list[str]:
        return [item.topic.code] if item.topic else []
