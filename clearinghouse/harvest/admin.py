from django.contrib import admin

from clearinghouse.harvest.models import HarvestedRecord, Run, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin[Source]):
    list_display = ["name", "mapping", "schedule", "enabled"]
    list_filter = ["mapping", "schedule", "enabled"]


@admin.register(HarvestedRecord)
class HarvestedRecordAdmin(admin.ModelAdmin[HarvestedRecord]):
    list_display = ["source_identifier", "identifier", "source", "withdrawn", "last_seen_at"]
    list_filter = ["source", "withdrawn"]
    search_fields = ["source_identifier", "identifier"]


@admin.register(Run)
class RunAdmin(admin.ModelAdmin[Run]):
    list_display = [
        "source",
        "started_at",
        "outcome",
        "fetched",
        "created",
        "updated",
        "withdrawn",
        "refused",
    ]
    list_filter = ["source", "outcome"]
