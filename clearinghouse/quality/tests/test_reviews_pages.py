"""The pages of peer review as people use them: quality staff open a round from the item's page
and assign reviewers; a reviewer answers on their form once, or declines; the authors read the
reviews after the judgment, without names when the standard hides them; the record's page
shows the quality mark to everyone; a round is "not found" for anyone else."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import translation

from clearinghouse.core.testing import World
from clearinghouse.quality import items
from clearinghouse.quality import review_services as reviews
from clearinghouse.quality.models import Assignment, AssignmentStatus, Judgment, Review, ReviewStatus

from .review_factories import (  # noqa: F401  (_media: the course's files go to a test directory)
    _media,
    course,
    make_standard,
    submitted,
    under_review,
)


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def review_form(review: Review, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"recommendation": "meets", "comment": "Clear objectives; a good evaluation."}
    for criterion in review.standard.criteria.all():
        data[f"value_{criterion.pk}"] = str(reviews.SCALE_VALUES[criterion.scale][0])
        data[f"comment_{criterion.pk}"] = "Well done."
    return data | overrides


def test_quality_staff_open_a_round_from_the_items_review_page(world: World) -> None:
    item = course(world)
    standard = make_standard()
    url = reverse("quality:item_reviews", args=[item.identifier])
    client = client_for(world.secretariat)
    page = client.get(url).content.decode()
    assert "Open a round of review" in page and "Quality of courses (v1)" in page
    response = client.post(url, {"standard": standard.pk, "due_on": ""})
    review = Review.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("quality:review", args=[review.pk])
    # Again: the item is already under review against it; the refusal shows on the form.
    again = client.post(url, {"standard": standard.pk})
    assert again.status_code == 400 and "already under review" in again.content.decode()
    assert Review.objects.count() == 1


def test_the_items_review_page_is_for_quality_staff_and_authors_only(world: World) -> None:
    item = course(world)
    make_standard()
    url = reverse("quality:item_reviews", args=[item.identifier])
    author_page = client_for(world.trainer).get(url)
    assert author_page.status_code == 200 and "Open a round" not in author_page.content.decode()
    assert client_for(world.learner).get(url).status_code == 404
    assert client_for(world.trainer).post(url, {"standard": "1"}).status_code == 403
    assert Client().get(url).status_code == 302  # to sign in


def test_assigning_an_author_is_refused_on_the_form_and_a_stranger_is_assigned(world: World) -> None:
    _item, review, _assignments = under_review(world, reviewers=(world.learner,))
    action = reverse("quality:review_action", args=[review.pk, "assign"])
    client = client_for(world.helpdesk_agent)
    refused = client.post(action, {"assign-reviewer": world.trainer.email})
    assert refused.status_code == 400
    assert "reviewing one&#x27;s own material is not allowed" in refused.content.decode()
    unknown = client.post(action, {"assign-reviewer": "nobody@example.org"})
    assert unknown.status_code == 400 and "No active account" in unknown.content.decode()
    assert client.post(action, {"assign-reviewer": "IVAN"}).status_code == 302
    assert set(review.assignments.values_list("reviewer", flat=True)) == {world.learner.pk, world.outsider.pk}
    # Only quality staff act on a round, even one they can see.
    assert client_for(world.trainer).post(action, {"assign-reviewer": "akinyi"}).status_code == 403


def test_a_reviewer_answers_every_criterion_once_on_their_form(world: World) -> None:
    _item, review, (assignment, _other) = under_review(world)
    url = reverse("quality:assignment", args=[assignment.pk])
    client = client_for(world.learner)
    page = client.get(url).content.decode()
    assert "The objectives answer the needs assessed." in page and "Partly met" in page
    incomplete = client.post(url, review_form(review, comment=""))
    assert incomplete.status_code == 400 and not assignment.answers.exists()
    assert client.post(url, review_form(review)).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED and assignment.answers.count() == 3
    # A second send (an old tab): refused, nothing changes.
    again = client.post(url, review_form(review, comment="Changed my mind."))
    assert again.status_code == 400 and "a review is given once" in again.content.decode()
    assignment.refresh_from_db()
    assert assignment.comment == "Clear objectives; a good evaluation."


def test_a_review_after_the_judgment_is_refused_on_the_form(world: World) -> None:
    _item, review, (first, late) = under_review(world)
    submitted(first)
    reviews.judge(world.secretariat, review, Judgment.MEETS)
    url = reverse("quality:assignment", args=[late.pk])
    client = client_for(world.outsider)
    assert "no review is accepted any more" in client.get(url).content.decode()
    refused = client.post(url, review_form(review))
    assert (
        refused.status_code == 400 and "no review is accepted after the judgment" in refused.content.decode()
    )
    late.refresh_from_db()
    assert late.status == AssignmentStatus.ASSIGNED


def test_a_reviewer_declines_with_a_reason(world: World) -> None:
    _item, _review, (assignment, _other) = under_review(world)
    url = reverse("quality:assignment_decline", args=[assignment.pk])
    client = client_for(world.learner)
    assert client.post(url, {"decline-reason": ""}).status_code == 400
    assert client.post(url, {"decline-reason": "I co-wrote a module."}).status_code == 302
    assignment.refresh_from_db()
    assert (assignment.status, assignment.declined_reason) == (
        AssignmentStatus.DECLINED,
        "I co-wrote a module.",
    )


def test_rounds_and_forms_are_not_found_for_others(world: World) -> None:
    _item, review, (assignment,) = under_review(world, reviewers=(world.learner,))
    client = client_for(world.outsider)
    assert client.get(reverse("quality:review", args=[review.pk])).status_code == 404
    assert client.get(reverse("quality:assignment", args=[assignment.pk])).status_code == 404
    assert client.post(reverse("quality:assignment_decline", args=[assignment.pk])).status_code == 404
    assert client.post(reverse("quality:review_action", args=[review.pk, "judge"])).status_code == 404


def test_staff_judge_on_the_round_page_once_enough_reviews_are_in(world: World) -> None:
    _item, review, (first, _second) = under_review(world, min_reviews=1)
    action = reverse("quality:review_action", args=[review.pk, "judge"])
    client = client_for(world.secretariat)
    early = client.post(action, {"judge-judgment": "meets", "judge-note": ""})
    assert (
        early.status_code == 400
        and "Reviews submitted: 0. This standard needs 1 before a judgment" in early.content.decode()
    )
    submitted(first)
    assert client.post(action, {"judge-judgment": "needs_changes", "judge-note": ""}).status_code == 400
    response = client.post(action, {"judge-judgment": "needs_changes", "judge-note": "Plan an evaluation."})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.judgment) == (ReviewStatus.JUDGED, Judgment.NEEDS_CHANGES)


def test_authors_read_the_reviews_after_the_judgment_without_reviewers_names(world: World) -> None:
    _item, review, (first, _second) = under_review(world)
    submitted(first)
    url = reverse("quality:review", args=[review.pk])
    client = client_for(world.trainer)
    waiting = client.get(url).content.decode()
    assert "shown to the authors once the round is judged" in waiting
    assert "A clear, well-built course." not in waiting
    reviews.judge(world.secretariat, review, Judgment.NEEDS_CHANGES, "Add an evaluation of learning.")
    judged = client.get(url).content.decode()
    assert "A clear, well-built course." in judged and "Add an evaluation of learning." in judged
    assert "Reviewer 1" in judged and "Mei Wang" not in judged and "Ivan Petrov" not in judged
    # Quality staff always see who reviewed.
    assert "Mei Wang" in client_for(world.secretariat).get(url).content.decode()


def test_reviewers_are_named_to_authors_when_the_standard_allows_it(world: World) -> None:
    _item, review, (first, _second) = under_review(world, anonymous=False)
    submitted(first)
    reviews.judge(world.secretariat, review, Judgment.MEETS)
    page = client_for(world.trainer).get(reverse("quality:review", args=[review.pk])).content.decode()
    assert "Mei Wang" in page and "Reviewer 1" not in page


def test_the_record_page_shows_the_quality_mark_to_everyone(world: World) -> None:
    item, review, (first, _second) = under_review(world)
    url = items.find_item(item.identifier).url
    assert "Peer review" not in Client().get(url).content.decode()
    # The reviewer asked finds their form from the course's page.
    assert (
        reverse("quality:assignment", args=[first.pk]) in client_for(world.learner).get(url).content.decode()
    )
    submitted(first)
    reviews.judge(world.secretariat, review, Judgment.MEETS)
    page = Client().get(url).content.decode()
    assert "Meets the “Quality of courses” standard, v1, judged" in page
    # Its authors also find the way to the reviews.
    authors = client_for(world.trainer).get(url).content.decode()
    assert reverse("quality:item_reviews", args=[item.identifier]) in authors


def test_my_reviews_lists_what_to_review_and_is_in_the_header(world: World) -> None:
    _item, _review, (assignment, _other) = under_review(world)
    client = client_for(world.learner)
    page = client.get(reverse("quality:my_reviews")).content.decode()
    assert reverse("quality:assignment", args=[assignment.pk]) in page
    assert "Developing a national biodiversity finance plan" in page
    # Someone never asked has no such place in their header.
    home = client_for(world.focal_point).get(reverse("quality:my_reviews")).content.decode()
    assert "Nothing to review." in home
    assert (
        f'href="{reverse("quality:my_reviews")}"'
        not in client_for(world.focal_point).get("/en/").content.decode()
    )
    assert f'href="{reverse("quality:my_reviews")}"' in client.get("/en/").content.decode()


def test_my_reviews_costs_the_same_queries_for_three_items_as_for_one(world: World) -> None:
    """The items' titles come in one query per record type, however many assignments."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counted(person: Any) -> int:
        client = client_for(person)
        client.get(reverse("quality:my_reviews"))  # once before counting: the session settles
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("quality:my_reviews")).status_code == 200
        return len(queries)

    under_review(world)
    one = {person: counted(person) for person in (world.learner, world.secretariat)}
    for title in ("Marine spatial planning", "Access and benefit-sharing contracts"):
        item = course(world, title)
        opened = reviews.open_round(
            world.secretariat, item.identifier, make_standard(code=f"course-{len(title)}")
        )
        reviews.assign(world.secretariat, opened, world.learner)
    page = client_for(world.learner).get(reverse("quality:my_reviews")).content.decode()
    assert "Marine spatial planning" in page and "Access and benefit-sharing contracts" in page
    assert {person: counted(person) for person in (world.learner, world.secretariat)} == one


def test_the_secretariat_reads_the_round_page_in_arabic(world: World) -> None:
    _item, review, (first, _second) = under_review(world)
    submitted(first)
    with translation.override("ar"):
        url = reverse("quality:review", args=[review.pk])
        mine = reverse("quality:my_reviews")
    assert url.startswith("/ar/")
    client = client_for(world.secretariat)
    page = client.get(url).content.decode()
    assert 'lang="ar" dir="rtl"' in page
    # The standard's Arabic title, marked as Arabic.
    assert 'lang="ar" dir="rtl">جودة الدورات</span>' in page
    assert client.get(mine).status_code == 200
    assert Assignment.objects.filter(review=review).count() == 2


def test_the_api_gives_an_items_quality_mark_to_anyone(world: World) -> None:
    item, review, (first, _second) = under_review(world)
    url = f"/api/v1/quality/marks/{item.identifier}/"
    assert Client().get(url).json() == {"identifier": item.identifier, "mark": None}
    submitted(first)
    reviews.judge(world.secretariat, review, Judgment.MEETS)
    mark = Client().get(url).json()["mark"]
    assert (mark["standard"], mark["version"], mark["round"]) == ("course-quality", 1, 1)
    assert mark["title"]["ar"] == "جودة الدورات" and mark["text"].startswith("Meets the “Quality of courses”")
    assert Client().get("/api/v1/quality/marks/CB-COURSE-XX-000000/").status_code == 404
