"""The spreadsheet template of the common needs format, in one of the six languages: the exchange
workbook (``exchange.writer``) with two sheets, Assessment (optional: a form, one field per row,
the answer in column C) and Needs (a table, one need per row)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from clearinghouse.core.languages import pick_label
from clearinghouse.exchange import layout
from clearinghouse.exchange.lists import Options
from clearinghouse.exchange.writer import Layout, Sheet, Written, open_workbook
from clearinghouse.needs.formats import CURRENT_VERSION, FormatDefinition, definition

NEEDS_SHEET = "CH_NEEDS"
ASSESSMENT_SHEET = "CH_ASSESSMENT"


def needs_layout(format_definition: FormatDefinition) -> Layout:
    """The workbook of a version of the format."""
    sheets = (
        Sheet(
            ASSESSMENT_SHEET, lambda: _("Assessment"), format_definition.form("assessment").fields, form=True
        ),
        Sheet(NEEDS_SHEET, lambda: _("Needs"), format_definition.form("need").fields),
    )

    def introduction(language: str) -> Sequence[str]:
        return (
            pick_label(format_definition.instructions, language),
            _(
                "Sheet %(assessment)s is optional: fill it in to describe the needs assessment these "
                "needs come from, one answer per row in column C. Sheet %(needs)s takes one need per row."
            )
            % {
                "assessment": layout.sheet_title(sheets[0].title()),
                "needs": layout.sheet_title(sheets[1].title()),
            },
        )

    return Layout(
        format=format_definition.format,
        version=format_definition.version,
        title=lambda language: pick_label(format_definition.titles, language) or format_definition.format,
        introduction=introduction,
        sheets=sheets,
    )


def build_workbook(language: str, version: str = CURRENT_VERSION) -> bytes:
    """The empty template, ready to fill in offline, as .xlsx bytes."""
    return open_template(language, version).save()


def open_template(
    language: str, version: str = CURRENT_VERSION, *, options: Options | None = None
) -> Written:
    """The template, open: export.py fills its Needs sheet before saving it."""
    format_definition = definition(version)
    options = options or Options(format_definition.fields)
    return open_workbook(needs_layout(format_definition), language, options)
