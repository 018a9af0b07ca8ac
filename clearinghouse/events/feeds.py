"""An Atom feed of upcoming events (Django's syndication framework), soonest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from clearinghouse.core.multilingual import show
from clearinghouse.events import when
from clearinghouse.events.models import Event
from clearinghouse.events.services import upcoming_condition

FEED_SIZE = 100


class EventFeed(Feed[Event, Any]):
    feed_type = Atom1Feed

    def link(self) -> str:
        return reverse("events:list")

    def title(self) -> str:
        return _("Upcoming events, trainings and round tables")

    def subtitle(self) -> str:
        return _(
            "Workshops, trainings, webinars, round tables, knowledge fairs, side events and study visits."
        )

    def items(self) -> QuerySet[Event]:
        return (
            Event.objects.filter(live=True)
            .filter(upcoming_condition())
            .select_related("owner_organisation", "owner_country")
            .order_by("starts_at", "pk")[:FEED_SIZE]
        )

    def item_title(self, item: Event) -> str:
        return show(item.title, item.original_language).text or item.identifier

    def item_description(self, item: Event) -> str:
        text = show(item.description, item.original_language).text
        dates = when.span(item)
        return format_html("<p>{}</p>{}", dates, mark_safe(text)) if dates else text  # noqa: S308  # nosec B308 B703  # sanitised when saved

    def item_link(self, item: Event) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Event) -> str:
        return f"urn:clearinghouse:{item.identifier}"

    def item_guid_is_permalink(self, item: Event) -> bool:
        return False

    def item_pubdate(self, item: Event) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Event) -> datetime | None:
        return item.last_published_at

    def item_categories(self, item: Event) -> list[str]:
        return [item.kind] if item.kind else []
