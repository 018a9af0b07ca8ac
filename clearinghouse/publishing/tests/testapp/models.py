from django.db import models
from django.urls import reverse

from clearinghouse.publishing.models import Record


class Note(Record):
    RECORD_TYPE = "NOTE"
    CONTENT_FIELDS = ("original_language", "title", "summary", "year", "subjects")

    title = models.JSONField("title", default=dict)
    summary = models.JSONField("summary", default=dict, blank=True)
    year = models.PositiveIntegerField("year", null=True, blank=True)
    subjects = models.ManyToManyField("vocabularies.Term", blank=True, related_name="+")

    class Meta(Record.Meta):
        app_label = "publishing_testapp"

    def __str__(self) -> str:
        return self.identifier


class Case(Record):
    """The worked example of docs/records.md: a record type added by one registration."""

    RECORD_TYPE = "CASE"
    CONTENT_FIELDS = ("original_language", "title", "summary", "lessons", "contact_email", "subjects")
    CONFIDENTIAL_FIELDS = ("contact_email",)

    title = models.JSONField("title", default=dict)
    summary = models.JSONField("summary", default=dict, blank=True)
    lessons = models.JSONField("lessons learned", default=dict, blank=True)
    contact_email = models.EmailField("contact e-mail", blank=True)
    subjects = models.ManyToManyField("vocabularies.Term", blank=True, related_name="+")

    class Meta(Record.Meta):
        app_label = "publishing_testapp"
        verbose_name = "case study"
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.identifier

    def get_absolute_url(self) -> str:
        return reverse("publishing:detail", args=[self.identifier])
