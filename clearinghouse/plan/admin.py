from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from clearinghouse.plan.models import Activity, ActivityIndicator, ActivityOutput, ActivityProgress, Evidence

# The annex is shown, not edited, here: `importplan` writes what comes from the text of the decision
# (and would undo an edit), and translations go through the activity's page, which checks them.
# Progress reports are history: they are recorded on the activity's page and never changed.


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OutputInline(ReadOnly, admin.TabularInline[ActivityOutput, Activity]):
    model = ActivityOutput
    fields = ["position", "text", "translations"]


class IndicatorInline(ReadOnly, admin.TabularInline[ActivityIndicator, Activity]):
    model = ActivityIndicator
    fields = ["position", "text", "translations"]


@admin.register(Activity)
class ActivityAdmin(ReadOnly, admin.ModelAdmin[Activity]):
    list_display = ["number", "section", "priority", "secretariat", "start_year", "end_year"]
    list_filter = ["section", "priority", "secretariat"]
    search_fields = ["text_original", "theme"]
    inlines = [OutputInline, IndicatorInline]


@admin.register(ActivityProgress)
class ActivityProgressAdmin(ReadOnly, admin.ModelAdmin[ActivityProgress]):
    list_display = ["activity", "period", "status", "lead", "recorded_at"]
    list_filter = ["status", "period"]
    list_select_related = ["activity", "lead"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin[Evidence]):
    """Evidence may be corrected or removed here; it is added on the activity's page."""

    list_display = ["title", "activity", "kind", "identifier", "added_at"]
    list_filter = ["kind"]
    list_select_related = ["activity"]
    search_fields = ["title", "identifier", "url"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
