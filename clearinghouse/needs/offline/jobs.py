"""The needs imports the worker runs (see clearinghouse.exchange): a filled-in template, and
ODK Central or KoboToolbox submissions of the XLSForm."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from clearinghouse.exchange import checks, registry
from clearinghouse.needs.offline.importer import ImportResult, import_submissions, import_workbook
from clearinghouse.needs.offline.reader import upload_limits

WORKBOOK = "needs-workbook"
SUBMISSIONS = "needs-submissions"


def _outcome(result: ImportResult) -> registry.Outcome:
    return registry.Outcome(
        created=list(result.created),
        unchanged=result.unchanged,
        problems=list(result.problems),
    )


def _workbook(request: registry.Request) -> registry.Outcome:
    return _outcome(
        import_workbook(request.actor, request.owner, request.content, request.language, request.progress)
    )


def _submissions(request: registry.Request) -> registry.Outcome:
    return _outcome(
        import_submissions(request.actor, request.owner, request.content, request.language, request.progress)
    )


def _kind(
    name: str, label: Callable[[], str], formats: set[str], run: registry.Runner
) -> registry.ImportKind:
    return registry.ImportKind(
        name=name,
        label=label,
        formats=frozenset(formats),
        max_bytes=lambda: upload_limits()[0],
        run=run,
        back=("needs_offline:index", ()),
        back_label=lambda: _("Back to the offline tools"),
    )


def register_imports() -> None:
    """Offer both needs imports to the worker and the job pages."""
    registry.register(_kind(WORKBOOK, lambda: _("Upload a filled-in template"), {checks.XLSX}, _workbook))
    registry.register(
        _kind(
            SUBMISSIONS,
            lambda: _("Import ODK or KoboToolbox submissions"),
            {checks.CSV, checks.JSON},
            _submissions,
        )
    )
