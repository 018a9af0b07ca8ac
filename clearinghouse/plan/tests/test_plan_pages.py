"""The action plan's pages: the whole plan by section and theme, and each activity in full, in
the reader's language where a translation exists and in the Arabic original otherwise."""

from __future__ import annotations

import re

from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.organisations.models import Organisation
from clearinghouse.plan import contributions, services
from clearinghouse.plan.importer import ImportReport
from clearinghouse.plan.models import Activity

ORIGINAL_MARK = "(original language: Arabic)"


def listed(page: str) -> list[int]:
    return [int(number) for number in re.findall(r'<li id="activity-(\d+)">', page)]


def test_the_plan_reads_right_to_left_in_arabic_with_all_110_activities(
    plan: ImportReport, client: Client
) -> None:
    page = client.get("/ar/plan/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert listed(page) == list(range(1, 111))
    # Arabic is the original: nothing to mark.
    assert 'class="original-mark"' not in page
    assert "الهدف 1 من أهداف أيشي للتنوع البيولوجي" in page  # a theme heading of section B


def test_english_readers_see_the_arabic_original_marked_as_such(plan: ImportReport, client: Client) -> None:
    page = client.get("/en/plan/").content.decode()
    assert '<html lang="en" dir="ltr">' in page
    assert len(listed(page)) == 110
    assert page.count(ORIGINAL_MARK) >= 110  # every activity, and the theme headings
    assert '<div lang="ar" dir="rtl">إعداد أدوات على الإنترنت' in page
    # Sections, flags and statuses are the interface's, in English.
    assert "D. Capacity-building activities for the Cartagena Protocol on Biosafety" in page
    assert "Secretariat role" in page
    assert "No progress recorded" in page


def test_a_translation_replaces_the_original_for_its_readers(
    plan: ImportReport, client: Client, world: World
) -> None:
    activity = Activity.objects.get(number=12)
    services.translate_activity(
        world.secretariat, activity, "en", text="Support the Global Youth Biodiversity Network"
    )
    english = client.get("/en/plan/12/").content.decode()
    assert '<div lang="en" dir="ltr">Support the Global Youth Biodiversity Network</div>' in english
    french = client.get("/fr/plan/12/").content.decode()
    assert "Support the Global Youth Biodiversity Network" not in french
    assert 'class="original-mark"' in french


def test_an_activity_page_shows_the_whole_activity(plan: ImportReport, client: Client, world: World) -> None:
    activity = Activity.objects.get(number=89)
    page = client.get("/en/plan/89/").content.decode()
    assert "Decision NP-I/8" in page
    # The time frame as written, in Arabic: "2020-2017 مستمر" (ongoing).
    assert "2017–2020" in page
    assert "2020-2017 مستمر" in page
    for indicator in activity.indicators.all():
        assert indicator.text in page
    # Partners that are registered organisations link to their pages; the others are listed as written.
    idlo = Organisation.objects.get(acronym="IDLO")
    assert f'href="/en/organisations/{idlo.pk}/"' in page
    assert "الجماعة الكاريبية" in page


def test_an_activity_page_shows_its_aichi_targets_and_the_gbf_targets_they_map_to(
    plan: ImportReport, client: Client
) -> None:
    page = client.get("/en/plan/47/").content.decode()  # theme: Aichi target 9 (invasive alien species)
    assert "AICHI-T9" in page
    assert "GBF-T6" in page
    french = client.get("/fr/plan/47/").content.decode()
    assert "espèces exotiques envahissantes" in french.lower()


def test_the_history_of_progress_is_shown_newest_first(
    plan: ImportReport, client: Client, world: World
) -> None:
    activity = Activity.objects.get(number=3)
    services.record_progress(
        world.secretariat, activity, period="2017-2018", status="under_way", note="First"
    )
    services.record_progress(
        world.secretariat, activity, period="2019-2020", status="completed", note="Third"
    )
    services.record_progress(
        world.secretariat, activity, period="2017-2018", status="completed", note="Second"
    )
    page = client.get("/en/plan/3/").content.decode()
    assert page.index("Third") < page.index("Second") < page.index("First")
    assert "Completed (2019-2020)" in page


def test_an_activity_that_does_not_exist_is_not_found(plan: ImportReport, client: Client) -> None:
    assert client.get("/en/plan/111/").status_code == 404


def test_the_public_sees_no_recording_forms(plan: ImportReport, client: Client, world: World) -> None:
    assert "Record progress" not in client.get("/en/plan/1/").content.decode()
    client.force_login(world.focal_point)
    assert "Record progress" not in client.get("/en/plan/1/").content.decode()
    client.force_login(world.secretariat)
    page = client.get("/en/plan/1/").content.decode()
    assert "Record progress" in page
    assert "Add evidence" in page
    assert 'href="/en/plan/1/translate/fr/"' in page


def test_the_plan_page_needs_few_queries(
    plan: ImportReport, client: Client, world: World, django_assert_max_num_queries: object
) -> None:
    for number in (1, 2, 50, 89, 100):
        services.record_progress(
            world.secretariat, Activity.objects.get(number=number), period="2019", status="under_way"
        )
    # The activities, their Aichi targets, and the choices of three filters; not one per activity.
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = client.get("/en/plan/")
    assert response.status_code == 200


def test_the_activity_page_needs_few_queries(
    plan: ImportReport, client: Client, world: World, django_assert_max_num_queries: object
) -> None:
    activity = Activity.objects.get(number=30)
    for period in ("2017", "2018", "2019"):
        services.record_progress(world.secretariat, activity, period=period, status="under_way")
    for organisation, person in [
        (world.kenyan_ngo, world.partner_editor),
        (world.kenyan_iplc, world.iplc_representative),
    ]:
        contributions.accept(
            world.secretariat,
            contributions.report_contribution(
                person,
                activity,
                organisation=organisation,
                description="Training.",
                language="en",
                period="2019",
                countries=[world.kenya],
                url="https://example.org/training",
            ),
        )
    client.force_login(world.secretariat)
    # One of them is the header's question whether the person studies a course; two are the
    # partners' contributions and their countries, however many.
    with django_assert_max_num_queries(18):  # type: ignore[operator]
        response = client.get("/en/plan/30/")
    assert response.status_code == 200
