"""Evidence of an activity's progress: a link, and the identifier of a platform record if any."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.plan import services
from clearinghouse.plan.importer import ImportReport
from clearinghouse.plan.models import Activity, Evidence


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "initiative",
        "title": "Bio-Bridge Initiative",
        "url": "www.cbd.int/biobridge",
        "identifier": "",
    }
    return data | overrides


def test_the_secretariat_adds_evidence_on_the_activity_page(
    plan: ImportReport, client: Client, world: World
) -> None:
    client.force_login(world.secretariat)
    response = client.post("/en/plan/5/evidence/", _form(kind="match", identifier="cb-mat-ke-000003"))
    assert response.status_code == 302
    evidence = Evidence.objects.get(activity__number=5)
    # The address gets a scheme; the identifier is kept in the registries' upper case.
    assert (evidence.url, evidence.identifier) == ("https://www.cbd.int/biobridge", "CB-MAT-KE-000003")
    assert (evidence.kind, evidence.added_by) == ("match", world.secretariat)
    page = client.get("/en/plan/5/").content.decode()
    assert 'href="https://www.cbd.int/biobridge"' in page
    assert "CB-MAT-KE-000003" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "not a web address", "Enter a valid URL."),
        ("url", "javascript:alert(1)", "Enter a valid URL."),
        ("identifier", "CB RES 12", "such as CB-RES-KE-000012"),
        ("kind", "rumour", "Select a valid choice."),
        ("title", "", "This field is required."),
    ],
)
def test_bad_evidence_is_explained_and_nothing_is_saved(
    plan: ImportReport, client: Client, world: World, field: str, value: str, message: str
) -> None:
    client.force_login(world.secretariat)
    response = client.post("/en/plan/5/evidence/", _form(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp//x", "www.cbd.int/biobridge"])
def test_the_service_checks_the_address_itself(plan: ImportReport, world: World, url: str) -> None:
    # Without a scheme too: only the form adds one.
    with pytest.raises(ValidationError) as raised:
        services.add_evidence(
            world.secretariat, Activity.objects.get(number=5), kind="other", title="X", url=url
        )
    assert "url" in raised.value.message_dict


def test_only_the_secretariat_adds_evidence(plan: ImportReport, client: Client, world: World) -> None:
    client.force_login(world.focal_point)
    assert client.post("/en/plan/5/evidence/", _form()).status_code == 403
    with pytest.raises(PermissionDenied):
        services.add_evidence(
            world.focal_point,
            Activity.objects.get(number=5),
            kind="other",
            title="X",
            url="https://example.org",
        )
    client.logout()
    assert client.post("/en/plan/5/evidence/", _form()).status_code == 302
    assert not Evidence.objects.exists()
