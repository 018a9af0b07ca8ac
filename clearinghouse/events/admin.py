from django.contrib import admin

from clearinghouse.events.models import SurveyTemplate


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(admin.ModelAdmin[SurveyTemplate]):
    """The Secretariat adds and corrects the shared evaluation templates (``questions``: a list of
    {"text": {language: text}, "kind": ..., "choices": [{language: label}], "required": ...})."""

    list_display = ("__str__", "created_at")
