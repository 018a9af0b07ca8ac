"""The translation pages, for the people who may use them: asking from the record's page, the
queue, drafting beside the source, review, the coverage report and the translators' list; the
"Unofficial translation" mark on the record's page; Arabic and Chinese pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from clearinghouse.support.models import Resource
from clearinghouse.support.tests.factories import published
from clearinghouse.support.tests.samples import sample
from clearinghouse.translation import services
from clearinghouse.translation.models import RequestState, TranslationRequest
from clearinghouse.translation.tests.conftest import Translators

pytestmark = pytest.mark.django_db


def test_a_reader_asks_from_the_record_page_and_follows_the_request(
    client: Any, world: Any, guide: Resource
) -> None:
    client.force_login(world.learner)
    page = client.get(guide.get_absolute_url())
    assert page.status_code == 200
    assert reverse("translation:ask", args=[guide.identifier]).encode() in page.content
    response = client.post(
        reverse("translation:ask", args=[guide.identifier]), {"language": "zh", "note": "For our team"}
    )
    request = TranslationRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "translation:detail", args=[request.pk]
    )
    assert client.get(response["Location"]).status_code == 200
    mine = client.get(reverse("translation:mine"))
    assert guide.identifier.encode() in mine.content
    # The record's page now shows where the request stands.
    assert b"Translation into Chinese: Requested" in client.get(guide.get_absolute_url()).content
    # And the reader finds the request again from the header and their dashboard.
    work = client.get(reverse("workspace:dashboard")).content.decode()
    assert f'href="{reverse("translation:mine")}"' in work
    assert f'href="{reverse("translation:detail", args=[request.pk])}"' in work and "Requested" in work


def test_my_translation_requests_is_in_every_signed_in_persons_header(
    client: Any, world: Any, guide: Resource
) -> None:
    mine = f'href="{reverse("translation:mine")}"'
    assert mine not in client.get(reverse("core:home")).content.decode()
    client.force_login(world.learner)
    assert mine in client.get(reverse("core:home")).content.decode()
    # Before they ask, the page says how; the dashboard lists requests only once there are some.
    assert (
        "You have not asked for a translation yet."
        in client.get(reverse("translation:mine")).content.decode()
    )
    assert "translations-heading" not in client.get(reverse("workspace:dashboard")).content.decode()
    services.ask(actor=world.learner, identifier=guide.identifier, language="ar")
    assert "translations-heading" in client.get(reverse("workspace:dashboard")).content.decode()


@pytest.mark.parametrize("asked", [False, True], ids=["never asked", "asked"])
def test_the_dashboard_reads_the_persons_requests_in_one_query(
    client: Any, world: Any, guide: Resource, asked: bool
) -> None:
    if asked:
        services.ask(actor=world.learner, identifier=guide.identifier, language="ar")
    client.force_login(world.learner)
    table = TranslationRequest._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("workspace:dashboard")).content.decode()
    assert ("translations-heading" in page) is asked
    assert len([query for query in queries if f'FROM "{table}"' in query["sql"]]) == 1


def test_asking_for_a_language_the_record_has_shows_the_reason_on_the_form(
    client: Any, world: Any, guide: Resource
) -> None:
    client.force_login(world.learner)
    response = client.post(reverse("translation:ask", args=[guide.identifier]), {"language": "es"})
    assert response.status_code == 400
    assert b"This record already has its texts in Spanish." in response.content
    assert not TranslationRequest.objects.exists()


def test_the_public_is_sent_to_sign_in_and_outsiders_never_see_the_queue(
    client: Any, world: Any, guide: Resource
) -> None:
    response = client.get(reverse("translation:ask", args=[guide.identifier]))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(world.outsider)
    assert client.get(reverse("translation:queue")).status_code == 403
    assert client.get(reverse("translation:translators")).status_code == 403
    request, _created = services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    assert client.get(reverse("translation:detail", args=[request.pk])).status_code == 403


def test_a_translator_claims_drafts_beside_the_source_and_another_publishes(
    client: Any, world: Any, translators: Translators, guide: Resource
) -> None:
    request, _created = services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    services.ask(actor=world.focal_point, identifier=guide.identifier, language="fr")
    client.force_login(translators.lina)
    queue = client.get(reverse("translation:queue"))
    # Her languages only: the French request is not hers.
    assert queue.status_code == 200 and queue.content.count(guide.identifier.encode()) == 1
    response = client.post(reverse("translation:claim", args=[request.pk]))
    assert response["Location"] == reverse("translation:draft", args=[request.pk])
    draft = client.get(response["Location"])
    # The Spanish source beside each box.
    assert "Guía de monitoreo comunitario de los bosques".encode() in draft.content
    saved = client.post(
        response["Location"],
        {"source_language": "es", "title": "森林社区监测指南", "description": "", "save": "1"},
    )
    assert saved.status_code == 302
    submitted = client.post(
        response["Location"], {"source_language": "es", "title": "森林社区监测指南", "submit": "1"}
    )
    assert submitted.status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.SUBMITTED
    # She cannot approve her own draft: no button, and a refusal if she tries.
    assert b"Approve and publish" not in client.get(reverse("translation:detail", args=[request.pk])).content
    client.force_login(translators.chen)
    detail = client.get(reverse("translation:detail", args=[request.pk]))
    assert b"Approve and publish" in detail.content
    assert client.post(reverse("translation:approve", args=[request.pk])).status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.PUBLISHED


def test_a_refused_step_is_explained_on_the_request_page(
    client: Any, world: Any, translators: Translators, guide: Resource
) -> None:
    request, _created = services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    services.claim(actor=translators.lina, request=request)
    client.force_login(translators.chen)
    response = client.post(reverse("translation:claim", args=[request.pk]))
    assert response.status_code == 400 and b"Another translator has claimed this request" in response.content
    client.force_login(translators.lina)
    response = client.post(reverse("translation:submit", args=[request.pk]))
    assert b"The translation is empty" in response.content
    response = client.post(reverse("translation:decline", args=[request.pk]), {"reason": ""})
    assert response.status_code == 400 and b"This field is required." in response.content


def test_the_record_page_marks_the_unofficial_translation_in_the_readers_language(
    client: Any, world: Any, translators: Translators, guide: Resource
) -> None:
    request, _created = services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    services.claim(actor=translators.lina, request=request)
    services.save_draft(
        actor=translators.lina, request=request, source_language="es", texts={"title": "森林社区监测指南"}
    )
    services.submit(actor=translators.lina, request=request)
    services.approve(actor=translators.chen, request=request)
    with translation.override("zh-hans"):
        url = guide.get_absolute_url()
    page = client.get(url).content.decode()
    assert "森林社区监测指南" in page
    with translation.override("zh-hans"):
        assert translation.gettext("Unofficial translation") in page
    # Read in Spanish, the original, the page does not call its texts a translation.
    with translation.override("es"):
        spanish = client.get(guide.get_absolute_url()).content.decode()
        assert translation.gettext("Unofficial translation") + "</strong>" not in spanish


@pytest.mark.parametrize(("language", "html_lang"), [("ar", "ar"), ("zh-hans", "zh-Hans")])
def test_the_pages_are_served_in_arabic_and_chinese(
    client: Any, world: Any, translators: Translators, guide: Resource, language: str, html_lang: str
) -> None:
    request, _created = services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    services.claim(actor=translators.lina, request=request)
    client.force_login(translators.lina)
    with translation.override(language):
        urls = [
            reverse("translation:queue"),
            reverse("translation:detail", args=[request.pk]),
            reverse("translation:draft", args=[request.pk]),
            reverse("translation:coverage"),
            reverse("translation:mine"),
            reverse("translation:ask", args=[guide.identifier]),
        ]
        heading = translation.gettext("Translation queue")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{html_lang}"'.encode() in response.content
    assert heading.encode() in client.get(urls[0]).content
    if language == "ar":
        assert b'dir="rtl"' in client.get(urls[0]).content


def test_the_secretariat_sets_a_translators_languages(
    client: Any, world: Any, translators: Translators
) -> None:
    client.force_login(world.secretariat)
    page = client.get(reverse("translation:translators"))
    assert page.status_code == 200 and b"Lina Zhou" in page.content
    response = client.post(
        reverse("translation:translators"), {"user": translators.marie.pk, "languages": ["fr", "es"]}
    )
    assert response.status_code == 302
    translators.marie.translator_profile.refresh_from_db()
    assert translators.marie.translator_profile.languages == ["fr", "es"]
    refused = client.post(reverse("translation:translators"), {"user": translators.marie.pk})
    assert refused.status_code == 400


def test_the_coverage_report_and_its_csv(client: Any, world: Any, guide: Resource) -> None:
    services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    page = client.get(reverse("translation:coverage"))
    assert page.status_code == 200 and b"1 request waiting" in page.content
    csv = client.get(reverse("translation:coverage") + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert "RES,zh,1,0,1,1,0" in lines and "RES,es,1,1,0,0,0" in lines


def test_the_queue_costs_the_same_queries_for_one_request_or_many(
    client: Any, world: Any, translators: Translators, guide: Resource
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clearinghouse.translation.tests.conftest import spanish_guide

    services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    client.force_login(world.secretariat)
    client.get(reverse("translation:queue"))
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("translation:queue")).status_code == 200
    for _number in range(4):
        record = spanish_guide(world)
        request, _created = services.ask(actor=world.learner, identifier=record.identifier, language="ar")
        services.claim(actor=translators.lina, request=request)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("translation:queue"))
    assert page.content.count(b"/translation/requests/") >= 5
    assert len(many) == len(one)


def test_a_requester_sees_how_many_asked_but_not_who(
    client: Any, world: Any, translators: Translators, guide: Resource
) -> None:
    request, _created = services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    services.ask(actor=world.focal_point, identifier=guide.identifier, language="zh", note="For the ministry")
    client.force_login(world.learner)
    page = client.get(reverse("translation:detail", args=[request.pk])).content.decode()
    assert "Wanjiru" not in page and "For the ministry" not in page
    client.force_login(translators.lina)
    page = client.get(reverse("translation:detail", args=[request.pk])).content.decode()
    assert "Wanjiru Kamau" in page and "For the ministry" in page


def test_a_source_in_any_language_is_named_on_the_request_and_the_draft(
    client: Any, world: Any, translators: Translators, vocabularies: None
) -> None:
    values: dict[str, Any] = {
        **sample(Resource, world),
        "title": "Mwongozo wa ufuatiliaji wa misitu na jamii",
        "description": "<p>Jinsi ya kupanga timu za doria.</p>",
    }
    guide = published(Resource, world, values, language="sw")
    request, _created = services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    client.force_login(translators.lina)
    client.post(reverse("translation:claim", args=[request.pk]))
    draft_url = reverse("translation:draft", args=[request.pk])
    draft = client.get(draft_url).content.decode()
    # Translated from Kiswahili, the record's own language, named in the reader's language.
    assert '<th scope="col">Swahili</th>' in draft and '<th scope="col">Chinese</th>' in draft
    assert "Mwongozo wa ufuatiliaji wa misitu na jamii" in draft
    client.post(draft_url, {"source_language": "sw", "title": "森林社区监测指南", "save": "1"})
    detail = client.get(reverse("translation:detail", args=[request.pk])).content.decode()
    assert '<th scope="col">Swahili</th>' in detail and "森林社区监测指南" in detail
