"""What the workflow refuses, with a message that says why: nothing is half-saved."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clearinghouse.publishing import origins
from clearinghouse.publishing.origins import Origin
from clearinghouse.support.models import Resource
from clearinghouse.translation import services
from clearinghouse.translation.models import RequestState, TranslationRequest
from clearinghouse.translation.tests.conftest import Translators

pytestmark = pytest.mark.django_db


def asked(world: Any, guide: Resource, language: str = "zh") -> TranslationRequest:
    request, _created = services.ask(actor=world.learner, identifier=guide.identifier, language=language)
    return request


def test_asking_for_a_language_the_record_already_has_is_refused(world: Any, guide: Resource) -> None:
    with pytest.raises(ValidationError, match="already has its texts in Spanish"):
        services.ask(actor=world.learner, identifier=guide.identifier, language="es")
    assert not TranslationRequest.objects.exists()


def test_asking_for_an_unknown_record_or_language_is_refused(world: Any, guide: Resource) -> None:
    with pytest.raises(ValidationError, match="no public record CB-RES-KE-999999"):
        services.ask(actor=world.learner, identifier="CB-RES-KE-999999", language="zh")
    with pytest.raises(ValidationError, match="six UN languages"):
        services.ask(actor=world.learner, identifier=guide.identifier, language="de")


def test_a_draft_record_cannot_be_asked_for(world: Any, vocabularies: None) -> None:
    from clearinghouse.support.tests.factories import draft
    from clearinghouse.support.tests.samples import sample

    record = draft(Resource, world, sample(Resource, world))
    with pytest.raises(ValidationError, match="no public record"):
        services.ask(actor=world.learner, identifier=record.identifier, language="zh")


def test_a_record_kept_by_another_clearing_house_cannot_be_asked_for(world: Any, guide: Resource) -> None:
    def harvested(identifiers: Sequence[str]) -> dict[str, Origin]:
        found = Origin("CBD Clearing-House Mechanism", "https://chm.cbd.int/database/record?documentID=1")
        return {identifier: found for identifier in identifiers if identifier == guide.identifier}

    origins.register_origin("test-source", harvested, record_types={Resource.RECORD_TYPE})
    try:
        with pytest.raises(ValidationError, match="comes from CBD Clearing-House Mechanism"):
            services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    finally:
        origins._LOCATORS.pop("test-source")
    assert not TranslationRequest.objects.exists()


def test_claiming_a_claimed_request_is_refused(world: Any, translators: Translators, guide: Resource) -> None:
    request = asked(world, guide)
    services.claim(actor=translators.lina, request=request)
    with pytest.raises(ValidationError, match="Another translator has claimed"):
        services.claim(actor=translators.chen, request=request)
    request.refresh_from_db()
    assert request.translator == translators.lina


def test_only_translators_into_the_language_claim(
    world: Any, translators: Translators, guide: Resource
) -> None:
    request = asked(world, guide)
    for person in (translators.marie, world.learner, world.focal_point):
        with pytest.raises(PermissionDenied):
            services.claim(actor=person, request=request)


def test_an_empty_draft_cannot_be_submitted(world: Any, translators: Translators, guide: Resource) -> None:
    request = asked(world, guide)
    services.claim(actor=translators.lina, request=request)
    services.save_draft(actor=translators.lina, request=request, source_language="es", texts={"title": "  "})
    with pytest.raises(ValidationError, match="The translation is empty"):
        services.submit(actor=translators.lina, request=request)
    services.save_draft(
        actor=translators.lina, request=request, source_language="es", texts={"description": "说明"}
    )
    with pytest.raises(ValidationError, match="Translate the title"):
        services.submit(actor=translators.lina, request=request)
    request.refresh_from_db()
    assert request.state == RequestState.CLAIMED


def test_a_draft_from_a_language_the_record_lacks_or_of_unknown_fields_is_refused(
    world: Any, translators: Translators, guide: Resource
) -> None:
    request = asked(world, guide)
    services.claim(actor=translators.lina, request=request)
    with pytest.raises(ValidationError, match="Translate from a language"):
        services.save_draft(
            actor=translators.lina, request=request, source_language="fr", texts={"title": "指南"}
        )
    with pytest.raises(ValidationError, match="cannot be translated: authors"):
        services.save_draft(
            actor=translators.lina, request=request, source_language="es", texts={"authors": "x"}
        )
    with pytest.raises(PermissionDenied):
        services.save_draft(
            actor=translators.chen, request=request, source_language="es", texts={"title": "指南"}
        )


def test_reviewing_ones_own_draft_is_refused(world: Any, translators: Translators, guide: Resource) -> None:
    request = asked(world, guide)
    services.claim(actor=translators.lina, request=request)
    services.save_draft(
        actor=translators.lina, request=request, source_language="es", texts={"title": "指南"}
    )
    services.submit(actor=translators.lina, request=request)
    with pytest.raises(PermissionDenied, match="You drafted this translation"):
        services.approve(actor=translators.lina, request=request)
    with pytest.raises(PermissionDenied, match="You drafted this translation"):
        services.return_draft(actor=translators.lina, request=request, comment="ok")
    # Nor may a translator into another language, nor a reader.
    for person in (translators.marie, world.learner):
        with pytest.raises(PermissionDenied):
            services.approve(actor=person, request=request)
    with pytest.raises(ValidationError, match="Tell the translator"):
        services.return_draft(actor=translators.chen, request=request, comment=" ")
    # A draft under review is not changed by its translator.
    with pytest.raises(ValidationError, match="waiting for review"):
        services.save_draft(
            actor=translators.lina, request=request, source_language="es", texts={"title": "新"}
        )
    guide.refresh_from_db()
    assert "zh" not in guide.title


def test_acting_on_a_closed_request_is_refused(world: Any, translators: Translators, guide: Resource) -> None:
    request = asked(world, guide)
    services.decline(actor=world.secretariat, request=request, reason="Out of scope")
    for step in (services.claim, services.release, services.submit):
        with pytest.raises(ValidationError, match="This request is closed"):
            step(actor=translators.lina, request=request)
    with pytest.raises(ValidationError, match="This request is closed"):
        services.withdraw(actor=world.learner, request=request, reason="x")
    with pytest.raises(ValidationError, match="This request is closed"):
        services.decline(actor=world.secretariat, request=request, reason="again")


def test_declining_needs_a_reason_and_a_translator_or_the_secretariat(
    world: Any, translators: Translators, guide: Resource
) -> None:
    request = asked(world, guide)
    with pytest.raises(ValidationError, match="Give the reason"):
        services.decline(actor=translators.lina, request=request, reason="")
    with pytest.raises(PermissionDenied):
        services.decline(actor=translators.marie, request=request, reason="no")
    with pytest.raises(PermissionDenied):
        services.withdraw(actor=world.outsider, request=request, reason="no")
    request.refresh_from_db()
    assert request.state == RequestState.REQUESTED


def test_only_the_secretariat_sets_languages_and_only_the_six(world: Any, translators: Translators) -> None:
    with pytest.raises(PermissionDenied):
        services.set_languages(actor=translators.lina, translator=translators.lina, languages=["fr"])
    with pytest.raises(ValidationError, match="six UN languages"):
        services.set_languages(actor=world.secretariat, translator=translators.lina, languages=["de"])
    services.set_languages(actor=world.secretariat, translator=translators.lina, languages=["ar", "zh"])
    translators.lina.translator_profile.refresh_from_db()
    assert translators.lina.translator_profile.languages == ["ar", "zh"]


def test_a_translator_role_is_central_or_hosted_by_an_organisation(world: Any) -> None:
    from clearinghouse.accounts import services as accounts
    from clearinghouse.accounts.models import Role
    from clearinghouse.core.testing import make_user

    person = make_user("hosted", "Hosted", "Translator")
    accounts.appoint(actor=None, user=person, role=Role.TRANSLATOR, organisation=world.international)
    with pytest.raises(ValidationError, match="not held for a Party"):
        accounts.appoint(actor=None, user=make_user("p", "P", "Q"), role=Role.TRANSLATOR, country=world.kenya)
    with pytest.raises(PermissionDenied):
        accounts.appoint(actor=world.focal_point, user=make_user("r", "R", "S"), role=Role.TRANSLATOR)
