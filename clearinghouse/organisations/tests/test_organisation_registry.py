"""The organisations registry: public to read, registered and maintained by the people the
permission rules allow, on the pages and through the API."""

from __future__ import annotations

import pytest
from django.test import Client

from clearinghouse.core.testing import World, token_headers
from clearinghouse.organisations.models import Organisation


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Red de Viveros Comunitarios",
        "name_language": "es",
        "acronym": "RVC",
        "type": "ngo",
        "country": "",
        "website": "rvc.example.org",
        "email": "",
        "phone": "",
        "address": "",
        "name_en": "Community Nurseries Network",
    }
    return data | overrides


def test_the_public_reads_the_registry_in_any_language(world: World, client: Client) -> None:
    page = client.get("/ru/organisations/").content.decode()
    assert "Nature Kenya" in page
    assert "Кения" in page  # the country, named in Russian
    assert client.get(f"/ar/organisations/{world.kenyan_ngo.pk}/").status_code == 200


def test_the_registry_filters_by_type_and_country(world: World, client: Client) -> None:
    page = client.get("/en/organisations/", {"type": "iplc", "country": world.tanzania.pk}).content.decode()
    assert "Maasai Pastoralists Council" in page
    assert "Ogiek" not in page
    assert "Nature Kenya" not in page


def test_the_registry_searches_names_and_acronyms(world: World, client: Client) -> None:
    Organisation.objects.filter(pk=world.international.pk).update(acronym="GBTN")
    page = client.get("/en/organisations/", {"q": "gbtn"}).content.decode()
    assert "Global Biodiversity Training Network" in page
    assert "Nature Kenya" not in page


def test_the_list_page_needs_few_queries(
    world: World, client: Client, django_assert_max_num_queries: object
) -> None:
    for number in range(30):
        Organisation.objects.create(name=f"Org {number}", name_language="en", type="ngo", country=world.kenya)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        client.get("/en/organisations/")


def test_a_partner_editor_registers_an_organisation_with_translated_names(
    world: World, client: Client
) -> None:
    client.force_login(world.partner_editor)
    response = client.post("/en/organisations/new/", _form())
    assert response.status_code == 302
    organisation = Organisation.objects.get(acronym="RVC")
    assert organisation.name_translations == {"en": "Community Nurseries Network"}
    assert organisation.website == "https://rvc.example.org"
    assert organisation.display_name("en") == "Community Nurseries Network"
    assert organisation.display_name("fr") == "Red de Viveros Comunitarios"


@pytest.mark.parametrize("person", ["learner", "helpdesk_agent", "authorised_user", "outsider"])
def test_people_without_the_right_cannot_register_organisations(
    world: World, client: Client, person: str
) -> None:
    client.force_login(getattr(world, person))
    assert client.get("/en/organisations/new/").status_code == 403
    assert client.post("/en/organisations/new/", _form()).status_code == 403
    assert not Organisation.objects.filter(acronym="RVC").exists()


def test_the_public_is_sent_to_sign_in(world: World, client: Client) -> None:
    response = client.get("/en/organisations/new/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("person", "organisation", "allowed"),
    [
        ("partner_editor", "kenyan_ngo", True),
        ("partner_editor", "tanzanian_ngo", False),
        ("iplc_representative", "kenyan_iplc", True),
        ("iplc_representative", "kenyan_ngo", False),
        ("focal_point", "kenyan_ngo", True),
        ("focal_point", "tanzanian_ngo", False),
        ("secretariat", "tanzanian_ngo", True),
        ("authorised_user", "kenyan_ngo", False),
        ("learner", "kenyan_ngo", False),
    ],
)
def test_who_may_edit_an_organisation(
    world: World, client: Client, person: str, organisation: str, allowed: bool
) -> None:
    target: Organisation = getattr(world, organisation)
    client.force_login(getattr(world, person))
    response = client.post(
        f"/en/organisations/{target.pk}/edit/",
        _form(
            name=target.name,
            name_language="en",
            acronym="NEW",
            type=target.type,
            country=target.country_id or "",
        ),
    )
    assert response.status_code == (302 if allowed else 403)
    target.refresh_from_db()
    assert (target.acronym == "NEW") is allowed


def test_bad_input_is_explained_and_nothing_is_saved(world: World, client: Client) -> None:
    client.force_login(world.secretariat)
    response = client.post(
        "/fr/organisations/new/", _form(name="", type="government", website="not a url at all")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ce champ est obligatoire." in page
    assert "Saisissez une URL valide." in page
    assert not Organisation.objects.filter(acronym="RVC").exists()


def test_the_api_lists_organisations_publicly_with_filters(world: World, client: Client) -> None:
    body = client.get("/api/v1/organisations/", {"country": "ke", "type": "iplc"}).json()
    assert [item["name"] for item in body["results"]] == ["Ogiek Peoples' Development Program"]
    assert body["results"][0]["country"] == "KE"


def test_the_api_creates_with_a_token_and_checks_the_rules(world: World, client: Client) -> None:
    payload = {
        "name": "Jeunes pour la Nature",
        "name_language": "fr",
        "type": "ngo",
        "country": "KE",
        "name_translations": {"en": "Youth for Nature"},
    }
    assert client.post("/api/v1/organisations/", payload, content_type="application/json").status_code == 401

    learner_headers = token_headers(world.learner)
    response = client.post(
        "/api/v1/organisations/",
        payload,
        content_type="application/json",
        headers=learner_headers,
    )
    assert response.status_code == 403

    headers = token_headers(world.partner_editor)
    response = client.post(
        "/api/v1/organisations/",
        payload,
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    assert response.json()["name_translations"] == {"en": "Youth for Nature"}


def test_the_api_names_the_field_at_fault(world: World, client: Client) -> None:
    headers = token_headers(world.secretariat)
    response = client.post(
        "/api/v1/organisations/",
        {"name": "X", "name_language": "de", "type": "ngo", "name_translations": {"xx": "Y"}},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"name_language", "name_translations"}
    assert not Organisation.objects.filter(name="X").exists()


def test_the_api_refuses_changes_to_another_partys_organisation(world: World, client: Client) -> None:
    headers = token_headers(world.partner_editor)
    response = client.patch(
        f"/api/v1/organisations/{world.tanzanian_ngo.pk}/",
        {"acronym": "HIJACK"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403
    world.tanzanian_ngo.refresh_from_db()
    assert world.tanzanian_ngo.acronym == ""


def test_a_government_organisation_needs_a_country_on_the_page_and_in_the_api(
    world: World, client: Client
) -> None:
    client.force_login(world.secretariat)
    response = client.post("/en/organisations/new/", _form(type="government"))
    assert "A government organisation belongs to a country." in response.content.decode()
    headers = token_headers(world.secretariat)
    response = client.post(
        "/api/v1/organisations/",
        {"name": "Ministry", "name_language": "en", "type": "government"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "country"


def test_each_organisation_gets_a_stable_unique_code_for_identifiers(world: World) -> None:
    first = Organisation.objects.create(name="A", name_language="en", type="ngo", acronym="I.F.D.D.")
    second = Organisation.objects.create(name="B", name_language="en", type="ngo", acronym="IFDD")
    cyrillic = Organisation.objects.create(name="Центр", name_language="ru", type="ngo", acronym="ЦОДП")
    assert (first.code, second.code) == ("IFDD", "IFDD2")
    assert cyrillic.code.startswith("ORG")
    first.acronym = "NEW"
    first.save()
    first.refresh_from_db()
    assert first.code == "IFDD"


def test_only_the_secretariat_moves_an_organisation_to_another_country(world: World, client: Client) -> None:
    # Moving it would change whose focal point reviews its records and reads their contacts.
    url = f"/api/v1/organisations/{world.kenyan_ngo.pk}/"
    for person in (world.partner_editor, world.focal_point):
        headers = token_headers(person)
        response = client.patch(
            url,
            {"country": "TZ"},
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 403, person
        world.kenyan_ngo.refresh_from_db()
        assert world.kenyan_ngo.country.code == "KE"
    # Other changes stay theirs to make.
    response = client.patch(
        url,
        {"website": "https://ngo.example.org"},
        content_type="application/json",
        headers=token_headers(world.partner_editor),
    )
    assert response.status_code == 200, response.content
    headers = token_headers(world.secretariat)
    response = client.patch(
        url,
        {"country": "TZ"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200 and response.json()["country"] == "TZ"
