"""The search index's own table. Each backend adds its text index beside it in a migration:
an FTS5 table on SQLite, a tsvector column with a GIN index on PostgreSQL."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """One indexed record: what hits and snippets are made of.

    The id is not a counter: it is the publication time in seconds shifted left by 12 bits, plus
    12 bits from a hash of the key (see ``entries.entry_id``). Ordering by id is then ordering by
    publication, a date range is an id range, and the low 12 bits sort records into 4,096
    buckets of the same size, which the service samples from on very large result sets.
    """

    id = models.BigIntegerField(primary_key=True)
    key = models.CharField(_("key"), max_length=100, unique=True)
    record_type = models.CharField(_("record type"), max_length=40)
    language = models.CharField(_("language"), max_length=12)
    titles = models.JSONField(_("titles"), default=dict)
    texts = models.JSONField(_("texts"), default=dict)
    # "facet:value" lines: read back to count facets on the rows a query matched.
    facet_values = models.TextField(_("facet values"), blank=True)
    published_at = models.DateTimeField(_("published"))
    url = models.CharField(_("address"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return self.key
