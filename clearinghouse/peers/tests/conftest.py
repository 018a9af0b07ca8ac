"""The peers tests' world: Kenya and Tanzania from the shared world, and Senegal with its focal
point; needs published through the workflow in several languages; the matcher on the
word-hashing stand-in (matchmaking's fixtures)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from clearinghouse.accounts.models import Role, User
from clearinghouse.accounts.services import appoint
from clearinghouse.core.testing import World, give_second_factor, make_country, make_user
from clearinghouse.geo.models import Country, RegionalGroup
from clearinghouse.matchmaking.tests.conftest import Commit, _matcher, vocabularies  # noqa: F401  (fixtures)
from clearinghouse.needs.formats import CURRENT_VERSION
from clearinghouse.needs.models import Need
from clearinghouse.publishing import workflow
from clearinghouse.support.tests.factories import terms


@dataclass
class Peers:
    world: World
    commit: Commit
    senegal: Country
    senegal_focal_point: User

    def publish(
        self,
        author: User,
        owner: Country,
        *,
        language: str,
        title: str,
        description: str,
        subjects: tuple[str, ...] = (),
        targets: tuple[str, ...] = (),
        support: tuple[str, ...] = ("training",),
        **values: Any,
    ) -> Need:
        """A need published by its Party's focal point, as the workflow publishes it."""
        content: dict[str, Any] = {
            "original_language": language,
            "format_version": CURRENT_VERSION,
            "title": {language: title},
            "description": {language: description},
            "priority": "high",
            "subjects": [term for code in subjects for term in terms(code)],
            "gbf_targets": [term for code in targets for term in terms(code)],
            "instruments": terms("CBD"),
            "capacity_levels": terms("individual"),
            "support_types": [term for code in support for term in terms(code)],
            "support_languages": [language],
            "contact_name": "Contact",
            "contact_email": "contact@example.org",
        } | values
        need = workflow.create(Need, actor=author, owner=owner, values=content)
        workflow.submit(need, actor=author)
        with self.commit(execute=True):
            # Another reviewer publishes: the Secretariat reviews for every Party.
            return workflow.publish(need, actor=self.world.secretariat)


@pytest.fixture
def peers(
    world: World,
    vocabularies: None,  # noqa: F811  (the fixture imported above)
    django_capture_on_commit_callbacks: Commit,
) -> Peers:
    senegal = make_country(
        "SN",
        "SEN",
        {
            "ar": "السنغال",
            "zh": "塞内加尔",
            "en": "Senegal",
            "fr": "Sénégal",
            "ru": "Сенегал",
            "es": "Senegal",
        },
        regional_group=RegionalGroup.AFRICA,
        developing=True,
        ldc=True,
    )
    person = make_user("awa", "Awa", "Diop", "fr")
    appoint(actor=None, user=person, role=Role.FOCAL_POINT, country=senegal)
    give_second_factor(person)
    return Peers(world, django_capture_on_commit_callbacks, senegal, person)


# Needs the tests publish: Kenya's, in English, and needs of the same kind and of another.
INVASIVE = ("SUBJ-INVASIVE-ALIEN-SPECIES",)
T6 = ("GBF-T6",)


def kenyan_need(peers: Peers) -> Need:
    world = peers.world
    return peers.publish(
        world.focal_point,
        world.kenya,
        language="en",
        title="Customs officers able to identify invasive alien species",
        description="Border inspectors need identification guides and training on invasive plants.",
        subjects=INVASIVE,
        targets=T6,
    )


def tanzanian_need_in_french(peers: Peers) -> Need:
    world = peers.world
    return peers.publish(
        world.other_focal_point,
        world.tanzania,
        language="fr",
        title="Former les douaniers à identifier les espèces exotiques envahissantes",
        description=(
            "Les inspecteurs aux frontières ont besoin de guides d'identification des plantes envahissantes."
        ),
        subjects=INVASIVE,
        targets=T6,
    )


def senegalese_unrelated_need(peers: Peers) -> Need:
    return peers.publish(
        peers.senegal_focal_point,
        peers.senegal,
        language="fr",
        title="Un plan de financement de la biodiversité",
        description="Le ministère doit chiffrer les dépenses publiques et trouver de nouvelles ressources.",
        subjects=("SUBJ-FINANCE",),
        targets=("GBF-T19",),
        support=("expertise",),
    )
