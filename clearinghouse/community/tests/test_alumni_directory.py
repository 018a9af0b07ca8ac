"""The directory: signed-in people only; only alumni who consented and chose to be listed; on
each, only what they chose to show, in the list, on their page and through the filters."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from clearinghouse.community import alumni
from clearinghouse.community.tests.alumni_factories import attended, listed
from clearinghouse.core.testing import World, make_user
from clearinghouse.vocabularies.models import Term, Vocabulary


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _results(response: Any) -> str:
    """The list of alumni, without the filters' choices."""
    page = response.content.decode()
    return page[page.index('<ul class="results">') :]


def _subject(code: str = "invasive-species") -> Term:
    vocabulary, _created = Vocabulary.objects.get_or_create(name="subjects")
    return Term.objects.create(vocabulary=vocabulary, code=code, labels={"en": "Invasive alien species"})


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    listed(world, world.learner)
    for url in (reverse("community:directory"), reverse("community:messages")):
        response = Client().get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_only_what_each_alumnus_chose_is_shown(world: World) -> None:
    world.learner.organisation = world.kenyan_ngo
    world.learner.country = world.kenya
    world.learner.languages_spoken = ["zh", "en"]
    world.learner.save()
    world.learner.expertise.add(_subject())
    shown = listed(world, world.learner, about="DNA barcoding of amphibians")
    hidden = listed(world, world.outsider, shows_name=False, shows_country=False, shows_activities=False)
    page = _results(_signed_in(world.trainer).get(reverse("community:directory")))
    assert "Mei Wang" in page and "Kenya" in page
    # Hidden by default (organisation, expertise) or by choice (the outsider's name).
    assert "Nature Kenya" not in page and "Invasive alien species" not in page
    assert "Ivan" not in page and "Petrov" not in page
    own = _signed_in(world.trainer).get(reverse("community:alumnus", args=[hidden.pk])).content.decode()
    own = own[own.index("<main") :]
    assert "Ivan" not in own and "Petrov" not in own and "Workshop on invasive species" not in own
    alumni.update_profile(
        shown, {"shows_organisation": True, "shows_expertise": True, "shows_languages": True}
    )
    page = _signed_in(world.trainer).get(reverse("community:alumnus", args=[shown.pk])).content.decode()
    assert "Nature Kenya" in page and "Invasive alien species" in page and "DNA barcoding" in page
    # The address is never shown.
    assert world.learner.email not in page


def test_alumni_without_consent_or_unlisted_are_never_found(world: World) -> None:
    asked = attended(world, person=world.learner)
    withdrawn = listed(world, world.outsider)
    alumni.withdraw_consent(withdrawn)
    unlisted = alumni.give_consent(attended(world, person=world.partner_editor))
    client = _signed_in(world.trainer)
    page = _results(client.get(reverse("community:directory")))
    for name in ("Mei", "Ivan", "Akinyi"):
        assert name not in page
    for alumnus in (asked, withdrawn, unlisted):
        assert client.get(reverse("community:alumnus", args=[alumnus.pk])).status_code == 404


def test_filters_look_only_at_what_is_shown(world: World) -> None:
    subject = _subject()
    for person in (world.learner, world.outsider):
        person.country = world.kenya
        person.languages_spoken = ["fr"]
        person.save()
        person.expertise.add(subject)
    listed(world, world.learner, shows_expertise=True, shows_languages=True, shows_activities=True)
    listed(world, world.outsider, shows_country=False)
    client = _signed_in(world.trainer)

    def names(**query: str) -> set[str]:
        page = _results(client.get(reverse("community:directory"), query))
        return {name for name in ("Mei", "Ivan") if name in page}

    assert names() == {"Mei", "Ivan"}
    assert names(country="KE") == {"Mei"}
    assert names(subject=subject.code) == {"Mei"}
    assert names(language="fr") == {"Mei"}
    assert names(name="wang") == {"Mei"}
    participation = world.learner.alumnus.participations.get()
    assert names(activity=f"event-{participation.event_id}") == {"Mei"}
    assert names(country="ZZ") == set()


def test_the_directory_costs_a_bounded_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    subject = _subject()
    for number in range(12):
        person = make_user(f"alumnus{number}", "Alumnus", f"Number{number}")
        person.expertise.add(subject)
        listed(world, person, shows_expertise=True, shows_activities=True, shows_organisation=True)
    client = _signed_in(world.trainer)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("community:directory"))
    assert response.content.decode().count("Number") == 12


def test_the_directory_in_arabic_is_right_to_left(world: World) -> None:
    listed(world, world.learner)
    page = _signed_in(world.secretariat).get("/ar" + reverse("community:directory")[3:])
    assert 'dir="rtl"' in page.content.decode() and 'lang="ar"' in page.content.decode()
