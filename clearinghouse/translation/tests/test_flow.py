"""The whole way of a translation: a reader asks, a translator claims, drafts beside the source
and submits, another translator publishes; the record then has the texts, marked unofficial,
and the requesters are told in their language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import Revision, State
from clearinghouse.support import services as support
from clearinghouse.support.models import Resource
from clearinghouse.translation import services
from clearinghouse.translation.models import (
    Requester,
    RequestState,
    TranslationRequest,
    UnofficialTranslation,
)
from clearinghouse.translation.tests.conftest import Translators

pytestmark = pytest.mark.django_db

ZH = {"title": "森林社区监测指南", "description": "<p>如何组织巡护队。</p>"}


def translate(guide: Resource, world: Any, translators: Translators) -> TranslationRequest:
    request, created = services.ask(
        actor=world.learner, identifier=guide.identifier, language="zh", note="请翻译"
    )
    assert created
    services.claim(actor=translators.lina, request=request)
    services.save_draft(actor=translators.lina, request=request, source_language="es", texts=ZH)
    return services.submit(actor=translators.lina, request=request)


def test_a_reviewed_translation_is_published_on_the_record_and_marked_unofficial(
    world: Any, translators: Translators, guide: Resource, django_capture_on_commit_callbacks: Any
) -> None:
    request = translate(guide, world, translators)
    assert request.state == RequestState.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(actor=translators.chen, request=request)

    guide.refresh_from_db()
    assert guide.title["zh"] == ZH["title"] and guide.title["es"].startswith("Guía")
    assert guide.description["zh"] == ZH["description"]
    request.refresh_from_db()
    assert request.state == RequestState.PUBLISHED and request.reviewed_by == translators.chen
    mark = UnofficialTranslation.objects.get(identifier=guide.identifier, language="zh")
    assert mark.texts["title"] == ZH["title"]
    # Published as a revision of its own, reviewed by the translator who approved it.
    live = workflow.revision(guide, guide.live_revision_number or 0)
    assert (
        live is not None and live.status == Revision.Status.PUBLISHED and live.reviewed_by == translators.chen
    )
    assert guide.state == State.PUBLISHED
    # The requester is told, in Chinese (her language).
    sent = [message for message in mail.outbox if world.learner.email in message.to]
    assert len(sent) == 1 and guide.identifier in sent[0].subject and "中文" in sent[0].subject


def test_asking_again_adds_the_person_to_the_open_request(
    world: Any, translators: Translators, guide: Resource
) -> None:
    first, _created = services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    again, created = services.ask(actor=world.focal_point, identifier=guide.identifier.lower(), language="zh")
    assert again == first and not created
    assert TranslationRequest.objects.count() == 1
    assert set(Requester.objects.values_list("person__username", flat=True)) == {"mei", "wanjiru"}
    # The same person asking twice stays one requester.
    services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    assert Requester.objects.count() == 2


def test_a_returned_translation_goes_back_to_its_translator_and_can_be_resubmitted(
    world: Any, translators: Translators, guide: Resource
) -> None:
    request = translate(guide, world, translators)
    services.return_draft(actor=world.secretariat, request=request, comment="标题不准确")
    request.refresh_from_db()
    assert request.state == RequestState.RETURNED and request.review_comment == "标题不准确"
    services.save_draft(
        actor=translators.lina,
        request=request,
        source_language="es",
        texts={**ZH, "title": "社区森林监测指南"},
    )
    services.submit(actor=translators.lina, request=request)
    services.approve(actor=world.secretariat, request=request)
    guide.refresh_from_db()
    assert guide.title["zh"] == "社区森林监测指南"


def test_a_translation_may_start_from_an_existing_translation_as_pivot(
    world: Any, translators: Translators, guide: Resource
) -> None:
    support.save_values(
        guide,
        actor=world.authorised_user,
        values={"title": {**guide.title, "en": "Guide to forest monitoring"}},
        base_revision=None,
    )
    support.submit(guide, actor=world.authorised_user)
    workflow.publish(guide, actor=world.focal_point)
    guide.refresh_from_db()
    assert services.source_languages(guide, "zh") == ["es", "en"]
    request, _created = services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    services.claim(actor=translators.lina, request=request)
    services.save_draft(actor=translators.lina, request=request, source_language="en", texts=ZH)
    request.refresh_from_db()
    assert request.source_language == "en"


def test_the_owners_pending_change_is_kept_and_carries_the_translation(
    world: Any, translators: Translators, guide: Resource
) -> None:
    request = translate(guide, world, translators)
    # The owners start a change after the request was submitted.
    support.save_values(
        guide,
        actor=world.authorised_user,
        values={"title": {**guide.title, "es": "Guía de monitoreo comunitario (2.ª ed.)"}},
        base_revision=None,
    )
    support.submit(guide, actor=world.authorised_user)
    services.approve(actor=translators.chen, request=request)

    guide.refresh_from_db()
    # The public row shows the translation and still the published Spanish title.
    assert guide.title == {"es": "Guía de monitoreo comunitario de los bosques", "zh": ZH["title"]}
    assert guide.state == State.SUBMITTED and guide.live
    pending = workflow.latest_revision(guide)
    assert pending is not None and pending.status == Revision.Status.SUBMITTED
    assert pending.content["title"] == {"es": "Guía de monitoreo comunitario (2.ª ed.)", "zh": ZH["title"]}
    # Publishing the owners' change keeps the translation, and its mark.
    workflow.publish(guide, actor=world.focal_point)
    guide.refresh_from_db()
    assert guide.title["zh"] == ZH["title"] and guide.title["es"].endswith("(2.ª ed.)")
    assert UnofficialTranslation.objects.filter(identifier=guide.identifier, language="zh").exists()


def test_texts_the_owners_change_themselves_lose_the_unofficial_mark(
    world: Any, translators: Translators, guide: Resource, django_capture_on_commit_callbacks: Any
) -> None:
    request = translate(guide, world, translators)
    services.approve(actor=translators.chen, request=request)
    guide.refresh_from_db()
    support.save_values(
        guide,
        actor=world.authorised_user,
        values={"title": {**guide.title, "zh": "社区监测指南（官方）"}},
        base_revision=None,
    )
    support.submit(guide, actor=world.authorised_user)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(guide, actor=world.focal_point)
    assert not UnofficialTranslation.objects.filter(identifier=guide.identifier).exists()


def test_releasing_gives_the_request_back_to_the_queue_for_another_translator(
    world: Any, translators: Translators, guide: Resource
) -> None:
    request, _created = services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    services.claim(actor=translators.lina, request=request)
    services.release(actor=translators.lina, request=request)
    request.refresh_from_db()
    assert request.state == RequestState.REQUESTED and request.translator is None
    services.claim(actor=translators.chen, request=request)
    request.refresh_from_db()
    assert request.translator == translators.chen


def test_declining_and_withdrawing_close_the_request_with_the_reason_told(
    world: Any, translators: Translators, guide: Resource, django_capture_on_commit_callbacks: Any
) -> None:
    request, _created = services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    with django_capture_on_commit_callbacks(execute=True):
        services.decline(
            actor=translators.lina, request=request, reason="Texte juridique, hors de notre mandat."
        )
    request.refresh_from_db()
    assert request.state == RequestState.DECLINED and request.closed_by == translators.lina
    assert any("hors de notre mandat" in message.body for message in mail.outbox)
    # A new request may be opened once the last one is closed.
    again, created = services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    assert created and again.pk != request.pk
    services.ask(actor=world.focal_point, identifier=guide.identifier, language="zh")
    # A requester among several only takes themselves off; the last one closes it.
    services.withdraw(actor=world.learner, request=again, reason="No longer needed")
    again.refresh_from_db()
    assert again.state == RequestState.REQUESTED and again.requesters.count() == 1
    services.withdraw(actor=world.focal_point, request=again, reason="No longer needed")
    again.refresh_from_db()
    assert again.state == RequestState.WITHDRAWN
