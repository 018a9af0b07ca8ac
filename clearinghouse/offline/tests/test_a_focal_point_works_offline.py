"""The issue's own trial, in Chromium, in English and in Arabic: on a slow link (Chromium's
"Slow 3G" profile) the Kenyan focal point reads their dashboard and a need; the link is then cut;
both pages open from the offline copy with its banner; the focal point fills a step of a need and
answers an event's survey; both wait in the outbox, and arrive once when the link returns."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World, build_world, invasive_species_need_values
from clearinghouse.events import surveys
from clearinghouse.events.models import SurveyResponse
from clearinghouse.events.tests.survey_helpers import fields, open_survey, register
from clearinghouse.needs.models import Need
from clearinghouse.outbox.models import Submission
from clearinghouse.publishing import workflow
from clearinghouse.vocabularies.services import data_files, load_vocabularies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium DevTools' "Slow 3G" preset: 400 ms of latency, about 50 KB/s down and up.
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 51_200, "uploadThroughput": 51_200}
PAGES = "caches.open('clearinghouse-pages').then((cache) => cache.match(location.href)).then(Boolean)"
TITLES = {"en": "Customs officers on invasive species", "ar": "تدريب موظفي الجمارك"}
NEW_TITLES = {
    "en": "Customs officers at the borders on invasive species",
    "ar": "تدريب موظفي الجمارك على الحدود",
}
BANNER = {"en": "Offline copy from", "ar": "نسخة محفوظة دون اتصال"}


def _eventually(check: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.2)


def _stored(page: Any) -> None:
    """Wait until the service worker has kept the page for reading offline."""
    page.wait_for_function(PAGES, timeout=30_000)


def _go_offline(context: Any, page: Any) -> None:
    """Cut the network, and wait until every service worker of the context has lost it too:
    Chromium applies the emulated offline state to each worker's own target, a moment later,
    and a worker installed or restarted meanwhile (a new version beside the old) starts online."""
    context.set_offline(True)
    for _attempt in range(50):
        workers = context.service_workers
        if workers and all(
            worker.evaluate("fetch('/healthz').then(() => false, () => true)") for worker in workers
        ):
            return
        context.set_offline(True)
        page.wait_for_timeout(100)
    pytest.fail("a service worker still reaches the network")


def _offline_copy(context: Any, page: Any, url: str, language: str) -> None:
    # Chromium's emulated offline state belongs to a worker's target: a worker the browser
    # stopped and started again meanwhile is online until cut again (never so on a device).
    for _attempt in range(5):
        page.goto(url, wait_until="domcontentloaded")
        if page.locator(".offline-banner").get_attribute("data-served") == "cache":
            break
        _go_offline(context, page)
    banner = page.locator(".offline-banner")
    banner.wait_for(state="visible")
    assert BANNER[language] in banner.inner_text()
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_focal_point_reads_and_fills_forms_offline_and_each_arrives_once(
    chromium: Any, live_server: Any, language: str
) -> None:
    world: World = build_world()
    load_vocabularies(data_files())
    values = invasive_species_need_values(language, TITLES[language], "Training on invasive species.")
    need = workflow.create(Need, actor=world.focal_point, owner=world.kenya, values=values)
    revision = need.revision_number
    survey = open_survey(world)
    register(survey.event, "Focal Point", person=world.focal_point, language=language)
    surveys.send_invitations(survey)
    token = survey.invitations.get().token
    rating = fields(survey)[0]

    client = Client()
    client.force_login(world.focal_point)
    context = chromium.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A slow link first: the pages are read, and kept by the service worker, over "Slow 3G".
    network = context.new_cdp_session(page)
    network.send("Network.enable")
    network.send("Network.emulateNetworkConditions", SLOW_3G)
    base = f"{live_server.url}/{language}"
    pages = {
        "dashboard": f"{base}/work/",
        "need": f"{base}/needs/{need.identifier}/",
        "step": f"{base}/needs/edit/{need.identifier}/describe/",
        "survey": f"{base}/events/survey/{token}/",
    }
    for url in pages.values():
        page.goto(url)
        _stored(page)

    # Then the link is cut: the dashboard and the need open from their offline copies.
    _go_offline(context, page)
    _offline_copy(context, page, pages["dashboard"], language)
    _offline_copy(context, page, pages["need"], language)
    assert TITLES[language] in page.content()

    # A step of the need and the survey, filled offline, wait in the outbox.
    _offline_copy(context, page, pages["step"], language)
    page.wait_for_function("() => window.ClearinghouseOutbox !== undefined")
    page.fill("#id_title", NEW_TITLES[language])
    page.click("button[name=action][value=save]")
    statuses = "async () => (await ClearinghouseOutbox.all()).map((item) => item.status).sort()"
    _eventually(lambda: page.evaluate(statuses) == ["queued"])
    _offline_copy(context, page, pages["survey"], language)
    page.wait_for_function("() => window.ClearinghouseOutbox !== undefined")
    page.check(f"input[name={rating}][value='4']")
    page.click("form.survey-form button[type=submit]")
    _eventually(lambda: page.evaluate(statuses) == ["queued", "queued"])
    assert Need.objects.get(pk=need.pk).revision_number == revision
    assert not SurveyResponse.objects.exists()

    # Back online: each arrives once, and a later page load sends nothing again.
    context.set_offline(False)
    network.send("Network.emulateNetworkConditions", SLOW_3G)
    _eventually(lambda: page.evaluate(statuses) == ["sent", "sent"], seconds=60)
    page.goto(f"{base}/outbox/")
    page.wait_for_function("() => window.ClearinghouseOutbox !== undefined")
    _eventually(lambda: page.evaluate(statuses) == ["sent", "sent"])
    assert Need.objects.get(pk=need.pk).title[language] == NEW_TITLES[language]
    assert Need.objects.get(pk=need.pk).revision_number == revision + 1
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert Submission.objects.count() == 2
    assert errors == []
    context.close()
