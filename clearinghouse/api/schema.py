"""Document the error responses every operation can give, in the one shape of api/errors.py."""

from __future__ import annotations

from typing import Any

ERROR_COMPONENT = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "code", "message"],
                "properties": {
                    "field": {
                        "type": "string",
                        "nullable": True,
                        "description": (
                            "The field at fault (dotted path for nested fields); null for the whole request."
                        ),
                    },
                    "code": {"type": "string", "description": "Stable, machine-readable problem code."},
                    "message": {"type": "string", "description": "The problem in the request's language."},
                },
            },
        }
    },
}

_DESCRIPTIONS = {
    "400": "The request is invalid; each problem names its field.",
    "401": "The credentials are missing or invalid.",
    "403": "The credentials do not allow this.",
    "404": "No such record.",
    "405": "The method is not allowed here.",
    "429": "Too many requests: wait the number of seconds in the Retry-After header.",
}

_RETRY_AFTER = {
    "description": "Seconds to wait before the next request.",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook."""
    _drop_database_limits(result)
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_COMPONENT
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            _empty_filters_mean_any(operation)
            codes = ["401", "403", "405", "429"]
            if method in {"post", "put", "patch"} or operation.get("parameters"):
                codes.append("400")
            parameters = {parameter.get("name") for parameter in operation.get("parameters", [])}
            # Detail paths, and lists asked for a page past their end.
            if "{" in path or "page" in parameters:
                codes.append("404")
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, {"description": _DESCRIPTIONS[code], "content": reference})
            responses["429"]["headers"] = {"Retry-After": _RETRY_AFTER}
    return result


def _empty_filters_mean_any(operation: dict[str, Any]) -> None:
    """Filter parameters sent empty (as forms, the browsable API's too, send them) mean "any"
    and are accepted: say so for the integer ones, whose schema would otherwise refuse ""."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if (
            parameter.get("in") == "query"
            and schema.get("type") == "integer"
            and parameter["name"]
            not in {
                "page",
                "page_size",
            }
        ):
            parameter["schema"] = {"anyOf": [schema, {"type": "string", "maxLength": 0}]}


# The largest integer a column holds differs between SQLite and PostgreSQL; it is not part of
# the contract, and the schema must not change with the database it was generated on.
_DATABASE_MAXIMA = {2147483647, 9223372036854775807}


def _drop_database_limits(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "integer" and node.get("maximum") in _DATABASE_MAXIMA:
            del node["maximum"]
            node.pop("format", None)
        for value in node.values():
            _drop_database_limits(value)
    elif isinstance(node, list):
        for value in node:
            _drop_database_limits(value)
