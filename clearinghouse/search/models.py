"""The search index's own table. Each backend adds its text index beside it in a migration:
an FTS5 table on SQLite, a tsvector column with a GIN index on PostgreSQL. Saved searches and
the records their e-mail alerts announced live here too."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES

NAME_LENGTH = 200
QUERY_LENGTH = 2000


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
    first_published_at = models.DateTimeField(_("first published"))
    url = models.CharField(_("address"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return self.key


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class SavedSearch(models.Model):
    """A search a registered person keeps, with an e-mail digest of the records that are new to it.

    ``query`` is the search page's GET parameters, normalised (``saved.normalise``) so that the
    same search saved twice is recognised. ``checked_through`` is the watermark: the moment up to
    which records first published have been looked for; a digest run looks a little before it (for
    records that reached the index late) and skips the keys it already announced.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="saved_searches", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=NAME_LENGTH)
    query = models.CharField(_("search"), max_length=QUERY_LENGTH, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    # The language of the titles and filters in its digest; the owner's preferred one when saved.
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    active = models.BooleanField(_("e-mail alerts on"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    checked_through = models.DateTimeField(_("looked for new records up to"), default=timezone.now)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "query"], name="search_saved_once_per_owner"),
        ]
        indexes = [models.Index(fields=["frequency", "active", "checked_through"])]

    def __str__(self) -> str:
        return self.name


class Announcement(models.Model):
    """A record a saved search's digest announced. Kept only as long as a digest run may look at
    that record again (see ``alerts.GRACE``): it is what keeps a record from being announced twice."""

    saved_search = models.ForeignKey(
        SavedSearch, models.CASCADE, related_name="announcements", verbose_name=_("saved search")
    )
    key = models.CharField(_("key"), max_length=100)
    announced_at = models.DateTimeField(_("announced"))

    class Meta:
        verbose_name = _("announced record")
        verbose_name_plural = _("announced records")
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "key"], name="search_announced_once"),
        ]

    def __str__(self) -> str:
        return self.key
