"""The parameters of a widget, as a national website writes them in the frame's address.

Every parameter is checked here and nothing else of the address reaches a page: colours only as
``#rgb``/``#rrggbb`` (they go into the frame's style), numbers within bounds, codes that name a
country, region, record type or subject we know. No error message repeats the value given: an
address made to inject markup gets a refusal, never its markup back.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clearinghouse.geo.models import Country, Region
from clearinghouse.publishing import registry
from clearinghouse.search.text import MAX_QUERY_LENGTH
from clearinghouse.vocabularies.models import Term

KINDS = ("records", "events", "courses", "search")
# The language parameter: the short codes the site's addresses use (/zh/), and Django's own.
LANGUAGES = {
    "ar": "ar",
    "zh": "zh-hans",
    "zh-hans": "zh-hans",
    "en": "en",
    "fr": "fr",
    "ru": "ru",
    "es": "es",
}
DEFAULT_COUNT = 5
MAX_COUNT = 20
MAX_TITLE_LENGTH = 80
SUBJECTS = "subjects"

_COLOUR = RegexValidator(
    re.compile(r"\A#(?:[0-9a-fA-F]{3}){1,2}\Z"), _("Give a colour as #rgb or #rrggbb, for example #0b5d3b.")
)
# Text shown in the frame never needs these: refusing them keeps any markup out.
_NO_MARKUP = RegexValidator(
    re.compile(r"[<>\x00-\x1f\x7f]"),
    _("Angle brackets and control characters are not allowed."),
    inverse_match=True,
)
_CODE = re.compile(r"\A[A-Za-z0-9-]{1,60}\Z")


def language(value: str | None) -> str | None:
    """Django's code of a language parameter, or None when it names none of the six."""
    return LANGUAGES.get((value or "").strip().lower())


def record_type_choices() -> list[tuple[str, Any]]:
    """The searchable record types of the registry: their names and labels."""
    return [(kind.name, kind.label) for kind in registry.record_types() if kind.search is not None]


def _colour(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=7, validators=[_COLOUR])


class WidgetForm(forms.Form):
    """What a widget shows and how it looks; every field may be left out."""

    lang = forms.CharField(label=_("Language"), required=False, max_length=7)
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    type = forms.ChoiceField(
        label=_("Type of record"),
        required=False,
        choices=record_type_choices,
        error_messages={"invalid_choice": _("There is no such type of record.")},
    )
    region = forms.CharField(label=_("Region"), required=False, max_length=3)
    topic = forms.CharField(label=_("Subject"), required=False, max_length=60)
    q = forms.CharField(
        label=_("Search"), required=False, max_length=MAX_QUERY_LENGTH, validators=[_NO_MARKUP]
    )
    count = forms.IntegerField(label=_("Number of items"), required=False, min_value=1, max_value=MAX_COUNT)
    title = forms.CharField(
        label=_("Title"), required=False, max_length=MAX_TITLE_LENGTH, validators=[_NO_MARKUP]
    )
    accent = _colour(_("Accent colour"))
    background = _colour(_("Background colour"))
    text = _colour(_("Text colour"))
    compact = forms.BooleanField(label=_("Compact"), required=False)

    def clean_lang(self) -> str:
        value = self.cleaned_data["lang"]
        if not value:
            return "en"
        code = language(value)
        if code is None:
            raise forms.ValidationError(_("Choose one of the six languages: ar, zh, en, fr, ru or es."))
        return code

    def clean_country(self) -> Country | None:
        code = self.cleaned_data["country"].upper()
        if not code:
            return None
        found = Country.objects.filter(code=code).first() if code.isalpha() and code.isascii() else None
        if found is None:
            raise forms.ValidationError(_("There is no country with this ISO code."))
        return found

    def clean_region(self) -> Region | None:
        code = self.cleaned_data["region"]
        if not code:
            return None
        found = Region.objects.filter(code=code).first() if code.isdigit() and code.isascii() else None
        if found is None:
            raise forms.ValidationError(_("There is no region with this M49 code."))
        return found

    def clean_topic(self) -> Term | None:
        code = self.cleaned_data["topic"].upper()
        if not code:
            return None
        found = (
            Term.objects.filter(vocabulary__name=SUBJECTS, code=code).first() if _CODE.match(code) else None
        )
        if found is None:
            raise forms.ValidationError(_("There is no subject with this code."))
        return found

    def clean_count(self) -> int:
        return self.cleaned_data["count"] or DEFAULT_COUNT


def problems(form: forms.Form) -> list[str]:
    """The form's errors as sentences naming the parameter, in the active language; never the
    values given."""
    return [
        gettext("%(parameter)s (%(name)s): %(problem)s")
        % {"parameter": form.fields[name].label, "name": name, "problem": message}
        for name, messages in form.errors.items()
        for message in messages
    ]


KIND_CHOICES = [
    ("records", _("Records of a country")),
    ("events", _("Event calendar")),
    ("courses", _("Course catalogue")),
    ("search", _("Search box")),
]
# The snippet leaves out what equals the widget's defaults: the shorter the line, the better.
DEFAULTS = {"count": str(DEFAULT_COUNT), "accent": "#0b5d3b", "background": "#ffffff", "text": "#1b1b1b"}
GENERATED = ("lang", "country", "type", "count", "title", "accent", "background", "text", "compact")


def _country_choices() -> list[tuple[str, str]]:
    countries = sorted(
        ((country.code, country.name()) for country in Country.objects.all()), key=lambda c: c[1]
    )
    return [("", str(_("All countries"))), *countries]


def _type_choices() -> list[tuple[str, Any]]:
    return [("", _("Every type")), *record_type_choices()]


class GeneratorForm(WidgetForm):
    """The snippet generator's choices: a widget's parameters, with lists to pick from."""

    kind = forms.ChoiceField(label=_("Widget"), choices=KIND_CHOICES, required=False)

    field_order = [
        "kind",
        "country",
        "lang",
        "type",
        "count",
        "title",
        "accent",
        "background",
        "text",
        "compact",
    ]

    def __init__(self, data: Any = None, *, initial_language: str) -> None:
        prefix = next((short for short, code in LANGUAGES.items() if code == initial_language), "en")
        initial = {"kind": "records", "country": "KE", "lang": prefix, **DEFAULTS}
        if data is not None:
            # A colour input always sends a colour (black when it had none): start from the defaults.
            data = data.copy()
            for name, value in DEFAULTS.items():
                data.setdefault(name, value)
        super().__init__(data, initial=initial)
        for name in ("q", "region", "topic"):
            del self.fields[name]
        self.fields["lang"] = forms.ChoiceField(
            label=_("Language"),
            choices=[
                (short, name)
                for short, (code, name) in zip(
                    ("ar", "zh", "en", "fr", "ru", "es"), settings.LANGUAGES, strict=True
                )
            ],
        )
        self.fields["country"] = forms.ChoiceField(
            label=_("Country"), choices=_country_choices, required=False
        )
        self.fields["type"] = forms.ChoiceField(
            label=_("Type of record"),
            choices=_type_choices,
            required=False,
            help_text=_("Records and search only."),
        )
        for name in ("accent", "background", "text"):
            self.fields[name].widget = forms.TextInput(attrs={"type": "color"})
        self.fields["count"].widget.attrs.update({"min": 1, "max": MAX_COUNT})

    def parameters(self) -> dict[str, str]:
        """The widget's parameters as its address gives them: the choices made (the defaults
        before any), leaving out the empty ones and those equal to the widget's defaults."""
        source = self.data if self.is_bound else self.initial
        found = {"kind": str(source.get("kind") or "records")}
        for name in GENERATED:
            value = str(source.get(name) or "").strip()
            if name == "compact":
                value = "1" if self.is_bound and self.cleaned_data.get("compact") else ""
            if value and value.lower() != DEFAULTS.get(name):
                found[name] = value
        if found["kind"] not in ("records", "search"):
            found.pop("type", None)
        return found
