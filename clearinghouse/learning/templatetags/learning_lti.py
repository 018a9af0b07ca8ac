"""``{% load learning_lti %}{% course_tools_link course %}``: on a course page, the link to the
course's external tools, for the people who may open them (enrolled learners) or attach them
(the course's owners); nothing for anyone else."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from clearinghouse.learning import lti
from clearinghouse.learning.models import Course, LtiPlacement

register = template.Library()


@register.simple_tag(takes_context=True)
def course_tools_link(context: Any, course: Course) -> SafeString | str:
    user = context["request"].user
    if not getattr(user, "is_authenticated", False):
        return ""
    teaches = user.has_perm("records.draft", course)
    placements = LtiPlacement.objects.filter(course=course, tool__active=True).select_related(
        "course", "tool"
    )
    if not teaches and not any(lti.can_launch(user, placement) for placement in placements[:1]):
        return ""
    return format_html(
        '<a href="{}">{}</a>',
        reverse("learning:lti_course_tools", args=[course.identifier]),
        _("Tools of the course"),
    )
