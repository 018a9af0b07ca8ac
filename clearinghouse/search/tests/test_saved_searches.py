"""Registered people save a search from the search page, see their saved searches described in
their language, change, pause or delete them, and stop the alerts from the e-mail's link."""

from __future__ import annotations

import re

from django.http import QueryDict
from django.test import Client
from django.utils import timezone

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import World
from clearinghouse.search import saved
from clearinghouse.search.models import Frequency, SavedSearch


def _save(owner: User, query: str, name: str = "", frequency: str = Frequency.WEEKLY) -> SavedSearch:
    search, _created = saved.save_search(
        owner, saved.normalise(QueryDict(query)), name=name, frequency=frequency
    )
    return search


def _save_action(html: str) -> str:
    found = re.search(r'<form method="post" action="([^"]*/search/saved/new/[^"]*)"', html)
    assert found, "the page has a form to save the search"
    return found.group(1).replace("&amp;", "&")


def test_the_same_search_written_differently_is_one_query() -> None:
    first = saved.normalise(QueryDict("q=+mangrove++restoration&party=KE&party=TZ&page=3&sort=newest"))
    second = saved.normalise(QueryDict("party=TZ&party=KE&party=KE&party=&q=mangrove%20restoration"))
    assert first == second == "party=KE&party=TZ&q=mangrove+restoration"
    # An invalid date is left out, as the page leaves it out.
    assert saved.normalise(QueryDict("published_from=yesterday")) == ""


def test_a_signed_in_reader_saves_the_search_from_the_page_and_only_once(
    world: World, client: Client
) -> None:
    client.force_login(world.learner)
    html = client.get("/en/search/", {"q": "mangrove", "party": "KE"}).content.decode()
    assert "Save this search" in html
    assert 'value="mangrove"' in html, "the name is prefilled from the words"
    action = _save_action(html)

    response = client.post(action, {"name": "Mangroves in Kenya", "frequency": "daily"})
    assert response.status_code == 302
    assert response["Location"] == "/en/search/?q=mangrove&party=KE"
    search = SavedSearch.objects.get(owner=world.learner)
    assert (search.name, search.frequency, search.query) == (
        "Mangroves in Kenya",
        "daily",
        "party=KE&q=mangrove",
    )
    assert search.language == "zh", "the digest's language is the owner's preferred one"

    # The same search again, its parameters in another order: renamed, not duplicated.
    client.post(
        "/en/search/saved/new/?party=KE&q=+mangrove&sort=newest", {"name": "Kenya", "frequency": "monthly"}
    )
    search = SavedSearch.objects.get(owner=world.learner)
    assert (search.name, search.frequency) == ("Kenya", "monthly")
    page = client.get("/en/search/", {"q": "mangrove", "party": "KE"}).content.decode()
    assert "You saved this search as “Kenya”." in page
    assert 'value="Kenya"' in page and '<option value="monthly" selected>' in page, (
        "the form shows it as saved"
    )


def test_a_blank_name_is_taken_from_the_filters(world: World, client: Client) -> None:
    client.force_login(world.learner)
    client.post("/en/search/saved/new/?party=KE&party=TZ", {"name": "  ", "frequency": "weekly"})
    assert SavedSearch.objects.get(owner=world.learner).name == "Kenya or Tanzania"


def test_an_anonymous_reader_is_invited_to_sign_in_and_cannot_save(db: None, client: Client) -> None:
    html = client.get("/en/search/", {"q": "mangrove"}).content.decode()
    assert "Sign in to save this search" in html
    assert "/en/accounts/login/?next=/en/search/%3Fq%3Dmangrove" in html
    assert "/search/saved/new/" not in html
    response = client.post("/en/search/saved/new/?q=mangrove", {"name": "x", "frequency": "daily"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not SavedSearch.objects.exists()


def test_a_reader_keeps_at_most_fifty_saved_searches(world: World, client: Client) -> None:
    for number in range(saved.MAX_PER_OWNER):
        _save(world.learner, f"q=word{number}")
    client.force_login(world.learner)
    response = client.post(
        "/en/search/saved/new/?q=one+more", {"name": "", "frequency": "daily"}, follow=True
    )
    assert (
        "You can keep at most 50 saved searches. Delete one you no longer need first."
        in response.content.decode()
    )
    assert SavedSearch.objects.filter(owner=world.learner).count() == saved.MAX_PER_OWNER
    # Saving one already kept is still possible at the limit: it is not a new one.
    client.post("/en/search/saved/new/?q=word7", {"name": "Seven", "frequency": "daily"})
    assert SavedSearch.objects.filter(owner=world.learner, name="Seven").exists()


def test_an_unknown_frequency_is_refused_and_nothing_is_saved(world: World, client: Client) -> None:
    client.force_login(world.learner)
    response = client.post(
        "/en/search/saved/new/?q=bees", {"name": "Bees", "frequency": "hourly"}, follow=True
    )
    assert "Select a valid choice." in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_my_saved_searches_describe_the_filters_in_the_readers_language(world: World, client: Client) -> None:
    _save(world.trainer, "q=forêts&party=KE&party=TZ&published_from=2026-01-15", name="Forêts")
    _save(world.trainer, "", name="Tout")
    client.force_login(world.trainer)
    html = client.get("/fr/search/saved/").content.decode()
    assert "Forêts" in html and "Tout" in html
    assert "Kenya ou Tanzanie" in html, "Party names in French, as a French list"
    assert "15 janvier 2026" in html
    assert 'href="/fr/search/?party=KE&amp;party=TZ&amp;published_from=2026-01-15&amp;q=for%C3%AAts"' in html


def test_the_list_page_reads_labels_once_for_all_saved_searches(
    world: World, client: Client, django_assert_max_num_queries: object
) -> None:
    for number in range(10):
        _save(world.learner, f"q=word{number}&party=KE&in_language=fr")
    client.force_login(world.learner)
    # Five of them are the header's: the person's roles, whether an expert profile is theirs,
    # whether they registered for an event, whether they study a course, and whether they have
    # peer reviews to write.
    with django_assert_max_num_queries(11):  # type: ignore[operator]
        assert client.get("/en/search/saved/").status_code == 200


def test_the_owner_changes_pauses_resumes_and_deletes_a_saved_search(world: World, client: Client) -> None:
    search = _save(world.learner, "q=bees", name="Bees")
    client.force_login(world.learner)
    client.post(f"/en/search/saved/{search.pk}/frequency/", {"frequency": "monthly"})
    client.post(f"/en/search/saved/{search.pk}/pause/")
    search.refresh_from_db()
    assert (search.frequency, search.active) == ("monthly", False)
    assert "E-mail alerts: paused." in client.get("/en/search/saved/").content.decode()

    before = timezone.now()
    client.post(f"/en/search/saved/{search.pk}/resume/")
    search.refresh_from_db()
    assert search.active and search.checked_through >= before, "resumed: records from now on, no backlog"

    client.post(f"/en/search/saved/{search.pk}/delete/")
    assert not SavedSearch.objects.filter(pk=search.pk).exists()


def test_another_persons_saved_search_is_not_found(world: World, client: Client) -> None:
    theirs = _save(world.focal_point, "q=bees", name="Bees", frequency=Frequency.DAILY)
    client.force_login(world.outsider)
    for action, data in (("frequency", {"frequency": "monthly"}), ("pause", {}), ("delete", {})):
        assert client.post(f"/en/search/saved/{theirs.pk}/{action}/", data).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.frequency, theirs.active) == ("daily", True)
    assert "Bees" not in client.get("/en/search/saved/").content.decode()


def test_every_change_needs_the_csrf_token(world: World) -> None:
    search = _save(world.learner, "q=bees")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.learner)
    assert client.post(f"/en/search/saved/{search.pk}/delete/").status_code == 403
    assert client.post("/en/search/saved/new/?q=ants", {"frequency": "daily"}).status_code == 403
    assert SavedSearch.objects.filter(owner=world.learner).count() == 1


def test_the_unsubscribe_link_stops_the_alerts_without_signing_in(world: World, client: Client) -> None:
    search = _save(world.learner, "q=bees", name="Bees")
    url = f"/en/search/saved/unsubscribe/{saved.unsubscribe_token(search)}/"
    page = client.get(url)
    search.refresh_from_db()
    assert page.status_code == 200 and search.active, "a GET (a mail scanner's) only asks to confirm"
    assert "Stop the e-mail alerts of the saved search “Bees”?" in page.content.decode()

    done = client.post(url)
    search.refresh_from_db()
    assert done.status_code == 200 and not search.active
    assert "You will get no more e-mail about “Bees”." in done.content.decode()


def test_a_tampered_unsubscribe_link_changes_nothing(world: World, client: Client) -> None:
    search = _save(world.learner, "q=bees")
    other = _save(world.focal_point, "q=ants")
    token = saved.unsubscribe_token(search)
    # Another person's saved search in the payload, with this one's signature.
    payload, signature = saved.unsubscribe_token(other).split(":", 1)[0], token.split(":", 1)[1]
    forged = f"{payload}:{signature}"
    for bad in (token[:-2] + "xx", forged, "garbage"):
        response = client.post(f"/en/search/saved/unsubscribe/{bad}/")
        assert response.status_code == 404
        assert "This link is not valid" in response.content.decode()
    assert SavedSearch.objects.filter(active=True).count() == 2


def test_the_account_menu_links_to_my_saved_searches(world: World, client: Client) -> None:
    client.force_login(world.learner)
    assert 'href="/en/search/saved/"' in client.get("/en/search/").content.decode()
