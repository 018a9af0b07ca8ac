from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

from babel import Locale
from babel.numbers import list_currencies
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy, to_locale
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from clearinghouse.core.languages import (
    CONTENT_LANGUAGES,
    LANGUAGE_CHOICES,
    language_code,
    language_name,
    other_language_options,
)
from clearinghouse.core.text import sort_key


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal on the form that asked for it: under its field when the form has
    that field, else on top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def form_status(*shown: forms.BaseForm | None) -> int:
    """The status of a page that shows forms: 400 when one of them was refused (its own checks
    or a service's, added to it), so that a client reads a refusal, never a form received (the
    outbox replays forms and takes any 2xx as received); else 200."""
    return 400 if any(form is not None and form.errors for form in shown) else 200


class DateRangeForm(forms.Form):
    """An optional period, from one day until another, for the statistics pages."""

    start = forms.DateField(
        label=_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_lazy("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        values = super().clean() or {}
        if values.get("start") and values.get("end") and values["start"] > values["end"]:
            raise ValidationError(_("The period ends before it starts."))
        return values


def date_range_of_query(params: Mapping[str, Any]) -> tuple[DateRangeForm, dict[str, Any]]:
    """The period an API call asks for, and what is wrong with it ({} when nothing is): unlike a
    page's form, where an empty date field means "no limit", a parameter given empty is no date."""
    form = DateRangeForm(params or None)
    empty = [name for name in form.fields if name in params and not str(params.get(name) or "").strip()]
    if empty:
        return form, {name: [_("Enter a date (YYYY-MM-DD), or leave the parameter out.")] for name in empty}
    if form.is_bound and not form.is_valid():
        errors: dict[str, Any] = {name: list(messages) for name, messages in form.errors.items()}
        # "The period ends before it starts" is the end's error to the caller.
        if "__all__" in errors:
            errors.setdefault("end", []).extend(errors.pop("__all__"))
        return form, errors
    return form, {}


def require_for_submission(field: forms.Field) -> forms.Field:
    """Mark a field that a draft may leave empty but that must be filled in before the record
    is submitted: it is shown and announced as required like a field the form itself requires."""
    field.required_for_submission = True  # type: ignore[attr-defined]
    return field


class BoundField(forms.BoundField):
    """A field whose label says, before anything is submitted, that it must be filled in."""

    @property
    def is_marked_required(self) -> bool:
        return bool(self.field.required or getattr(self.field, "required_for_submission", False))

    def build_widget_attrs(self, attrs: Any, widget: forms.Widget | None = None) -> Any:
        attrs = super().build_widget_attrs(attrs, widget)
        # Drafts save with gaps, so these fields cannot carry ``required``; the accessible name
        # still says they must be filled in before submission.
        if self.is_marked_required and not self.field.required and not self.use_fieldset:
            attrs["aria-required"] = "true"
        return attrs

    def label_tag(
        self,
        contents: str | None = None,
        attrs: Any = None,
        label_suffix: str | None = None,
        tag: str | None = None,
    ) -> SafeString:
        if contents is not None or not self.is_marked_required:
            return super().label_tag(contents, attrs, label_suffix, tag)
        suffix = label_suffix
        if suffix is None:
            suffix = (
                self.field.label_suffix if self.field.label_suffix is not None else self.form.label_suffix
            )
        text = str(self.label)
        if suffix and text and text[-1] not in ":?.!":
            text += suffix
        marked = format_html(
            '{}<span class="required-mark"> <span aria-hidden="true">*</span>'
            '<span class="visually-hidden">{}</span></span>',
            text,
            _("(required)"),
        )
        return super().label_tag(marked, attrs, "", tag)


class FormRenderer(TemplatesSetting):
    """Every form renders through the platform's own templates: labels, help and errors tied
    to their fields for assistive technology, required fields marked."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
    bound_field_class = BoundField


@dataclass(frozen=True)
class ErrorLink:
    """One line of an error summary: the message, and the id of the field it is about (empty
    for a problem with the whole form)."""

    target: str
    message: str


def error_links(*forms_on_page: forms.BaseForm) -> list[ErrorLink]:
    """Every problem of these forms in page order: the whole form's first, then each field's."""
    links: list[ErrorLink] = []
    for form in forms_on_page:
        if not form.is_bound or not form.errors:
            continue
        links += [ErrorLink("", str(message)) for message in form.non_field_errors()]
        for field in form:
            if field.is_hidden:
                links += [ErrorLink("", str(message)) for message in field.errors]
                continue
            # A group of boxes or buttons has no element of its own to land on: its first one.
            target = field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
            links += [
                ErrorLink(target, _("%(field)s: %(error)s") % {"field": field.label, "error": message})
                for message in field.errors
            ]
    return links


class ByLabelIterator(ModelChoiceIterator):
    """Choices sorted by their label in the reader's language (names live in JSON, so the
    database cannot sort them)."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset]
        yield from sorted(choices, key=lambda choice: sort_key(str(choice[1])))


def currency_choices() -> list[tuple[str, str]]:
    """ISO 4217 currencies named in the reader's language (CLDR via Babel), sorted by name."""
    locale = Locale.parse(to_locale(get_language() or settings.LANGUAGE_CODE))
    choices = [(code, f"{locale.currencies.get(code, code)} ({code})") for code in list_currencies()]
    return [("", "—"), *sorted(choices, key=lambda choice: sort_key(choice[1]))]


class _Filterable:
    """A long pick list a reader can narrow by typing (``core/filter-select.js``); without
    JavaScript, the plain select."""

    class Media:
        js = ["core/filter-select.js"]

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(name, value, attrs)  # type: ignore[misc]
        context["widget"]["attrs"] |= {
            "data-filterable": "",
            "data-filter-label": _("Type to filter the list"),
        }
        return context


class FilterableSelect(_Filterable, forms.Select):
    pass


class FilterableSelectMultiple(_Filterable, forms.SelectMultiple):
    pass


# The picker's choice for a language other than the six, named in the text box beside it.
OTHER_LANGUAGE = "other"


class ContentLanguageWidget(forms.MultiWidget):
    """The six UN languages first, then "another language" typed by name or code with a
    suggestion list (a ``<datalist>``: no JavaScript needed, and light: only the languages CLDR
    names are suggested)."""

    template_name = "core/widgets/content_language.html"

    def __init__(self, attrs: Any = None) -> None:
        super().__init__([forms.Select(), forms.TextInput(attrs={"autocomplete": "off"})], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if not value:
            return [None, ""]
        if value in CONTENT_LANGUAGES:
            return [value, ""]
        return [OTHER_LANGUAGE, f"{language_name(value)} ({value})"]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        # A single value under the field's own name (a script, an older page): one of the six,
        # or another language's code or name.
        if name in data and f"{name}_0" not in data:
            given = str(data.get(name) or "")
            return [given, ""] if given in CONTENT_LANGUAGES or not given else [OTHER_LANGUAGE, given]
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(name, value, attrs)
        datalist_id = f"{context['widget']['attrs'].get('id') or name}-languages"
        context["widget"]["datalist_id"] = datalist_id
        context["widget"]["other_languages"] = other_language_options()
        context["widget"]["subwidgets"][1]["attrs"]["list"] = datalist_id
        return context


class ContentLanguageField(forms.MultiValueField):
    """A language content is written in: one of the six, or any other ISO 639 language given by
    name or code. Cleans to the stored code (``core.languages.language_code``)."""

    widget = ContentLanguageWidget

    def __init__(self, **kwargs: Any) -> None:
        choices = [*LANGUAGE_CHOICES, (OTHER_LANGUAGE, gettext_lazy("Another language (name it below)"))]
        fields = (forms.ChoiceField(choices=choices), forms.CharField(max_length=120, required=False))
        super().__init__(fields, require_all_fields=False, **kwargs)
        cast(forms.Select, self.widget.widgets[0]).choices = choices

    def compress(self, data_list: list[Any]) -> str:
        if not data_list or not data_list[0]:
            return ""
        if data_list[0] != OTHER_LANGUAGE:
            return str(data_list[0])
        return language_code(str(data_list[1] or ""))
