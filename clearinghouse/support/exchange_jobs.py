"""The support imports the worker runs, one per record type (see clearinghouse.exchange and
exchange.py): read, check every cell, stop for the person's confirmation when rows look like
existing records, then create every row as a draft, all or nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from clearinghouse.exchange import checks, registry
from clearinghouse.exchange.problems import Problem
from clearinghouse.support import exchange
from clearinghouse.support.models import SupportRecord
from clearinghouse.support.models.common import model_field


def kind_name(model: type[SupportRecord]) -> str:
    """The import kind of a record type."""
    return f"support-{model.SLUG}"


def _runner(model: type[SupportRecord]) -> registry.Runner:
    def run(request: registry.Request) -> registry.Outcome:
        try:
            cells = exchange.read(request.content, exchange.format_of(request.content))
        except ValidationError as error:
            return registry.Outcome(problems=[Problem("", None, "", " ".join(error.messages))])
        parsed = exchange.validate(model, cells, owner=request.owner, progress=request.progress)
        if parsed.problems:
            return registry.Outcome(
                problems=[Problem("", p.row, p.column, p.message) for p in parsed.problems]
            )
        if not request.confirmed:
            by = str(model_field(model, exchange.by_field(model)).verbose_name)
            found = exchange.duplicates(model, request.owner, parsed)
            if found:
                return registry.Outcome(
                    duplicates=[registry.Duplicate(d.row, d.title, d.existing, by) for d in found]
                )
        created = exchange.create_all(model, actor=request.actor, owner=request.owner, parsed=parsed)
        return registry.Outcome(created=created)

    return run


def register_imports() -> None:
    """Offer an import of every support record type to the worker and the job pages."""
    for model in exchange.EXCHANGEABLE.values():
        registry.register(
            registry.ImportKind(
                name=kind_name(model),
                label=_label(model),
                formats=frozenset({checks.XLSX, checks.CSV, checks.JSON}),
                max_bytes=_max_bytes,
                run=_runner(model),
                back=("support:list", (model.SLUG,)),
                back_label=_plural(model),
            )
        )


def _max_bytes() -> int:
    return int(settings.SUPPORT_IMPORT_MAX_BYTES)


def _label(model: type[SupportRecord]) -> Callable[[], str]:
    return lambda: _("Import %(kind)s") % {"kind": model._meta.verbose_name_plural}


def _plural(model: type[SupportRecord]) -> Callable[[], str]:
    return lambda: str(capfirst(model._meta.verbose_name_plural))
