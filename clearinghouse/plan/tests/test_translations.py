"""Translations of an activity, added by the Secretariat one language at a time."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.plan import services
from clearinghouse.plan.importer import ImportReport
from clearinghouse.plan.models import Activity

THEME = "Aichi Biodiversity Targets 5, 14 and 15 (and indirectly targets 7, 11, 12 and 13)"


def test_the_secretariat_translates_an_activity_into_english(
    plan: ImportReport, client: Client, world: World
) -> None:
    client.force_login(world.secretariat)
    form = client.get("/en/plan/30/translate/en/").content.decode()
    # Each field beside the Arabic it translates.
    assert '<blockquote class="plan-original" lang="ar" dir="rtl">تنظيم وتيسير حلقات عمل إقليمية' in form
    response = client.post(
        "/en/plan/30/translate/en/",
        {
            "text": "Organize and facilitate regional capacity-building workshops on restoration",
            "theme": THEME,
            "output_1": "Five regional workshops organized",
            "output_2": "",
            "indicator_1": "",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(number=30)
    assert activity.text_translations == {
        "en": "Organize and facilitate regional capacity-building workshops on restoration"
    }
    assert [output.translations for output in activity.outputs.all()] == [
        {"en": "Five regional workshops organized"},
        {},
    ]
    # The theme heading is shared by activities 30 to 35.
    themed = Activity.objects.filter(theme=activity.theme)
    assert sorted(themed.values_list("number", flat=True)) == [30, 31, 32, 33, 34, 35]
    assert all(other.theme_translations == {"en": THEME} for other in themed)
    page = client.get("/en/plan/").content.decode()
    assert f'<span lang="en" dir="ltr">{THEME}</span>' in page


def test_an_empty_field_removes_a_translation(plan: ImportReport, world: World) -> None:
    activity = Activity.objects.get(number=3)
    services.translate_activity(world.secretariat, activity, "es", text="Desarrollar la plataforma")
    services.translate_activity(world.secretariat, activity, "es", text="")
    assert Activity.objects.get(number=3).text_translations == {}


def test_arabic_is_the_original_and_is_not_translated_into(
    plan: ImportReport, client: Client, world: World
) -> None:
    client.force_login(world.secretariat)
    assert client.get("/en/plan/3/translate/ar/").status_code == 404
    with pytest.raises(ValidationError):
        services.translate_activity(world.secretariat, Activity.objects.get(number=3), "ar", text="x")


def test_only_the_secretariat_translates(plan: ImportReport, client: Client, world: World) -> None:
    client.force_login(world.trainer)
    assert client.post("/en/plan/3/translate/fr/", {"text": "Développer"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.translate_activity(world.trainer, Activity.objects.get(number=3), "fr", text="Développer")
    assert Activity.objects.get(number=3).text_translations == {}


def test_the_secretariat_translates_the_partners_cell(
    plan: ImportReport, client: Client, world: World
) -> None:
    client.force_login(world.secretariat)
    # Activity 97's partners cell is Arabic: "جامعة ستراتيشكلايد".
    form = client.get("/en/plan/97/translate/fr/").content.decode()
    assert "جامعة ستراتيشكلايد" in form
    response = client.post("/en/plan/97/translate/fr/", {"text": "", "partners": "Université de Strathclyde"})
    assert response.status_code == 302
    assert Activity.objects.get(number=97).partners_translations == {"fr": "Université de Strathclyde"}
    page = client.get("/fr/plan/97/").content.decode()
    assert '<span lang="fr" dir="ltr">Université de Strathclyde</span>' in page
    # Left out, the partners keep their translation (the text's is removed, being empty).
    services.translate_activity(world.secretariat, Activity.objects.get(number=97), "fr", text="")
    assert Activity.objects.get(number=97).partners_translations == {"fr": "Université de Strathclyde"}


def test_a_partners_cell_written_in_english_is_marked_english_on_the_form(
    plan: ImportReport, client: Client, world: World
) -> None:
    client.force_login(world.secretariat)
    form = client.get("/en/plan/30/translate/fr/").content.decode()
    assert '<blockquote class="plan-original" lang="en" dir="ltr">GPFLR and CPF members</blockquote>' in form
