"""An FAQ entry names the action-plan activities it serves (the help desk's own, 4 and 62): the
edit form saves them as a draft, publishing makes them public, the page links them and the API
gives their numbers."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from clearinghouse.core.testing import World
from clearinghouse.helpdesk.models import FaqEntry
from clearinghouse.helpdesk.tests.factories_faq import published_entry
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import workflow


def test_the_edit_form_saves_the_activities_and_publishing_shows_them(world: World, client: Client) -> None:
    helpdesk = Activity.objects.create(
        number=4,
        section="A",
        text_original="إنشاء مكتب مساعدة",
        text_translations={"en": "Establish a help desk"},
    )
    entry = published_entry(
        world, question={"en": "Where is the needs form?"}, answer={"en": "Under My work."}
    )
    client.force_login(world.helpdesk_agent)
    edit = f"/en/helpdesk/faq/{entry.identifier}/edit/"
    assert "Monitoring counts the records of each activity from this." in client.get(edit).content.decode()
    response = client.post(
        edit,
        {
            "question": "Where is the needs form?",
            "answer": "Under My work.",
            "plan_activities": [str(helpdesk.pk)],
            "base_revision": str(entry.revision_number),
            "action": "submit",
        },
    )
    assert response.status_code == 302
    entry = FaqEntry.objects.get(pk=entry.pk)
    # Waiting for review: the public entry serves no activity yet.
    assert not entry.plan_activities.exists()
    workflow.publish(entry, actor=world.secretariat)
    assert [activity.number for activity in entry.plan_activities.all()] == [4]
    # The form starts from what is saved.
    assert f'value="{helpdesk.pk}" selected' in client.get(edit).content.decode()

    client.logout()
    page = client.get(f"/en/helpdesk/faq/{entry.identifier}/").content.decode()
    assert f'<a href="{reverse("plan:detail", args=[4])}">4</a>' in page and "Establish a help desk" in page
    assert client.get(f"/api/v1/faq/{entry.identifier}/").json()["plan_activities"] == [4]
