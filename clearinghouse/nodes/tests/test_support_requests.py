"""A request for support to build or improve a national CHM is a need of the Party, for activity
72, that search and matching find once published, like any need."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from clearinghouse.core.testing import World
from clearinghouse.matching.models import StoredEmbedding
from clearinghouse.needs.models import Need
from clearinghouse.nodes import services
from clearinghouse.nodes.models import NationalCHM, SupportRequest
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import State
from clearinghouse.search import service
from clearinghouse.search.documents import SearchQuery
from clearinghouse.vocabularies.models import Term

pytestmark = pytest.mark.usefixtures("vocabularies")


def _support_types(*codes: str) -> list[Term]:
    return list(Term.objects.filter(vocabulary__name="support-types", code__in=codes))


def _ask(chm: NationalCHM, actor: Any) -> SupportRequest:
    return services.request_support(
        chm,
        actor=actor,
        language="en",
        title="Migrating the national CHM to the current Bioland release",
        description="The site runs an unsupported release; the team needs training to migrate it.",
        support_types=_support_types("training", "technology"),
    )


def test_the_request_is_a_submitted_need_of_the_party_for_activity_72(
    world: World, kenyan_chm: NationalCHM, activity_72: Activity
) -> None:
    asked = _ask(kenyan_chm, world.focal_point)
    need = Need.objects.get(pk=asked.need_id)
    assert (need.owner_country, need.state, need.live) == (world.kenya, State.SUBMITTED, False)
    latest = workflow.latest_revision(need)
    assert latest is not None and latest.submitted_by == world.focal_point
    working, many = workflow.working_copy(need)
    assert many["plan_activities"] == [activity_72.pk]
    codes = set(
        Term.objects.filter(pk__in=many["subjects"] + many["gbf_targets"]).values_list("code", flat=True)
    )
    assert codes == {"SUBJ-DATA-INFORMATION", "SUBJ-TECHNOLOGY-TRANSFER", "GBF-T20", "GBF-T21"}
    # The office in charge answers for it (a need's contact is confidential).
    assert (working.contact_name, working.contact_email) == (
        "National Biodiversity Information Office",
        "chm@biodiversity.go.ke",
    )
    assert list(kenyan_chm.support_requests.all()) == [asked]


def test_once_published_search_and_matching_find_it(
    world: World, kenyan_chm: NationalCHM, activity_72: Activity, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        asked = _ask(kenyan_chm, world.focal_point)
        workflow.publish(asked.need, actor=world.secretariat)
    hits = service.search(SearchQuery(text="Bioland", page_size=20)).hits
    assert asked.need.identifier in {hit.key for hit in hits if not hit.by_meaning}
    assert StoredEmbedding.objects.filter(identifier=asked.need.identifier, active=True).exists()


def test_another_partys_focal_point_cannot_ask_for_kenya(world: World, kenyan_chm: NationalCHM) -> None:
    with pytest.raises(PermissionDenied):
        _ask(kenyan_chm, world.other_focal_point)
    assert not Need.objects.exists() and not SupportRequest.objects.exists()


def test_the_form_asks_in_arabic_and_says_what_is_missing(
    world: World, kenyan_chm: NationalCHM, client: Client
) -> None:
    client.force_login(world.focal_point)
    url = reverse("nodes:support", args=["KE"]).replace("/en/", "/ar/", 1)
    refused = client.post(url, {"language": "ar", "title": "", "description": "", "priority": "high"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'dir="rtl"' in page and "هذا الحقل مطلوب" in page
    assert not Need.objects.exists()
    training = _support_types("training")[0]
    sent = client.post(
        url,
        {
            "language": "ar",
            "title": "تدريب فريق الآلية الوطنية على تحديث الموقع",
            "description": "يحتاج الفريق إلى تدريب على نقل السجلات إلى الإصدار الجديد.",
            "support_types": [training.pk],
            "priority": "medium",
        },
    )
    assert sent.status_code == 302
    need = Need.objects.get()
    assert need.original_language == "ar" and need.state == State.SUBMITTED
    # Kenya's page lists it for its focal point, not yet for the public.
    assert need.identifier in client.get(reverse("nodes:country", args=["KE"])).content.decode()
    client.logout()
    assert need.identifier not in client.get(reverse("nodes:country", args=["KE"])).content.decode()
    client.force_login(world.other_focal_point)
    assert client.get(url).status_code == 403
