"""Countries and regions in the admin: searchable and filtered, but read only (the data file
is their source, and `loadreference` would undo any edit)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import give_second_factor
from clearinghouse.geo.models import Country, Region
from clearinghouse.geo.services import load_countries

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    load_countries()
    amina = User.objects.create_superuser("amina", email="amina@example.org")
    # Admin access requires a second factor before acting (accounts.mfa_policy).
    give_second_factor(amina)
    client.force_login(amina)
    return client


def listed_codes(client: Client, query: str) -> set[str]:
    response = client.get(f"{reverse('admin:geo_country_changelist')}?{query}")
    assert response.status_code == 200
    return {country.code for country in response.context["cl"].result_list}


def test_countries_are_found_by_their_name_in_any_language(admin_client: Client) -> None:
    assert listed_codes(admin_client, "q=Kenia") == {"KE"}
    assert listed_codes(admin_client, "q=كينيا") == {"KE"}
    assert "KE" in listed_codes(admin_client, "q=KEN")


def test_countries_are_filtered_by_party_status_and_group(admin_client: Client) -> None:
    ldc_non_nagoya = listed_codes(admin_client, "group=LDC&party=cbd&regional_group__exact=Africa")
    assert "TZ" in ldc_non_nagoya
    assert "KE" not in ldc_non_nagoya
    response = admin_client.get(f"{reverse('admin:geo_country_changelist')}?party=cartagena")
    assert response.context["cl"].result_count == Country.objects.filter(cartagena_party=True).count()


def test_a_country_is_shown_with_its_names_but_cannot_be_changed(admin_client: Client) -> None:
    kenya = Country.objects.get(code="KE")
    url = reverse("admin:geo_country_change", args=[kenya.pk])
    html = admin_client.get(url).content.decode()
    assert '<dd lang="zh">肯尼亚</dd>' in html
    assert 'name="_save"' not in html
    assert admin_client.post(url, {"ldc": "on"}).status_code == 403
    assert admin_client.get(reverse("admin:geo_country_add")).status_code == 403
    kenya.refresh_from_db()
    assert kenya.ldc is False


def test_regions_are_listed_by_level_and_read_only(admin_client: Client) -> None:
    response = admin_client.get(f"{reverse('admin:geo_region_changelist')}?level__exact=region")
    assert {region.code for region in response.context["cl"].result_list} == {
        "002",
        "009",
        "019",
        "142",
        "150",
    }
    africa = Region.objects.get(code="002")
    assert admin_client.post(reverse("admin:geo_region_change", args=[africa.pk]), {}).status_code == 403
