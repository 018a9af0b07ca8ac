"""Pages and API answers carry an ETag and Cache-Control: a browser that shows the ETag of its copy
gets a 304 without the body, even for gzip, even for a signed-in person's page with its forms."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import reverse

from clearinghouse.core.caching import RevalidationMiddleware
from clearinghouse.core.testing import World, token_headers
from clearinghouse.events.tests.test_registration import make_event

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip"}


def test_a_public_page_is_revalidated_and_answers_304_when_unchanged(client: Client) -> None:
    first = client.get(reverse("core:about"), headers=GZIP)
    assert first.status_code == 200 and first["Content-Encoding"] == "gzip"
    assert first["Cache-Control"] == "public, no-cache"
    # GZip marks the ETag weak: the compressed bytes are not the page's bytes.
    etag = first["ETag"]
    assert etag.startswith('W/"')

    again = client.get(reverse("core:about"), headers={**GZIP, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["Cache-Control"] == "public, no-cache"


def test_a_first_visit_given_a_security_cookie_and_its_token_is_private(client: Client, world: World) -> None:
    # Anonymous, no cookie yet: the registration form embeds a CSRF token made for the cookie
    # this answer sets. A shared cache must never hand that pair to the next visitor.
    first = client.get(f"/en/events/{make_event(world).identifier}/register/")
    assert settings.CSRF_COOKIE_NAME in first.cookies
    assert 'name="csrfmiddlewaretoken"' in first.content.decode()
    assert first["Cache-Control"] == "private, no-cache"


def _with_session_cookie(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("<p>Welcome</p>")
    response.set_cookie(settings.SESSION_COOKIE_NAME, "new-session")
    return response


def _with_a_token_for_a_new_cookie(request: HttpRequest) -> HttpResponse:
    # What a template's {% csrf_token %} does: the CSRF middleware sets the cookie afterwards.
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


@pytest.mark.parametrize("view", [_with_session_cookie, _with_a_token_for_a_new_cookie])
def test_an_answer_that_gives_a_cookie_is_kept_by_its_browser_only(
    rf: RequestFactory, view: Callable[[HttpRequest], HttpResponse]
) -> None:
    response = RevalidationMiddleware(view)(rf.get("/en/about/"))
    assert response["Cache-Control"] == "private, no-cache"


def test_a_changed_page_is_sent_again(client: Client) -> None:
    etag = client.get(reverse("core:about"))["ETag"]
    other_page = client.get(reverse("core:contact"), headers={"If-None-Match": etag})
    assert other_page.status_code == 200


def test_a_signed_in_persons_page_is_private_and_still_answers_304(client: Client, world: World) -> None:
    client.force_login(world.focal_point)
    first = client.get(reverse("core:about"))
    second = client.get(reverse("core:about"))
    assert first["Cache-Control"] == "private, no-cache"
    # Each response masks the CSRF token of the sign-out form anew, so the bytes differ: the
    # ETag leaves the mask out, or no signed-in page would ever be answered with a 304.
    assert 'name="csrfmiddlewaretoken"' in first.content.decode()
    assert first.content != second.content
    assert first["ETag"] == second["ETag"]
    again = client.get(reverse("core:about"), headers={**GZIP, "If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_a_new_csrf_secret_sends_the_page_again(client: Client, world: World) -> None:
    """After signing in Django rotates the CSRF secret: a copy with the old token would be refused."""
    client.force_login(world.focal_point)
    etag = client.get(reverse("core:about"))["ETag"]
    client.logout()
    client.force_login(world.focal_point)
    client.cookies.pop("csrftoken", None)
    assert client.get(reverse("core:about"), headers={"If-None-Match": etag}).status_code == 200


def test_an_api_list_answers_304_when_unchanged(client: Client, world: World) -> None:
    headers = token_headers(world.focal_point)
    first = client.get("/api/v1/needs/", headers={**headers, **GZIP})
    assert first.status_code == 200
    assert first["Cache-Control"] == "private, no-cache"
    again = client.get("/api/v1/needs/", headers={**headers, **GZIP, "If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_an_anonymous_api_list_is_public_and_revalidated(client: Client) -> None:
    first = client.get("/api/v1/languages/")
    assert first["Cache-Control"] == "public, no-cache"
    assert client.get("/api/v1/languages/", headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_a_view_that_chose_its_own_caching_keeps_it(client: Client) -> None:
    response = client.get(reverse("healthz"))
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert "ETag" not in response


def test_the_proxy_may_keep_a_public_page_for_the_configured_time(client: Client, settings: object) -> None:
    settings.PROXY_CACHE_SECONDS = 10  # type: ignore[attr-defined]
    response = client.get(reverse("core:about"))
    assert response["Cache-Control"] == "public, no-cache"
    assert response["X-Accel-Expires"] == "10"


def test_the_proxy_keeps_nothing_by_default_nor_a_private_page(
    client: Client, world: World, settings: object
) -> None:
    assert "X-Accel-Expires" not in client.get(reverse("core:about"))
    settings.PROXY_CACHE_SECONDS = 10  # type: ignore[attr-defined]
    client.force_login(world.focal_point)
    assert "X-Accel-Expires" not in client.get(reverse("core:about"))
    client.logout()
    assert "X-Accel-Expires" not in client.get("/api/v1/needs/", headers=token_headers(world.focal_point))
    # Nor a first visit that is given a security cookie with its form.
    client.cookies.clear()
    assert "X-Accel-Expires" not in client.get(f"/en/events/{make_event(world).identifier}/register/")
    assert "X-Accel-Expires" not in client.get(reverse("healthz"))
