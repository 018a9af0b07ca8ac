"""The issue's walk, through the pages and the mail receiver a participant uses: checked in at a
workshop, they consent, appear in the directory, join a community, reply to its digest by
e-mail, and the reply appears in the topic; the statistics count them and the exchange."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clearinghouse.community import digests, discussions
from clearinghouse.community.models import Alumnus, Consent, DigestFrequency, Post
from clearinghouse.community.tests import factories_digests as make
from clearinghouse.core.testing import World, make_user
from clearinghouse.events import attendance
from clearinghouse.events.tests.attendance_factories import make_event, register
from clearinghouse.helpdesk import mail_in
from clearinghouse.helpdesk.models import MailOutcome
from clearinghouse.helpdesk.tests.factories_mail import message
from clearinghouse.monitoring.compute import Period, measure_values
from clearinghouse.publishing.registry import measures

pytestmark = pytest.mark.django_db

REPLY = "Nous avons testé la méthode des transects avec les éleveurs : les résultats arrivent."


def test_a_participant_checked_in_becomes_an_alumnus_and_replies_to_a_digest_by_email(
    world: World, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # Aminata, from Kenya, took part in a workshop with her account; the desk checks her in.
    aminata = make_user("aminata", "Aminata", "Diallo", "fr")
    aminata.country = world.kenya
    aminata.save()
    workshop = make_event(world, past=True)
    registration = register(workshop, "Aminata Diallo", email=aminata.email, person=aminata, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        attendance.check_in(registration, actor=world.focal_point)
    alumnus = Alumnus.objects.get(person=aminata)
    assert alumnus.consent == Consent.ASKED
    assert [sent.to for sent in mail.outbox] == [[aminata.email]]

    # She consents, then chooses to be listed with her name and country.
    client.force_login(aminata)
    client.post(reverse("community:consent"), {"decision": "give"})
    response = client.post(
        reverse("community:profile"),
        {"in_directory": "on", "shows_name": "on", "shows_country": "on", "about": "<script>x</script>"},
    )
    assert response.status_code == 302
    alumnus.refresh_from_db()
    assert alumnus.consent == Consent.GIVEN and alumnus.in_directory

    # Another signed-in person finds her in the directory; the public does not.
    client.force_login(world.focal_point)
    listed = client.get(reverse("community:directory"))
    assert "Aminata Diallo" in listed.content.decode()
    client.logout()
    assert client.get(reverse("community:directory")).status_code == 302

    # She joins a community of practice, accepting its code of conduct.
    community = make.community()
    ana = make.person("ana", "es")
    ana.country = world.tanzania
    ana.save()
    make.member(community, ana)
    client.force_login(aminata)
    client.post(reverse("community:join", args=[community.identifier]), {"accepts_conduct": "on"})
    membership = discussions.membership_of(aminata, community)
    assert membership is not None and membership.is_active
    assert membership.digest == DigestFrequency.WEEKLY

    # Ana opens a discussion; the weekly digest brings it to Aminata, in French.
    topic = discussions.start_topic(
        author=ana, community=community, title="Rangeland monitoring with herders", body="How do you count?"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        digests.send_digests(DigestFrequency.WEEKLY)
    [digest] = [sent for sent in mail.outbox if sent.to == [aminata.email]]
    assert "Rangeland monitoring with herders" in digest.body

    # Her mail program answers the digest; the help desk's receiver hands it to the community.
    reply = message(
        REPLY + "\n\n> How do you count?",
        subject=f"Re: {digest.subject}",
        sender=f"Aminata Diallo <{aminata.email}>",
        to=digest.extra_headers["Reply-To"],
        headers={"In-Reply-To": digest.extra_headers["Message-ID"]},
    )
    with django_capture_on_commit_callbacks(execute=True):
        received = mail_in.receive(reply)
    assert received.outcome == MailOutcome.ROUTED
    posted = Post.objects.get(topic=topic, author=aminata)
    assert posted.by_email and posted.body == REPLY

    # The reply appears in the topic for anyone reading the public community.
    client.logout()
    page = client.get(topic.get_absolute_url())
    assert REPLY.replace("'", "&#x27;") in page.content.decode()

    # The statistics count her as an alumna, active now, and her reply as a peer exchange
    # (Kenya answering Tanzania).
    year = Period.years(timezone.localdate().year)
    assert measure_values(measures()["community.alumni"], year) == {"": 1.0}
    assert measure_values(measures()["community.active_alumni"], year) == {"": 1.0}
    assert measure_values(measures()["community.peer_exchanges"], year) == {"": 1.0}
