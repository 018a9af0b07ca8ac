"""Save-data mode: the browser's Save-Data hint or the person's switch leaves images, charts and
htmx out of pages, says so with a way back, and the person's choice on this browser wins."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from clearinghouse.core.datasaving import SAVE_DATA_COOKIE

HTMX = "htmx-2.0.11.min.js"
INDICATOR = 'class="save-data-on"'


@pytest.mark.django_db
def test_a_page_carries_htmx_and_the_switch_when_nobody_asks_to_save_data(client: Client) -> None:
    html = client.get(reverse("core:about")).content.decode()
    assert HTMX in html
    assert INDICATOR not in html
    assert 'name="mode" value="on"' in html


@pytest.mark.django_db
def test_the_browsers_save_data_hint_leaves_htmx_out_and_shows_the_indicator(client: Client) -> None:
    response = client.get(reverse("core:about"), headers={"Save-Data": "on"})
    html = response.content.decode()
    assert HTMX not in html
    assert INDICATOR in html and 'name="mode" value="off"' in html
    # A shared cache must not give this light page to a browser that did not ask for it.
    assert "Save-Data" in response["Vary"]


@pytest.mark.django_db
def test_the_switch_turns_the_mode_on_for_a_year_and_returns_to_the_page(client: Client) -> None:
    about = reverse("core:about")
    response = client.post(reverse("core:save_data"), {"mode": "on", "next": about})
    assert response.status_code == 302 and response["Location"] == about
    cookie = response.cookies[SAVE_DATA_COOKIE]
    assert cookie.value == "on" and int(cookie["max-age"]) >= 365 * 24 * 3600
    assert HTMX not in client.get(about).content.decode()

    client.post(reverse("core:save_data"), {"mode": "off", "next": about})
    assert HTMX in client.get(about).content.decode()


@pytest.mark.django_db
def test_turning_the_mode_off_on_this_browser_wins_over_the_browsers_hint(client: Client) -> None:
    client.post(reverse("core:save_data"), {"mode": "off"})
    html = client.get(reverse("core:about"), headers={"Save-Data": "on"}).content.decode()
    assert HTMX in html and INDICATOR not in html


@pytest.mark.django_db
def test_the_switch_never_sends_anyone_to_another_site(client: Client) -> None:
    response = client.post(reverse("core:save_data"), {"mode": "on", "next": "https://evil.example/"})
    assert response["Location"] == reverse("core:home")


@pytest.mark.django_db
def test_a_switch_without_on_or_off_is_refused_in_the_persons_language(client: Client) -> None:
    with translation.override("fr"):
        url = reverse("core:save_data")
    response = client.post(url, {"mode": "maybe"})
    assert response.status_code == 400
    assert SAVE_DATA_COOKIE not in response.cookies
    with translation.override("fr"):
        expected = translation.gettext("Choose whether to save data: on or off.")
    assert expected != "Choose whether to save data: on or off."
    assert expected in response.content.decode()


@pytest.mark.parametrize("save_data", [False, True])
def test_charts_give_way_to_their_data_table_in_save_data_mode(save_data: bool) -> None:
    request = RequestFactory().get("/")
    request.save_data = save_data  # type: ignore[attr-defined]
    result = {"bars": [{"label": "Yes", "count": 3, "percent": 75.0, "rtl_start": 25.0}]}
    html = render_to_string("events/survey/bars.html", {"result": result}, request=request)
    assert ("<svg" in html) is not save_data
    # The figures stay: the table is the chart's data.
    assert ">Yes<" in html and "<td>3</td>" in html


@pytest.mark.django_db
def test_only_pages_vary_with_the_hint(client: Client) -> None:
    """Answers that do not change with it (API, files) stay one entry in shared caches."""
    assert "Save-Data" not in client.get("/api/v1/languages/").get("Vary", "")
