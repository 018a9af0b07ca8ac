from __future__ import annotations

from typing import Any

from rest_framework import serializers

from clearinghouse.events.models import Event
from clearinghouse.publishing.api.serializers import record_fields
from clearinghouse.support.api.serializers import SupportRecordSerializer


class EventSerializer(SupportRecordSerializer):
    """A published event (or, for its organisers, as it stands). Times are in UTC; ``time_zone``
    is where the event takes place."""

    is_past = serializers.SerializerMethodField(help_text="It has ended.")
    ical_url = serializers.SerializerMethodField(help_text="The event as an iCalendar file.")

    class Meta:
        model = Event
        fields = [*record_fields(), "confirmed_at", "stale", *Event.CONTENT_FIELDS[1:], "is_past", "ical_url"]

    def get_is_past(self, event: Event) -> bool:
        return event.is_past()

    def get_ical_url(self, event: Event) -> str:
        from django.urls import reverse

        request: Any = self.context["request"]
        return str(request.build_absolute_uri(reverse("events:ics", args=[event.identifier])))
