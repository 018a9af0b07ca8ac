"""Forms of the checklists: starting one from a template in force, and each step's own small
forms (done with evidence, not applicable with a reason, open again). A step's form carries the
state its author saw, so that a change made meanwhile by someone else is not overwritten."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.multilingual import show
from clearinghouse.quality import checklists
from clearinghouse.quality.models import ChecklistTemplate, StepState


class TemplateChoiceField(forms.ModelChoiceField[ChecklistTemplate]):
    def label_from_instance(self, obj: ChecklistTemplate) -> str:
        title = show(obj.title, obj.original_language).text or obj.code
        return str(_("%(title)s (version %(version)s)") % {"title": title, "version": obj.version})


class StartForm(forms.Form):
    template = TemplateChoiceField(
        label=_("Checklist to follow"), queryset=ChecklistTemplate.objects.none(), widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, templates: list[ChecklistTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["template"]
        field.queryset = ChecklistTemplate.objects.filter(pk__in=[template.pk for template in templates])
        if len(templates) == 1:
            field.initial = templates[0].pk


class _StepForm(forms.Form):
    # The step's state when the page was read: a change made since by someone else is refused.
    seen = forms.ChoiceField(choices=StepState.choices, widget=forms.HiddenInput)


class DoneForm(_StepForm):
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=checklists.EVIDENCE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=_("What shows the step is done: a sentence, a document's name."),
    )
    evidence_url = forms.URLField(
        label=_("Link to the evidence"),
        required=False,
        max_length=checklists.URL_LENGTH,
        assume_scheme="https",
    )

    def __init__(self, *args: Any, evidence_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if evidence_required:
            self.fields["evidence"].help_text = _(
                "This step needs evidence: say what shows it is done, or give a link to it."
            )


class NotApplicableForm(_StepForm):
    reason = forms.CharField(
        label=_("Why it does not apply"),
        max_length=checklists.REASON_LENGTH,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )


class ReopenForm(_StepForm):
    pass


# The step forms by the action named in their URL.
STEP_FORMS: dict[str, type[_StepForm]] = {
    "done": DoneForm,
    "not-applicable": NotApplicableForm,
    "reopen": ReopenForm,
}
