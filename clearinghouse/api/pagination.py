from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


def _positive_int(request: Request, name: str, maximum: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValidationError({name: [_("Give a whole number of 1 or more.")]}, code="invalid")
    if maximum is not None and value > maximum:
        raise ValidationError(
            {name: [_("Give a whole number of at most %(maximum)d.") % {"maximum": maximum}]}, code="invalid"
        )
    return value


class PageNumberPagination(pagination.PageNumberPagination):
    """?page=N, with ?page_size= up to 100 for clients on a good connection.

    A malformed page or page size, or one over 100, is a 400 that names the parameter (DRF would
    quietly ignore it); a page past the end is a 404.
    """

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Request) -> int:
        size = _positive_int(request, self.page_size_query_param, self.max_page_size)
        return size or int(self.page_size or 20)

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        _positive_int(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
