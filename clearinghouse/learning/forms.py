"""The course's catalogue entry: the support registry's record form for a course (works without
JavaScript). The outline has its own pages (authoring_forms.py)."""

from __future__ import annotations

from typing import Any

from django import forms

from clearinghouse.learning.models import Course
from clearinghouse.support.forms import RecordForm


class CourseForm(RecordForm):
    """Every content field of a course but its outline; texts in the course's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, model=Course, **kwargs)
        del self.fields["outline"]
        self.fields["description"].widget = forms.Textarea(attrs={"rows": 8})
        self.fields["summary"].widget = forms.Textarea(attrs={"rows": 3})
