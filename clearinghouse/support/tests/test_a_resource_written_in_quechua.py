"""An indigenous peoples' organisation publishes a resource written in Quechua, as a person would
through the pages: the language picked as "another language", a Quechua language version added;
the public then reads it with its language named, the API returns its codes, search finds it by
a Quechua word and names the language in its filter, and exports and imports keep its texts."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.publishing import exchange, registry, workflow
from clearinghouse.publishing import services as publishing_services
from clearinghouse.publishing.models import State
from clearinghouse.search import service
from clearinghouse.search.documents import SearchQuery
from clearinghouse.support import services
from clearinghouse.support.models import Resource
from clearinghouse.support.tests.factories import draft, published, terms

pytestmark = pytest.mark.usefixtures("vocabularies")

TITLE = "Muhukunata waqaychanapaq yachay: ayllukunapa muhu wasinkuna"
DESCRIPTION = "<p>Papa, sara, kinwa, tarwi muhukunata muhu wasipi waqaychay.</p>"
LINK = "https://example.org/muhu-wasi-qu.pdf"


def _form(world: World, **language: str) -> dict[str, Any]:
    return {
        "owner": f"organisation:{world.kenyan_iplc.pk}",
        **language,
        "title": TITLE,
        "description": DESCRIPTION,
        "kind": "guide",
        "subjects": [term.pk for term in terms("SUBJ-TRADITIONAL-KNOWLEDGE")],
        "currency": "",
    }


def _registered_on_the_web(world: World, client: Client, capture: Any) -> Resource:
    client.force_login(world.iplc_representative)
    page = client.get("/es/support/resources/new/").content.decode()
    # The six first, then another language, with names to pick from.
    assert 'value="other"' in page and "<datalist" in page and "quechua (qu)" in page
    response = client.post(
        "/es/support/resources/new/",
        _form(world, original_language_0="other", original_language_1="quechua (qu)") | {"action": "save"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    resource = Resource.objects.get()
    response = client.post(
        f"/es/support/versions/{resource.identifier}/add/",
        {"language_0": "other", "language_1": "que", "link": LINK},
    )
    assert response.status_code == 302
    services.submit(resource, actor=world.iplc_representative)
    client.force_login(world.focal_point)
    with capture(execute=True):
        client.post(f"/en/records/{resource.identifier}/publish/")
    client.logout()
    resource.refresh_from_db()
    return resource


def test_a_resource_picked_in_quechua_is_stored_public_and_named(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    resource = _registered_on_the_web(world, client, django_capture_on_commit_callbacks)
    assert (resource.original_language, resource.live) == ("qu", True)
    assert resource.title == {"qu": TITLE}
    assert [version.language for version in resource.versions.all()] == ["qu"]

    # A reader of Russian sees the Quechua text, marked as the original and named in Russian.
    page = client.get(resource.get_absolute_url().replace("/en/", "/ru/", 1)).content.decode()
    assert f'lang="qu" dir="ltr">{TITLE}' in page
    assert "кечуа" in page
    assert 'hreflang="qu">кечуа</a>' in page

    api = client.get(f"/api/v1/resources/{resource.identifier}/").json()
    assert api["original_language"] == "qu"
    assert api["title"] == {"qu": TITLE}
    assert [version["language"] for version in api["versions"]] == ["qu"]


def test_search_finds_the_quechua_resource_by_a_quechua_word_and_names_its_language(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    resource = _registered_on_the_web(world, client, django_capture_on_commit_callbacks)
    # Quechua has no stemmer: its words are indexed as written, folded.
    for word in ("muhu", "KINWA", "waqaychay"):
        hits = service.search(SearchQuery(text=word)).hits
        assert [hit.key for hit in hits] == [resource.identifier], word

    found = service.search(SearchQuery(text="muhu", filters={"language": ["qu"]}))
    assert found.total == 1

    for prefix, name in (("ru", "Кечуа"), ("ar", "كيشوا"), ("zh-hans", "克丘亚语"), ("en", "Quechua")):
        html = client.get(f"/{prefix}/search/", {"q": "muhu"}).content.decode()
        assert 'name="in_language" value="qu"' in html, prefix
        assert f"{name}</span> (1)" in html, prefix
    filtered = client.get("/en/search/", {"in_language": "qu"}).content.decode()
    assert resource.identifier in filtered


def test_the_six_languages_come_first_in_the_language_filter(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    # Quechua first in time and in the alphabet of codes: the six still come before it.
    for language, title in (("qu", TITLE), ("es", "Guía de casas de semillas"), ("ar", "دليل بنوك البذور")):
        with django_capture_on_commit_callbacks(execute=True):
            published(Resource, world, {"title": title, "kind": "guide"}, language=language)
    html = client.get("/en/search/").content.decode()
    assert html.index("Arabic</span>") < html.index("Spanish</span>") < html.index("Quechua</span>")


@pytest.mark.parametrize("format_name", exchange.FORMATS)
def test_exports_keep_the_quechua_texts_and_import_back(
    world: World, client: Client, format_name: str
) -> None:
    resource = draft(
        Resource, world, {"title": TITLE, "description": DESCRIPTION, "kind": "guide"}, language="qu"
    )
    publishing_services.translate(
        resource,
        actor=world.authorised_user,
        language="es",
        texts={"title": "Saberes para guardar las semillas", "description": "<p>Casas de semillas.</p>"},
        base_revision=None,
        save=services.save_values,
    )
    services.add_version(resource, actor=world.authorised_user, language="qu", link=LINK)
    # Exports show the published versions.
    services.submit(resource, actor=world.authorised_user)
    workflow.publish(resource, actor=world.focal_point)
    client.force_login(world.authorised_user)
    response = client.get("/en/support/resources/export/", {"format": format_name, "mine": "1"})
    assert response.status_code == 200
    rows = exchange.read(registry.of(Resource), response.content, format_name)
    assert rows[0]["original_language"] == "qu"
    assert rows[0]["title.qu"] == TITLE

    parsed = exchange.validate(registry.of(Resource), rows, owner=world.tanzania)
    assert parsed.problems == []
    [created] = exchange.create_all(
        registry.of(Resource), actor=world.other_focal_point, owner=world.tanzania, parsed=parsed
    )
    copy = Resource.objects.get(pk=created.pk)
    assert copy.original_language == "qu"
    assert copy.title == {"qu": TITLE, "es": "Saberes para guardar las semillas"}
    assert [(version.language, version.link) for version in copy.versions.all()] == [("qu", LINK)]


def test_an_import_names_any_language_by_its_iso_639_code(world: World) -> None:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["title.quz", "kind", "original_language"])
    writer.writerow(["Muhu wasi, Qusqu llaqtapi", "guide", "QUZ"])
    writer.writerow(["Muhu", "guide", "klingonish"])
    rows = exchange.read(registry.of(Resource), text.getvalue().encode(), "csv")
    parsed = exchange.validate(registry.of(Resource), rows, owner=world.tanzania)
    # The unknown language is refused on its own row; the Cusco Quechua row reads.
    assert [(problem.row, problem.message) for problem in parsed.problems] == [
        (3, "Use the ISO 639 code of the language: ar, zh, en, fr, ru, es, or another such as qu or quz.")
    ]
    assert parsed.values[0]["original_language"] == "quz"
    assert parsed.values[0]["title"] == {"quz": "Muhu wasi, Qusqu llaqtapi"}


def test_a_record_in_one_of_the_six_is_stored_as_before(world: World, client: Client) -> None:
    client.force_login(world.iplc_representative)
    response = client.post(
        "/fr/support/resources/new/",
        _form(world, original_language_0="fr", original_language_1="") | {"action": "save"},
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert (resource.original_language, resource.title, resource.state) == ("fr", {"fr": TITLE}, State.DRAFT)


def test_a_language_that_is_not_one_is_refused_in_the_readers_language(world: World, client: Client) -> None:
    client.force_login(world.iplc_representative)
    response = client.post(
        "/fr/support/resources/new/",
        _form(world, original_language_0="other", original_language_1="elfique") | {"action": "save"},
    )
    assert response.status_code == 200
    assert "« elfique » n’est pas une langue que nous connaissons" in response.content.decode()
    assert not Resource.objects.exists()
