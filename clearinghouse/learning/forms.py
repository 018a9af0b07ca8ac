"""The course's catalogue entry: the support registry's record form for a course (works without
JavaScript), with the action-plan activities by number. The outline has its own pages
(authoring_forms.py)."""

from __future__ import annotations

from typing import Any

from django import forms

from clearinghouse.core.forms import FilterableSelectMultiple
from clearinghouse.events.forms import ActivityChoiceField
from clearinghouse.learning.models import Course
from clearinghouse.plan.models import Activity
from clearinghouse.support.forms import RecordForm


class CourseForm(RecordForm):
    """Every content field of a course but its outline; texts in the course's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, model=Course, **kwargs)
        del self.fields["outline"]
        activities = self.fields["plan_activities"]
        self.fields["plan_activities"] = ActivityChoiceField(
            Activity.objects.order_by("number"),
            label=activities.label,
            required=False,
            widget=FilterableSelectMultiple(attrs={"size": 8}),
        )
        self.fields["description"].widget = forms.Textarea(attrs={"rows": 8})
        self.fields["summary"].widget = forms.Textarea(attrs={"rows": 3})
