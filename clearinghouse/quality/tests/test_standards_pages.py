"""The standards' pages: anyone reads the standards and checklists in force, a standard's criteria
under their headings with guidance and scale, and its versions; the Secretariat drafts, edits
in six languages and puts a version in force from the pages; others may not, and nobody else
sees a draft."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from clearinghouse.quality import standards
from clearinghouse.quality.models import ChecklistTemplate, Criterion, Standard, VersionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> None:
    standards.load()


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _texts(name: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{name}_{language}": text for language, text in texts.items()}


def test_anyone_reads_the_list_of_standards_and_checklists_in_force(loaded: None) -> None:
    page = Client().get(reverse("quality:standards")).content.decode()
    assert "Quality standard for training events" in page
    assert "Quality standard for providers&#x27; offers" in page
    assert "Organising a training event" in page
    assert reverse("quality:standard", kwargs={"code": "courses"}) in page
    assert reverse("quality:template", kwargs={"code": "producing-course"}) in page
    assert "Drafts being prepared" not in page


def test_a_standards_page_lists_its_criteria_under_headings_with_guidance_and_scale(loaded: None) -> None:
    response = Client().get(reverse("quality:standard", kwargs={"code": "training-events"}))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index(">Design<") < page.index(">Delivery<") < page.index(">Evaluation and follow-up<")
    assert "Materials and interpretation are available in the participants&#x27; languages." in page
    assert "Compare the list of participants with the selection criteria announced in the call." in page
    assert "Met, partly met or not met" in page
    assert "Reviews needed before a judgment" in page
    # Nobody but the Secretariat is offered a new version.
    assert "Draft a new version" not in page


def test_a_checklist_templates_page_shows_its_steps_and_which_need_evidence(loaded: None) -> None:
    page = (
        Client()
        .get(reverse("quality:template", kwargs={"code": "organising-training-event"}))
        .content.decode()
    )
    assert "Needs assessment done." in page and "Gender balance considered" in page
    assert page.count("evidence required") == 6


def test_the_arabic_page_is_right_to_left_with_arabic_texts(loaded: None) -> None:
    page = Client().get("/ar/quality/standards/guidance-materials/").content.decode()
    assert 'dir="rtl"' in page
    assert "معيار جودة المواد الإرشادية" in page
    assert "المحتوى صحيح علمياً وقانونياً ويستشهد بمصادره." in page


def test_unknown_codes_and_versions_are_not_found(loaded: None) -> None:
    assert Client().get(reverse("quality:standard", kwargs={"code": "nothing"})).status_code == 404
    url = reverse("quality:standard_version", kwargs={"code": "courses", "version": 7})
    assert Client().get(url).status_code == 404


def test_a_draft_is_seen_only_by_the_secretariat(world: Any, loaded: None) -> None:
    current = Standard.objects.get(code="courses")
    draft = standards.start_draft(world.secretariat, current)
    url = reverse("quality:standard_version", kwargs={"code": "courses", "version": draft.version})
    assert Client().get(url).status_code == 404
    assert _signed_in(world.helpdesk_agent).get(url).status_code == 404
    # The version history does not list it either.
    assert url not in Client().get(reverse("quality:standard", kwargs={"code": "courses"})).content.decode()
    secretariat = _signed_in(world.secretariat)
    assert secretariat.get(url).status_code == 200
    assert "Drafts being prepared" in secretariat.get(reverse("quality:standards")).content.decode()


def test_the_secretariat_drafts_edits_reorders_and_puts_a_version_in_force(world: Any, loaded: None) -> None:
    secretariat = _signed_in(world.secretariat)
    response = secretariat.post(reverse("quality:standard_draft", kwargs={"code": "provider-offers"}))
    draft = Standard.objects.get(code="provider-offers", status=VersionStatus.DRAFT)
    edit = reverse("quality:standard_edit", kwargs={"code": "provider-offers", "version": draft.version})
    assert response.status_code == 302 and response["Location"] == edit
    assert "Put this version in force" in secretariat.get(edit).content.decode()

    # The title in the original language is required: the form says so and nothing is saved.
    response = secretariat.post(
        edit, {**_texts("title", {"fr": "Offres"}), "min_reviews": 1, "max_rounds": 2}
    )
    assert response.status_code == 400
    assert "in the original language at least" in response.content.decode()
    response = secretariat.post(
        edit,
        {
            **_texts("title", {**draft.title, "en": "Providers' offers (2027)"}),
            **_texts("summary", draft.summary),
            "min_reviews": 2,
            "max_rounds": 3,
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title["en"] == "Providers' offers (2027)" and draft.title["ru"]
    assert (draft.min_reviews, draft.max_rounds, draft.anonymous_reviews) == (2, 3, False)

    add = reverse("quality:standard_part_add", kwargs={"code": "provider-offers", "version": draft.version})
    response = secretariat.post(
        add,
        {
            **_texts("group", {"en": "Terms", "es": "Condiciones"}),
            **_texts(
                "text", {"en": "Costs are shared fairly.", "es": "Los costos se reparten de forma justa."}
            ),
            "scale": "met",
        },
    )
    assert response.status_code == 302
    added = draft.criteria.get(position=7)
    assert added.text["es"] == "Los costos se reparten de forma justa." and added.scale == "met"
    move = reverse(
        "quality:standard_part_move",
        kwargs={"code": "provider-offers", "version": draft.version, "pk": added.pk},
    )
    secretariat.post(move, {"direction": "up"})
    assert Criterion.objects.get(pk=added.pk).position == 6
    first = draft.criteria.get(position=1)
    remove = reverse(
        "quality:standard_part_remove",
        kwargs={"code": "provider-offers", "version": draft.version, "pk": first.pk},
    )
    assert secretariat.post(remove).status_code == 302
    assert draft.criteria.count() == 6

    in_force = reverse(
        "quality:standard_in_force", kwargs={"code": "provider-offers", "version": draft.version}
    )
    response = secretariat.post(in_force)
    assert response.status_code == 302
    assert dict(Standard.objects.filter(code="provider-offers").values_list("version", "status")) == {
        1: VersionStatus.RETIRED,
        2: VersionStatus.IN_FORCE,
    }
    page = Client().get(reverse("quality:standard", kwargs={"code": "provider-offers"})).content.decode()
    assert "Providers&#x27; offers (2027)" in page and "Costs are shared fairly." in page
    assert "Retired" in page  # version 1 in the history


def test_the_edit_page_of_a_version_in_force_sends_back_to_its_page(world: Any, loaded: None) -> None:
    secretariat = _signed_in(world.secretariat)
    edit = reverse("quality:template_edit", kwargs={"code": "producing-course", "version": 1})
    response = secretariat.post(edit, {**_texts("title", {"en": "Changed"})}, follow=True)
    assert "never edited" in response.content.decode()
    assert ChecklistTemplate.objects.get(code="producing-course").title["en"] == "Producing a course"


def test_the_secretariat_edits_a_checklist_step_and_its_evidence_rule(world: Any, loaded: None) -> None:
    secretariat = _signed_in(world.secretariat)
    secretariat.post(reverse("quality:template_draft", kwargs={"code": "producing-guidance-material"}))
    draft = ChecklistTemplate.objects.get(code="producing-guidance-material", status=VersionStatus.DRAFT)
    step = draft.steps.get(position=2)
    url = reverse(
        "quality:template_part", kwargs={"code": draft.code, "version": draft.version, "pk": step.pk}
    )
    form = secretariat.get(url).content.decode()
    assert "Existing materials searched to avoid duplication." in form and 'lang="ar" dir="rtl"' in form
    response = secretariat.post(
        url,
        {**_texts("text", {**step.text, "en": "Existing materials searched."}), "evidence_required": "on"},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.text["en"] == "Existing materials searched." and step.evidence_required
    # A step of another version is not found through this draft.
    other = ChecklistTemplate.objects.get(code="producing-course").steps.first()
    assert other is not None
    wrong = reverse(
        "quality:template_part", kwargs={"code": draft.code, "version": draft.version, "pk": other.pk}
    )
    assert secretariat.get(wrong).status_code == 404


@pytest.mark.parametrize("who", ["helpdesk_agent", "trainer", "outsider"])
def test_others_may_not_draft_or_edit(world: Any, loaded: None, who: str) -> None:
    client = _signed_in(getattr(world, who))
    assert client.post(reverse("quality:standard_draft", kwargs={"code": "courses"})).status_code == 403
    draft = standards.start_draft(world.secretariat, Standard.objects.get(code="courses"))
    kwargs = {"code": "courses", "version": draft.version}
    assert client.get(reverse("quality:standard_edit", kwargs=kwargs)).status_code == 403
    assert client.post(reverse("quality:standard_in_force", kwargs=kwargs)).status_code == 403
    assert client.post(reverse("quality:standard_discard", kwargs=kwargs)).status_code == 403
    assert Client().post(reverse("quality:standard_in_force", kwargs=kwargs)).status_code == 302  # to sign in
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_the_api_gives_the_standards_and_checklists_in_force_in_six_languages(
    world: Any, loaded: None
) -> None:
    standards.start_draft(world.secretariat, Standard.objects.get(code="courses"))
    response = Client().get("/api/v1/quality/standards/")
    assert response.status_code == 200
    found = response.json()["results"]
    # Drafts are not given: one version per code, the one in force.
    assert sorted(item["code"] for item in found) == sorted(
        ["training-events", "courses", "e-learning-modules", "guidance-materials", "provider-offers"]
    )
    events = next(item for item in found if item["code"] == "training-events")
    assert events["version"] == 1 and events["min_reviews"] == 2
    assert [criterion["position"] for criterion in events["criteria"]] == list(range(1, 9))
    assert events["criteria"][0]["group"]["zh"] == "设计" and events["criteria"][0]["scale"] == "met"
    only = Client().get("/api/v1/quality/standards/", {"applies_to": "material"}).json()["results"]
    assert [item["code"] for item in only] == ["guidance-materials"]
    assert Client().get("/api/v1/quality/standards/", {"applies_to": "webinar"}).status_code == 400

    templates = (
        Client().get("/api/v1/quality/checklist-templates/", {"applies_to": "event"}).json()["results"]
    )
    assert [item["code"] for item in templates] == ["organising-training-event"]
    assert templates[0]["steps"][0]["evidence_required"] is True
    assert templates[0]["steps"][0]["text"]["ru"] == "Оценка потребностей проведена."


def test_the_secretariat_finds_the_standards_from_the_quality_dashboard(world: Any, loaded: None) -> None:
    url = reverse("quality:standards")
    page = _signed_in(world.secretariat).get(reverse("quality:dashboard")).content.decode()
    assert f'href="{url}"' in page


def test_the_list_costs_the_same_queries_however_many_standards(
    world: Any, loaded: None, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    with django_assert_max_num_queries(8):
        page = client.get(reverse("quality:standards")).content.decode()
    assert "version 1, 8 criteria" in page and "version 1, 11 steps" in page
