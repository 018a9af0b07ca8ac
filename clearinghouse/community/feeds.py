"""An Atom feed of newly published communities of practice (Django's syndication framework),
newest first: what is inside a community (topics, posts) is never in a feed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from clearinghouse.community.models import Community
from clearinghouse.core.multilingual import show
from clearinghouse.publishing.feeds import summary_html

FEED_SIZE = 100


class CommunityFeed(Feed[Community, Any]):
    feed_type = Atom1Feed

    def link(self) -> str:
        return reverse("community:communities")

    def title(self) -> str:
        return _("New communities of practice")

    def subtitle(self) -> str:
        return _("Communities of practice opened on the clearing-house, newest first.")

    def items(self) -> QuerySet[Community]:
        return Community.objects.filter(live=True).order_by("-first_published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item: Community) -> str:
        return show(item.name or {}, item.original_language).text or item.identifier

    def item_description(self, item: Community) -> str:
        return summary_html(item.description or {}, item.original_language)

    def item_link(self, item: Community) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Community) -> str:
        return f"urn:clearinghouse:{item.identifier}"

    def item_guid_is_permalink(self, item: Community) -> bool:
        return False

    def item_pubdate(self, item: Community) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Community) -> datetime | None:
        return item.last_published_at
