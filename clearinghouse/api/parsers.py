"""JSON request bodies with bounds: no larger than DATA_UPLOAD_MAX_MEMORY_SIZE and no deeper
than API_MAX_JSON_DEPTH, checked before the body is parsed (Python's parser recurses once per
level, and a body of nested brackets would otherwise exhaust it)."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import ngettext
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def check_depth(content: bytes, limit: int) -> None:
    """Raise ParseError if ``content`` nests arrays and objects more than ``limit`` deep."""
    depth = 0
    # Brackets inside strings are text, not nesting: strings are removed first.
    for bracket in _BRACKET.finditer(_STRING.sub(b"", content)):
        depth += 1 if bracket[0] in (b"[", b"{") else -1
        if depth > limit:
            raise ParseError(
                ngettext(
                    "The JSON body is nested more than %(depth)d level deep; it was not read.",
                    "The JSON body is nested more than %(depth)d levels deep; it was not read.",
                    limit,
                )
                % {"depth": limit}
            )


def too_large() -> ParseError:
    return ParseError(
        ngettext(
            "The request body is larger than %(bytes)s byte; it was not read.",
            "The request body is larger than %(bytes)s bytes; it was not read.",
            settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        )
        % {"bytes": number_format(settings.DATA_UPLOAD_MAX_MEMORY_SIZE, force_grouping=True)}
    )


class BoundedJSONParser(JSONParser):
    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        content = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(content) > limit:
            raise too_large()
        check_depth(content, settings.API_MAX_JSON_DEPTH)
        return super().parse(io.BytesIO(content), media_type, parser_context)
