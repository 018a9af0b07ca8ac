"""Courses are one registered record type: searched with their facets (module and lesson titles
included), matched as support for training, syndicated, counted by monitoring."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.learning.models import Course
from clearinghouse.learning.records import course_facts
from clearinghouse.learning.tests.course_factories import make_course, outline, terms, vocabularies  # noqa: F401
from clearinghouse.publishing import registry
from clearinghouse.search import service
from clearinghouse.search.documents import SearchQuery

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_courses_are_registered_once_with_every_shared_feature() -> None:
    courses = registry.of(Course)
    assert courses.code == "COURSE"
    assert courses.side == "support"
    assert courses.feed is not None and registry.feed("courses") is courses.feed
    assert courses.exchange is not None
    assert courses.search is not None and set(courses.search.texts) == {"summary", "description"}
    assert set(registry.dimensions(courses)) >= {"level", "language", "subject", "target", "party"}


@pytest.fixture
def course(world: World, django_capture_on_commit_callbacks: Any) -> Course:
    french = outline("fr")
    french["modules"][0]["title"] = {"fr": "Les protocoles de Nagoya et de Cartagena"}
    with django_capture_on_commit_callbacks(execute=True):
        return make_course(
            world,
            title="Accès et partage des avantages : les bases du Protocole de Nagoya",
            language="fr",
            summary="Ce que le Protocole demande aux pays fournisseurs et utilisateurs.",
            level="intermediate",
            course_outline=french,
            subjects=terms("SUBJ-ABS"),
            gbf_targets=terms("GBF-T13"),
            target_groups=terms("iplc"),
        )


def test_a_published_course_is_found_by_its_outline_with_its_facets(course: Course) -> None:
    # "Cartagena" is only in a module's title.
    result = service.search(SearchQuery(text="Cartagena", language="en"))
    assert [hit.key for hit in result.hits] == [course.identifier]
    facets = service.search(SearchQuery(filters={"record_type": ["course"]})).facets
    assert facets["course_level"] == {"intermediate": 1}
    assert facets["language"] == {"fr": 1}
    assert facets["target"] == {"GBF-T13": 1}
    assert facets["target_group"] == {"iplc": 1}
    assert facets["subject"] == {"SUBJ-ABS": 1}
    assert service.search(SearchQuery(filters={"course_level": ["advanced"]})).total == 0


def test_a_course_answers_needs_for_training(course: Course) -> None:
    facts = course_facts(course)
    assert facts.support_types == ("training",)
    assert facts.targets == ("GBF-T13",) and facts.subjects == ("SUBJ-ABS",)
    assert facts.languages == ("fr",)
    assert facts.provider == "Nature Kenya"
    assert registry.of(Course).matchable().count() == 1


def test_the_feed_and_monitoring_count_published_courses(course: Course, client: Client) -> None:
    feed = client.get("/feeds/courses/").content.decode()
    assert "Accès et partage des avantages" in feed
    assert registry.counts(registry.of(Course), "level") == {"intermediate": 1}


def test_the_catalogue_entries_export_as_a_file_without_the_outline(course: Course, client: Client) -> None:
    exported = client.get("/en/learning/export/", {"format": "csv"}).content.decode("utf-8-sig")
    header = exported.splitlines()[0]
    assert "title" in header and "outline" not in header
    assert "Accès et partage des avantages" in exported
    assert "Cartagena" not in exported
