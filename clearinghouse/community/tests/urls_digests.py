"""The project's routes for the digest tests, plus stand-ins for the community pages a digest
links to wherever the community app does not route them (yet): the digest is tested here, the
pages in their own tests."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from clearinghouse.community import urls as community_urls
from clearinghouse.i18n import language_patterns
from clearinghouse.urls import urlpatterns as project


def _stand_in(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse()


_ROUTED = {pattern.name for pattern in community_urls.urlpatterns}
_STAND_INS = [
    path(route, _stand_in, name=name)
    for name, route in [
        ("community", "c/<str:identifier>/"),
        ("topic", "c/<str:identifier>/topics/<int:pk>/"),
    ]
    if name not in _ROUTED
]

# The first "community" namespace is the one reversed.
urlpatterns: list[URLPattern | URLResolver] = [
    *language_patterns(
        path("community/", include((community_urls.urlpatterns + _STAND_INS, "community"))),
    ),
    *project,
]
