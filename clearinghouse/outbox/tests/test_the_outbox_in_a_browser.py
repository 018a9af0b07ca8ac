"""The outbox in Chromium: forms sent with the network cut wait in the outbox, survive the
browser closing, arrive once when the network returns; a refusal shows the server's message
and is corrected; the same in Arabic for a need step."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from clearinghouse.core.browser_testing import eventually, sign_in, signed_in_context
from clearinghouse.core.testing import World, build_world, invasive_species_need_values
from clearinghouse.helpdesk.models import Ticket
from clearinghouse.helpdesk.tests import factories
from clearinghouse.needs.models import Need
from clearinghouse.outbox.models import Submission
from clearinghouse.publishing import workflow
from clearinghouse.vocabularies.services import data_files, load_vocabularies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings: Any) -> World:
    # The browser fills the form faster than a person: the help desk's robot check must not object.
    settings.HELPDESK_ASK_MIN_SECONDS = 0
    world = build_world()
    factories.desk("central", agents=[world.helpdesk_agent], opening_hours=factories.ALWAYS_OPEN)
    return world


@pytest.fixture
def context(chromium: Any, live_server: Any, world: World) -> Iterator[Any]:
    """A browser context signed in as the Kenyan focal point."""
    # The outbox alone, without the service worker: Playwright's routes, which cut the replays
    # here, do not see requests a service worker makes (the worker's side has its own test).
    context = signed_in_context(
        chromium,
        live_server,
        world.focal_point,
        viewport={"width": 1000, "height": 800},
        service_workers="block",
    )
    yield context
    context.close()


def _opened(context: Any, url: str, fake_clock: bool = False) -> Any:
    page = context.new_page()
    if fake_clock:
        # Timers the test moves forward (page.clock); before the page's scripts set any.
        page.clock.install()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.goto(url)
    page.wait_for_function("() => window.ClearinghouseOutbox !== undefined")
    return page


def _ask_offline(context: Any, page: Any, subject: str, body: str) -> None:
    """Cut the network and send the help desk a question: it waits in the outbox."""
    context.set_offline(True)
    if subject:
        page.fill("#id_subject", subject)
    page.fill("#id_body", body)
    page.click("main form[data-outbox] button[type=submit]")
    page.get_by_text("Saved in your outbox; it will be sent when you are back online.").wait_for()


def _statuses(page: Any) -> list[str]:
    """The statuses of what waits in the page's outbox (IndexedDB)."""
    return list(page.evaluate("async () => (await ClearinghouseOutbox.all()).map((item) => item.status)"))


def _attempts(page: Any) -> list[int]:
    return list(
        page.evaluate("async () => (await ClearinghouseOutbox.all()).map((item) => item.attempts || 0)")
    )


def _outcomes(page: Any) -> list[str]:
    return list(page.evaluate("async () => (await ClearinghouseOutbox.all()).map((item) => item.outcome)"))


def test_a_question_asked_offline_waits_survives_a_restart_and_arrives_once(
    context: Any, live_server: Any, world: World
) -> None:
    page = _opened(context, f"{live_server.url}/en/helpdesk/ask/")
    _ask_offline(
        context, page, "Reporting template", "Where is the template for the seventh national report?"
    )
    assert page.errors == []
    page.close()  # the last page: as if the browser were closed

    # Back online, someone else signs in on this shared browser: the question is neither shown
    # to them nor sent as theirs; it waits for the person who wrote it.
    context.set_offline(False)
    sign_in(context, live_server, world.learner)
    page = _opened(context, f"{live_server.url}/en/outbox/")
    eventually(lambda: _outcomes(page) == ["waiting"])
    expect(page.locator("[data-outbox-empty]")).to_be_visible()
    expect(page.locator(".outbox-item")).to_have_count(0)
    assert _statuses(page) == ["queued"] and Ticket.objects.count() == 0
    page.close()

    # The focal point again; the first replay is cut off before it reaches the server.
    sign_in(context, live_server, world.focal_point)
    page = context.new_page()
    page.route("**/outbox/token", lambda route: route.abort())
    page.goto(f"{live_server.url}/en/outbox/")
    item = page.locator(".outbox-item")
    item.get_by_text("Queued", exact=True).wait_for()
    assert "Ask the help desk" in item.inner_text()
    assert page.locator(".outbox-count").inner_text() == "1"
    assert Ticket.objects.count() == 0

    page.unroute("**/outbox/token")
    item.get_by_role("button", name="Send now").click()
    item.get_by_text("Sent", exact=True).wait_for()
    assert (
        item.get_by_role("link", name="See what was received")
        .get_attribute("href")
        .startswith("/en/helpdesk/ask/sent/")
    )
    page.reload()
    page.locator(".outbox-item").get_by_text("Sent", exact=True).wait_for()
    assert Ticket.objects.filter(subject="Reporting template").count() == 1
    assert Submission.objects.count() == 1


def test_a_refused_question_shows_the_servers_message_and_is_corrected(
    context: Any, live_server: Any
) -> None:
    page = _opened(context, f"{live_server.url}/en/helpdesk/ask/")
    _ask_offline(context, page, "", "No subject given.")
    context.set_offline(False)  # the page replays on the "online" event
    eventually(lambda: _statuses(page) == ["failed"])
    page.goto(f"{live_server.url}/en/outbox/")
    item = page.locator(".outbox-item")
    item.get_by_text("Failed", exact=True).wait_for()
    assert "This field is required." in item.inner_text(), "the server's own message"
    assert Ticket.objects.count() == 0

    item.get_by_role("link", name="Open to correct").click()
    # The link opens another page: wait on a locator, which waits for that page's field.
    expect(page.locator("#id_body")).to_have_value("No subject given.")
    page.fill("#id_subject", "Now with a subject")
    page.click("main form[data-outbox] button[type=submit]")
    page.wait_for_url("**/helpdesk/ask/sent/**")
    assert Ticket.objects.get().subject == "Now with a subject"


def test_a_need_step_saved_offline_in_arabic_arrives_once(
    context: Any, live_server: Any, world: World
) -> None:
    load_vocabularies(data_files())
    values = invasive_species_need_values("ar", "تدريب موظفي الجمارك", "تدريب على الأنواع الغازية.")
    need = workflow.create(Need, actor=world.focal_point, owner=world.kenya, values=values)
    revision = need.revision_number
    page = _opened(context, f"{live_server.url}/ar/needs/edit/{need.identifier}/describe/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    context.set_offline(True)
    page.fill("#id_title", "تدريب موظفي الجمارك على الحدود")
    # What is typed offline is kept as a draft before it is sent.
    eventually(lambda: _statuses(page) == ["draft"])
    page.get_by_role("button", name="حفظ المسودة").click()
    page.get_by_text("حُفظ في صندوق الصادر").wait_for()
    need.refresh_from_db()
    assert need.revision_number == revision

    context.set_offline(False)
    # The page replays when the network returns; left before its answer came, the form would
    # stay "sending" for a minute (a page closed mid-send).
    eventually(lambda: _statuses(page) == ["sent"])
    assert Need.objects.get(pk=need.pk).title["ar"] == "تدريب موظفي الجمارك على الحدود"
    page.goto(f"{live_server.url}/ar/outbox/")
    page.locator(".outbox-item").get_by_text("أُرسل", exact=True).wait_for()
    assert Need.objects.get(pk=need.pk).revision_number == revision + 1, "saved once"
    assert Submission.objects.count() == 1
    assert page.errors == []


# What the service worker does on a "sync" event, in a worker (no DOM): import the script and
# replay.
WORKER = """importScripts("/static/outbox/outbox.js");
postMessage(typeof self.ClearinghouseOutbox.replayAll);
self.ClearinghouseOutbox.replayAll().then(
  () => postMessage("replayed"), (error) => postMessage(String(error)));
"""


def test_a_replay_cut_off_online_is_tried_again_later_while_the_page_stays_open(
    context: Any, live_server: Any
) -> None:
    page = _opened(context, f"{live_server.url}/en/helpdesk/ask/", fake_clock=True)
    _ask_offline(context, page, "Tried again", "Sent once the link holds.")
    # Back online, but the link drops again at once: the replay on "online" is cut off.
    context.route("**/outbox/token", lambda route: route.abort())
    context.set_offline(False)
    eventually(lambda: _attempts(page) == [1])

    # Half a minute later the page tries again by itself; cut off again, it waits longer.
    page.clock.fast_forward(31_000)
    eventually(lambda: _attempts(page) == [2])
    context.unroute("**/outbox/token")
    page.clock.fast_forward(31_000)
    page.wait_for_timeout(500)
    assert _statuses(page) == ["queued"] and Ticket.objects.count() == 0

    page.clock.fast_forward(30_000)
    eventually(lambda: _statuses(page) == ["sent"])
    assert Ticket.objects.filter(subject="Tried again").count() == 1
    assert page.errors == []


RUN_WORKER = """() => new Promise((resolve) => {
  const heard = [];
  const worker = new Worker("/outbox-test-worker.js");
  worker.onmessage = (event) => { heard.push(event.data); if (heard.length === 2) resolve(heard); };
  worker.onerror = (event) => resolve([String(event.message)]);
})"""


def test_a_worker_without_a_page_replays_the_outbox(context: Any, live_server: Any) -> None:
    page = _opened(context, f"{live_server.url}/en/helpdesk/ask/")
    _ask_offline(context, page, "Sent by the worker", "Replayed by background sync.")
    # The page's own replays (when the network returns, when a page opens) are cut off, before
    # the network returns: only the worker may send it.
    context.route("**/outbox/token", lambda route: route.abort())
    context.set_offline(False)
    # Each cut-off replay counts an attempt: wait for the page's replay on the "online" event,
    # then for the outbox page's on opening, before the worker runs.
    eventually(lambda: _attempts(page) == [1])
    page.goto(f"{live_server.url}/en/outbox/")
    eventually(lambda: _attempts(page) == [2])
    assert _statuses(page) == ["queued"]
    context.unroute("**/outbox/token")
    context.route(
        "**/outbox-test-worker.js",
        lambda route: route.fulfill(body=WORKER, content_type="text/javascript"),
    )
    assert page.evaluate(RUN_WORKER) == ["function", "replayed"]
    eventually(lambda: _statuses(page) != ["sending"], seconds=15)
    assert _statuses(page) == ["sent"]
    assert Ticket.objects.filter(subject="Sent by the worker").count() == 1


def test_with_the_service_worker_a_question_sent_online_arrives_once(
    chromium: Any, live_server: Any, world: World
) -> None:
    """Online, the page sends the form itself: the worker, whose background sync is for forms
    that could not be sent, never takes it from under the page (which then answered a false
    "not received")."""
    context = signed_in_context(chromium, live_server, world.focal_point)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/helpdesk/ask/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.reload()
    page.wait_for_function("() => window.ClearinghouseOutbox !== undefined")
    for number in range(3):
        page.goto(f"{live_server.url}/en/helpdesk/ask/")
        page.fill("#id_subject", f"Template question {number}")
        page.fill("#id_body", "Where is the template for the seventh national report?")
        page.click("main form[data-outbox] button[type=submit]")
        page.wait_for_url("**/helpdesk/ask/sent/**")
    assert Ticket.objects.filter(subject__startswith="Template question").count() == 3
    assert Submission.objects.count() == 3
    assert _statuses(page) == []
    context.close()
