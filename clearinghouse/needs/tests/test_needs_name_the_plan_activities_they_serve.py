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
