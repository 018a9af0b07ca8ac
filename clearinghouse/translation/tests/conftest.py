"""The translation tests' people and records: a Spanish guide published by Kenya, two
translators into Chinese (one also into Arabic) and one into French, appointed through the
accounts services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from clearinghouse.accounts import services as accounts
from clearinghouse.accounts.models import Role, User
from clearinghouse.core.testing import World, give_second_factor, make_user
from clearinghouse.support.models import Resource
from clearinghouse.support.tests.factories import published
from clearinghouse.support.tests.samples import sample
from clearinghouse.translation import services
from clearinghouse.vocabularies.services import data_files, load_vocabularies


@dataclass
class Translators:
    lina: User  # into Chinese and Arabic
    chen: User  # into Chinese
    marie: User  # into French


def appoint_translator(
    username: str, first: str, last: str, languages: list[str], language: str = "en"
) -> User:
    person = make_user(username, first, last, language)
    accounts.appoint(actor=None, user=person, role=Role.TRANSLATOR)
    services.set_languages(actor=None, translator=person, languages=languages)
    # The role calls for a second factor before acting (accounts.mfa_policy).
    give_second_factor(person)
    return person


@pytest.fixture
def translators(db: None) -> Translators:
    return Translators(
        lina=appoint_translator("lina", "Lina", "Zhou", ["zh", "ar"], "zh-hans"),
        chen=appoint_translator("chen", "Chen", "Yu", ["zh"], "zh-hans"),
        marie=appoint_translator("marie", "Marie", "Laurent", ["fr"], "fr"),
    )


@pytest.fixture
def vocabularies(db: None) -> None:
    load_vocabularies(data_files())


def spanish_guide(world: World) -> Resource:
    values: dict[str, Any] = {
        **sample(Resource, world),
        "title": "Guía de monitoreo comunitario de los bosques",
        "description": "<p>Cómo organizar equipos de vigilancia.</p>",
    }
    return published(Resource, world, values, language="es")


@pytest.fixture
def guide(world: World, vocabularies: None) -> Resource:
    return spanish_guide(world)
