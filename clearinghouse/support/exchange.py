"""What the support record types declare for import and export (``publishing.exchange`` does the
rest): their fields, read from each model (``CONTENT_FIELDS``, ``VOCABULARIES``, ``RICH_FIELDS``
and the model's field types), who a record is "by" for the duplicates check, a resource's
language versions given as links, and an opportunity's status.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clearinghouse.core.languages import is_language_code
from clearinghouse.exchange.fields import Choice, FieldDefinition
from clearinghouse.exchange.lists import in_every_language
from clearinghouse.organisations.models import Organisation
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record
from clearinghouse.publishing.registry import Exchanged
from clearinghouse.support import services
from clearinghouse.support.models import Expert, Opportunity, Resource, SupportRecord
from clearinghouse.support.models.common import (
    model_field,
    validate_eligibility,
    validate_languages,
    validate_urls,
)

# Resources' language versions given as links: not a content field, but part of the record.
LINKS = "links"
# Written by the platform (the nightly job closes an opportunity after its deadline): exported,
# never imported.
STATUS = "status"
# What the workbook's instructions say of the plan activities' column.
_ACTIVITIES_HELP = gettext_lazy(
    "The numbers of the action plan's activities the record serves. Monitoring counts the records "
    "of each activity from this."
)
# Who a record is "by" when no organisation field says so (see by_field).
_BY_TEXT: dict[type[SupportRecord], str] = {Resource: "publisher", Expert: "name"}
_LIST_TYPES: dict[Callable[[Any], None], str] = {
    validate_eligibility: "country_list",
    validate_languages: "language_list",
    validate_urls: "url_list",
}


def by_field(model: type[SupportRecord]) -> str:
    """The field naming who gives the support: the first organisation the record names
    (provider, lead organisation, institution, organisation), else the publisher or the expert;
    none for a type that names no one (an event: its owner organises it)."""
    for name in model.CONTENT_FIELDS:
        related = model_field(model, name)
        if related.many_to_one and related.related_model is Organisation:
            return name
    return _BY_TEXT.get(model, "")


def _type(model: type[SupportRecord], name: str, model_field_: models.Field[Any, Any]) -> str:
    if services.is_multilingual(model, name):
        return "multilingual_text" if name == "title" else "multilingual_long_text"
    related = model_field_.related_model
    many = model_field_.many_to_many
    if name in model.VOCABULARIES:
        return "multi_choice" if many else "choice"
    if related is Organisation:
        return "organisation_list" if many else "organisation"
    if isinstance(related, type) and issubclass(related, Record):
        return "record_list" if many else "record"
    if related is Activity:
        return "activity_list"
    if related is not None:
        return "reference_list" if many else "reference"
    if isinstance(model_field_, models.JSONField):
        # A structured document (a course's outline) is no cell of a row: "" leaves it out.
        return next((_LIST_TYPES[check] for check in model_field_.validators if check in _LIST_TYPES), "")
    if model_field_.choices:
        return "choice"
    if name == "currency":
        return "currency"
    kinds: tuple[tuple[type[models.Field[Any, Any]], str], ...] = (
        (models.DateTimeField, "datetime"),
        (models.DateField, "date"),
        (models.DecimalField, "decimal"),
        (models.IntegerField, "integer"),
        (models.BooleanField, "boolean"),
        (models.EmailField, "email"),
        (models.URLField, "url"),
    )
    return next((kind for cls, kind in kinds if isinstance(model_field_, cls)), "text")


def fields(model: type[SupportRecord]) -> tuple[FieldDefinition, ...]:
    """The type's columns, from its model: labels and help in the six languages."""
    found = []
    confidential = registry.of(model).confidential
    for name in model.CONTENT_FIELDS:
        if name == "original_language":
            continue
        item = model_field(model, name)
        kind = _type(model, name, item)
        if not kind:
            continue
        help_text = _ACTIVITIES_HELP if kind == "activity_list" else item.help_text
        found.append(
            FieldDefinition(
                name=name,
                type=kind,
                required=name == "title",
                labels=in_every_language(item.verbose_name),
                helps=in_every_language(help_text) if help_text else {},
                choices=tuple(
                    Choice(str(value), in_every_language(label)) for value, label in item.flatchoices
                )
                if kind == "choice" and name not in model.VOCABULARIES
                else (),
                vocabulary=model.VOCABULARIES.get(name, ""),
                confidential=name in confidential,
                min=0 if kind in {"decimal", "integer"} else None,
                max_length=getattr(item, "max_length", None) if kind == "text" else None,
                default=str(item.default)
                if kind == "choice" and not item.blank and item.has_default()
                else None,
            )
        )
    if model is Resource:
        found.append(
            FieldDefinition(
                name=LINKS,
                type="text_list",
                required=False,
                labels=in_every_language(gettext_lazy("links to the language versions")),
                helps=in_every_language(
                    gettext_lazy("Each as language=address, for example en=https://example.org/guide.pdf.")
                ),
            )
        )
    return tuple(found)


def links(items: list[str]) -> list[tuple[str, str]]:
    """A resource's links as (language, address); ValidationError if one is not language=address."""
    pairs = []
    for item in items:
        language, _sep, url = item.partition("=")
        if not is_language_code(language.strip().casefold()):
            raise ValidationError(
                _("Give each link as language=address, for example en=https://example.org/guide.pdf.")
            )
        language = language.strip().casefold()
        URLValidator(schemes=["http", "https"])(url)
        pairs.append((language, url))
    return pairs


def _check_links(values: Mapping[str, Any]) -> dict[str, str]:
    try:
        links(values.get(LINKS, []))
    except ValidationError as error:
        return {LINKS: " ".join(error.messages)}
    return {}


def _add_links(record: Any, actor: Any, values: Mapping[str, Any]) -> None:
    for language, url in links(values.get(LINKS, [])):
        services.add_version(record, actor=actor, language=language, link=url)


def _resource_values(record: Any) -> dict[str, str]:
    return {
        LINKS: ";".join(
            f"{version.language}={version.link}" for version in record.published_versions if version.link
        )
    }


def _opportunity_values(record: Any) -> dict[str, str]:
    # A past deadline closes it at once, before the nightly job records it.
    return {STATUS: "open" if record.is_open else "closed"}


def _status() -> str:
    return _("Status")


def exchanged(model: type[SupportRecord], back: tuple[str, tuple[str, ...]] | None = None) -> Exchanged:
    """The type's import and export declaration; ``back`` is the list people go back to (the
    support registry's own list of the type when not given)."""
    extra: dict[str, Any] = {}
    if model is Resource:
        extra = {"check": _check_links, "created": _add_links, "values": _resource_values}
    if model is Opportunity:
        extra = {"platform": ((STATUS, _status),), "values": _opportunity_values}
    return Exchanged(
        fields=lambda: fields(model),
        back=back or ("support:list", (model.SLUG,)),
        by=by_field(model),
        name=f"support-{model.SLUG}",
        **extra,
    )
