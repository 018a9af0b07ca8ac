"""The platform's addresses, plus pages that fail on purpose, for the error page tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from clearinghouse.i18n import language_patterns
from clearinghouse.urls import handler400, handler403, handler404, handler500
from clearinghouse.urls import urlpatterns as site_patterns


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a page that fails")


urlpatterns = [
    path("api/v1/broken/", broken),
    *language_patterns(path("broken/", broken)),
    *site_patterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
