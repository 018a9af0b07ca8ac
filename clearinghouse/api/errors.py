"""One JSON shape for every API error, naming the field and the problem.

    {"errors": [{"field": "email", "code": "invalid", "message": "Enter a valid e-mail address."}]}

``field`` is null for problems that concern the whole request. Messages are in the language of
the request (Accept-Language).
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import ngettext
from rest_framework.exceptions import ErrorDetail, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from clearinghouse.api.parsers import too_large


def _flatten(detail: Any, field: str | None) -> list[dict[str, Any]]:
    if isinstance(detail, dict):
        items: list[dict[str, Any]] = []
        for key, value in detail.items():
            name = None if key == "non_field_errors" else (f"{field}.{key}" if field else str(key))
            items.extend(_flatten(value, name))
        return items
    if isinstance(detail, list):
        items = []
        for index, value in enumerate(detail):
            # A list of dicts is a list of nested objects: keep the index in the field path.
            name = f"{field}[{index}]" if isinstance(value, dict) and field else field
            items.extend(_flatten(value, name))
        return items
    code = detail.code if isinstance(detail, ErrorDetail) else "error"
    return [{"field": field, "code": code, "message": str(detail)}]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        # Django refuses a body whose declared length is over the limit: answer as the API does.
        exc = too_large()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, ValidationError) else response.data.get("detail", response.data)
    if isinstance(exc, Throttled):
        # DRF's own sentence is not in every language of the site; Retry-After says the same.
        seconds = max(1, math.ceil(getattr(exc, "wait", None) or 0))
        response["Retry-After"] = str(seconds)
        detail = ErrorDetail(
            ngettext(
                "Too many requests. Try again in %(seconds)d second.",
                "Too many requests. Try again in %(seconds)d seconds.",
                seconds,
            )
            % {"seconds": seconds},
            code=exc.default_code,
        )
    response.data = {"errors": _flatten(detail, None)}
    return response
