"""Recording progress on an activity: the Secretariat only, with a valid reporting period; each
report is kept, and the current status is that of the latest period."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.organisations.models import Organisation
from clearinghouse.plan import services
from clearinghouse.plan.importer import ImportReport
from clearinghouse.plan.models import Activity, ActivityProgress


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "period": "2019-2020",
        "status": "under_way",
        "note": "Deux ateliers régionaux tenus.",
        "note_language": "fr",
        "lead": "",
    }
    return data | overrides


def test_the_secretariat_records_progress_on_the_activity_page(
    plan: ImportReport, client: Client, world: World
) -> None:
    lead = Organisation.objects.get(acronym="BBI")
    client.force_login(world.secretariat)
    response = client.post("/en/plan/4/progress/", _form(lead=lead.pk))
    assert response.status_code == 302
    assert response["Location"] == "/en/plan/4/#progress"
    report = ActivityProgress.objects.get(activity__number=4)
    assert (report.period, report.period_start, report.period_end) == ("2019-2020", 2019, 2020)
    assert (report.status, report.note_language, report.lead) == ("under_way", "fr", lead)
    assert report.recorded_by == world.secretariat
    page = client.get("/en/plan/").content.decode()
    assert "Under way (2019-2020)" in page


def test_reports_are_history_and_the_latest_period_gives_the_status(plan: ImportReport, world: World) -> None:
    activity = Activity.objects.get(number=7)
    record = services.record_progress
    record(world.secretariat, activity, period="2017-2018", status="under_way")
    record(world.secretariat, activity, period="2019-2020", status="under_way")
    record(world.secretariat, activity, period="2019-2020", status="completed", note="Done")
    # A correction of an earlier period is kept, and does not hide the later news.
    record(world.secretariat, activity, period="2017-2018", status="discontinued")
    assert activity.progress.count() == 4
    current = Activity.objects.with_current_status().get(pk=activity.pk)
    assert (getattr(current, "current_status", None), getattr(current, "current_period", None)) == (
        "completed",
        "2019-2020",
    )


@pytest.mark.parametrize("period", ["2019-2021", "2020-2019", "2019/20", "next year", "19", "1850"])
def test_an_unknown_period_is_refused_with_a_clear_message(
    plan: ImportReport, world: World, client: Client, period: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        services.record_progress(
            world.secretariat, Activity.objects.get(number=1), period=period, status="completed"
        )
    assert "a year (2019) or a biennium of two consecutive years (2019-2020)" in str(raised.value)
    client.force_login(world.secretariat)
    response = client.post("/en/plan/1/progress/", _form(period=period))
    assert response.status_code == 200
    assert "a year (2019) or a biennium of two consecutive years" in response.content.decode()
    assert not ActivityProgress.objects.exists()


@pytest.mark.parametrize(("given", "stored"), [("2019", "2019"), (" 2019 – 2020 ", "2019-2020")])
def test_a_year_or_a_biennium_is_accepted_with_any_dash(
    plan: ImportReport, world: World, given: str, stored: str
) -> None:
    report = services.record_progress(
        world.secretariat, Activity.objects.get(number=1), period=given, status="completed"
    )
    assert report.period == stored


def test_an_unknown_status_is_refused(plan: ImportReport, world: World) -> None:
    with pytest.raises(ValidationError) as raised:
        services.record_progress(
            world.secretariat, Activity.objects.get(number=1), period="2019", status="finished"
        )
    assert "status" in raised.value.message_dict
    assert not ActivityProgress.objects.exists()


@pytest.mark.parametrize("person", ["focal_point", "partner_editor", "helpdesk_agent", "learner"])
def test_people_outside_the_secretariat_cannot_record_progress(
    plan: ImportReport, client: Client, world: World, person: str
) -> None:
    client.force_login(getattr(world, person))
    assert client.post("/en/plan/4/progress/", _form()).status_code == 403
    with pytest.raises(PermissionDenied):
        services.record_progress(
            getattr(world, person), Activity.objects.get(number=4), period="2019", status="completed"
        )
    assert not ActivityProgress.objects.exists()


def test_the_public_is_sent_to_sign_in_and_nothing_is_saved(plan: ImportReport, client: Client) -> None:
    response = client.post("/en/plan/4/progress/", _form())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not ActivityProgress.objects.exists()


def test_progress_is_recorded_by_post_only(plan: ImportReport, client: Client, world: World) -> None:
    client.force_login(world.secretariat)
    assert client.get("/en/plan/4/progress/").status_code == 405
