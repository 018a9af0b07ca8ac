"""Needs and support records made for the matching tests the way people make them: drafted,
submitted and published through the workflow, with the publishing signals' jobs run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, TypeVar

from clearinghouse.core.testing import World, make_country
from clearinghouse.geo.models import Country, RegionalGroup
from clearinghouse.needs.formats import CURRENT_VERSION
from clearinghouse.needs.models import Need
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import workflow
from clearinghouse.support.models import SupportRecord
from clearinghouse.support.tests.factories import published, terms

S = TypeVar("S", bound=SupportRecord)
Commit = Callable[..., AbstractContextManager[Any]]


def egypt() -> Country:
    return make_country(
        "EG",
        "EGY",
        {"ar": "مصر", "zh": "埃及", "en": "Egypt", "fr": "Égypte", "ru": "Египет", "es": "Egipto"},
        regional_group=RegionalGroup.AFRICA,
        developing=True,
        arab_league=True,
    )


@contextmanager
def committed(capture: Commit) -> Iterator[None]:
    """Run what publishing does after its transaction commits (the matching and search jobs)."""
    with capture(execute=True):
        yield


def publish_need(
    capture: Commit,
    *,
    owner: Country | Organisation,
    language: str,
    title: str,
    description: str,
    subjects: tuple[str, ...] = ("SUBJ-MARINE-COASTAL",),
    targets: tuple[str, ...] = (),
    support_types: tuple[str, ...] = ("training",),
    languages: tuple[str, ...] = (),
) -> Need:
    values: dict[str, Any] = {
        "original_language": language,
        "format_version": CURRENT_VERSION,
        "title": {language: title},
        "description": {language: description},
        "priority": "high",
        "subjects": terms(*subjects),
        "gbf_targets": terms(*targets),
        "instruments": terms("CBD"),
        "capacity_levels": terms("individual"),
        "support_types": terms(*support_types),
        "support_languages": list(languages or (language,)),
        "contact_name": "Salma Hassan",
        "contact_email": "salma@example.org",
    }
    with committed(capture):
        need = workflow.create(Need, actor=None, owner=owner, values=values)
        workflow.submit(need, actor=None)
        return workflow.publish(need, actor=None)


def publish_support(
    capture: Commit, model: type[S], world: World, values: dict[str, Any], **options: Any
) -> S:
    with committed(capture):
        return published(model, world, values, **options)
