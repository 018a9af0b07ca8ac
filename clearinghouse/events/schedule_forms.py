"""Forms of the round table's schedule. Times are typed as people at the event read them, in
the event's time zone; the services get them as moments."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.events.models import Event, Registration, Slot, Table
from clearinghouse.events.schedule_agendas import slot_label


def at(event: Event, day: date, moment: time) -> datetime:
    """A day and a time where the event is, as a moment."""
    return datetime.combine(day, moment, tzinfo=event.zone)


class SlotChoiceField(forms.ModelChoiceField[Slot]):
    def __init__(self, event: Event, **kwargs: Any) -> None:
        self.event = event
        super().__init__(queryset=event.slots.order_by("starts_at"), **kwargs)

    def label_from_instance(self, obj: Slot) -> str:
        return slot_label(self.event, obj.starts_at, obj.ends_at)


class SlotsChoiceField(forms.ModelMultipleChoiceField[Slot]):
    def __init__(self, event: Event, **kwargs: Any) -> None:
        self.event = event
        super().__init__(queryset=event.slots.order_by("starts_at"), **kwargs)

    def label_from_instance(self, obj: Slot) -> str:
        return slot_label(self.event, obj.starts_at, obj.ends_at)


class TimesForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))

    def moments(self, event: Event) -> tuple[datetime, datetime]:
        day = self.cleaned_data["day"]
        return at(event, day, self.cleaned_data["start"]), at(event, day, self.cleaned_data["end"])


class GenerateSlotsForm(TimesForm):
    length = forms.IntegerField(
        label=_("Each meeting lasts (minutes)"), initial=20, min_value=0, max_value=600
    )
    pause = forms.IntegerField(
        label=_("Break between meetings (minutes)"), initial=5, min_value=0, max_value=600
    )


class SlotForm(TimesForm):
    pass


class TablesForm(forms.Form):
    count = forms.IntegerField(label=_("Number of tables"), required=False, min_value=0, max_value=200)
    names = forms.CharField(
        label=_("Or their names, one a line"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def names_given(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("names", "").splitlines() if line.strip()]


class FixedTableForm(forms.Form):
    def __init__(self, event: Event, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registration"] = forms.ModelChoiceField(
            label=_("Participant"),
            queryset=Registration.objects.filter(event=event, status="confirmed").order_by("name"),
        )
        self.fields["table"] = forms.ModelChoiceField(
            label=_("Table of their own"),
            queryset=Table.objects.filter(event=event).order_by("pk"),
            required=False,
            empty_label=_("None"),
        )


class AvailabilityForm(forms.Form):
    def __init__(self, event: Event, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slots"] = SlotsChoiceField(
            event, label=_("I am free in"), required=False, widget=forms.CheckboxSelectMultiple
        )
        self.fields["max_meetings"] = forms.IntegerField(
            label=_("At most this many meetings"),
            required=False,
            min_value=1,
            max_value=50,
            help_text=_("Leave empty for no limit."),
        )


class MoveForm(forms.Form):
    def __init__(self, event: Event, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"] = SlotChoiceField(event, label=_("Slot"))
        self.fields["table"] = forms.ModelChoiceField(
            label=_("Table"), queryset=Table.objects.filter(event=event).order_by("pk")
        )


class BuildForm(forms.Form):
    lock_published = forms.BooleanField(
        label=_("Lock all published meetings first, so that no one's published meeting moves"),
        required=False,
        initial=True,
    )
