"""What makes a widget safe to embed anywhere: no cookie, framing allowed for the widgets only,
CORS on the JSON, the public-page cache's mark, and parameters that cannot inject markup."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.security import source_hash
from clearinghouse.widgets.tests.scene import Scene

pytestmark = pytest.mark.django_db

ADDRESSES = [f"/widgets/{kind}/" for kind in ("records", "events", "courses", "search")] + [
    f"/widgets/{kind}.json" for kind in ("records", "events", "courses", "search")
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_widget_sets_no_cookie_even_on_a_first_visit(client: Client, scene: Scene, address: str) -> None:
    response = client.get(address, {"country": "KE", "lang": "fr", "q": "training"})

    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response


@pytest.mark.parametrize("address", ADDRESSES)
def test_any_site_may_frame_and_read_a_widget(client: Client, scene: Scene, address: str) -> None:
    response = client.get(address, {"country": "KE"})

    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_other_pages_still_refuse_to_be_framed(client: Client, db: None) -> None:
    response = client.get("/en/widgets/")

    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "Access-Control-Allow-Origin" not in response


def test_the_frame_allows_its_own_style_only_by_its_hash(client: Client, scene: Scene) -> None:
    response = client.get("/widgets/events/", {"country": "KE", "accent": "#a0c"})
    body = response.content.decode()

    style = re.search(r"<style>(.*?)</style>", body, re.DOTALL)
    assert style is not None
    assert "#aa00cc" in style.group(1)
    assert source_hash(style.group(1)) in response["Content-Security-Policy"]
    assert "<script" not in body
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("address", ["/widgets/records/", "/widgets/events.json"])
def test_a_widget_is_marked_for_the_public_page_cache(
    client: Client, scene: Scene, settings: Any, address: str
) -> None:
    settings.PROXY_CACHE_SECONDS = 10

    response = client.get(address, {"country": "KE"})

    assert response["X-Accel-Expires"] == "10"
    assert "public" in response["Cache-Control"]
    assert response.has_header("ETag")
    # Its language is its lang parameter's: one cached copy for every browser, whatever it prefers.
    assert "Cookie" in response["Vary"] and "Accept-Language" not in response["Vary"]
    french = client.get(address, {"country": "KE"}, headers={"accept-language": "fr"})
    assert french["Content-Language"] == "en" and french["ETag"] == response["ETag"]
    again = client.get(address, {"country": "KE"}, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


INJECTIONS = [
    ({"accent": '"><script>alert(1)</script>'}, "accent"),
    ({"background": "red;}</style><script>alert(1)</script>"}, "background"),
    ({"text": "javascript:alert(1)"}, "text"),
    ({"title": '"><script>alert(1)</script>'}, "title"),
    ({"q": "<img src=x onerror=alert(1)>"}, "q"),
    ({"country": '"><b>'}, "country"),
    ({"type": "<script>"}, "type"),
    ({"topic": "javascript:alert(1)"}, "topic"),
    ({"lang": "<svg/onload=alert(1)>"}, "lang"),
    ({"count": "<b>5</b>"}, "count"),
]


@pytest.mark.parametrize(("parameters", "name"), INJECTIONS)
def test_markup_in_a_parameter_is_refused_and_never_echoed(
    client: Client, db: None, parameters: dict[str, str], name: str
) -> None:
    page = client.get("/widgets/search/", parameters)
    data = client.get("/widgets/search.json", parameters)

    assert page.status_code == 400
    assert data.status_code == 400
    body = page.content.decode()
    assert "The widget cannot be shown: check its parameters." in body
    assert f"({name}):" in body
    value = next(iter(parameters.values()))
    for shown in (body, data.content.decode(), json.dumps(json.loads(data.content))):
        assert value not in shown
        assert "<script>alert" not in shown and "alert(1)" not in shown
    assert json.loads(data.content)["error"] == "The widget cannot be shown: check its parameters."
    # The refusal is framed where the website put the widget, and says why there.
    assert "X-Frame-Options" not in page


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({"count": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"count": "500"}, "Ensure this value is less than or equal to 20."),
        ({"country": "XX"}, "There is no country with this ISO code."),
        ({"type": "spaceship"}, "There is no such type of record."),
        ({"region": "999"}, "There is no region with this M49 code."),
        ({"accent": "#12345"}, "Give a colour as #rgb or #rrggbb, for example #0b5d3b."),
        ({"lang": "de"}, "Choose one of the six languages: ar, zh, en, fr, ru or es."),
    ],
)
def test_a_bad_parameter_is_named_with_what_is_wrong(
    client: Client, db: None, parameters: dict[str, str], expected: str
) -> None:
    data = client.get("/widgets/records.json", parameters)

    assert data.status_code == 400
    assert any(expected in problem for problem in json.loads(data.content)["problems"])


def test_the_refusal_is_in_the_language_asked_for(client: Client, db: None) -> None:
    page = client.get("/widgets/events/", {"lang": "ar", "country": "XX"})

    body = page.content.decode()
    assert page.status_code == 400
    assert 'dir="rtl"' in body
    assert "The widget cannot be shown" not in body
    assert "لا يمكن عرض" in body


@pytest.mark.parametrize("kind", ["records", "events", "courses", "search"])
def test_a_frame_is_light_and_loads_nothing_else(client: Client, scene: Scene, kind: str) -> None:
    response = client.get(f"/widgets/{kind}/", {"country": "KE", "q": "training"})
    body = response.content.decode()

    # One small page for slow connections: no script, style sheet, font or picture to fetch.
    assert len(response.content) < 8_000
    for asset in ("<script", "<link", "<img", "@import", "url("):
        assert asset not in body
