"""The error summary at the top of a form (the GOV.UK pattern): one list of every problem,
each linked to its field, announced and focused when the page opens."""

from __future__ import annotations

from django import forms, template
from django.forms.formsets import BaseFormSet
from django.template.loader import render_to_string

from clearinghouse.core.forms import ErrorLink, error_links

register = template.Library()


@register.simple_tag
def error_summary(*forms_on_page: object) -> str:
    """``{% error_summary start_form form formset %}``: one summary for every form of a page, so
    a page with several forms in one ``<form>`` element shows one list; those forms then leave
    their own summary out. A form a page does not have (an empty variable) is skipped."""
    shown: list[forms.BaseForm] = []
    links: list[ErrorLink] = []
    for item in forms_on_page:
        if isinstance(item, BaseFormSet):
            if item.is_bound:
                links += [ErrorLink("", str(message)) for message in item.non_form_errors()]
            shown += item.forms
        elif isinstance(item, forms.BaseForm):
            shown.append(item)
    for form in shown:
        form.error_summary_shown = True  # type: ignore[attr-defined]
    links += error_links(*shown)
    if not links:
        return ""
    # A rendered template is already safe (autoescaped): simple_tag leaves it as it is.
    return render_to_string("includes/error_summary.html", {"links": links})
