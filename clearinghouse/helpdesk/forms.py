"""Forms of the agents' pages: the queue's filters, the actions on a ticket, and a ticket opened
for someone who called or came by. Forms parse and check what was typed; services.py decides."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clearinghouse.accounts.models import User
from clearinghouse.core.languages import LANGUAGE_CHOICES, pick_label
from clearinghouse.geo.models import Country
from clearinghouse.helpdesk import canned, services
from clearinghouse.helpdesk.models import ACTIVE_STATUSES, Channel, Desk, HelpTopic, Status, Ticket
from clearinghouse.organisations.models import Organisation
from clearinghouse.support import uploads

# A message carries at most this many files (each within the resources' upload limit).
MAX_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files, each checked by the resources' upload rules (support/uploads.py); the
    error names the file that was refused and why."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[services.File]:
        uploaded = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(uploaded) > MAX_FILES:
            raise ValidationError(
                _("Attach at most %(count)s files to one message.") % {"count": MAX_FILES}, code="too_many"
            )
        checked: list[services.File] = []
        for upload in uploaded:
            if not isinstance(upload, UploadedFile):
                raise ValidationError(_("The file could not be read."), code="invalid")
            name = upload.name or "file"
            try:
                found = uploads.check(upload)
            except ValidationError as error:
                raise ValidationError(
                    _("%(name)s was not attached: %(reason)s")
                    % {"name": name[:100], "reason": " ".join(error.messages)},
                    code="refused",
                ) from error
            stem = get_valid_filename(PurePath(name).stem)[:150] or "file"
            checked.append(
                services.File(
                    name=f"{stem}.{found.extension}", content=found.content, media_type=found.media_type
                )
            )
        return checked


def files_help() -> str:
    return _("Up to %(count)s files of %(size)s each: PDF, Office documents, images, text or CSV.") % {
        "count": MAX_FILES,
        "size": filesizeformat(int(settings.SUPPORT_UPLOAD_MAX_BYTES)),
    }


class ActionForm(forms.Form):
    """A form of the ticket page: its fields' ids start with its action, since several forms on
    the page share field names (a reply's text and a note's)."""

    action = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.action}_%s")
        super().__init__(*args, **kwargs)


class QueueFilters(forms.Form):
    """The queue's filters, read from the address (GET) so a filtered queue can be bookmarked."""

    ASSIGNED = (
        ("", gettext_lazy("Anyone")),
        ("me", gettext_lazy("Me")),
        ("nobody", gettext_lazy("Nobody")),
    )

    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any active"))] + [(s.value, s.label) for s in ACTIVE_STATUSES],
    )
    topic = forms.ModelChoiceField(
        label=gettext_lazy("Topic"),
        required=False,
        queryset=HelpTopic.objects.none(),
        empty_label=gettext_lazy("Any"),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), required=False, choices=[("", gettext_lazy("Any")), *LANGUAGE_CHOICES]
    )
    assigned = forms.ChoiceField(label=gettext_lazy("Assigned to"), required=False, choices=ASSIGNED)
    overdue = forms.BooleanField(label=gettext_lazy("Overdue only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField[Any], self.fields["topic"]).queryset = HelpTopic.objects.all()


class ReplyForm(ActionForm):
    action = "reply"
    THEN = (
        (Status.WAITING.value, gettext_lazy("Then wait for the requester")),
        (Status.OPEN.value, gettext_lazy("Then keep it open")),
        (Status.CLOSED.value, gettext_lazy("Then close it")),
    )

    body = forms.CharField(
        label=gettext_lazy("Reply to the requester"),
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        max_length=services.BODY_LENGTH,
    )
    then = forms.ChoiceField(label=gettext_lazy("After sending"), choices=THEN, initial=Status.WAITING.value)
    # Set when the text came from a canned answer, for the statistics of their use.
    canned_answer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    attachments = FilesField(label=gettext_lazy("Attachments"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = files_help()


class NoteForm(ActionForm):
    action = "note"
    body = forms.CharField(
        label=gettext_lazy("Internal note (agents only)"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        max_length=services.BODY_LENGTH,
    )
    attachments = FilesField(label=gettext_lazy("Attachments"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = files_help()


class CannedForm(ActionForm):
    action = "canned"
    canned_answer = forms.ChoiceField(label=gettext_lazy("Canned answer"))

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["canned_answer"]).choices = [
            (str(answer.pk), str(answer)) for answer in canned.usable_for(ticket)
        ]


class AgentField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.email)


class AssignForm(ActionForm):
    action = "assign"
    agent = AgentField(
        label=gettext_lazy("Assign to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=gettext_lazy("Nobody"),
    )

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField[Any], self.fields["agent"]).queryset = ticket.desk.agents.filter(
            is_active=True
        ).order_by("first_name", "last_name")


class TransferForm(ActionForm):
    action = "transfer"
    desk = forms.ModelChoiceField(label=gettext_lazy("To the desk"), queryset=Desk.objects.none())
    topic = forms.ModelChoiceField(
        label=gettext_lazy("Topic"),
        queryset=HelpTopic.objects.none(),
        required=False,
        empty_label=gettext_lazy("Keep the topic"),
    )
    reason = forms.CharField(label=gettext_lazy("Why"), max_length=200, required=False)

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        desks = Desk.objects.filter(active=True).exclude(pk=ticket.desk_id)
        cast(forms.ModelChoiceField[Any], self.fields["desk"]).queryset = desks
        cast(forms.ModelChoiceField[Any], self.fields["topic"]).queryset = HelpTopic.objects.all()


class StatusForm(ActionForm):
    action = "status"
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[(s.value, s.label) for s in (Status.OPEN, Status.WAITING, Status.CLOSED)],
    )


class MergeForm(ActionForm):
    action = "merge"
    reference = forms.CharField(
        label=gettext_lazy("Merge into the ticket"),
        max_length=20,
        help_text=gettext_lazy("Its reference, such as HD-2026-000123."),
    )

    def clean_reference(self) -> str:
        return str(self.cleaned_data["reference"]).strip().upper()


class LinkForm(ActionForm):
    action = "link"
    identifier = forms.CharField(
        label=gettext_lazy("Link a record"),
        max_length=40,
        help_text=gettext_lazy("The identifier of a need, request, offer, resource, event or course."),
    )


class CaseForm(ActionForm):
    action = "case"
    identifier = forms.ChoiceField(label=gettext_lazy("Published need or request"))

    def __init__(self, *args: Any, records: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["identifier"]).choices = [
            (record.identifier, f"{record.identifier} · {pick_label(record.title) or record.identifier}")
            for record in records
        ]


class OpenForSomeoneForm(forms.Form):
    """A ticket an agent opens for someone who called or came to a meeting."""

    CHANNELS = ((Channel.PHONE.value, Channel.PHONE.label), (Channel.MEETING.value, Channel.MEETING.label))

    channel = forms.ChoiceField(label=gettext_lazy("How they asked"), choices=CHANNELS)
    requester = forms.ModelChoiceField(
        label=gettext_lazy("Their account"),
        queryset=User.objects.none(),
        required=False,
        to_field_name="email",
        widget=forms.EmailInput,
        help_text=gettext_lazy("The e-mail address of their account, if they have one."),
    )
    requester_name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    requester_email = forms.EmailField(label=gettext_lazy("E-mail address"), required=False)
    country = forms.ModelChoiceField(
        label=gettext_lazy("Party"), queryset=Country.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=LANGUAGE_CHOICES)
    topic = forms.ModelChoiceField(
        label=gettext_lazy("Topic"), queryset=HelpTopic.objects.none(), required=False
    )
    desk = forms.ModelChoiceField(
        label=gettext_lazy("Desk"),
        queryset=Desk.objects.none(),
        required=False,
        empty_label=gettext_lazy("The desk the routing chooses"),
    )
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=services.SUBJECT_LENGTH)
    body = forms.CharField(
        label=gettext_lazy("What they asked"), widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"})
    )
    acknowledge = forms.BooleanField(
        label=gettext_lazy("Send them an acknowledgement with the reference by e-mail"), required=False
    )

    def __init__(self, *args: Any, desks: QuerySet[Desk] | list[Desk], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        querysets: dict[str, QuerySet[Any]] = {
            "requester": User.objects.filter(is_active=True),
            "country": Country.objects.filter(cbd_party=True).order_by("code"),
            "organisation": Organisation.objects.order_by("name"),
            "topic": HelpTopic.objects.filter(active=True),
            "desk": Desk.objects.filter(pk__in=[desk.pk for desk in desks]),
        }
        for name, queryset in querysets.items():
            cast(forms.ModelChoiceField[Any], self.fields[name]).queryset = queryset
        self.fields["requester"].error_messages["invalid_choice"] = _("No account has this e-mail address.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("requester") and not data.get("requester_email"):
            raise ValidationError(
                _("Give the person's e-mail address, or the address of their account."), code="no_requester"
            )
        return data

    def question(self) -> services.Question:
        data = self.cleaned_data
        return services.Question(
            subject=data["subject"],
            body=data["body"],
            language=data["language"],
            channel=data["channel"],
            requester=data.get("requester"),
            requester_name=data.get("requester_name") or "",
            requester_email=data.get("requester_email") or "",
            topic=data.get("topic"),
            country=data.get("country"),
            organisation=data.get("organisation"),
            desk=data.get("desk"),
        )
