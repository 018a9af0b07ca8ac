"""The search page in a real browser: the first result is in the first screen on a desktop and on
a phone, however many filters there are; the filters sit in a side column on a desktop (mirrored
in Arabic) and fold into a <details> on a phone; every control works without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest

from clearinghouse.search import service
from clearinghouse.search.tests.factories import document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PARTIES = ["KE", "TZ", "UG", "EG", "CN", "BR", "PE", "FR", "RU", "MX", "IN", "ID", "FJ", "SN"]
SUBJECTS = [f"subject-{number}" for number in range(14)]


@pytest.fixture
def many_records() -> None:
    """Enough records and facet values to fill every facet's list, as on a real site. (A rebuild:
    flushing the database between these tests leaves SQLite's text index as it was.)"""
    service.rebuild(
        document(
            f"CB-NEED-{party}-{number:06d}",
            title=f"Forest restoration training {number}" if number % 2 else f"ترميم الغابات {number}",
            text="Training on forest restoration and monitoring of degraded lands.",
            language="en" if number % 2 else "ar",
            record_type=["need", "offer", "resource"][number % 3],
            party=[party],
            region=["002", "019", "142", "150"][number % 4 : number % 4 + 1],
            subject=[SUBJECTS[number % len(SUBJECTS)], SUBJECTS[(number + 3) % len(SUBJECTS)]],
            target=[f"GBF-T{number % 23 + 1}"],
            support_type=[f"type-{number % 9}"],
            facet_language=["en", "ar", "fr"],
            published=f"2026-01-{number % 28 + 1:02d}",
        )
        for number, party in enumerate(PARTIES * 3)
    )


def _open(chromium: Any, live_server: Any, viewport: dict[str, int], path: str) -> tuple[Any, Any]:
    context = chromium.new_context(viewport=viewport, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    return context, page


def _top(page: Any, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return float(box["y"])


@pytest.mark.usefixtures("many_records")
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_first_result_is_in_the_first_screen_of_a_desktop(
    chromium: Any, live_server: Any, language: str
) -> None:
    context, page = _open(chromium, live_server, DESKTOP, f"/{language}/search/?q=forest")
    # The filters are a side column, open without a click.
    assert page.locator(".search-side input[name=party]").first.is_visible()
    assert _top(page, ".search-hits > li") < 500
    main = page.locator(".search-main").bounding_box()
    side = page.locator(".search-side").bounding_box()
    if language == "en":
        assert side["x"] > main["x"] + main["width"] - 1  # at the right of the results
    else:
        assert side["x"] + side["width"] < main["x"] + 1  # mirrored: at their left
    context.close()


@pytest.mark.usefixtures("many_records")
@pytest.mark.parametrize("language", ["en", "ar"])
def test_on_a_phone_the_filters_fold_above_the_first_result(
    chromium: Any, live_server: Any, language: str
) -> None:
    context, page = _open(chromium, live_server, PHONE, f"/{language}/search/?q=forest&party=KE")
    assert not page.locator(".search-side input[name=party]").first.is_visible()
    assert _top(page, ".search-hits > li") < 700
    page.locator(".refine > summary").click()
    assert page.locator(".search-side input[name=party]").first.is_visible()
    context.close()


@pytest.mark.usefixtures("many_records")
def test_each_facet_shows_five_values_and_the_rest_under_more(chromium: Any, live_server: Any) -> None:
    context, page = _open(chromium, live_server, DESKTOP, "/en/search/?q=forest")
    party = page.locator(".facet", has=page.locator("input[name=party]"))
    visible = party.locator("input[name=party]").evaluate_all(
        "inputs => inputs.filter(i => i.checkVisibility()).length"
    )
    assert visible == 5
    party.locator(".facet-more > summary").click()
    visible = party.locator("input[name=party]").evaluate_all(
        "inputs => inputs.filter(i => i.checkVisibility()).length"
    )
    assert visible == 12
    context.close()


@pytest.mark.usefixtures("many_records")
def test_choosing_a_filter_beside_the_results_narrows_them_without_javascript(
    chromium: Any, live_server: Any
) -> None:
    context, page = _open(chromium, live_server, DESKTOP, "/en/search/?q=forest")
    page.locator(".search-side input[name=party][value=EG]").check()
    with page.expect_navigation():
        page.locator(".search-side button[type=submit]").click()
    assert "party=EG" in page.url and "q=forest" in page.url
    assert page.locator(".search-hits > li").count() == 3
    assert page.locator(".search-side input[name=party][value=EG]").is_checked()
    context.close()
