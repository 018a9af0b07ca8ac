"""The project's routes for the mail tests, plus stand-ins for the requester's pages that the
mail links to (a ticket, the rating links) wherever the help desk does not route them itself:
the mail is tested here, those pages in their own tests."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from clearinghouse.helpdesk import urls as helpdesk_urls
from clearinghouse.urls import urlpatterns as project


def _stand_in(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse()


_ROUTED = {pattern.name for pattern in helpdesk_urls.urlpatterns}
_STAND_INS = [
    path(route, _stand_in, name=name)
    for name, route in [
        ("rate", "rate/<str:token>/<int:score>/"),
        ("my_ticket", "mine/<str:reference>/"),
        ("ticket", "tickets/<str:reference>/"),
    ]
    if name not in _ROUTED
]

# The first "helpdesk" namespace is the one reversed.
urlpatterns: list[URLPattern | URLResolver] = [
    path("helpdesk/", include((helpdesk_urls.urlpatterns + _STAND_INS, "helpdesk"))),
    *project,
]
