"""E-mail alerts of saved searches: each person gets one digest per run, in their language, of the
records first published since the last one, each announced once, and nothing when nothing is new."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.core import mail
from django.http import QueryDict

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import World
from clearinghouse.search import alerts, saved, service, tasks
from clearinghouse.search.models import Frequency, SavedSearch
from clearinghouse.search.tests.factories import document

NOW = datetime(2026, 3, 10, 5, 0, tzinfo=UTC)


def _saved(
    owner: User,
    query: str = "",
    *,
    name: str = "Mangroves",
    frequency: str = Frequency.DAILY,
    checked: datetime = NOW - timedelta(days=1),
) -> SavedSearch:
    """A saved search made on the page long ago, last looked at ``checked``."""
    search, _created = saved.save_search(
        owner, saved.normalise(QueryDict(query)), name=name, frequency=frequency
    )
    SavedSearch.objects.filter(pk=search.pk).update(
        created_at=NOW - timedelta(days=90), checked_through=checked
    )
    search.refresh_from_db()
    return search


def _digests(frequency: str = Frequency.DAILY, now: datetime = NOW) -> list[mail.EmailMessage]:
    mail.outbox.clear()
    alerts.send_digests(frequency, now)
    return list(mail.outbox)


def test_only_records_first_published_since_the_last_digest_are_announced(world: World) -> None:
    _saved(world.focal_point, "q=mangrove")
    service.index(
        [
            document("NEW-1", title="Mangrove nursery", published="2026-03-09T12:00"),
            document("OLD-1", title="Mangrove survey", published="2026-02-01"),
            document("OTHER-1", title="Coral reefs", published="2026-03-09T12:00"),
            # A new version of an old record: published again, not new.
            document(
                "AGAIN-1", title="Mangrove atlas", published="2026-03-09T12:00", first_published="2025-06-01"
            ),
            # Published after the run started: the next digest's.
            document("LATER-1", title="Mangrove carbon", published="2026-03-10T05:00:30"),
        ]
    )
    [digest] = _digests()
    assert digest.to == [world.focal_point.email]
    assert "NEW-1" in digest.body and "http://127.0.0.1:8000/r/NEW-1" in digest.body
    for key in ("OLD-1", "OTHER-1", "AGAIN-1", "LATER-1"):
        assert key not in digest.body
    assert digest.subject == "1 new record for your saved searches"

    [following] = _digests(now=NOW + timedelta(days=1))
    assert "LATER-1" in following.body
    assert "NEW-1" not in following.body, "a record is announced once, though the next run looks back a day"


def test_nothing_is_sent_when_nothing_is_new_and_the_watermark_moves_on(world: World) -> None:
    search = _saved(world.focal_point, "q=mangrove")
    service.index([document("OLD-1", title="Mangrove survey", published="2026-02-01")])
    assert _digests() == []
    search.refresh_from_db()
    assert search.checked_through == NOW and search.last_sent_at is None


def test_a_record_that_reached_the_index_late_is_announced_by_the_next_digest(world: World) -> None:
    _saved(world.focal_point, "q=mangrove")
    assert _digests() == []
    # Published a minute before the run, indexed by its job a minute after it.
    service.index([document("LATE-1", title="Mangrove planting", published="2026-03-10T04:59")])
    [digest] = _digests(now=NOW + timedelta(days=1))
    assert "LATE-1" in digest.body


def test_each_frequency_sends_the_saved_searches_that_are_due(world: World) -> None:
    daily = _saved(world.focal_point, "q=mangrove", name="Daily")
    weekly_recent = _saved(world.authorised_user, "q=mangrove", name="Weekly", frequency=Frequency.WEEKLY)
    weekly_due = _saved(
        world.partner_editor, "q=mangrove", frequency=Frequency.WEEKLY, checked=NOW - timedelta(days=7)
    )
    monthly = _saved(
        world.iplc_representative, "q=mangrove", frequency=Frequency.MONTHLY, checked=NOW - timedelta(days=20)
    )
    service.index([document("NEW-1", title="Mangrove nursery", published="2026-03-09T12:00")])

    assert [message.to for message in _digests(Frequency.DAILY)] == [[world.focal_point.email]]
    assert [message.to for message in _digests(Frequency.WEEKLY)] == [[world.partner_editor.email]]
    assert _digests(Frequency.MONTHLY) == [], "a monthly search looked at 20 days ago is not due"
    # Run again the same morning: none is due any more.
    assert _digests(Frequency.DAILY, NOW + timedelta(hours=1)) == []
    for search in (daily, weekly_recent, weekly_due, monthly):
        search.refresh_from_db()
    assert weekly_recent.checked_through == NOW - timedelta(days=1), "not due, not touched"
    assert monthly.last_sent_at is None and daily.last_sent_at == NOW


def test_paused_saved_searches_and_inactive_people_get_nothing(world: World) -> None:
    saved.pause(_saved(world.focal_point, "q=mangrove"))
    _saved(world.authorised_user, "q=mangrove")
    User.objects.filter(pk=world.authorised_user.pk).update(is_active=False)
    service.index([document("NEW-1", title="Mangrove nursery", published="2026-03-09T12:00")])
    assert _digests() == []


def test_one_email_per_person_lists_each_of_their_saved_searches(world: World) -> None:
    _saved(world.focal_point, "q=mangrove", name="Mangroves")
    _saved(world.focal_point, "party=KE", name="Kenya")
    _saved(world.focal_point, "q=coral", name="Corals")  # nothing new: not in the e-mail
    _saved(world.authorised_user, "party=KE", name="Kenya")
    service.index(
        [
            document("NEW-1", title="Mangrove nursery", published="2026-03-09T12:00", party=["TZ"]),
            document("NEW-2", title="Seed bank", published="2026-03-09T13:00", party=["KE"]),
            document("NEW-3", title="Mangrove seeds", published="2026-03-09T14:00", party=["KE"]),
        ]
    )
    digests = _digests()
    assert sorted(message.to[0] for message in digests) == sorted(
        [world.focal_point.email, world.authorised_user.email]
    )
    mine = next(message for message in digests if message.to == [world.focal_point.email])
    assert "Mangroves" in mine.body and "Kenya" in mine.body and "Corals" not in mine.body
    assert "NEW-1" in mine.body and "NEW-2" in mine.body
    assert mine.body.count("/r/NEW-3") == 2, "listed under each saved search that found it"
    assert mine.subject == "3 new records for your saved searches", "but counted once"
    assert mine.body.count("/search/saved/unsubscribe/") == 2, "a stop link per saved search"
    assert "http://127.0.0.1:8000/en/search/saved/" in mine.body


def test_the_digest_is_in_the_recipients_language_with_titles_falling_back(world: World) -> None:
    _saved(world.trainer, "q=mangrove")  # Pierre reads French
    service.index(
        [
            document(
                "NEW-1",
                titles={"en": "Mangrove nursery", "fr": "Pépinière de mangroves"},
                texts={"en": "mangrove"},
                published="2026-03-09T12:00",
            ),
            document("NEW-2", title="Mangrove carbon", published="2026-03-09T13:00", record_type="offer"),
        ]
    )
    [digest] = _digests()
    assert "Pépinière de mangroves (Besoin, NEW-1)" in digest.body
    assert "Mangrove carbon (Offre d'appui, NEW-2)" in digest.body, "no French title: the original"
    assert "http://127.0.0.1:8000/fr/search/saved/" in digest.body
    assert "/fr/search/saved/unsubscribe/" in digest.body


def test_a_long_list_is_cut_and_links_to_the_search(world: World) -> None:
    _saved(world.focal_point, "q=mangrove")
    service.index(
        [
            document(f"NEW-{number}", title="Mangrove", published=f"2026-03-09T{number:02d}:00")
            for number in range(alerts.RECORDS_PER_SEARCH + 2)
        ]
    )
    [digest] = _digests()
    assert digest.body.count("/r/NEW-") == alerts.RECORDS_PER_SEARCH
    assert "NEW-21" in digest.body and "NEW-0 " not in digest.body, "the newest first"
    assert "http://127.0.0.1:8000/en/search/?q=mangrove&sort=newest" in digest.body


def test_records_taken_out_of_the_index_are_not_announced(world: World) -> None:
    _saved(world.focal_point, "q=mangrove")
    service.index([document("GONE-1", title="Mangrove nursery", published="2026-03-09T12:00")])
    tasks.remove_documents(["GONE-1"])  # what archiving a record does
    assert _digests() == []


def test_the_periodic_jobs_send_the_digests(world: World) -> None:
    _saved(world.focal_point, "q=mangrove", checked=datetime.now(UTC) - timedelta(days=2))
    service.index([document("NEW-1", title="Mangrove nursery", published=datetime.now(UTC).isoformat()[:19])])
    mail.outbox.clear()
    assert tasks.send_daily_digests.call_local() == 1
    assert tasks.send_weekly_digests.call_local() == 0
    assert len(mail.outbox) == 1
