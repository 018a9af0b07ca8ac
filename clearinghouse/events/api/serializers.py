from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clearinghouse.events.models import Event
from clearinghouse.publishing.api.serializers import record_fields
from clearinghouse.support.api.serializers import SupportRecordSerializer


class EventSerializer(SupportRecordSerializer):
    """A published event (or, for its organisers, as it stands). Times are in UTC; ``time_zone``
    is where the event takes place."""

    plan_activities = serializers.SerializerMethodField(
        help_text="The numbers of the action plan's activities the event serves."
    )
    is_past = serializers.SerializerMethodField(help_text="It has ended.")
    ical_url = serializers.SerializerMethodField(help_text="The event as an iCalendar file.")

    class Meta:
        model = Event
        fields = [*record_fields(), "confirmed_at", "stale", *Event.CONTENT_FIELDS[1:], "is_past", "ical_url"]

    # Declared, not read from the model field: its range would follow the database backend.
    @extend_schema_field(serializers.ListField(child=serializers.IntegerField(min_value=1)))
    def get_plan_activities(self, event: Event) -> list[int]:
        return sorted(activity.number for activity in event.plan_activities.all())

    def get_is_past(self, event: Event) -> bool:
        return event.is_past()

    def get_ical_url(self, event: Event) -> str:
        from django.urls import reverse

        request: Any = self.context["request"]
        return str(request.build_absolute_uri(reverse("events:ics", args=[event.identifier])))
