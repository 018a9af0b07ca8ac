"""The record types that use the publishing workflow. Each registry app registers its models
from its AppConfig.ready(), so the reviewer queue, the identifier resolver and search see them."""

from __future__ import annotations

from clearinghouse.publishing.models import Record

_TYPES: dict[str, type[Record]] = {}


def register(model: type[Record]) -> type[Record]:
    code = model.RECORD_TYPE
    if _TYPES.get(code, model) is not model:
        raise ValueError(f"record type code {code} is taken by {_TYPES[code].__name__}")
    _TYPES[code] = model
    return model


def record_types() -> list[type[Record]]:
    return list(_TYPES.values())


def model_for_identifier(identifier: str) -> type[Record] | None:
    """CB-NEED-KE-000123 -> the model registered as NEED."""
    parts = identifier.split("-")
    if len(parts) < 4 or parts[0] != "CB":
        return None
    return _TYPES.get(parts[1])


def find(identifier: str) -> Record | None:
    model = model_for_identifier(identifier.upper())
    if model is None:
        return None
    found: Record | None = model._default_manager.filter(identifier=identifier.upper()).first()
    return found
