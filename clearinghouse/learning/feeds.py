"""An Atom feed of published courses (Django's syndication framework), newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from clearinghouse.core.multilingual import show
from clearinghouse.learning.models import Course
from clearinghouse.publishing.feeds import summary_html

FEED_SIZE = 100


class CourseFeed(Feed[Course, Any]):
    feed_type = Atom1Feed

    def link(self) -> str:
        return reverse("learning:catalogue")

    def title(self) -> str:
        return _("Courses of the e-learning platform")

    def subtitle(self) -> str:
        return _("Courses in the six languages, newest first.")

    def items(self) -> QuerySet[Course]:
        return (
            Course.objects.filter(live=True)
            .select_related("owner_organisation", "owner_country")
            .order_by("-first_published_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item: Course) -> str:
        return show(item.title, item.original_language).text or item.identifier

    def item_description(self, item: Course) -> str:
        return summary_html(item.summary, item.original_language)

    def item_link(self, item: Course) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Course) -> str:
        return f"urn:clearinghouse:{item.identifier}"

    def item_guid_is_permalink(self, item: Course) -> bool:
        return False

    def item_pubdate(self, item: Course) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Course) -> datetime | None:
        return item.last_published_at

    def item_categories(self, item: Course) -> list[str]:
        return [item.level] if item.level else []
