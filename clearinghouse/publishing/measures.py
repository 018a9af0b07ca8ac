"""The measures of records' use (views and downloads from ``DailyUsage``), and the dimensions
every app's measures share: a country's Party, region, regional group and groups, and "yes"/"no"
flags. Loaded from PublishingConfig.ready(); the apps declare their own in their measures.py."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Expression,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from clearinghouse.geo.models import Country
from clearinghouse.publishing.models import DailyUsage, Usage
from clearinghouse.publishing.registry import Measure, register_measure

Dimensions = dict[str, str | Expression | F]

YES, NO = "yes", "no"

# Where a record's owner's country is: the Party itself, or the owning organisation's country.
OWNER = ("owner_country", "owner_organisation__country")


def _at(path: str, field: str) -> str:
    return f"{path}__{field}" if path else field


def _first(paths: tuple[str, ...], field: str) -> str | Expression:
    """The field of the first country the paths reach (rows reach at most one of them)."""
    if len(paths) == 1:
        return _at(paths[0], field)
    return Coalesce(*(_at(path, field) for path in paths), output_field=CharField())


def flag(*conditions: str) -> Case:
    """ "yes" where one of the boolean fields is true, "no" where one is false, none (the
    unknown key "") where the row has none of them, such as a person who gave no country."""
    return Case(
        When(reduce(or_, (Q(**{condition: True}) for condition in conditions)), then=Value(YES)),
        When(reduce(or_, (Q(**{condition: False}) for condition in conditions)), then=Value(NO)),
        output_field=CharField(),
    )


def yes_no(field: str) -> Case:
    """ "yes" or "no" for a boolean field that always has a value."""
    return Case(When(**{field: True}, then=Value(YES)), default=Value(NO), output_field=CharField())


def country_dimensions(*paths: str) -> Dimensions:
    """The dimensions of rows by a country, at the first of ``paths`` (foreign keys to
    geo.Country; "" for the country itself) that the row has: ``party`` (ISO code), ``region``
    (M49 code), ``regional_group``, and ``ldc`` and ``sids`` as "yes"/"no"."""
    return {
        "party": _first(paths, "code"),
        "region": _first(paths, "region__code"),
        "regional_group": _first(paths, "regional_group"),
        "ldc": flag(*(_at(path, "ldc") for path in paths)),
        "sids": flag(*(_at(path, "sids") for path in paths)),
    }


def owner_dimensions(*records: str) -> Dimensions:
    """The country dimensions of the owner of the record at each path ("" for the row itself)."""
    return country_dimensions(*(_at(record, owner) for record in records or ("",) for owner in OWNER))


def _by_country_code(field: str) -> Dimensions:
    """Country dimensions of rows that keep a country's code in ``field`` rather than a key."""
    found: Dimensions = {"party": F(field)}
    for name, expression in country_dimensions("").items():
        if name != "party":
            country = Country.objects.filter(code=OuterRef(field))
            value = F(expression) if isinstance(expression, str) else expression
            looked_up = Subquery(country.annotate(_value=value).values("_value")[:1])
            found[name] = ExpressionWrapper(looked_up, output_field=CharField())
    return found


def _use(kind: Usage, label: Any) -> Measure:
    return Measure(
        code=f"usage.{kind.value}s",
        label=label,
        area="support",
        rows=lambda: DailyUsage.objects.filter(kind=kind),
        date="day",
        aggregate="sum",
        of="count",
        dimensions={"record_type": "record_type", **_by_country_code("country")},
    )


VIEWS = register_measure(_use(Usage.VIEW, _("Views of record pages")))
DOWNLOADS = register_measure(_use(Usage.DOWNLOAD, _("Downloads of records and their files")))
