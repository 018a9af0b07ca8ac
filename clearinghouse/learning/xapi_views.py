"""Downloading xAPI statements: a learner's own, as one JSON document in the xAPI
StatementResult shape; everybody's for the Secretariat, as JSON lines (one statement a line),
with how many are still waiting for the learning record store."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.learning import xapi, xapi_tasks
from clearinghouse.learning.models import Activity


@login_required
@require_safe
def my_statements(request: HttpRequest) -> HttpResponse:
    """Everything I did in every course, as xAPI statements (a JSON file)."""
    user = signed_in(request)
    document = {"statements": list(xapi.statements(xapi.of_learner(user.pk))), "more": ""}
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="my-learning-statements.json"'
    response["X-Experience-API-Version"] = xapi.VERSION
    return response


def _secretariat(request: HttpRequest) -> None:
    if not signed_in(request).has_perm("learning.export_statements"):
        raise PermissionDenied(_("Only the Secretariat exports the learning statements."))


@login_required
@require_safe
def statements(request: HttpRequest) -> HttpResponse:
    """The Secretariat's page: how many statements there are, sent and waiting, and the export."""
    _secretariat(request)
    waiting = xapi_tasks.unsent_count()
    return render(
        request,
        "learning/xapi/statements.html",
        {
            "recorded": Activity.objects.count(),
            "waiting": waiting,
            "store": settings.LEARNING_LRS_ENDPOINT,
            "failure": xapi_tasks.oldest_failure(),
        },
    )


@login_required
@require_safe
def statements_export(request: HttpRequest) -> StreamingHttpResponse:
    """Every statement, one JSON document a line, streamed as it is read."""
    _secretariat(request)

    def lines() -> Iterator[str]:
        for made in xapi.statements(Activity.objects.all()):
            yield json.dumps(made, ensure_ascii=False) + "\n"

    response = StreamingHttpResponse(lines(), content_type="application/x-ndjson; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="learning-statements-{stamp}.jsonl"'
    return response
