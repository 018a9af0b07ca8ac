"""An Atom feed of open opportunities (Django's syndication framework), soonest deadline first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from clearinghouse.core.multilingual import show
from clearinghouse.support.models import Opportunity

FEED_SIZE = 100


class OpportunityFeed(Feed[Opportunity, Any]):
    feed_type = Atom1Feed
    link = "/support/opportunities/"

    def title(self) -> str:
        return _("Open capacity-building opportunities")

    def subtitle(self) -> str:
        return _("Grants, fellowships, internships, scholarships, training places and calls for proposals.")

    def items(self) -> QuerySet[Opportunity]:
        # Past-deadline ones are left out even before the nightly job closes them.
        return (
            Opportunity.objects.filter(live=True)
            .filter(Opportunity.open_condition())
            .select_related("provider")
            .order_by("deadline", "-last_published_at")[:FEED_SIZE]
        )

    def item_title(self, item: Opportunity) -> str:
        return show(item.title, item.original_language).text or item.identifier

    def item_description(self, item: Opportunity) -> str:
        text = show(item.description, item.original_language).text
        if item.deadline:
            text = _("Deadline: %(date)s") % {"date": item.deadline.isoformat()} + (
                f"<br>{text}" if text else ""
            )
        return text

    def item_link(self, item: Opportunity) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Opportunity) -> str:
        return f"urn:clearinghouse:{item.identifier}"

    def item_guid_is_permalink(self, item: Opportunity) -> bool:
        return False

    def item_pubdate(self, item: Opportunity) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Opportunity) -> datetime | None:
        return item.last_published_at

    def item_author_name(self, item: Opportunity) -> str | None:
        return item.provider.display_name() if item.provider else None

    def item_categories(self, item: Opportunity) -> list[str]:
        return [item.kind] if item.kind else []
