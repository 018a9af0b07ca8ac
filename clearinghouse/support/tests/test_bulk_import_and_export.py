"""Offers and resources go out and come back in as Excel, CSV and JSON without loss; a file with
any problem saves nothing and every problem is reported by row and column; likely duplicates are
confirmed before they are created."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.support import exchange, services
from clearinghouse.support.models import Offer, Resource, SupportRecord
from clearinghouse.support.tests.factories import published
from clearinghouse.support.tests.samples import sample

pytestmark = pytest.mark.usefixtures("vocabularies")


def _offer(world: World) -> Offer:
    offer = published(
        Offer,
        world,
        sample(Offer, world) | {"value_kind": "financial", "value_amount": "1500.50", "currency": "EUR"},
    )
    services.translate(
        offer,
        actor=world.authorised_user,
        language="ar",
        texts={"title": "تدريب المدربين"},
        base_revision=None,
    )
    return offer


def _resource(world: World) -> Resource:
    resource = published(Resource, world, sample(Resource, world), language="es")
    services.add_version(
        resource, actor=world.authorised_user, language="es", link="https://example.org/guia.pdf"
    )
    return resource


def _content(record: SupportRecord) -> dict[str, Any]:
    """What the record says, without what the platform gives it (identifier, dates, state)."""
    row = exchange.rows([record], type(record))[0]
    return {key: value for key, value in row.items() if key != "identifier"}


@pytest.mark.parametrize("format_name", exchange.FORMATS)
@pytest.mark.parametrize("slug", ["offers", "resources"])
def test_an_export_imports_back_without_loss(
    world: World, client: Client, format_name: str, slug: str
) -> None:
    original = _offer(world) if slug == "offers" else _resource(world)
    original.refresh_from_db()
    response = client.get(f"/en/support/{slug}/export/", {"format": format_name})
    assert response.status_code == 200
    model = type(original)
    cells = exchange.read(response.content, format_name)
    parsed = exchange.validate(model, cells)
    assert parsed.problems == []
    # Imported for another owner, so that it is not taken for a duplicate of the original.
    created = exchange.create_all(model, actor=world.other_focal_point, owner=world.tanzania, parsed=parsed)
    assert len(created) == 1
    copy = model.objects.get(pk=created[0].pk)
    assert _content(copy) == _content(original)


def _csv(lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile("offers.csv", ("\n".join(lines) + "\n").encode())


def test_every_problem_is_reported_by_row_and_column_and_nothing_is_saved(
    world: World, client: Client
) -> None:
    client.force_login(world.authorised_user)
    header = (
        "original_language,title.en,support_types,eligibility,capacity,period_start,period_end,value_amount,"
        "currency,provider,contact_email,colour"
    )
    lines = [
        header,
        "en,Good row,training,Africa,2,2026-01-01,2026-12-31,,,,,",
        "xx,,teaching,Atlantis,two,01/02/2026,,-5,usd,NOPE,not-an-email,blue",
        "en,Dates backwards,training,,,2026-12-31,2026-01-01,100,,,,",
    ]
    response = client.post(
        "/en/support/offers/import/", {"owner": f"country:{world.kenya.pk}", "file": _csv(lines)}
    )
    assert response.status_code == 200
    problems = {(problem.row, problem.column) for problem in response.context["problems"]}
    assert {
        (1, "colour"),
        (3, "original_language"),
        (3, "title"),
        (3, "support_types"),
        (3, "eligibility"),
        (3, "capacity"),
        (3, "period_start"),
        (3, "value_amount"),
        (3, "provider"),
        (3, "contact_email"),
    } <= problems
    assert (4, "period_end") in problems or (4, "currency") in problems
    assert not any(row == 2 for row, _column in problems)
    assert not Offer.objects.exists(), "all or nothing: the good row is not saved either"


def test_problems_are_reported_in_the_readers_language(world: World, client: Client) -> None:
    from django.core.validators import EmailValidator
    from django.utils import translation

    client.force_login(world.authorised_user)
    lines = ["original_language,title.fr,contact_email", "fr,Formation,pas-une-adresse"]
    response = client.post(
        "/fr/support/offers/import/", {"owner": f"country:{world.kenya.pk}", "file": _csv(lines)}
    )
    [problem] = response.context["problems"]
    with translation.override("fr"):
        expected = str(EmailValidator.message)
    assert (problem.row, problem.column, problem.message) == (2, "contact_email", expected)
    assert expected != "Enter a valid email address."


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("offers.json", b'{"not": "a list"}'),
        ("offers.json", b"[not json"),
        ("offers.xlsx", b"PK\x03\x04broken"),
    ],
)
def test_unreadable_files_save_nothing(world: World, client: Client, name: str, content: bytes) -> None:
    client.force_login(world.authorised_user)
    response = client.post(
        "/en/support/offers/import/",
        {"owner": f"country:{world.kenya.pk}", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Offer.objects.exists()


def test_likely_duplicates_are_confirmed_before_they_are_created(world: World, client: Client) -> None:
    existing = published(Offer, world, sample(Offer, world))
    client.force_login(world.authorised_user)
    items = [
        {
            "original_language": "en",
            "title": {"en": "Training of Trainers on Invasive-Species identification!"},
            "provider": world.kenyan_ngo.code,
            "support_types": ["training"],
        },
        {
            "original_language": "en",
            "title": {"en": "Something else entirely"},
            "provider": world.kenyan_ngo.code,
        },
    ]
    upload = SimpleUploadedFile("offers.json", json.dumps(items).encode())
    response = client.post(
        "/en/support/offers/import/", {"owner": f"country:{world.kenya.pk}", "file": upload}
    )
    assert response.status_code == 200
    duplicates = response.context["duplicates"]
    assert [(duplicate.row, duplicate.existing) for duplicate in duplicates] == [(2, existing.identifier)]
    assert Offer.objects.count() == 1, "nothing is created before the person confirms"

    response = client.post(
        "/en/support/offers/import/", {"token": response.context["token"], "confirm": "yes"}
    )
    assert response.status_code == 302
    assert Offer.objects.count() == 3


def test_a_tampered_confirmation_is_refused(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    response = client.post("/en/support/offers/import/", {"token": "forged", "confirm": "yes"})
    assert response.status_code == 302
    assert not Offer.objects.exists()


def test_an_xlsx_file_in_the_export_layout_imports(world: World, client: Client) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["original_language", "title.zh", "kind", "year", "links"])
    sheet.append(["zh", "入侵物种识别手册", "manual", 2025, "zh=https://example.org/manual-zh.pdf"])
    output = io.BytesIO()
    workbook.save(output)
    client.force_login(world.authorised_user)
    response = client.post(
        "/zh/support/resources/import/",
        {"owner": f"country:{world.kenya.pk}", "file": SimpleUploadedFile("r.xlsx", output.getvalue())},
    )
    assert response.status_code == 302, response.context and response.context.get("problems")
    resource = Resource.objects.get()
    assert resource.title == {"zh": "入侵物种识别手册"} and resource.year == 2025
    assert resource.versions.get().link == "https://example.org/manual-zh.pdf"
