"""A need names the national targets of its own Party's NBSAP it serves, and a needs assessment
the national report it draws on: kept through review, shown with links, given by the API and
counted by monitoring; another Party's target or report is refused with the reason."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clearinghouse.core.testing import World, invasive_species_need_values
from clearinghouse.monitoring.compute import Period, measure_values
from clearinghouse.national import services as national
from clearinghouse.national.models import NationalReport, NationalTarget, ReportKind
from clearinghouse.needs.models import Need, NeedsAssessment
from clearinghouse.needs.offline.export import export_needs
from clearinghouse.needs.offline.importer import owned
from clearinghouse.needs.services import form_of
from clearinghouse.publishing import registry, workflow
from clearinghouse.publishing.registry import measures

pytestmark = pytest.mark.usefixtures("vocabularies")


def _target(world: World, party: str = "kenya", code: str = "T6") -> NationalTarget:
    person = world.focal_point if party == "kenya" else world.other_focal_point
    return national.save_target(
        getattr(world, party), actor=person, code=code, language="en", title=f"Target {code} of {party}"
    )


def _report(world: World, party: str = "kenya") -> NationalReport:
    person = world.focal_point if party == "kenya" else world.other_focal_point
    values = {
        "kind": ReportKind.SEVENTH,
        "year": 2026,
        "title": f"Seventh report of {party}",
        "language": "en",
    }
    return national.save_report(getattr(world, party), actor=person, values=values | {"document": "CHM-NR7"})


def _need(world: World, targets: list[NationalTarget]) -> Need:
    values = invasive_species_need_values("en", "Training customs officers", "Invasive species")
    return workflow.create(
        Need, actor=world.authorised_user, owner=world.kenya, values=values | {"national_targets": targets}
    )


def _assessment(world: World, report: NationalReport | None) -> NeedsAssessment:
    values = {
        "original_language": "en",
        "format_version": "1.0",
        "title": {"en": "Kenya needs assessment"},
        "scope": "national",
        "period_start": 2026,
        "period_end": 2030,
        "method": {"en": "County workshops"},
        "national_report": report,
    }
    return workflow.create(NeedsAssessment, actor=world.authorised_user, owner=world.kenya, values=values)


def test_a_need_keeps_its_national_targets_and_its_page_and_the_api_show_them(
    world: World, client: Client
) -> None:
    target = _target(world)
    need = _need(world, [target])
    workflow.submit(need, actor=world.authorised_user)
    workflow.publish(need, actor=world.focal_point)
    page = client.get(registry.of(need).url(need)).content.decode()
    assert f'href="{reverse("national:targets", args=["KE"])}#target-T6"' in page
    assert "Target T6 of kenya" in page
    assert client.get(f"/api/v1/needs/{need.identifier}/").json()["national_targets"] == ["T6"]
    today = timezone.localdate()
    assert measure_values(measures()["needs.naming_national_targets"], Period(today, today)) == {"": 1}


def test_another_partys_target_is_refused_on_the_form_with_the_reason(world: World, client: Client) -> None:
    own, foreign = _target(world), _target(world, "tanzania", "T1")
    need = _need(world, [])
    revision = need.revision_number
    url = reverse("needs:step", args=[need.identifier, form_of(need).steps[-1].name])
    client.force_login(world.authorised_user)
    page = client.get(url).content.decode()
    # Only Kenya's targets are offered.
    assert "Target T6 of kenya" in page and "Target T1 of tanzania" not in page
    response = client.post(
        url, {"action": "save", "base_revision": revision, "national_targets": [own.pk, foreign.pk]}
    )
    assert response.status_code == 400
    assert "Only national targets of Kenya can be named here." in response.content.decode()
    assert Need.objects.get(pk=need.pk).revision_number == revision
    response = client.post(url, {"action": "save", "base_revision": revision, "national_targets": [own.pk]})
    assert response.status_code == 302
    _working, many = workflow.working_copy(Need.objects.get(pk=need.pk))
    assert many["national_targets"] == [own.pk]


def test_a_need_naming_another_partys_target_by_another_path_cannot_be_submitted(world: World) -> None:
    need = _need(world, [_target(world, "tanzania", "T1")])
    with pytest.raises(Exception, match="Only national targets of Kenya"):
        workflow.submit(need, actor=world.authorised_user)
    assert not Need.objects.get(pk=need.pk).live


def test_an_assessment_cites_its_partys_report_and_refuses_another(world: World, client: Client) -> None:
    report, foreign = _report(world), _report(world, "tanzania")
    assessment = _assessment(world, None)
    url = reverse("needs:step", args=[assessment.identifier, form_of(assessment).steps[-1].name])
    client.force_login(world.authorised_user)
    refused = client.post(
        url.replace("/en/", "/fr/", 1),
        {"action": "save", "base_revision": assessment.revision_number, "national_report": foreign.pk},
    )
    assert refused.status_code == 400
    # Refused with the reason, in the reader's language.
    assert "Seul un rapport national de Kenya peut être cité ici." in refused.content.decode()
    assert NeedsAssessment.objects.get(pk=assessment.pk).national_report is None
    # The last step posts its own fields too (the method), as the page does.
    saved = client.post(
        url,
        {
            "action": "save",
            "base_revision": assessment.revision_number,
            "method": "County workshops",
            "national_report": report.pk,
        },
    )
    assert saved.status_code == 302
    assessment.refresh_from_db()
    workflow.submit(assessment, actor=world.authorised_user)
    workflow.publish(assessment, actor=world.focal_point)
    client.logout()
    page = client.get(registry.of(assessment).url(assessment)).content.decode()
    assert "Seventh report of kenya" in page and reverse("national:reports", args=["KE"]) in page
    api = client.get(f"/api/v1/needs-assessments/{assessment.identifier}/").json()
    assert api["national_report"] == str(report.identifier)
    today = timezone.localdate()
    assert measure_values(measures()["assessments.citing_national_report"], Period(today, today)) == {"": 1}


def test_the_exports_give_the_national_targets_a_need_serves(world: World) -> None:
    target = _target(world)
    _need(world, [target])
    document = json.loads(export_needs(owned(Need, world.kenya), "json", "en").decode("utf-8"))
    assert document["needs"][0]["national_targets"] == [{"code": "T6", "identifier": str(target.identifier)}]
    rows = list(
        csv.DictReader(io.StringIO(export_needs(owned(Need, world.kenya), "csv", "en").decode("utf-8-sig")))
    )
    assert rows[0]["national_targets"] == "T6"


def test_the_targets_page_links_to_the_needs_naming_a_target(world: World, client: Client) -> None:
    target, other = _target(world), _target(world, code="T3")
    need = _need(world, [target])
    workflow.submit(need, actor=world.authorised_user)
    workflow.publish(need, actor=world.focal_point)
    _need(world, [other])  # a draft: neither counted nor listed
    page = client.get(reverse("national:targets", args=["KE"])).content.decode()
    link = f"{reverse('needs:index')}?national_target={target.identifier}"
    assert f'<a href="{link}">1 need names this target</a>' in page
    assert f"national_target={other.identifier}" not in page
    listed = client.get(link).content.decode()
    assert need.identifier in listed
    api = client.get(f"/api/v1/needs/?national_target={other.identifier}").json()
    assert api["results"] == []
