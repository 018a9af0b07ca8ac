"""Needs assessments, needs and requests name the action-plan activities they serve: kept through
review like the rest of their content, shown on their pages and given by number in the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from clearinghouse.core.testing import World, invasive_species_need_values
from clearinghouse.needs.models import Need
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import registry, workflow

pytestmark = pytest.mark.usefixtures("vocabularies")


def _activity(number: int) -> Activity:
    return Activity.objects.create(
        number=number,
        section="A",
        text_original="تطوير أدوات إلكترونية",
        text_translations={"en": "Develop online tools to register needs"},
    )


def _need(world: World, activities: list[Activity]) -> Need:
    values = invasive_species_need_values("en", "Training customs officers", "Invasive species")
    return workflow.create(
        Need, actor=world.authorised_user, owner=world.kenya, values=values | {"plan_activities": activities}
    )


def test_a_need_keeps_its_activities_from_draft_to_publication(world: World) -> None:
    need = _need(world, [_activity(1)])
    workflow.submit(need, actor=world.authorised_user)
    workflow.publish(need, actor=world.focal_point)
    need.refresh_from_db()
    assert need.live and [activity.number for activity in need.plan_activities.all()] == [1]
    # A later change waits for review: the public keeps the published activities meanwhile.
    workflow.save_draft(need, actor=world.authorised_user, values={"plan_activities": []}, base_revision=None)
    assert [activity.number for activity in Need.objects.get(pk=need.pk).plan_activities.all()] == [1]


def test_the_need_page_and_the_api_show_the_activities(world: World, client: Client) -> None:
    need = _need(world, [_activity(4), _activity(1)])
    workflow.submit(need, actor=world.authorised_user)
    workflow.publish(need, actor=world.focal_point)
    page = client.get(registry.of(need).url(need)).content.decode()
    assert f'<a href="{reverse("plan:detail", args=[1])}">1</a>' in page
    assert "Develop online tools to register needs" in page
    assert client.get(f"/api/v1/needs/{need.identifier}/").json()["plan_activities"] == [1, 4]


def _last_step(need: Need) -> str:
    from clearinghouse.needs.services import form_of

    return form_of(need).steps[-1].name


def test_the_last_step_of_the_form_asks_for_the_activities_and_saves_them(
    world: World, client: Client
) -> None:
    first, fourth = _activity(1), _activity(4)
    need = _need(world, [])
    url = reverse("needs:step", args=[need.identifier, _last_step(need)])
    client.force_login(world.authorised_user)
    page = client.get(url).content.decode()
    assert 'name="plan_activities"' in page and "Monitoring counts the records of each activity" in page
    response = client.post(
        url,
        {"action": "save", "base_revision": need.revision_number, "plan_activities": [first.pk, fourth.pk]},
    )
    assert response.status_code == 302
    _working, many = workflow.working_copy(Need.objects.get(pk=need.pk))
    assert sorted(many["plan_activities"]) == sorted([first.pk, fourth.pk])


def test_an_activity_the_plan_does_not_have_is_refused_and_nothing_is_saved(
    world: World, client: Client
) -> None:
    need = _need(world, [])
    revision = need.revision_number
    url = reverse("needs:step", args=[need.identifier, _last_step(need)])
    client.force_login(world.authorised_user)
    response = client.post(
        url.replace("/en/", "/fr/", 1),
        {"action": "save", "base_revision": revision, "plan_activities": ["999999"]},
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert Need.objects.get(pk=need.pk).revision_number == revision
