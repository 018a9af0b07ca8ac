"""E-mail alerts of saved searches: one digest per person per run, in their language, listing the
records first published since the last run that match each of their saved searches due.

Records reach the index through a job, a little after they are published; a run therefore looks
back GRACE before its saved search's watermark too, and leaves out the records it already
announced, which it remembers for that long. A record is never announced twice, and one published
while a digest was being prepared is announced by the next one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clearinghouse.accounts.models import User
from clearinghouse.core.mail import send_templated, site_url
from clearinghouse.search import saved as saved_searches
from clearinghouse.search import service
from clearinghouse.search.documents import SearchHit
from clearinghouse.search.labels import OTHER_TYPES, RECORD_TYPES
from clearinghouse.search.links import for_reader
from clearinghouse.search.models import Announcement, Frequency, SavedSearch

# How late a record may reach the index and still be announced.
GRACE = timedelta(days=1)
# Records listed per saved search; the e-mail links to the search for the rest.
RECORDS_PER_SEARCH = 20
PERIODS = {
    Frequency.DAILY: timedelta(days=1),
    Frequency.WEEKLY: timedelta(days=7),
    Frequency.MONTHLY: timedelta(days=28),
}
# A periodic job starts a little early or late: a saved search looked at this much less than a
# period ago is due all the same; one looked at again within a few hours is not.
SLACK = timedelta(hours=6)


@dataclass(frozen=True)
class Finding:
    """What one run found for one saved search."""

    saved: SavedSearch
    hits: list[SearchHit]
    more: bool  # more new records than the digest lists


def due(frequency: str, now: datetime) -> list[SavedSearch]:
    """The active saved searches of this frequency whose period has passed since they were last
    looked at, of people still active and with an e-mail address."""
    return list(
        SavedSearch.objects.filter(
            frequency=frequency,
            active=True,
            owner__is_active=True,
            checked_through__lte=now - (PERIODS[Frequency(frequency)] - SLACK),
        )
        .exclude(owner__email="")
        .select_related("owner")
        .order_by("owner_id", "name", "pk")
    )


def find_new(saved: SavedSearch, now: datetime) -> Finding:
    """The records first published up to ``now`` that the saved search has not announced yet."""
    after = max(saved.checked_through - GRACE, saved.created_at)
    announced = saved.announcements.values_list("key", flat=True)
    hits = service.first_published_between(
        saved_searches.search_query(saved, saved.language),
        after,
        now,
        limit=RECORDS_PER_SEARCH + 1,
        exclude=list(announced),
    )
    return Finding(saved, hits[:RECORDS_PER_SEARCH], more=len(hits) > RECORDS_PER_SEARCH)


def _record_done(findings: list[Finding], now: datetime) -> None:
    """Move the watermarks to ``now`` and remember what was announced, as long as a run may see it again."""
    for finding in findings:
        saved = finding.saved
        Announcement.objects.bulk_create(
            [Announcement(saved_search=saved, key=hit.key, announced_at=now) for hit in finding.hits],
            ignore_conflicts=True,
        )
        saved.announcements.filter(announced_at__lt=now - GRACE).delete()
        saved.checked_through = now
        if finding.hits:
            saved.last_sent_at = now
        saved.save(update_fields=["checked_through", "last_sent_at"])


def _link(hit: SearchHit) -> str:
    """A record's lasting link (/r/<identifier>, which has no language); an organisation's or an
    activity's page in the recipient's language, which is active while the digest is written."""
    if hit.record_type in OTHER_TYPES and hit.url:
        return for_reader(hit.url)
    return reverse("resolve", args=[hit.key])


def _item(hit: SearchHit) -> dict[str, str]:
    return {
        "identifier": hit.key,
        "title": hit.title,
        "type_label": str(RECORD_TYPES.get(hit.record_type, hit.record_type)),
        "url": site_url(_link(hit)),
    }


def _digest_context(person: User, findings: list[Finding]) -> dict[str, Any]:
    sections = [
        {
            "name": finding.saved.name,
            "items": [_item(hit) for hit in finding.hits],
            "more": finding.more,
            "search_url": site_url(saved_searches.search_url(finding.saved.query, newest_first=True)),
            "unsubscribe_url": site_url(
                reverse("search:unsubscribe", args=[saved_searches.unsubscribe_token(finding.saved)])
            ),
        }
        for finding in findings
    ]
    return {
        "person": person,
        "sections": sections,
        # A record two saved searches found is one new record.
        "count": len({hit.key for finding in findings for hit in finding.hits}),
        "manage_url": site_url(reverse("search:saved")),
    }


def _send(person: User, findings: list[Finding]) -> None:
    """The digest of these findings (those with records) to ``person``, in their language."""
    send_templated(
        "search/email/digest",
        partial(_digest_context, person, findings),
        to=person.email,
        language=person.preferred_language,
    )


def send_digests(frequency: str, now: datetime | None = None) -> int:
    """Look for new records for every saved search of ``frequency`` that is due, and send each
    person one e-mail listing them (none when nothing is new); return how many were sent."""
    now = now or timezone.now()
    by_owner: dict[User, list[Finding]] = defaultdict(list)
    for saved in due(frequency, now):
        by_owner[saved.owner].append(find_new(saved, now))
    sent = 0
    for person, findings in by_owner.items():
        # The e-mail is queued last: should anything before it fail, nothing is recorded and
        # the next run finds the same records again.
        with transaction.atomic():
            _record_done(findings, now)
            news = [finding for finding in findings if finding.hits]
            if news:
                _send(person, news)
                sent += 1
    return sent
