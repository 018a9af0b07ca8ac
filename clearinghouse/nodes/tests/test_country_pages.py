"""Country pages show a Party's public records only, in every language, at a fixed cost in
queries; the list of countries and the register link to them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clearinghouse.core.testing import World, invasive_species_need_values
from clearinghouse.monitoring import compute
from clearinghouse.monitoring.compute import Period
from clearinghouse.monitoring.models import Indicator, Method
from clearinghouse.needs.models import Need
from clearinghouse.nodes.models import NationalCHM
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import workflow

pytestmark = pytest.mark.usefixtures("vocabularies")


def _need(world: World, title: str, *, publish: bool = True, email: str = "awa@example.org") -> Need:
    need = workflow.create(
        Need,
        actor=world.authorised_user,
        owner=world.kenya,
        values=invasive_species_need_values(
            "en", title, "Border inspectors need training.", contact_email=email
        ),
    )
    if publish:
        workflow.submit(need, actor=world.authorised_user)
        workflow.publish(need, actor=world.focal_point)
    return need


def _page(client: Client, language: str = "en") -> str:
    response = client.get(reverse("nodes:country", args=["ke"]).replace("/en/", f"/{language}/", 1))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_published_records_and_public_contacts_only(
    world: World, kenyan_chm: NationalCHM, client: Client
) -> None:
    published = _need(
        world, "Customs officers trained on invasive species", email="private.officer@example.org"
    )
    draft = _need(world, "A draft nobody may read yet", publish=False)
    page = _page(client)
    assert published.identifier in page
    assert draft.identifier not in page and "A draft nobody may read yet" not in page
    # The need's contact is confidential; the focal point is named with the role, never the address.
    assert "private.officer@example.org" not in page
    assert "Wanjiru Kamau" in page and world.focal_point.email not in page
    # The national CHM's public contact is the office's.
    assert "https://ke.chm-cbd.net" in page and "chm@biodiversity.go.ke" in page
    assert "National Biodiversity Information Office" in page


def test_the_page_reads_right_to_left_in_arabic(
    world: World, kenyan_chm: NationalCHM, client: Client
) -> None:
    page = _page(client, "ar")
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    assert "كينيا" in page
    # The page's own words and the CHM's status are Arabic.
    assert "آلية غرفة تبادل المعلومات الوطنية" in page and "تعمل" in page


def test_the_page_costs_the_same_queries_whatever_the_number_of_records(
    world: World, kenyan_chm: NationalCHM, client: Client
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            _page(client)
        return len(context.captured_queries)

    _need(world, "The first need")
    one = queries()
    for number in range(7):
        _need(world, f"Another need {number}")
    page = _page(client)
    assert queries() == one
    # Five are shown, with a link to all of Kenya's needs.
    assert page.count(reverse("needs:need", args=["X"]).rsplit("X", 1)[0]) >= 5
    assert f"{reverse('needs:index')}?party=KE" in page and "See all 8" in page


def test_the_list_of_countries_and_the_register_link_each_party(
    world: World, kenyan_chm: NationalCHM, client: Client
) -> None:
    kenya = reverse("nodes:country", args=["KE"])
    countries = client.get(reverse("nodes:countries")).content.decode()
    assert f'href="{kenya}"' in countries and reverse("nodes:country", args=["TZ"]) in countries
    assert "National CHM: Functional" in countries
    register = client.get(reverse("nodes:register")).content.decode()
    assert f'href="{kenya}"' in register and "Bioland" in register
    assert "Functional: 1" in register and "Planned: 0" in register
    # The header leads to the countries from every page.
    assert f'href="{reverse("nodes:countries")}"' in client.get(reverse("core:home")).content.decode()


def test_a_keeper_edits_the_entry_with_errors_in_their_language(
    world: World, kenyan_chm: NationalCHM, client: Client
) -> None:
    url = reverse("nodes:chm", args=["KE"]).replace("/en/", "/fr/", 1)
    client.force_login(world.other_focal_point)
    assert client.get(url).status_code == 403
    client.force_login(world.focal_point)
    values: dict[str, Any] = {"website": "", "technology": "bioland", "languages": ["en", "sw"]}
    refused = client.post(url, values)
    assert refused.status_code == 400
    assert "Un mécanisme national" in refused.content.decode()
    values["website"] = "https://chm.kenya.example"
    assert client.post(url, values).status_code == 302
    kenyan_chm.refresh_from_db()
    assert kenyan_chm.website == "https://chm.kenya.example"


def test_the_page_shows_the_partys_own_cell_of_the_indicators(
    world: World, kenyan_chm: NationalCHM, activity_72: Activity, client: Client
) -> None:
    Indicator.objects.create(
        code="72.1",
        activity=activity_72,
        area="support",
        method=Method.COMPUTED,
        numerator="nodes.functional_parties",
        disaggregations=["region", "party"],
        names={"en": "Number of Parties with operational national clearing-house mechanisms"},
    )
    compute.compute(Period.years(2025))
    page = _page(client)
    assert "72.1 · Number of Parties with operational national clearing-house mechanisms" in page
    assert "2025" in page
    # Tanzania has no national CHM: no cell of its own.
    tanzania = client.get(reverse("nodes:country", args=["TZ"])).content.decode()
    assert "72.1" not in tanzania


def test_a_focal_point_reaches_their_partys_chm_from_the_header(world: World, client: Client) -> None:
    mine = reverse("nodes:mine")
    client.force_login(world.focal_point)
    assert f'href="{mine}"' in client.get(reverse("core:home")).content.decode()
    assert client.get(mine)["Location"] == reverse("nodes:country", args=["KE"])
    # Authorised users do not keep the national CHM: no such place for them.
    client.force_login(world.authorised_user)
    assert f'href="{mine}"' not in client.get(reverse("core:home")).content.decode()


def test_the_page_lists_the_courses_the_party_offers(
    world: World, kenyan_chm: NationalCHM, client: Client
) -> None:
    from clearinghouse.learning.tests.xapi_factories import published_course

    course = published_course(world, title={"en": "Running a Bioland site", "ar": "تشغيل موقع بايولاند"})
    page = _page(client)
    offered = page.split("Courses it offers", 1)[1].split("Courses its learners follow", 1)[0]
    assert "(1)" in offered and course.identifier in offered and "Running a Bioland site" in offered
    assert "تشغيل موقع بايولاند" in _page(client, "ar")
