"""Offering one's expertise from the alumni profile: a draft expert profile prefilled from the
profile and the account, owned by the person's country or organisation, opened for editing."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from clearinghouse.community import alumni
from clearinghouse.community.tests.alumni_factories import attended
from clearinghouse.core.testing import World
from clearinghouse.publishing.models import State
from clearinghouse.support.models import Expert


def test_an_alumnus_offers_their_expertise_as_a_draft_expert_profile(world: World) -> None:
    world.learner.country = world.kenya
    world.learner.languages_spoken = ["zh", "en", "sw"]
    world.learner.save()
    alumnus = alumni.give_consent(attended(world, person=world.learner))
    alumni.update_profile(alumnus, {"about": "DNA barcoding of amphibians."})
    client = Client()
    client.force_login(world.learner)
    response = client.post(reverse("community:offer_expertise"))
    expert = Expert.objects.get()
    assert response["Location"] == reverse("support:edit", args=[expert.identifier])
    assert expert.state == State.DRAFT and expert.owner_country == world.kenya
    assert expert.expert_user == world.learner and expert.name == "Mei Wang"
    assert "DNA barcoding" in str(expert.biography) and expert.languages == ["zh", "en"]
    # Its edit page opens for the person it is about.
    assert client.get(response["Location"]).status_code == 200
    # Offering again opens the same profile.
    client.post(reverse("community:offer_expertise"))
    assert Expert.objects.count() == 1


def test_offering_expertise_without_country_or_organisation_says_what_to_set(world: World) -> None:
    attended(world, person=world.outsider)
    client = Client()
    client.force_login(world.outsider)
    response = client.post(reverse("community:offer_expertise"), follow=True)
    assert not Expert.objects.exists()
    assert reverse("accounts:profile") in response.content.decode()
