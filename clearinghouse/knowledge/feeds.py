"""An Atom feed of newly published knowledge products (Django's syndication framework), newest
first, at /feeds/knowledge/."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from clearinghouse.core.multilingual import show
from clearinghouse.knowledge.models import Knowledge
from clearinghouse.publishing.feeds import summary_html

FEED_SIZE = 100


class KnowledgeFeed(Feed[Knowledge, Any]):
    feed_type = Atom1Feed

    def link(self) -> str:
        return reverse("knowledge:list")

    def title(self) -> str:
        return _("New knowledge products")

    def subtitle(self) -> str:
        return _("Case studies, success stories, good practices and lessons learnt, newest first.")

    def items(self) -> QuerySet[Knowledge]:
        return Knowledge.objects.filter(live=True).order_by("-first_published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item: Knowledge) -> str:
        title = show(item.title or {}, item.original_language).text or item.identifier
        return f"{item.get_kind_display()}: {title}"

    def item_description(self, item: Knowledge) -> str:
        return summary_html(item.summary or {}, item.original_language)

    def item_link(self, item: Knowledge) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Knowledge) -> str:
        return f"urn:clearinghouse:{item.identifier}"

    def item_guid_is_permalink(self, item: Knowledge) -> bool:
        return False

    def item_pubdate(self, item: Knowledge) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Knowledge) -> datetime | None:
        return item.last_published_at
