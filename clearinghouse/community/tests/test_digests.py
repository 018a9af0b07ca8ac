"""The communities' e-mail digests: each member gets what others wrote since their last digest,
in their own language, never twice, and only while they are an active member."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from clearinghouse.community import digests, mail_replies
from clearinghouse.community.models import (
    Access,
    DigestDelivery,
    DigestFrequency,
    Membership,
    MemberStatus,
)
from clearinghouse.community.tests import factories_digests as make

pytestmark = pytest.mark.django_db

WEEKLY = DigestFrequency.WEEKLY


@pytest.fixture
def run(django_capture_on_commit_callbacks) -> Callable[..., int]:  # type: ignore[no-untyped-def]
    """Run the digest job as the worker does, sending what it queues once it has committed."""

    def _run(frequency: str | None = WEEKLY, **kwargs: object) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return digests.send_digests(frequency, **kwargs)  # type: ignore[arg-type]

    return _run


@pytest.fixture
def pollinators():  # type: ignore[no-untyped-def]
    """A community where Ana (Spanish) and Fatima (Arabic) write, and Claire (French) reads."""
    community = make.community()
    ana, fatima, claire = make.person("ana", "es"), make.person("fatima", "ar"), make.person("claire", "fr")
    memberships = {who.username: make.member(community, who) for who in (ana, fatima, claire)}
    return community, memberships


def test_a_member_gets_what_others_wrote_in_their_language(pollinators, run) -> None:  # type: ignore[no-untyped-def]
    community, memberships = pollinators
    ana, fatima = memberships["ana"].person, memberships["fatima"].person
    bees = make.topic(community, "Which crops need wild bees?")
    hedges = make.topic(community, "Hedgerows for pollinators")
    first = make.post(bees, ana, "Coffee yields rise by a fifth near forest edges.")
    make.post(hedges, fatima, "We planted native shrubs along the fields <script>alert(1)</script>.")

    assert run() == 3
    digest = next(message for message in mail.outbox if message.to == ["claire@example.org"])
    # The community's name and every link in French, the reader's language.
    assert digest.subject.startswith(make.POLLINATORS["fr"])
    assert "Which crops need wild bees?" in digest.body and "Hedgerows for pollinators" in digest.body
    assert "Ana Member" in digest.body and "Coffee yields rise by a fifth" in digest.body
    with translation.override("fr"):
        assert f"{bees.get_absolute_url()}#post-{first.pk}" in digest.body
    # Each topic has its own reply address, for Claire only.
    claire = memberships["claire"]
    assert mail_replies.reply_address(bees.pk, claire.pk) in digest.body
    assert mail_replies.reply_address(hedges.pk, claire.pk) in digest.body
    # Two topics: answering the e-mail itself is told where to write instead.
    assert digest.extra_headers["Reply-To"] == mail_replies.digest_address(claire.pk)
    assert digest.extra_headers["Auto-Submitted"] == "auto-generated"
    # A post's text stays text: escaped in the HTML part, never markup.
    html, media_type = digest.alternatives[0]
    assert media_type == "text/html" and "<script>" not in html and "&lt;script&gt;" in html
    assert 'lang="fr"' in html


def test_the_html_of_an_arabic_digest_reads_right_to_left(pollinators, run) -> None:  # type: ignore[no-untyped-def]
    community, memberships = pollinators
    make.post(make.topic(community), memberships["ana"].person)
    run()
    digest = next(message for message in mail.outbox if message.to == ["fatima@example.org"])
    html = digest.alternatives[0][0]
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert digest.subject.startswith(make.POLLINATORS["ar"])


def test_a_digest_of_one_topic_is_answered_by_replying_to_it(pollinators, run) -> None:  # type: ignore[no-untyped-def]
    community, memberships = pollinators
    topic = make.topic(community)
    make.post(topic, memberships["ana"].person)
    run()
    claire = memberships["claire"]
    digest = next(message for message in mail.outbox if message.to == ["claire@example.org"])
    assert digest.extra_headers["Reply-To"] == mail_replies.reply_address(topic.pk, claire.pk)
    delivery = claire.digests.get()
    assert digest.extra_headers["Message-ID"] == mail_replies.digest_message_id(
        delivery.pk, claire.pk, topic.pk
    )


def test_nothing_new_sends_nothing(pollinators, run) -> None:  # type: ignore[no-untyped-def]
    community, memberships = pollinators
    topic = make.topic(community)
    ana = memberships["ana"].person
    # Before Claire joined, Ana's own post, a hidden post, and a post in a hidden topic.
    make.post(topic, ana, at=timezone.now() - timedelta(days=2))
    make.post(topic, memberships["claire"].person, "My own words.")
    hidden = make.post(topic, ana, "Buy cheap pesticides here.")
    hidden.hidden_at = timezone.now()
    hidden.save()
    make.post(make.topic(community, "Spam", hidden_at=timezone.now()), ana)

    run()
    assert not any(message.to == ["claire@example.org"] for message in mail.outbox)
    assert not DigestDelivery.objects.filter(membership=memberships["claire"]).exists()


def test_a_digest_never_goes_out_twice(pollinators, run) -> None:  # type: ignore[no-untyped-def]
    community, memberships = pollinators
    topic = make.topic(community)
    make.post(topic, memberships["ana"].person, at=timezone.now() - timedelta(minutes=5))
    make.post(topic, memberships["ana"].person)
    now = timezone.now()

    assert run(now=now) == 2
    assert run(now=now + timedelta(minutes=1)) == 0
    assert len(mail.outbox) == 2
    claire = Membership.objects.get(pk=memberships["claire"].pk)
    assert claire.digested_until == now
    assert list(claire.digests.values_list("period", "posts")) == [(digests.period_key(WEEKLY, now), 2)]


def test_posts_after_a_digest_wait_for_the_next_one(pollinators, run) -> None:  # type: ignore[no-untyped-def]
    community, memberships = pollinators
    topic = make.topic(community)
    ana = memberships["ana"].person
    make.post(topic, ana, "First.")
    run(now=timezone.now())
    mail.outbox.clear()
    make.post(topic, ana, "Second.")
    run(now=timezone.now() + timedelta(days=7))
    digest = next(message for message in mail.outbox if message.to == ["claire@example.org"])
    assert "Second." in digest.body and "First." not in digest.body


def test_a_run_that_failed_half_way_sends_the_rest_and_nothing_twice(pollinators, run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    community, memberships = pollinators
    make.post(make.topic(community), memberships["ana"].person)
    real = digests._message
    failing = memberships["fatima"].pk

    def breaks_for_fatima(membership, posts, delivery):  # type: ignore[no-untyped-def]
        if membership.pk == failing:
            raise ConnectionError("the template server went away")
        return real(membership, posts, delivery)

    monkeypatch.setattr(digests, "_message", breaks_for_fatima)
    with pytest.raises(ConnectionError):
        run()
    # Fatima's transaction was undone: nothing recorded, no watermark moved.
    assert not DigestDelivery.objects.filter(membership_id=failing).exists()
    assert Membership.objects.get(pk=failing).digested_until is None
    monkeypatch.setattr(digests, "_message", real)
    run()  # the queue retries the job
    receivers = sorted(address for message in mail.outbox for address in message.to)
    assert receivers == ["claire@example.org", "fatima@example.org"]


def test_a_period_already_recorded_sends_nothing(pollinators, run) -> None:  # type: ignore[no-untyped-def]
    """What another run, at the same time, would have done first: the unique key stops this one."""
    community, memberships = pollinators
    make.post(make.topic(community), memberships["ana"].person)
    now = timezone.now()
    claire = memberships["claire"]
    DigestDelivery.objects.create(membership=claire, period=digests.period_key(WEEKLY, now), posts=1)
    run(now=now)
    assert not any(message.to == [claire.person.email] for message in mail.outbox)


def test_who_gets_no_digest(run) -> None:  # type: ignore[no-untyped-def]
    community = make.community()
    closed = make.community(access=Access.MEMBERS)
    withdrawn = make.community(live=False, state="withdrawn")
    writer = make.person("writer")
    for each in (community, closed, withdrawn):
        make.member(each, writer)
    quiet = {
        "banned": make.member(
            community, make.person("banned"), status=MemberStatus.BANNED, banned_at=timezone.now()
        ),
        "left": make.member(community, make.person("left"), status=MemberStatus.LEFT),
        "pending": make.member(closed, make.person("pending"), status=MemberStatus.PENDING),
        "never": make.member(community, make.person("never"), digest=DigestFrequency.NEVER),
        "daily": make.member(community, make.person("daily"), digest=DigestFrequency.DAILY),
        "withdrawn": make.member(withdrawn, make.person("reader")),
    }
    inactive = make.member(community, make.person("inactive"))
    inactive.person.is_active = False
    inactive.person.save()
    reader = make.member(closed, make.person("insider"))
    for each in (community, closed, withdrawn):
        make.post(make.topic(each), writer)

    run()
    assert [message.to for message in mail.outbox] == [[reader.person.email]]
    assert not DigestDelivery.objects.filter(membership__in=[*quiet.values(), inactive]).exists()


def test_the_daily_job_sends_the_daily_digests_only(pollinators, run) -> None:  # type: ignore[no-untyped-def]
    community, memberships = pollinators
    Membership.objects.filter(pk=memberships["claire"].pk).update(digest=DigestFrequency.DAILY)
    make.post(make.topic(community), memberships["ana"].person)
    now = timezone.now()
    assert run(DigestFrequency.DAILY, now=now) == 1
    assert mail.outbox[0].to == ["claire@example.org"]
    assert memberships["claire"].digests.get().period == f"daily:{now.astimezone(UTC).date().isoformat()}"


def test_periods_are_days_and_iso_weeks_in_utc() -> None:
    late_sunday = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    assert digests.period_key(DigestFrequency.DAILY, late_sunday) == "daily:2026-12-06"
    assert digests.period_key(WEEKLY, late_sunday) == "weekly:2026-W49"
    # ISO weeks: 1 January 2027 is a Friday of 2026's week 53.
    assert digests.period_key(WEEKLY, datetime(2027, 1, 1, tzinfo=UTC)) == "weekly:2026-W53"
    assert len(digests.period_key("now", late_sunday)) <= DigestDelivery._meta.get_field("period").max_length


def test_the_command_sends_every_member_their_digest_now(
    pollinators, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    community, memberships = pollinators
    make.post(make.topic(community), memberships["ana"].person)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("senddigests", "--now", stdout=StringIO())
    assert sorted(message.to[0] for message in mail.outbox) == ["claire@example.org", "fatima@example.org"]
    assert memberships["claire"].digests.get().period.startswith("now:")
