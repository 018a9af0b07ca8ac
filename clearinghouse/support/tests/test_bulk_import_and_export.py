"""Every record type goes out and comes back in as Excel, CSV and JSON without loss; a file with
any problem saves nothing and every problem is reported by row and column; likely duplicates are
confirmed before they are created. Imports run as jobs (at once in the tests: huey immediate);
the person follows them on the job's page."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.exchange import layout
from clearinghouse.exchange.models import ImportJob, JobState
from clearinghouse.publishing import exchange, registry, snapshots, workflow
from clearinghouse.publishing import services as publishing_services
from clearinghouse.publishing.models import State
from clearinghouse.support import services
from clearinghouse.support.exchange import by_field
from clearinghouse.support.models import (
    BY_SLUG,
    RECORD_MODELS,
    Expert,
    Initiative,
    Offer,
    Partnership,
    Resource,
    SupportRecord,
)
from clearinghouse.support.tests.factories import draft, published
from clearinghouse.support.tests.samples import complete, sample

pytestmark = pytest.mark.usefixtures("vocabularies")

SLUGS = [model.SLUG for model in RECORD_MODELS]
# Each type written in another language, translated into two more (Arabic and Chinese among them).
_LANGUAGES = {
    "offers": ("en", "ar", "zh"),
    "opportunities": ("fr", "ar", "es"),
    "initiatives": ("zh", "ar", "en"),
    "resources": ("es", "zh", "ar"),
    "providers": ("ar", "zh", "fr"),
    "partnerships": ("en", "zh", "ru"),
    "experts": ("ru", "ar", "zh"),
}


def _job(response: Any) -> ImportJob:
    """The import job an upload or a confirmation was sent to."""
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert "/imports/" in response.url
    return ImportJob.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))


def _problems(job: ImportJob) -> set[tuple[int | None, str]]:
    assert job.state == JobState.FAILED
    return {(problem["row"], problem["column"]) for problem in job.problems}


def _confirm(client: Client, job: ImportJob) -> ImportJob:
    assert job.state == JobState.CONFIRMATION
    return _job(client.post(f"/en/imports/{job.pk}/confirm/"))


def _complete_record(model: type[SupportRecord], world: World) -> SupportRecord:
    """A published record with every field filled and its texts in three languages."""
    links: dict[str, Any] = {}
    if model is Initiative:
        links["resources"] = [published(Resource, world, sample(Resource, world))]
    values = complete(model, world, **links)
    original, *others = _LANGUAGES[model.SLUG]
    record = draft(model, world, values, language=original)
    texts = [name for name in model.CONTENT_FIELDS if services.is_multilingual(model, name)]
    for language in others:
        publishing_services.translate(
            record,
            actor=world.authorised_user,
            language=language,
            texts={name: f"{language}: {values[name]}" for name in texts},
            base_revision=None,
            save=services.save_values,
        )
    if isinstance(record, Resource):
        services.add_version(
            record, actor=world.authorised_user, language="es", link="https://example.org/guia.pdf"
        )
        services.add_version(
            record, actor=world.authorised_user, language="zh", link="https://example.org/guide-zh.pdf"
        )
    services.submit(record, actor=world.authorised_user)
    return workflow.publish(record, actor=world.focal_point)


def _content(record: SupportRecord) -> dict[str, Any]:
    """What the record says, as its revisions store it (ids of terms, organisations...), without
    what the platform gives it (identifier, dates, state); and a resource's links."""
    record = type(record).objects.get(pk=record.pk)
    content = snapshots.snapshot(record)
    if isinstance(record, Resource):
        content["links"] = sorted((version.language, version.link) for version in record.versions.all())
    return content


@pytest.mark.parametrize("format_name", exchange.FORMATS)
@pytest.mark.parametrize("slug", SLUGS)
def test_an_export_imports_back_without_loss(
    world: World, client: Client, format_name: str, slug: str
) -> None:
    model = BY_SLUG[slug]
    original = _complete_record(model, world)
    content = _content(original)
    # The check is only worth something if nothing is left empty.
    empty = [name for name, value in content.items() if value in (None, "", [], {})]
    assert empty == [], f"the sample leaves {empty} empty"
    texts = [content[name] for name in model.CONTENT_FIELDS if services.is_multilingual(model, name)]
    assert all(len(value) == 3 for value in texts), texts

    client.force_login(world.authorised_user)
    response = client.get(f"/en/support/{slug}/export/", {"format": format_name, "mine": "1"})
    assert response.status_code == 200
    cells = exchange.read(registry.of(model), response.content, format_name)
    assert [row["identifier"] for row in cells] == [original.identifier]
    parsed = exchange.validate(registry.of(model), cells, owner=world.tanzania)
    assert parsed.problems == []
    # Imported as another owner's draft.
    [created] = exchange.create_all(
        registry.of(model), actor=world.other_focal_point, owner=world.tanzania, parsed=parsed
    )
    copy = model.objects.get(pk=created.pk)
    assert (copy.owner, copy.state, copy.identifier) == (world.tanzania, State.DRAFT, copy.identifier)
    assert copy.identifier != original.identifier
    assert _content(copy) == content


def test_an_import_through_the_page_creates_drafts_of_every_type(world: World, client: Client) -> None:
    for model in RECORD_MODELS:
        _complete_record(model, world)
    client.force_login(world.other_focal_point)
    for slug in SLUGS:
        model = BY_SLUG[slug]
        export = client.get(f"/en/support/{slug}/export/", {"format": "xlsx"})
        upload = SimpleUploadedFile(f"{slug}.xlsx", export.content)
        job = _job(
            client.post(
                f"/en/support/{slug}/import/", {"owner": f"country:{world.tanzania.pk}", "file": upload}
            )
        )
        count = model.objects.filter(live=True).count()
        if model is not Expert:
            # The published originals are likely duplicates (an expert's, not: it is Kenya's).
            assert len(job.duplicates) == count, slug
            job = _confirm(client, job)
        assert job.state == JobState.DONE, job.problems
        assert len(job.created) == count
        assert model.objects.filter(owner_country=world.tanzania, state=State.DRAFT).count() == count, slug


def _file(format_name: str, table: list[dict[str, str]]) -> bytes:
    """A file as a person might make it, in one of the three formats."""
    header = list(dict.fromkeys(column for row in table for column in row))
    if format_name == "json":
        return json.dumps(table, ensure_ascii=False).encode()
    if format_name == "csv":
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=header)
        writer.writeheader()
        writer.writerows(table)
        return text.getvalue().encode()
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in table:
        sheet.append([row.get(column, "") for column in header])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# A bad value in each column of each type that can hold one.
_BAD_CELLS: dict[str, dict[str, str]] = {
    "offers": {
        "provider": "NOPE",
        "support_types": "teaching",
        "eligibility": "Atlantis",
        "capacity": "two",
        "languages": "elvish",
        "period_start": "01/02/2026",
        "value_kind": "gift",
        "value_amount": "-5",
        "contact_email": "not-an-email",
    },
    "opportunities": {
        "kind": "lottery",
        "provider": "NOPE",
        "eligibility": "Atlantis",
        "target_groups": "aliens",
        "deadline": "soon",
        "value_amount": "a lot",
        "currency": "dollars",
        "apply_url": "not a web address",
    },
    "initiatives": {
        "lead_organisation": "NOPE",
        "partners": "NOPE",
        "countries": "XX",
        "regions": "999",
        "gbf_targets": "GBF-T99",
        "start_date": "2026-13-01",
        "funding_amount": "x",
        "status": "paused",
        "resources": "CB-RES-XX-000999",
        "event_links": "not a web address",
        "course_links": "ftp://example.org/course",
    },
    "resources": {
        "kind": "poem",
        "year": "MMXXVI",
        "subjects": "SUBJ-NOPE",
        "links": "xx=https://example.org",
    },
    "providers": {
        "organisation": "NOPE",
        "regions_served": "Atlantis",
        "languages": "elvish",
        "website": "nope",
        "contact_email": "nope",
        "contact_public": "maybe",
    },
    "partnerships": {
        "counterpart": "friends",
        "institution": "NOPE",
        "kind": "marriage",
        "start_date": "yesterday",
        "material_links": "nope",
    },
    "experts": {
        "email": "nope",
        "consent_to_publish": "perhaps",
        "countries": "XX",
        "availability": "always",
        "languages": "elvish",
        "subjects": "SUBJ-NOPE",
    },
}


@pytest.mark.parametrize("format_name", exchange.FORMATS)
@pytest.mark.parametrize("slug", SLUGS)
def test_a_bad_file_of_any_type_reports_each_problem_and_saves_nothing(
    world: World, client: Client, format_name: str, slug: str
) -> None:
    model = BY_SLUG[slug]
    good = {"original_language": "en", "title.en": "A good row"}
    bad = {"original_language": "en", "title.en": "A bad row"} | _BAD_CELLS[slug]
    untitled = {"original_language": "ar", "title.ar": ""}
    client.force_login(world.authorised_user)
    upload = SimpleUploadedFile(f"{slug}.{format_name}", _file(format_name, [good, bad, untitled]))
    job = _job(
        client.post(f"/en/support/{slug}/import/", {"owner": f"country:{world.kenya.pk}", "file": upload})
    )
    assert _problems(job) == {(3, column) for column in _BAD_CELLS[slug]} | {(4, "title.ar")}
    assert all(problem["message"] for problem in job.problems)
    assert not model.objects.exists(), "all or nothing: the good row is not saved either"


@pytest.mark.parametrize(
    ("model", "row", "column"),
    [
        (Initiative, {"start_date": "2026-12-31", "end_date": "2026-01-01"}, "end_date"),
        (Initiative, {"funding_amount": "100"}, "currency"),
        (Offer, {"period_start": "2026-12-31", "period_end": "2026-01-01"}, "period_end"),
        (Partnership, {"counterpart": "party"}, "counterpart"),
    ],
)
def test_each_types_own_rules_are_checked(
    world: World, model: type[SupportRecord], row: dict[str, str], column: str
) -> None:
    cells = [{"original_language": "en", "title.en": "A record"} | row]
    # Registered by an organisation: a Party's partnership must be registered by that Party.
    parsed = exchange.validate(registry.of(model), cells, owner=world.kenyan_ngo)
    assert [(problem.row, problem.column) for problem in parsed.problems] == [(2, column)]


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
    job = _job(
        client.post("/en/support/offers/import/", {"owner": f"country:{world.kenya.pk}", "file": _csv(lines)})
    )
    problems = _problems(job)
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
    from django.utils import translation

    client.force_login(world.authorised_user)
    lines = ["original_language,title.fr,contact_email", "fr,Formation,pas-une-adresse"]
    response = client.post(
        "/fr/support/offers/import/", {"owner": f"country:{world.kenya.pk}", "file": _csv(lines)}
    )
    job = ImportJob.objects.get()
    assert response.url == f"/fr/imports/{job.pk}/"
    [problem] = job.problems
    with translation.override("fr"):
        expected = translation.gettext("Not a valid e-mail address.")
    assert (problem["row"], problem["column"], problem["message"]) == (2, "contact_email", expected)
    assert expected != "Not a valid e-mail address."
    # The job's page shows it, and in the reader's language.
    page = client.get(response.url).content.decode()
    assert expected.replace("'", "&#x27;") in page and "Problème" in page


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("offers.json", b'{"not": "a list"}'),
        ("offers.json", b"[not json"),
    ],
)
def test_unreadable_files_save_nothing(world: World, client: Client, name: str, content: bytes) -> None:
    client.force_login(world.authorised_user)
    job = _job(
        client.post(
            "/en/support/offers/import/",
            {"owner": f"country:{world.kenya.pk}", "file": SimpleUploadedFile(name, content)},
        )
    )
    assert _problems(job) == {(None, "")}
    assert not Offer.objects.exists()


def test_a_broken_workbook_is_refused_on_the_upload_page(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    response = client.post(
        "/en/support/offers/import/",
        {"owner": f"country:{world.kenya.pk}", "file": SimpleUploadedFile("o.xlsx", b"PK\x03\x04broken")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "This is not an Excel workbook (.xlsx). Save it as an .xlsx workbook and upload it again."
    ]
    assert not ImportJob.objects.exists(), "a refused file is not stored"


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
    job = _job(
        client.post("/en/support/offers/import/", {"owner": f"country:{world.kenya.pk}", "file": upload})
    )
    duplicates = job.duplicates
    assert [(duplicate["row"], duplicate["existing"]) for duplicate in duplicates] == [
        (2, existing.identifier)
    ]
    assert Offer.objects.count() == 1, "nothing is created before the person confirms"
    page = client.get(f"/en/imports/{job.pk}/").content.decode()
    assert f"looks like {existing.identifier}" in page and "Create all 2 records anyway" in page

    second = _confirm(client, job)
    assert second.state == JobState.DONE
    assert Offer.objects.count() == 3
    # Confirmed once: a second confirmation of the same check is refused.
    client.post(f"/en/imports/{job.pk}/confirm/")
    assert Offer.objects.count() == 3 and ImportJob.objects.count() == 2


def test_only_the_uploader_confirms_an_import(world: World, client: Client) -> None:
    published(Offer, world, sample(Offer, world))
    client.force_login(world.authorised_user)
    upload = SimpleUploadedFile("offers.json", client.get("/en/support/offers/export/?format=json").content)
    job = _job(
        client.post("/en/support/offers/import/", {"owner": f"country:{world.kenya.pk}", "file": upload})
    )
    client.force_login(world.focal_point)
    assert client.post(f"/en/imports/{job.pk}/confirm/").status_code == 404
    assert Offer.objects.count() == 1


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
    assert response.status_code == 302
    assert ImportJob.objects.get().state == JobState.DONE
    resource = Resource.objects.get()
    assert resource.title == {"zh": "入侵物种识别手册"} and resource.year == 2025
    assert resource.versions.get().link == "https://example.org/manual-zh.pdf"


def _by_cell(model: type[SupportRecord], values: dict[str, Any]) -> str:
    value = values[by_field(model)]
    return value.code if hasattr(value, "code") else str(value)


@pytest.mark.parametrize("slug", SLUGS)
def test_likely_duplicates_of_every_type_are_confirmed_before_they_are_created(
    world: World, client: Client, slug: str
) -> None:
    model = BY_SLUG[slug]
    values = sample(model, world)
    existing = published(model, world, values)
    by = by_field(model)
    near = str(values["title"]).upper().replace(" ", "  ") + "!"
    items = [
        {"original_language": "en", "title": {"en": near}, by: _by_cell(model, values)},
        {"original_language": "en", "title": {"en": "Something else entirely"}, by: _by_cell(model, values)},
        {"original_language": "fr", "title": {"fr": near.lower()}, by: _by_cell(model, values)},
    ]
    client.force_login(world.authorised_user)
    upload = SimpleUploadedFile(f"{slug}.json", json.dumps(items).encode())
    job = _job(
        client.post(f"/en/support/{slug}/import/", {"owner": f"country:{world.kenya.pk}", "file": upload})
    )
    found = [(duplicate["row"], duplicate["existing"]) for duplicate in job.duplicates]
    assert found == [(2, existing.identifier), (4, existing.identifier)]
    assert model.objects.count() == 1, "nothing is created before the person confirms"

    assert _confirm(client, job).state == JobState.DONE
    assert model.objects.count() == 4


def test_a_title_alike_from_another_provider_is_not_a_duplicate(world: World) -> None:
    published(Offer, world, sample(Offer, world))
    cells = [
        {
            "original_language": "en",
            "title.en": "Training of trainers on invasive species identification",
            "provider": world.tanzanian_ngo.code,
        }
    ]
    parsed = exchange.validate(registry.of(Offer), cells, owner=world.kenya)
    assert exchange.duplicates(registry.of(Offer), world.kenya, parsed) == []
    cells[0]["provider"] = world.kenyan_ngo.code
    parsed = exchange.validate(registry.of(Offer), cells, owner=world.tanzania)
    assert len(exchange.duplicates(registry.of(Offer), world.tanzania, parsed)) == 1, (
        "published offers of others count"
    )


def test_an_import_never_tells_whom_another_owners_expert_profile_is_about(world: World) -> None:
    """The expert's name is personal: only the importer's own profiles are compared with it."""
    published(Expert, world, sample(Expert, world))
    cells = [
        {
            "original_language": "en",
            "title.en": "Marine spatial planning specialist",
            "name": "Otieno Odhiambo",
        }
    ]
    parsed = exchange.validate(registry.of(Expert), cells, owner=world.tanzania)
    assert exchange.duplicates(registry.of(Expert), world.tanzania, parsed) == []
    parsed = exchange.validate(registry.of(Expert), cells, owner=world.kenya)
    assert len(exchange.duplicates(registry.of(Expert), world.kenya, parsed)) == 1


@pytest.mark.parametrize("slug", SLUGS)
def test_every_list_offers_export_to_everyone_and_import_to_registrants(
    world: World, client: Client, slug: str
) -> None:
    page = client.get(f"/en/support/{slug}/").content.decode()
    assert f"/en/support/{slug}/export/?format=xlsx" in page
    assert f"/en/support/{slug}/import/" not in page
    client.force_login(world.partner_editor)
    page = client.get(f"/en/support/{slug}/").content.decode()
    assert f"/en/support/{slug}/import/" in page
    assert client.get(f"/en/support/{slug}/import/").status_code == 200


@pytest.mark.parametrize("format_name", ["csv", "xlsx"])
def test_texts_that_look_like_formulas_are_exported_as_text(
    world: World, client: Client, format_name: str
) -> None:
    formula = '=HYPERLINK("https://evil.example","Click")'
    published(Offer, world, sample(Offer, world) | {"title": formula})
    content = client.get("/en/support/offers/export/", {"format": format_name}).content
    if format_name == "csv":
        assert f"'{formula}".replace('"', '""') in content.decode("utf-8-sig")
    else:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(content))
        sheet_title, _cell = next(iter(workbook.defined_names[exchange.SHEET].destinations))
        sheet = workbook[sheet_title]
        codes = [cell.value for cell in sheet[layout.CODE_ROW]]
        cell = sheet.cell(layout.FIRST_ROW, codes.index("title.en") + 1)
        assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", formula, True)
    # And it reads back as the text it was.
    [row] = exchange.read(registry.of(Offer), content, format_name)
    assert row["title.en"] == formula
