"""``{% offline_package_panel enrolment %}``: the offline package of a course with its size, for
the learner's study page (the size is that of the file downloaded; see offline.size)."""

from __future__ import annotations

from typing import Any

from django import template

from clearinghouse.learning import offline
from clearinghouse.learning.models import Enrolment

register = template.Library()


@register.inclusion_tag("learning/offline/_panel.html")
def offline_package_panel(enrolment: Enrolment) -> dict[str, Any]:
    course = enrolment.course
    languages = offline.languages_in_order(course)
    language = enrolment.language if enrolment.language in languages else (languages[:1] or [""])[0]
    return {
        "course": course,
        "language": language,
        "size": offline.size(course, language) if language and course.live else None,
    }
