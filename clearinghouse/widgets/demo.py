"""Demo data the widgets show: a course Kenya offers (data/demo-courses.yaml), written and
published like the learning area's demo courses, so that a Kenyan website's course catalogue
shows one of its own. Kenya's records and events come from the needs, support and events demos.

Idempotent: the course is found again by its owner and original title.
"""

from __future__ import annotations

from clearinghouse.core.demo import demo_data
from clearinghouse.learning import demo as learning_demo
from clearinghouse.publishing.signals import batched_announcements
from clearinghouse.vocabularies.demo import Terms


def load() -> list[str]:
    terms = Terms()
    new = 0
    with batched_announcements():
        for row in demo_data("clearinghouse.widgets", "demo-courses.yaml")["courses"]:
            _course, created = learning_demo.course_from_row(row, terms)
            new += created
    return [
        f"{'Widgets (/en/widgets/)':32} Kenya's records, events and courses on a national website: a Kenyan course ({new} new)",
    ]
