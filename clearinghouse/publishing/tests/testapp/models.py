from django.db import models

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
