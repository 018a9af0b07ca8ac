"""The Atom feed every record type gets from its registration (a type may declare a richer one,
``registry.Syndicated``): its public records, newest published first, each with its title and
summary in the reader's language, its link, its date, its owner as author and its terms as
categories. Confidential fields never enter it (``publishing.public``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.http import http_date
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clearinghouse.core.mail import site_name
from clearinghouse.core.multilingual import show
from clearinghouse.publishing import public, registry
from clearinghouse.publishing.models import Record

FEED_SIZE = 50


def feed_name(record_type: registry.RecordType) -> str:
    """The default feed's name: the type's plural as the code names it (``needs-assessments``),
    whatever the catalogues make of it."""
    with translation.override(None):
        return slugify(str(record_type.model._meta.verbose_name_plural))


def summary_html(texts: dict[str, str], original: str) -> str:
    """A summary in the reader's language as the HTML Atom readers show: the text escaped, its
    paragraphs kept. Whatever markup the text holds is shown as text, never run."""
    text = show(texts, original).text
    return linebreaks(escape(text)) if text else ""


class RecordFeed(Feed[Record, Any]):
    feed_type = Atom1Feed

    def __init__(self, record_type: registry.RecordType) -> None:
        super().__init__()
        self.record_type = record_type

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        # Also changed when a record leaves the feed (archived), which no item's date says.
        changed = public.last_change(self.record_type)
        if changed is not None:
            response["Last-Modified"] = http_date(changed.timestamp())
        return response

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return None

    def title(self) -> str:
        return _("%(records)s — %(site)s") % {
            "records": str(self.record_type.model._meta.verbose_name_plural).capitalize(),
            "site": site_name(),
        }

    def link(self) -> str:
        return "/"

    def subtitle(self) -> str:
        return _("The newest published records of this type.")

    def items(self) -> list[Record]:
        rows = public.rows(self.record_type).order_by("-last_published_at", "-id")
        return list(rows[:FEED_SIZE])

    def item_title(self, item: Record) -> str:
        return show(public.titles(item), item.original_language).text or item.identifier

    def item_description(self, item: Record) -> str:
        return summary_html(public.summaries(item), item.original_language)

    def item_link(self, item: Record) -> str:
        return self.record_type.url(item)

    def item_guid(self, item: Record) -> str:
        return f"urn:clearinghouse:{item.identifier}"

    def item_guid_is_permalink(self, item: Record) -> bool:
        return False

    def item_pubdate(self, item: Record) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Record) -> datetime | None:
        return item.last_published_at

    def item_author_name(self, item: Record) -> str | None:
        return public.owner_name(item) or None

    def item_categories(self, item: Record) -> list[str]:
        return [term.label() for term in public.terms(item)]
