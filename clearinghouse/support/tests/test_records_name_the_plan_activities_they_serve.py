"""Support records name the action-plan activities they serve: in the form (kept through review),
on the record's page, in imports and exports (by number) and in the API, so that monitoring
counts each activity's records exactly."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from clearinghouse.core.testing import World
from clearinghouse.exchange.models import ImportJob
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import exchange, registry, workflow
from clearinghouse.publishing.models import State
from clearinghouse.support.models import Offer, Resource
from clearinghouse.support.tests.factories import published, terms
from clearinghouse.support.tests.samples import activities, sample

pytestmark = pytest.mark.usefixtures("vocabularies")


def _numbers(record: Offer | Resource) -> list[int]:
    return sorted(activity.number for activity in record.plan_activities.all())


def test_the_form_saves_the_activities_and_review_keeps_them(world: World, client: Client) -> None:
    roundtables, portal = activities(5, 2)
    client.force_login(world.partner_editor)
    form = client.get("/en/support/offers/new/").content.decode()
    # Named by number and text, with the reason to fill it in.
    assert "5 — نشاط 5" in form and "Monitoring counts the records of each activity from this." in form
    response = client.post(
        "/en/support/offers/new/",
        {
            "owner": f"organisation:{world.kenyan_ngo.pk}",
            "original_language": "en",
            "title": "Matchmaking support for invasive species projects",
            "description": "<p>Advice.</p>",
            "provider": world.kenyan_ngo.pk,
            "support_types": [term.pk for term in terms("training")],
            "value_kind": "in_kind",
            "period_end": "2099-12-31",
            "plan_activities": [roundtables.pk, portal.pk],
            "action": "submit",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    offer = Offer.objects.get()
    assert offer.state == State.SUBMITTED
    # Waiting for review, the activities are in the revision, not yet public.
    assert workflow.latest_revision(offer).content["plan_activities"] == sorted([roundtables.pk, portal.pk])
    workflow.publish(offer, actor=world.focal_point)
    offer.refresh_from_db()
    assert offer.live and _numbers(offer) == [2, 5]


def test_a_change_of_activities_waits_for_review(world: World) -> None:
    [roundtables, portal] = activities(5, 2)
    offer = published(Offer, world, sample(Offer, world) | {"plan_activities": [roundtables]})
    workflow.save_draft(
        offer, actor=world.authorised_user, values={"plan_activities": [portal]}, base_revision=None
    )
    offer.refresh_from_db()
    # The public keeps seeing what was published until the change is.
    assert _numbers(offer) == [5]
    workflow.submit(offer, actor=world.authorised_user)
    workflow.publish(offer, actor=world.focal_point)
    offer.refresh_from_db()
    assert _numbers(offer) == [2]


def test_the_page_links_each_activity_in_the_readers_language(world: World, client: Client) -> None:
    [activity] = activities(46)
    Activity.objects.filter(pk=activity.pk).update(
        text_translations={"fr": "Élaborer des supports de formation sur l'agriculture durable"}
    )
    offer = published(Offer, world, sample(Offer, world) | {"plan_activities": [activity]})
    page = client.get(f"/fr/support/offers/{offer.identifier}/").content.decode()
    link = reverse("plan:detail", args=[46])
    assert f'<a href="{link}">46</a>' in page
    assert "Élaborer des supports de formation" in page
    # A record that serves no activity says nothing of them.
    other = published(Offer, world, sample(Offer, world) | {"title": "Another offer"})
    assert (
        reverse("plan:detail", args=[46])
        not in client.get(f"/fr/support/offers/{other.identifier}/").content.decode()
    )


def test_an_import_names_activities_by_number(world: World) -> None:
    activities(1, 46)
    resources = registry.of(Resource)
    rows = [
        {"original_language": "en", "title.en": "Field guide", "kind": "guide", "plan_activities": "46;1"}
    ]
    parsed = exchange.validate(
        resources, exchange.read(resources, json.dumps(rows).encode(), "json"), owner=world.kenya
    )
    assert parsed.problems == []
    [created] = exchange.create_all(resources, actor=world.authorised_user, owner=world.kenya, parsed=parsed)
    assert _numbers(Resource.objects.get(pk=created.pk)) == [1, 46]


def test_an_unknown_number_is_reported_in_the_readers_language_and_nothing_is_saved(
    world: World, client: Client
) -> None:
    activities(5)
    client.force_login(world.authorised_user)
    lines = ["original_language,title.fr,plan_activities", "fr,Bonne ligne,5", "fr,Mauvaise ligne,5;999"]
    upload = SimpleUploadedFile("offers.csv", ("\n".join(lines) + "\n").encode())
    response = client.post(
        "/fr/support/offers/import/", {"owner": f"country:{world.kenya.pk}", "file": upload}
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    [problem] = job.problems
    with translation.override("fr"):
        expected = translation.ngettext(
            "The action plan has no activity numbered %(numbers)s.",
            "The action plan has no activities numbered %(numbers)s.",
            1,
        ) % {"numbers": "999"}
    assert (problem["row"], problem["column"], problem["message"]) == (3, "plan_activities", expected)
    assert "999" in expected and expected.startswith("Le plan d’action")
    assert not Offer.objects.exists(), "all or nothing: the good row is not saved either"


def test_the_export_writes_numbers_and_the_workbook_says_what_they_are(world: World, client: Client) -> None:
    offer = published(Offer, world, sample(Offer, world) | {"plan_activities": activities(46, 5)})
    response = client.get("/en/support/offers/export/", {"format": "csv"})
    [row] = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert (row["identifier"], row["plan_activities"]) == (offer.identifier, "5;46")
    as_json = json.loads(client.get("/en/support/offers/export/", {"format": "json"}).content)
    assert as_json[0]["plan_activities"] == ["5", "46"]
    workbook = load_workbook(io.BytesIO(client.get("/en/support/offers/export/", {"format": "xlsx"}).content))
    texts = {str(cell.value) for sheet in workbook.worksheets for line in sheet.iter_rows() for cell in line}
    assert any("Numbers of the action plan's activities, separated by a semicolon" in text for text in texts)
    assert any("Monitoring counts the records of each activity from this." in text for text in texts)


def test_the_api_gives_the_activities_by_number(world: World, client: Client) -> None:
    offer = published(Offer, world, sample(Offer, world) | {"plan_activities": activities(46, 5)})
    assert client.get(f"/api/v1/offers/{offer.identifier}/").json()["plan_activities"] == [5, 46]
    listed = client.get("/api/v1/offers/").json()["results"]
    assert [item["plan_activities"] for item in listed] == [[5, 46]]
