"""The error summary lists problems with the whole form as well as each field's, linked to the
field (a group of boxes by its first box), in page order."""

from __future__ import annotations

from django import forms
from django.template import Context, Template

from clearinghouse.core.forms import ErrorLink, error_links


class _Form(forms.Form):
    name = forms.CharField(label="Name")
    colours = forms.MultipleChoiceField(
        label="Colours", choices=[("red", "Red")], widget=forms.CheckboxSelectMultiple
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, object]:
        self.add_error(None, "Someone saved in between: reload the page.")
        return self.cleaned_data


def test_the_summary_names_the_whole_forms_problems_first_then_each_fields() -> None:
    assert error_links(_Form({})) == [
        ErrorLink("", "Someone saved in between: reload the page."),
        ErrorLink("id_name", "Name: This field is required."),
        ErrorLink("id_colours_0", "Colours: This field is required."),
        ErrorLink("", "This field is required."),
    ]


def test_an_unbound_form_has_no_summary() -> None:
    assert error_links(_Form()) == []


def test_several_forms_share_one_summary_and_leave_their_own_out() -> None:
    first, second = _Form({}, prefix="a"), _Form({"b-name": "x"}, prefix="b")
    html = Template("{% load forms %}{% error_summary first second %}{{ first }}{{ second }}").render(
        Context({"first": first, "second": second})
    )
    assert html.count('class="error-summary"') == 1
    assert 'href="#id_a-name"' in html and 'href="#id_b-name"' not in html
