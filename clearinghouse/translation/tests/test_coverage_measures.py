"""The coverage counts and monitoring's translation measures count the right rows, in a fixed
number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clearinghouse.monitoring.compute import Period, measure_values
from clearinghouse.publishing.registry import measures
from clearinghouse.support.models import Resource
from clearinghouse.translation import coverage, services
from clearinghouse.translation.tests.conftest import Translators, spanish_guide

pytestmark = pytest.mark.django_db


def cell(record_type: str, language: str) -> coverage.Cell:
    return next(c for c in coverage.coverage() if c.record_type == record_type and c.language == language)


def test_coverage_counts_texts_missing_texts_and_requests_by_type_and_language(
    world: Any, translators: Translators, guide: Resource
) -> None:
    second = spanish_guide(world)
    request, _created = services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    services.ask(actor=world.learner, identifier=second.identifier, language="zh")
    services.ask(actor=world.learner, identifier=second.identifier, language="fr")
    services.claim(actor=translators.lina, request=request)

    zh = cell("RES", "zh")
    assert (zh.published, zh.with_texts, zh.without_texts, zh.waiting, zh.in_progress) == (2, 0, 2, 1, 1)
    assert (cell("RES", "es").with_texts, cell("RES", "es").percent) == (2, 100)
    assert cell("RES", "fr").waiting == 1
    services.save_draft(
        actor=translators.lina, request=request, source_language="es", texts={"title": "指南"}
    )
    services.submit(actor=translators.lina, request=request)
    services.approve(actor=translators.chen, request=request)
    zh = cell("RES", "zh")
    assert (zh.with_texts, zh.without_texts, zh.waiting, zh.in_progress) == (1, 1, 1, 0)
    # Another type, with nothing published, counts nothing.
    assert cell("NEED", "zh").published == 0


def test_coverage_costs_one_query_per_record_type_whatever_the_records(world: Any, guide: Resource) -> None:
    with CaptureQueriesContext(connection) as few:
        coverage.coverage()
    spanish_guide(world)
    services.ask(actor=world.learner, identifier=guide.identifier, language="ar")
    with CaptureQueriesContext(connection) as more:
        coverage.coverage()
    assert len(more) == len(few)


def test_the_measures_count_requests_by_state_language_and_type_and_the_published(
    world: Any, translators: Translators, guide: Resource
) -> None:
    request, _created = services.ask(actor=world.learner, identifier=guide.identifier, language="zh")
    services.ask(actor=world.learner, identifier=guide.identifier, language="ar")
    services.claim(actor=translators.lina, request=request)
    services.save_draft(
        actor=translators.lina, request=request, source_language="es", texts={"title": "指南"}
    )
    services.submit(actor=translators.lina, request=request)
    services.approve(actor=translators.chen, request=request)
    year = Period.years(timezone.localdate().year)
    requests = measures()["translation.requests"]
    assert measure_values(requests, year) == {"": 2.0}
    assert measure_values(requests, year, dimension="status") == {"published": 1.0, "requested": 1.0}
    assert measure_values(requests, year, dimension="language") == {"zh": 1.0, "ar": 1.0}
    assert measure_values(requests, year, dimension="record_type") == {"RES": 2.0}
    published = measures()["translation.published"]
    assert measure_values(published, year, dimension="language") == {"zh": 1.0}
    # The plan's activities 31 and 94 ask for materials in the six languages.
    assert measure_values(published, year, activity=31) == {"": 1.0}
    assert measure_values(published, year, activity=30) == {"": 0.0}
    assert measure_values(requests, Period.years(2001)) == {"": 0.0}
