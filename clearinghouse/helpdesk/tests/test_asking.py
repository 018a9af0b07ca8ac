"""Asking the help desk on the web: anyone may ask, in their language; robots, floods and
dangerous files are refused politely and leave nothing behind; "help with this page" passes
the page and record along, and nothing else."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import translation

from clearinghouse.helpdesk.models import Attachment, RecordLink, Status, Ticket
from clearinghouse.helpdesk.public_forms import started_token
from clearinghouse.helpdesk.tests import factories
from clearinghouse.helpdesk.tests.factories_public import pdf, program, question, text_file

pytestmark = pytest.mark.django_db

ASK = "/en/helpdesk/ask/"


@pytest.fixture
def central(world):  # type: ignore[no-untyped-def]
    return factories.desk("central", agents=[world.helpdesk_agent], opening_hours=factories.ALWAYS_OPEN)


def test_the_ask_page_is_at_its_named_address() -> None:
    with translation.override("en"):
        assert reverse("helpdesk:ask") == ASK


def test_anyone_asks_with_an_address_and_learns_the_reference_and_when_to_expect_an_answer(
    client,
    central,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ASK, question())
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/ask/sent/{ticket.reference}/")
    assert ticket.channel == "web" and ticket.language == "en" and ticket.status == Status.NEW
    assert ticket.requester is None and ticket.requester_email == "ada@example.org"
    assert ticket.requester_name == "Ada Asker"
    [acknowledgement] = mail.outbox
    assert ticket.reference in acknowledgement.subject and acknowledgement.to == ["ada@example.org"]

    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert ticket.reference in text and "ada@example.org" in text
    assert "will answer by" in text and "(UTC)" in text


def test_the_confirmation_is_shown_only_to_the_browser_that_asked(client, central) -> None:  # type: ignore[no-untyped-def]
    ticket = factories.ticket()
    # A guessed reference shows nothing: no subject, no address.
    assert client.get(f"/en/helpdesk/ask/sent/{ticket.reference}/").status_code == 404


def test_without_an_address_an_anonymous_question_is_refused_and_nothing_saved(client, central) -> None:  # type: ignore[no-untyped-def]
    response = client.post(ASK, question(email=""))
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_a_signed_in_person_is_not_asked_who_they_are_and_their_party_is_filled_in(
    client,
    world,
    central,  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(world.focal_point)
    page = client.get(ASK)
    form = page.context["form"]
    assert "email" not in form.fields and "name" not in form.fields
    assert form["country"].value() == world.kenya.pk
    client.post(ASK, question(name=None, email=None, country=world.kenya.pk))
    ticket = Ticket.objects.get()
    assert ticket.requester == world.focal_point and ticket.country == world.kenya
    assert ticket.address == world.focal_point.email


def test_the_question_is_asked_in_the_language_of_the_page(client, central) -> None:  # type: ignore[no-untyped-def]
    client.post("/fr/helpdesk/ask/", question(subject="Formulaire introuvable"))
    assert Ticket.objects.get().language == "fr"


def test_topics_are_named_in_the_readers_language_and_only_active_ones_offered(client, central) -> None:  # type: ignore[no-untyped-def]
    factories.topic("needs", name={"en": "Needs", "fr": "Besoins"})
    factories.topic("old", name={"en": "Retired topic"}, active=False)
    text = client.get("/fr/helpdesk/ask/").content.decode()
    assert "Besoins" in text and "Retired topic" not in text


def test_a_filled_honeypot_is_refused_and_nothing_saved(client, central) -> None:  # type: ignore[no-untyped-def]
    response = client.post(ASK, question(website="http://cheap-pills.example"))
    assert response.status_code == 400 and not Ticket.objects.exists()
    assert not mail.outbox


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, central) -> None:  # type: ignore[no-untyped-def]
    text = client.get(ASK).content.decode()
    assert '<div hidden aria-hidden="true">' in text
    assert 'name="website" id="id_website" value="" autocomplete="off" tabindex="-1"' in text


@pytest.mark.parametrize(
    "started",
    [
        pytest.param(lambda: started_token(), id="sent at once"),
        pytest.param(lambda: "", id="no time"),
        pytest.param(lambda: "1700000000:forged", id="forged time"),
    ],
)
def test_a_form_sent_quicker_than_a_person_writes_is_refused_and_nothing_saved(
    client,
    central,
    settings,
    started: Any,  # type: ignore[no-untyped-def]
) -> None:
    # Thirty seconds: a slow test machine must not make "at once" look like a person's pace.
    settings.HELPDESK_ASK_MIN_SECONDS = 30
    response = client.post(ASK, question(started=started()))
    assert response.status_code == 400 and not Ticket.objects.exists()
    assert "quicker than anyone can write" in response.content.decode()
    # What the person wrote is kept, so they only send it again.
    assert "Where is the needs form?" in response.content.decode()


def test_questions_from_one_address_are_limited_per_hour(client, central, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HELPDESK_ASK_LIMIT_PER_ADDRESS = 3
    for _number in range(3):
        assert client.post(ASK, question(email="Flood@Example.org")).status_code == 302
    response = client.post(ASK, question(email="flood@example.org"))
    assert response.status_code == 429
    assert "several questions in a short time" in response.content.decode()
    assert Ticket.objects.count() == 3
    # Someone else from another address is not held back by it.
    assert client.post(ASK, question(email="other@example.org")).status_code == 302


def test_questions_from_one_client_are_limited_per_hour(client, central, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HELPDESK_ASK_LIMIT_PER_IP = 2
    for number in range(2):
        assert client.post(ASK, question(email=f"person{number}@example.org")).status_code == 302
    response = client.post(ASK, question(email="person9@example.org"))
    assert response.status_code == 429 and Ticket.objects.count() == 2
    other_client = client.post(ASK, question(email="person9@example.org"), REMOTE_ADDR="192.0.2.7")
    assert other_client.status_code == 302


def test_the_refusal_of_a_flood_is_in_the_readers_language(client, central, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HELPDESK_ASK_LIMIT_PER_IP = 0
    response = client.post("/fr/helpdesk/ask/", question())
    assert response.status_code == 429
    assert "plusieurs questions en peu de temps" in response.content.decode()


def test_a_program_is_refused_with_its_name_and_nothing_is_saved(client, central) -> None:  # type: ignore[no-untyped-def]
    response = client.post(ASK, question(attachments=[text_file(), program("setup.exe")]))
    assert response.status_code == 400
    [error] = response.context["form"].errors["attachments"]
    assert "setup.exe" in error and "Programs cannot be uploaded." in error
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


def test_more_than_three_files_are_refused(client, central) -> None:  # type: ignore[no-untyped-def]
    files = [text_file(f"note{number}.txt") for number in range(4)]
    response = client.post(ASK, question(attachments=files))
    assert response.status_code == 400
    assert response.context["form"].errors["attachments"] == ["Attach at most 3 files."]
    assert not Ticket.objects.exists()


def test_accepted_files_are_named_after_their_true_type(client, central) -> None:  # type: ignore[no-untyped-def]
    client.post(ASK, question(attachments=[text_file("steps.txt"), text_file("report.exe", pdf())]))
    names = sorted(Attachment.objects.values_list("name", flat=True))
    assert names == ["report.pdf", "steps.txt"]
    assert set(Attachment.objects.values_list("article__ticket", flat=True)) == {Ticket.objects.get().pk}


@pytest.fixture
def offer(world):  # type: ignore[no-untyped-def]
    from clearinghouse.support.models import Offer
    from clearinghouse.support.tests.factories import draft

    return draft(Offer, world, {"title": "Half an offer"})


def test_help_with_this_page_passes_the_page_and_record_along(client, central, offer) -> None:  # type: ignore[no-untyped-def]
    page = client.get(ASK, {"page": "/en/needs/new/", "record": offer.identifier.lower()})
    form = page.context["form"]
    assert form["page"].value() == "/en/needs/new/" and form["record"].value() == offer.identifier
    client.post(ASK, question(page="/en/needs/new/?step=2", record=offer.identifier))
    ticket = Ticket.objects.get()
    assert ticket.page == "/en/needs/new/"
    assert list(RecordLink.objects.values_list("identifier", flat=True)) == [offer.identifier]


@pytest.mark.parametrize(
    "page",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example",
        "javascript:alert(1)",
        "needs/new/",
        "/en/needs/\nSet-Cookie: x",
        "/" + "a" * 600,
    ],
)
def test_a_page_not_on_this_site_is_dropped_silently(client, central, page: str) -> None:  # type: ignore[no-untyped-def]
    assert client.get(ASK, {"page": page}).context["form"]["page"].value() == ""
    assert client.post(ASK, question(page=page)).status_code == 302
    assert Ticket.objects.get().page == ""


@pytest.mark.parametrize("record", ["CB-OFFER-XX-999999", "<script>", "x" * 50, "../../etc"])
def test_a_record_that_does_not_exist_is_dropped_silently(client, central, record: str) -> None:  # type: ignore[no-untyped-def]
    assert client.get(ASK, {"record": record}).context["form"]["record"].value() == ""
    assert client.post(ASK, question(record=record)).status_code == 302
    assert not RecordLink.objects.exists()


def test_without_a_desk_the_question_is_refused_with_the_address_to_write_to(client, world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HELPDESK_EMAIL = "help@cbd.example"
    response = client.post(ASK, question())
    assert response.status_code == 503
    assert "help@cbd.example" in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_arabic_page_reads_right_to_left(client, central) -> None:  # type: ignore[no-untyped-def]
    text = client.get("/ar/helpdesk/ask/").content.decode()
    assert '<html lang="ar" dir="rtl">' in text
    assert "اسأل مكتب المساعدة" in text


def test_pages_offer_help_with_themselves(client, central) -> None:  # type: ignore[no-untyped-def]
    text = client.get("/en/contact/").content.decode()
    assert 'href="/en/helpdesk/ask/?page=/en/contact/"' in text and "Help with this page" in text


def test_a_record_page_passes_its_record_to_the_help_link(rf, central, offer) -> None:  # type: ignore[no-untyped-def]
    from django.template.loader import render_to_string

    request = rf.get("/en/support/offers/x/")
    with translation.override("en"):
        text = render_to_string("helpdesk/_help_link.html", {"record": offer}, request=request)
    assert f"page=/en/support/offers/x/&amp;record={offer.identifier}" in text


def test_slow_but_honest_people_are_not_refused(client, central, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Twenty hours on the form (the page left open overnight) is still a person.
    assert client.post(ASK, question(started=_shown_ago(20 * 3600, monkeypatch))).status_code == 302


DAY = 24 * 3600


def _shown_ago(seconds: int, monkeypatch: pytest.MonkeyPatch) -> str:
    """The form's hidden "started" as the page signed it ``seconds`` ago: the signature's own
    time too, which is what makes a token expire."""
    then = time.time() - seconds
    with monkeypatch.context() as patched:
        patched.setattr(signing.TimestampSigner, "timestamp", lambda _signer: signing.b62_encode(int(then)))
        return started_token(then)


@pytest.mark.parametrize(
    ("started_ago", "how", "received"),
    [
        pytest.param(3 * DAY, "replayed", True, id="written offline three days ago, replayed"),
        pytest.param(3 * DAY, "page", False, id="a page left open three days"),
        pytest.param(3 * DAY, "outbox header alone", False, id="no identifier: not a replay"),
        pytest.param(0, "replayed", False, id="replayed at once"),
        pytest.param(40 * DAY, "replayed", False, id="replayed after forty days"),
    ],
)
def test_a_question_the_outbox_replays_days_later_is_taken_and_robots_are_still_refused(
    client,
    central,
    settings,
    monkeypatch: pytest.MonkeyPatch,
    started_ago: int,
    how: str,
    received: bool,  # type: ignore[no-untyped-def]
) -> None:
    # The robot check is for posts sent as soon as the form is shown. A form that waited in the
    # outbox for the network was written by a person, maybe days before it could be sent.
    settings.HELPDESK_ASK_MIN_SECONDS = 30
    data = question(started=_shown_ago(started_ago, monkeypatch))
    if how == "page":
        response = client.post(ASK, data)
        assert (response.status_code == 302) is received
        assert received or "quicker than anyone can write" in response.content.decode()
    else:
        if how == "replayed":
            data["submission_id"] = str(uuid.uuid4())
        response = client.post(ASK, data, headers={"X-Outbox": "1"})
        envelope = response.json()
        assert envelope["outcome"] == ("sent" if received else "invalid"), envelope
        assert received or "quicker than anyone can write" in envelope["errors"][0]
    assert Ticket.objects.count() == (1 if received else 0)
