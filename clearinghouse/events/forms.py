"""The event's form: the support registry's record form, with what an event adds (its time
zone) and its settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.pictures import PictureField
from clearinghouse.events import services
from clearinghouse.events.models import Event, validate_time_zone
from clearinghouse.support.forms import DATETIME_LOCAL, RecordForm


def _local_time(label: Any, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )


class EventForm(RecordForm):
    """Every content field of an event; dates are typed as the time where the event takes place."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, model=Event, **kwargs)
        zone = self.fields["time_zone"]
        zone.validators.append(validate_time_zone)
        zone.widget.attrs.update({"list": "time-zones", "autocomplete": "off"})
        for name in services.LOCAL_TIMES:
            self.fields[name].help_text = _("The local time where the event takes place (its time zone).")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "time_zone" in self.errors:
            return cleaned
        try:
            services.check_times(cleaned)
        except ValidationError as error:
            self.add_error(None, error)
        if cleaned.get("budget") is not None and not cleaned.get("currency"):
            self.add_error("currency", _("Give the currency of the budget."))
        return cleaned


class SettingsForm(forms.Form):
    """Registration and round-table settings: changed by an organiser without a review."""

    registration_opens_at = _local_time(_("Registration opens"), _("Local time of the event."))
    registration_closes_at = _local_time(_("Registration closes"), _("Local time of the event."))
    capacity = forms.IntegerField(
        label=_("Places"), min_value=1, required=False, help_text=_("Empty: no limit.")
    )
    requires_approval = forms.BooleanField(
        label=_("The organiser approves each registration"), required=False
    )
    accepts_nominations = forms.BooleanField(
        label=_("National focal points nominate participants"), required=False
    )
    seat_offer_hours = forms.IntegerField(
        label=_("Hours to take up an offered place"), min_value=1, max_value=720, initial=48
    )
    meeting_requests_close_at = _local_time(_("Meeting requests close"), _("Local time of the event."))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
        if opens and closes and closes < opens:
            self.add_error("registration_closes_at", _("Registration closes before it opens."))
        return cleaned


class PictureForm(forms.Form):
    """An event's picture: a new one, or none."""

    picture = PictureField(
        label=_("Picture"),
        required=False,
        help_text=_("A JPEG, PNG or WebP picture, wider than high (16:9) if possible."),
    )
    remove = forms.BooleanField(label=_("Remove the picture"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("picture") and not cleaned.get("remove") and not self.errors:
            raise ValidationError(_("Choose a picture to send, or tick the box to remove it."))
        return cleaned
