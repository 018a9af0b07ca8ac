"""The pages of mentoring as people use them: asking from a mentor's link, answering, the goals,
notes with and without htmx, finishing and rating; a relation is "not found" for anyone but its
two people, and user text is shown escaped."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from clearinghouse.community import mentoring
from clearinghouse.community.models import MentoringStatus, Mentorship
from clearinghouse.core.testing import World

from .mentoring_factories import alumnus_mentor, asked, period, under_way


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def page(pk: int) -> str:
    return reverse("community:mentorship", args=[pk])


def action(pk: int, name: str) -> str:
    return reverse("community:mentorship_action", args=[pk, name])


def test_asking_shows_who_the_mentor_is_and_sends_the_request(world: World) -> None:
    alumnus_mentor(world.trainer, in_directory=True, shows_name=True)
    url = reverse("community:mentoring_ask") + f"?mentor={world.trainer.pk}"
    client = client_for(world.learner)
    assert world.trainer.get_full_name() in client.get(url).content.decode()
    starts, ends = period()
    response = client.post(
        url,
        {
            "topic": "Preparing an ABS permit",
            "request": "Our authority issues its first permit this year.",
            "starts_on": starts.isoformat(),
            "ends_on": ends.isoformat(),
        },
    )
    relation = Mentorship.objects.get()
    assert response.status_code == 302 and response["Location"] == page(relation.pk)
    assert (relation.mentee, relation.mentor, relation.status) == (
        world.learner,
        world.trainer,
        MentoringStatus.PENDING,
    )


def test_a_bad_period_is_shown_on_the_form_and_nothing_is_saved(world: World) -> None:
    alumnus_mentor(world.trainer)
    url = reverse("community:mentoring_ask") + f"?mentor={world.trainer.pk}"
    starts, ends = period(-3, 30)
    response = client_for(world.learner).post(
        url, {"topic": "x", "request": "y", "starts_on": starts.isoformat(), "ends_on": ends.isoformat()}
    )
    assert response.status_code == 200
    assert "The period cannot start in the past." in response.content.decode()
    assert not Mentorship.objects.exists()


def test_the_ask_page_is_not_found_for_someone_who_does_not_mentor_or_for_oneself(world: World) -> None:
    alumnus_mentor(world.trainer)
    ask = reverse("community:mentoring_ask")
    client = client_for(world.learner)
    assert client.get(f"{ask}?mentor={world.outsider.pk}").status_code == 404
    assert client.get(f"{ask}?mentor=nobody").status_code == 404
    assert client_for(world.trainer).get(f"{ask}?mentor={world.trainer.pk}").status_code == 404
    # Signed out: to the sign-in page.
    assert Client().get(f"{ask}?mentor={world.trainer.pk}").status_code == 302


def test_a_relation_and_its_notes_are_not_found_for_anyone_else(world: World) -> None:
    alumnus_mentor(world.trainer)
    relation = under_way(world.learner, world.trainer)
    mentoring.note(relation, world.learner, "Private: our budget is tight.")
    assert (
        "Private: our budget is tight." in client_for(world.trainer).get(page(relation.pk)).content.decode()
    )
    for person in (world.outsider, world.secretariat):
        client = client_for(person)
        assert client.get(page(relation.pk)).status_code == 404
        assert client.post(action(relation.pk, "note"), {"note-body": "Hello"}).status_code == 404
        assert client.post(action(relation.pk, "complete")).status_code == 404
    assert relation.notes.count() == 1


def test_my_mentoring_puts_requests_to_answer_first(world: World) -> None:
    alumnus_mentor(world.trainer)
    alumnus_mentor(world.learner)
    asked(world.learner, world.trainer, topic="Red List assessments")
    asked(world.trainer, world.learner, topic="Online courses in Chinese")
    content = client_for(world.trainer).get(reverse("community:mentoring")).content.decode()
    assert content.index("Red List assessments") < content.index("Online courses in Chinese")
    assert (
        "Red List assessments"
        not in client_for(world.outsider).get(reverse("community:mentoring")).content.decode()
    )


def test_the_whole_way_through_the_pages(world: World) -> None:
    alumnus_mentor(world.trainer)
    relation = asked(world.learner, world.trainer)
    mentor, mentee = client_for(world.trainer), client_for(world.learner)
    # The mentee cannot accept their own request: refused with a message, nothing changes.
    mentee.post(action(relation.pk, "accept"))
    relation.refresh_from_db()
    assert relation.status == MentoringStatus.PENDING
    assert mentor.post(action(relation.pk, "accept")).status_code == 302
    assert mentee.post(action(relation.pk, "start"), {"start-goals": ""}).status_code == 400
    mentee.post(action(relation.pk, "start"), {"start-goals": "A permit template by June."})
    relation.refresh_from_db()
    assert relation.status == MentoringStatus.ACTIVE
    # Without JavaScript, a note returns to the page; with htmx, the notes come back alone.
    assert mentor.post(action(relation.pk, "note"), {"note-body": "Send me the draft."}).status_code == 302
    fragment = mentee.post(
        action(relation.pk, "note"),
        {"note-body": "<script>alert(1)</script>Draft attached."},
        headers={"HX-Request": "true"},
    )
    html = fragment.content.decode()
    assert fragment.status_code == 200 and 'id="mentoring-notes"' in html and "<html" not in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    mentee.post(action(relation.pk, "complete"))
    mentee.post(action(relation.pk, "rate"), {"rate-rating": "5", "rate-comment": "Excellent."})
    mentor.post(action(relation.pk, "rate"), {"rate-rating": "4"})
    relation.refresh_from_db()
    assert (relation.status, relation.mentee_rating, relation.mentor_rating) == (
        MentoringStatus.COMPLETED,
        5,
        4,
    )
    # A second rating is not offered and not taken.
    assert mentee.post(action(relation.pk, "rate"), {"rate-rating": "1"}).status_code == 400
    relation.refresh_from_db()
    assert relation.mentee_rating == 5


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_relation_page_is_served_in_the_readers_language(world: World, language: str) -> None:
    alumnus_mentor(world.trainer)
    relation = asked(world.learner, world.trainer)
    response = client_for(world.trainer).get(f"/{language}/community/mentoring/{relation.pk}/")
    html = response.content.decode()
    assert response.status_code == 200 and f'lang="{language}"' in html
    assert ('dir="rtl"' in html) == (language == "ar")


def test_an_experts_page_offers_to_ask_them_for_mentoring_but_not_to_themselves(world: World) -> None:
    from .mentoring_factories import expert_mentor

    expert = expert_mentor(world, world.partner_editor)
    url = reverse("support:detail", args=["experts", expert.identifier])
    ask = reverse("community:mentoring_ask") + f"?mentor={world.partner_editor.pk}"
    assert ask in client_for(world.learner).get(url).content.decode()
    assert ask not in client_for(world.partner_editor).get(url).content.decode()
