"""Every page of a record answers the same question the same way: the generic record page, its
printable view and the registry's own page show a record to the same people, and its
confidential fields to the same people (publishing/access.py is the one rule)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import World, invasive_species_need_values
from clearinghouse.needs.models import Need
from clearinghouse.publishing import documents, workflow
from clearinghouse.publishing.models import Record
from clearinghouse.support import services as support
from clearinghouse.support.models import Expert
from clearinghouse.vocabularies.models import Term
from clearinghouse.vocabularies.services import data_files, load_vocabularies

# Who is asked, by the name the expected sets below use. "provider" is the Kenyan NGO's partner
# editor, who registers support records for it; "expert" is the person the expert profile is about.
PEOPLE: dict[str, Callable[[World], User | None]] = {
    "secretariat": lambda world: world.secretariat,
    "focal point": lambda world: world.focal_point,
    "authorised user": lambda world: world.authorised_user,
    "provider": lambda world: world.partner_editor,
    "help desk": lambda world: world.helpdesk_agent,
    "expert": lambda world: world.learner,
    "outsider": lambda world: world.outsider,
    "anonymous": lambda world: None,
}
KENYA_INSIDERS = {"secretariat", "focal point", "authorised user"}
EVERYONE = set(PEOPLE)


@pytest.fixture
def vocabularies(db: None) -> None:
    load_vocabularies(data_files())


def _need(world: World) -> Need:
    return workflow.create(
        Need,
        actor=world.authorised_user,
        owner=world.kenya,
        values=invasive_species_need_values(
            "en",
            "Training customs officers",
            "Invasive alien species at the border",
            contact_name="Awa Diallo",
            contact_email="awa.diallo@example.org",
        ),
    )


def _expert(world: World, consent: bool = False) -> Expert:
    return support.create(
        Expert,
        actor=world.authorised_user,
        owner=world.kenya,
        language="en",
        cleaned={
            "title": "Marine spatial planning specialist",
            "name": "Baraka Mwangi",
            "email": "baraka.mwangi@example.org",
            "biography": "Twenty years at sea.",
            "consent_to_publish": consent,
            "subjects": list(Term.objects.filter(code="SUBJ-MARINE-COASTAL")),
        },
        expert_user=world.learner,
    )


def _publish(world: World, record: Record) -> None:
    workflow.submit(record, actor=world.authorised_user)
    workflow.publish(record, actor=world.focal_point)


def _pages(record: Record) -> dict[str, str]:
    return {
        "record page": reverse("publishing:detail", args=[record.identifier]),
        "printable view": reverse("publishing:print", args=[record.identifier]),
        "registry page": documents.page_url(record),
    }


def _who_sees(world: World, record: Record, confidential: str) -> tuple[set[str], set[str]]:
    """Who sees the record, and who its confidential fields, after checking that every page of
    the record gives each person the same answers."""
    sees, sees_confidential = set(), set()
    for name, person in PEOPLE.items():
        client = Client()
        user = person(world)
        if user is not None:
            client.force_login(user)
        answers = {}
        for page, url in _pages(record).items():
            response = client.get(url)
            assert response.status_code in {200, 404}, (name, page, response.status_code)
            shown = response.status_code == 200
            answers[page] = (shown, shown and confidential in response.content.decode())
        assert len(set(answers.values())) == 1, f"the pages disagree for the {name}: {answers}"
        shown, with_confidential = answers["record page"]
        if shown:
            sees.add(name)
        if with_confidential:
            sees_confidential.add(name)
    return sees, sees_confidential


pytestmark = pytest.mark.usefixtures("vocabularies")


def test_a_draft_need_is_seen_only_by_its_authors_and_reviewers(world: World) -> None:
    need = _need(world)
    assert _who_sees(world, need, "awa.diallo@example.org") == (KENYA_INSIDERS, KENYA_INSIDERS)


def test_a_published_need_is_public_and_its_contact_is_for_its_people_and_the_help_desk(
    world: World,
) -> None:
    need = _need(world)
    _publish(world, need)
    assert _who_sees(world, need, "awa.diallo@example.org") == (
        EVERYONE,
        KENYA_INSIDERS | {"help desk"},
    )


def test_a_draft_expert_profile_is_seen_by_its_owners_and_by_the_expert(world: World) -> None:
    expert = _expert(world)
    insiders = KENYA_INSIDERS | {"expert"}
    assert _who_sees(world, expert, "baraka.mwangi@example.org") == (insiders, insiders)


def test_a_published_expert_profile_keeps_personal_data_to_the_expert_owners_and_help_desk(
    world: World,
) -> None:
    expert = _expert(world)
    _publish(world, expert)
    assert _who_sees(world, expert, "baraka.mwangi@example.org") == (
        EVERYONE,
        KENYA_INSIDERS | {"expert", "help desk"},
    )


def test_an_expert_who_consented_is_shown_in_full_to_everyone(world: World) -> None:
    expert = _expert(world, consent=True)
    _publish(world, expert)
    assert _who_sees(world, expert, "baraka.mwangi@example.org") == (EVERYONE, EVERYONE)


def test_the_pdf_follows_the_same_rule(world: World) -> None:
    expert = _expert(world)
    url = reverse("publishing:pdf", args=[expert.identifier])
    client = Client()
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    client.force_login(world.learner)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
