"""The issue's own trial, in Chromium, in English and in Arabic: on a slow link (Chromium's
"Slow 3G" profile) the Kenyan focal point reads their dashboard and a need; the link is then cut;
both pages open from the offline copy with its banner; the focal point fills a step of a need and
answers an event's survey; both wait in the outbox, and arrive once when the link returns."""

from __future__ import annotations

from typing import Any

import pytest

from clearinghouse.core.browser_testing import eventually, signed_in_context, until
from clearinghouse.core.testing import World, build_world, invasive_species_need_values
from clearinghouse.events import surveys
from clearinghouse.events.models import SurveyResponse
from clearinghouse.events.tests.survey_helpers import fields, open_survey, register
from clearinghouse.needs.models import Need
from clearinghouse.offline.tests.browser import go_offline, offline_copy, visit
from clearinghouse.outbox.models import Submission
from clearinghouse.publishing import workflow
from clearinghouse.vocabularies.services import data_files, load_vocabularies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium DevTools' "Slow 3G" preset: 400 ms of latency, about 50 KB/s down and up.
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 51_200, "uploadThroughput": 51_200}
TITLES = {"en": "Customs officers on invasive species", "ar": "تدريب موظفي الجمارك"}
NEW_TITLES = {
    "en": "Customs officers at the borders on invasive species",
    "ar": "تدريب موظفي الجمارك على الحدود",
}
BANNER = {"en": "Offline copy from", "ar": "نسخة محفوظة دون اتصال"}


def _offline_copy(page: Any, url: str, language: str) -> None:
    banner = offline_copy(page, url)
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

    context = signed_in_context(chromium, live_server, world.focal_point)
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
        visit(page, url)

    # Then the link is cut: the dashboard and the need open from their offline copies. The
    # page's own "Slow 3G" emulation is cut too: left online, Chromium may apply it to a later
    # page in place of the context's offline state, and that page would think it is online.
    network.send("Network.emulateNetworkConditions", {**SLOW_3G, "offline": True})
    go_offline(context)
    _offline_copy(page, pages["dashboard"], language)
    _offline_copy(page, pages["need"], language)
    assert TITLES[language] in page.content()

    # A step of the need and the survey, filled offline, wait in the outbox.
    _offline_copy(page, pages["step"], language)
    page.wait_for_function("() => window.ClearinghouseOutbox !== undefined")
    page.fill("#id_title", NEW_TITLES[language])
    page.click("button[name=action][value=save]")
    statuses = "async () => (await ClearinghouseOutbox.all()).map((item) => item.status).sort()"
    eventually(lambda: page.evaluate(statuses) == ["queued"])
    _offline_copy(page, pages["survey"], language)
    page.wait_for_function("() => window.ClearinghouseOutbox !== undefined")
    page.check(f"input[name={rating}][value='4']")
    page.click("form.survey-form button[type=submit]")
    eventually(lambda: page.evaluate(statuses) == ["queued", "queued"])
    assert Need.objects.get(pk=need.pk).revision_number == revision
    assert not SurveyResponse.objects.exists()

    # Back online: each arrives once, and a later page load sends nothing again.
    context.set_offline(False)
    network.send("Network.emulateNetworkConditions", SLOW_3G)
    eventually(lambda: page.evaluate(statuses) == ["sent", "sent"], seconds=60)
    page.goto(f"{base}/outbox/")
    page.wait_for_function("() => window.ClearinghouseOutbox !== undefined")
    eventually(lambda: page.evaluate(statuses) == ["sent", "sent"])
    assert Need.objects.get(pk=need.pk).title[language] == NEW_TITLES[language]
    assert Need.objects.get(pk=need.pk).revision_number == revision + 1
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert Submission.objects.count() == 2

    # The session ends (not by the sign-out button): the next page from the network names no
    # one, and the pages stored for the focal point go.
    context.clear_cookies()
    page.goto(pages["dashboard"])
    until(page, "caches.keys().then((names) => !names.includes('clearinghouse-pages'))")
    assert errors == []
    context.close()
