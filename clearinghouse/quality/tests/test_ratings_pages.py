"""The rating pages as people use them: the panel on a record's page, rating and changing from
the item's page, refusals shown in the reader's language, a cooperation rated by its sides and
hidden from others, reporting a comment and the moderators hiding it, and my ratings."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from clearinghouse.core.testing import World
from clearinghouse.quality import ratings
from clearinghouse.quality.models import Rating, RatingReport
from clearinghouse.quality.tests.rating_factories import (
    Commit,
    _offline,  # noqa: F401  (fixture)
    attended_event,
    completed_cooperation,
    followed_course,
    vocabularies,  # noqa: F401  (fixture)
)

pytestmark = pytest.mark.usefixtures("vocabularies")


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def page(identifier: str) -> str:
    return reverse("quality:ratings", args=[identifier])


def test_the_event_page_shows_the_average_and_offers_the_participant_to_rate(world: World) -> None:
    event = attended_event(world, world.learner)
    ratings.rate_record(event, person=world.learner, stars=4, comment="Well organised <b>workshop</b>.")
    shown = Client().get(event.get_absolute_url()).content.decode()
    assert "Participants&#x27; ratings" in shown or "Participants' ratings" in shown
    assert "4.0 out of 5" in shown and "1 rating" in shown
    # User text is escaped.
    assert "&lt;b&gt;workshop&lt;/b&gt;" in shown
    other = attended_event(world, world.outsider)
    assert "Rate it" in client_for(world.outsider).get(other.get_absolute_url()).content.decode()
    assert "Rate it" not in client_for(world.trainer).get(other.get_absolute_url()).content.decode()


def test_a_learner_rates_a_course_from_its_page_then_changes_it(world: World) -> None:
    course = followed_course(world, world.learner)
    client = client_for(world.learner)
    response = client.post(page(course.identifier), {"stars": "5", "comment": "Clear and practical."})
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.stars, rating.comment, rating.person) == (5, "Clear and practical.", world.learner)
    form = client.get(page(course.identifier)).content.decode()
    assert "Save the change" in form and "Clear and practical." in form
    client.post(page(course.identifier), {"stars": "3", "comment": "Clear and practical."})
    assert Rating.objects.get().stars == 3
    client.post(reverse("quality:remove_rating", args=[rating.pk]))
    assert not Rating.objects.exists()


def test_bad_stars_are_shown_on_the_form_and_nothing_is_saved(world: World) -> None:
    course = followed_course(world, world.learner)
    response = client_for(world.learner).post(page(course.identifier), {"stars": "9", "comment": "x"})
    assert response.status_code == 400
    assert "Give from 1 to 5 stars." in response.content.decode()
    assert not Rating.objects.exists()


def test_someone_who_did_not_take_part_is_told_why_in_arabic(world: World) -> None:
    event = attended_event(world, world.learner)
    with override("ar"):
        url = page(event.identifier)
    assert url.startswith("/ar/")
    response = client_for(world.outsider).get(url)
    shown = response.content.decode()
    assert response.status_code == 200 and 'dir="rtl"' in shown
    assert "your-rating" not in shown
    refused = client_for(world.outsider).post(url, {"stars": "1"})
    assert refused.status_code == 400 and not Rating.objects.exists()


def test_anyone_may_read_the_ratings_but_not_of_an_unknown_record(world: World) -> None:
    event = attended_event(world, world.learner)
    ratings.rate_record(event, person=world.learner, stars=2, comment="Too much theory.")
    assert "Too much theory." in Client().get(page(event.identifier)).content.decode()
    assert Client().get(page("CB-EVENT-KE-999999")).status_code == 404
    signed_out = Client().post(page(event.identifier), {"stars": "5"})
    assert signed_out.status_code == 302 and "login" in signed_out["Location"]


def test_a_comment_is_reported_then_hidden_and_its_stars_still_count(world: World) -> None:
    event = attended_event(world, world.learner)
    rating = ratings.rate_record(event, person=world.learner, stars=1, comment="The trainer is an idiot.")
    reporter = client_for(world.outsider)
    report_url = reverse("quality:report_rating", args=[rating.pk])
    assert reporter.post(report_url, {"reason": "Insulting."}).status_code == 302
    again = reporter.post(report_url, {"reason": "Still insulting."})
    assert again.status_code == 400 and "already reported" in again.content.decode()
    # Only the moderators see the queue and hide.
    assert client_for(world.outsider).get(reverse("quality:rating_reports")).status_code == 403
    hide = reverse("quality:moderate_rating", args=[rating.pk, "hide"])
    assert client_for(world.outsider).post(hide, {"reason": "Insult"}).status_code == 403
    moderator = client_for(world.secretariat)
    assert "The trainer is an idiot." in moderator.get(reverse("quality:rating_reports")).content.decode()
    moderator.post(hide, {"reason": "Insult"})
    rating.refresh_from_db()
    assert rating.comment_hidden and RatingReport.objects.get().resolved_at is not None
    shown = Client().get(page(event.identifier)).content.decode()
    assert "The trainer is an idiot." not in shown and "Comment hidden by the moderators." in shown
    assert ratings.summary(event.identifier).count == 1


def test_a_cooperation_is_rated_by_its_sides_and_not_found_by_others(
    world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    _offer, cooperation = completed_cooperation(world, django_capture_on_commit_callbacks)
    url = reverse("quality:rate_cooperation", args=[cooperation.match_id])
    assert client_for(world.outsider).get(url).status_code == 404
    provider = client_for(world.partner_editor)
    assert provider.post(url, {"stars": "4", "comment": "Committed partners."}).status_code == 302
    assert ratings.cooperation_summary(cooperation).count == 1
    mine = client_for(world.authorised_user).get(reverse("quality:my_ratings")).content.decode()
    assert "Cooperations to rate" in mine and url in mine
    assert "Committed partners." in client_for(world.authorised_user).get(url).content.decode()


def test_the_cooperation_page_leads_its_sides_to_rate_it(
    world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    _offer, cooperation = completed_cooperation(world, django_capture_on_commit_callbacks)
    page = reverse("matchmaking:cooperation", args=[cooperation.match_id])
    rate = reverse("quality:rate_cooperation", args=[cooperation.match_id])
    shown = client_for(world.partner_editor).get(page).content.decode()
    assert "Not rated yet." in shown and f'href="{rate}#your-rating">Rate this cooperation' in shown
    ratings.rate_cooperation(cooperation, person=world.partner_editor, stars=4)
    shown = client_for(world.partner_editor).get(page).content.decode()
    assert "4.0 out of 5" in shown and "Change your rating" in shown and "Rate this cooperation" not in shown
    # The requester's side still may rate it; in Arabic too.
    with override("ar"):
        arabic = reverse("matchmaking:cooperation", args=[cooperation.match_id])
    shown = client_for(world.authorised_user).get(arabic).content.decode()
    with override("ar"):
        assert _("Rate this cooperation") == "قيّم هذا التعاون"
    assert "قيّم هذا التعاون" in shown


def test_the_provider_page_shows_its_ratings(
    world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    from clearinghouse.support.models import Provider
    from clearinghouse.support.tests.factories import published
    from clearinghouse.support.tests.samples import sample

    offer, cooperation = completed_cooperation(world, django_capture_on_commit_callbacks)
    ratings.rate_record(offer, person=world.authorised_user, stars=5, comment="Exactly what we needed.")
    ratings.rate_cooperation(cooperation, person=world.authorised_user, stars=4)
    provider = published(
        Provider,
        world,
        sample(Provider, world) | {"organisation": world.kenyan_ngo},
        owner=world.kenyan_ngo,
        author=world.partner_editor,
    )
    shown = Client().get(provider.get_absolute_url()).content.decode()
    assert "Ratings of this provider" in shown and "4.5 out of 5" in shown
    assert "Exactly what we needed." in shown
