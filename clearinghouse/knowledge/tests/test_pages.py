"""The knowledge pages: the list and its filters, a product's page with its links, writing one
through the form (bad input refused, nothing saved), and the knowledge page of a subject and of
a GBF target gathering products, resources and courses, in Arabic as in the other languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.knowledge import services
from clearinghouse.knowledge.models import Knowledge
from clearinghouse.knowledge.tests.conftest import product_values, publish_product
from clearinghouse.learning.tests.course_factories import make_course
from clearinghouse.support.models import Resource
from clearinghouse.support.tests.factories import published, terms
from clearinghouse.support.tests.samples import sample
from clearinghouse.vocabularies.models import Term

pytestmark = pytest.mark.usefixtures("vocabularies")


@pytest.fixture
def products(world: World, django_capture_on_commit_callbacks: Any) -> dict[str, Knowledge]:
    commit = django_capture_on_commit_callbacks
    return {
        "fr": publish_product(
            world,
            commit,
            language="fr",
            kind="case_study",
            title={"fr": "Des douaniers formés aux espèces envahissantes"},
            countries=[world.tanzania],
        ),
        "ar": publish_product(
            world,
            commit,
            language="ar",
            kind="lesson_learnt",
            title={"ar": "دروس من رصد الشعاب المرجانية"},
            summary={"ar": "ترجمة استمارات الرصد قبل الدورة."},
            subjects=terms("SUBJ-MARINE-COASTAL"),
            gbf_targets=terms("GBF-T3"),
        ),
    }


def _titles(client: Client, query: str) -> str:
    return client.get(f"/en/knowledge/{query}").content.decode()


def test_the_list_filters_by_kind_subject_target_party_and_language(
    products: dict[str, Knowledge], client: Client
) -> None:
    french, arabic = "Des douaniers formés", "دروس من رصد الشعاب المرجانية"
    page = _titles(client, "")
    assert french in page and arabic in page
    only = {
        "?kind=lesson_learnt": arabic,
        "?subject=SUBJ-MARINE-COASTAL": arabic,
        "?target=GBF-T6": french,
        # Tanzania is concerned by the French case study, though Kenya owns it.
        "?party=TZ": french,
        "?language=fr": french,
    }
    for query, shown in only.items():
        page = _titles(client, query)
        hidden = arabic if shown == french else french
        assert shown in page and hidden not in page, query
    # An unknown kind or language finds nothing, rather than an error page.
    assert _titles(client, "?kind=poem").count("No knowledge product matches these filters.") == 1
    assert french not in _titles(client, "?language=xx")


def test_the_page_shows_the_texts_and_links_to_the_subject_and_target_pages(
    products: dict[str, Knowledge], client: Client
) -> None:
    product = products["fr"]
    page = client.get(f"/fr/knowledge/{product.identifier}/").content.decode()
    assert "Des douaniers formés aux espèces envahissantes" in page
    assert "Seizures of invasive seeds doubled in a year." in page
    assert "/fr/knowledge/subjects/SUBJ-INVASIVE-ALIEN-SPECIES/" in page
    assert "/fr/knowledge/targets/GBF-T6/" in page


def test_the_pages_read_right_to_left_in_arabic(products: dict[str, Knowledge], client: Client) -> None:
    product = products["ar"]
    for address in (
        "/ar/knowledge/",
        f"/ar/knowledge/{product.identifier}/",
        "/ar/knowledge/subjects/SUBJ-MARINE-COASTAL/",
        "/ar/knowledge/targets/GBF-T3/",
    ):
        response = client.get(address)
        page = response.content.decode()
        assert response.status_code == 200, address
        assert '<html lang="ar" dir="rtl">' in page, address
        assert "دروس من رصد الشعاب المرجانية" in page, address
    assert "منتجات المعرفة" in client.get("/ar/knowledge/").content.decode()


def test_the_subject_page_gathers_products_resources_and_courses_on_it(
    world: World, products: dict[str, Knowledge], client: Client
) -> None:
    subject = Term.objects.get(code="SUBJ-INVASIVE-ALIEN-SPECIES")
    resource = published(Resource, world, sample(Resource, world) | {"subjects": [subject]})
    course = make_course(world)
    course.subjects.add(subject)
    other = published(Resource, world, sample(Resource, world) | {"title": {"en": "Unrelated reading"}})
    other.subjects.set(terms("SUBJ-MARINE-COASTAL"))
    page = client.get("/en/knowledge/subjects/SUBJ-INVASIVE-ALIEN-SPECIES/").content.decode()
    assert "Des douaniers formés aux espèces envahissantes" in page
    assert "دروس من رصد الشعاب المرجانية" not in page
    assert resource.get_absolute_url() in page and course.get_absolute_url() in page
    assert other.get_absolute_url() not in page
    assert client.get("/en/knowledge/subjects/NO-SUCH-SUBJECT/").status_code == 404


def test_a_focal_point_writes_one_through_the_form(world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    assert client.get("/en/knowledge/new/").status_code == 200
    response = client.post(
        "/en/knowledge/new/",
        {
            "owner": f"country:{world.kenya.pk}",
            "original_language": "es",
            "kind": "good_practice",
            "title": "Viveros comunitarios de manglar",
            "summary": "Tres aldeas cultivan plántulas de manglar.",
            "results": "Doce hectáreas replantadas.",
            "action": "submit",
        },
    )
    product = Knowledge.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/knowledge/{product.identifier}/"
    assert product.title == {"es": "Viveros comunitarios de manglar"} and product.state == "submitted"


def test_a_form_without_a_title_is_refused_and_nothing_saved(world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    response = client.post(
        "/fr/knowledge/new/",
        {"owner": f"country:{world.kenya.pk}", "original_language": "fr", "kind": "case_study", "title": ""},
    )
    assert response.status_code == 200 and "Ce champ est obligatoire." in response.content.decode()
    assert not Knowledge.objects.exists()


def test_the_form_is_closed_to_people_who_register_nothing(world: World, client: Client) -> None:
    client.force_login(world.learner)
    assert client.get("/en/knowledge/new/").status_code == 403
    assert "Write a knowledge product" not in client.get("/en/knowledge/").content.decode()


def test_an_author_translates_a_product_from_its_page(world: World, client: Client) -> None:
    product = services.create(actor=world.authorised_user, owner=world.kenya, values=product_values())
    client.force_login(world.authorised_user)
    page = client.get(f"/en/knowledge/{product.identifier}/").content.decode()
    assert f"/en/knowledge/{product.identifier}/translate/ar/" in page
    response = client.post(
        f"/en/knowledge/{product.identifier}/translate/ar/",
        {"title": "تدريب مفتشي الحدود", "results": "تضاعفت المضبوطات."},
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.title["ar"] == "تدريب مفتشي الحدود" and product.results["ar"] == "تضاعفت المضبوطات."
    assert product.title["en"] == "Border inspectors trained to spot invasive plants"
