"""Records made the way people make them: through the support services and the workflow."""

from __future__ import annotations

from typing import Any, TypeVar

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import World
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import workflow
from clearinghouse.support import services
from clearinghouse.support.models import SupportRecord
from clearinghouse.vocabularies.models import Term

R = TypeVar("R", bound=SupportRecord)


def terms(*codes: str) -> list[Term]:
    return list(Term.objects.filter(code__in=codes))


def draft(
    model: type[R],
    world: World,
    values: dict[str, Any],
    *,
    owner: Country | Organisation | None = None,
    author: User | None = None,
    language: str = "en",
) -> R:
    return services.create(
        model,
        actor=author or world.authorised_user,
        owner=owner or world.kenya,
        language=language,
        cleaned=values,
    )


def published(
    model: type[R],
    world: World,
    values: dict[str, Any],
    *,
    owner: Country | Organisation | None = None,
    author: User | None = None,
    reviewer: User | None = None,
    language: str = "en",
) -> R:
    record = draft(model, world, values, owner=owner, author=author, language=language)
    services.submit(record, actor=author or world.authorised_user)
    return workflow.publish(record, actor=reviewer or world.focal_point)
