"""Pages to export and import support records of every type in bulk (publishing.exchange, with
what each type declares in its registration)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.languages import content_language
from clearinghouse.exchange.checks import RefusedFileError
from clearinghouse.exchange.services import start_import
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import exchange, registry
from clearinghouse.publishing.owners import owner_from_choice, owners_for
from clearinghouse.publishing.registry import RecordType
from clearinghouse.support.models import BY_SLUG, Expert, Resource, SupportRecord


def _model(slug: str) -> type[SupportRecord]:
    """The support registry's types, and those built on its records elsewhere (events)."""
    model = BY_SLUG.get(slug) or next(
        (
            record_type.model
            for record_type in registry.record_types()
            if issubclass(record_type.model, SupportRecord) and slug == record_type.model.SLUG
        ),
        None,
    )
    if model is None or registry.of(model).exchange is None:
        raise Http404
    return model


def _type(model: type[SupportRecord]) -> RecordType:
    return registry.of(model)


@require_safe
def export(request: HttpRequest, slug: str) -> HttpResponse:
    """Published records for everyone; with ?mine=1, the person's own records, drafts included.
    Confidential fields are exported only to those who may see them (see exchange.rows). The
    workbook is in the person's language; ?template=1 gives it empty, to fill in."""
    model = _model(slug)
    format_name = request.GET.get("format", "xlsx")
    if format_name not in exchange.FORMATS:
        raise Http404
    records = model.objects.filter(live=True)
    if request.GET.get("mine") and request.user.is_authenticated:
        user = signed_in(request)
        owners = owners_for(user)
        mine = Q(owner_country__in=[owner.pk for owner in owners if isinstance(owner, Country)]) | Q(
            owner_organisation__in=[owner.pk for owner in owners if isinstance(owner, Organisation)]
        )
        if model is Expert:
            mine |= Q(expert_user=user)
        records = model.objects.filter(mine)
    fields = [model._meta.get_field(name) for name in model.CONTENT_FIELDS]
    related = [field.name for field in fields if field.many_to_many]
    if model is Resource:
        related.append("versions")
    # The owner decides, once per owner, whether the reader sees the confidential fields.
    records = (
        records.select_related(
            "owner_country", "owner_organisation", *(field.name for field in fields if field.many_to_one)
        )
        .prefetch_related(*related)
        .order_by("identifier")
    )
    if request.GET.get("template"):
        records = records.none()
    content = exchange.export(_type(model), records, format_name, request.user, content_language())
    response = HttpResponse(content, content_type=exchange.CONTENT_TYPES[format_name])
    response["Content-Disposition"] = f'attachment; filename="{slug}.{format_name}"'
    return response


class ImportForm(forms.Form):
    owner = forms.ChoiceField(label=gettext_lazy("For"))
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("Excel (.xlsx), CSV or JSON, with the columns of an export."),
    )

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]


def _owners(user: Any) -> list[tuple[str, str]]:
    choices = []
    for owner in owners_for(user):
        label = owner.name() if isinstance(owner, Country) else owner.display_name()
        choices.append((f"{'country' if isinstance(owner, Country) else 'organisation'}:{owner.pk}", label))
    return sorted(choices, key=lambda choice: choice[1].casefold())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_records(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload: the file is checked and handed to the worker, and the person follows the import
    on its page (problems, likely duplicates to confirm, or the drafts created)."""
    model = _model(slug)
    user = signed_in(request)
    owners = _owners(user)
    if not owners:
        raise PermissionDenied(
            _("You register records once your national focal point or organisation appoints you.")
        )
    form = ImportForm(request.POST or None, request.FILES or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        owner = owner_from_choice(form.cleaned_data["owner"])
        try:
            job = start_import(
                user, owner, exchange.kind_name(_type(model)), form.cleaned_data["file"], content_language()
            )
        except RefusedFileError as refused:
            form.add_error("file", str(refused))
        else:
            return redirect("exchange:job", pk=job.pk)
    context = {
        "model": model,
        "plural": model._meta.verbose_name_plural,
        "slug": slug,
        "list_url": reverse(_type(model).exchange.back[0], args=_type(model).exchange.back[1]),  # type: ignore[union-attr]
        "columns": exchange.columns(_type(model)),
        "form": form,
    }
    return render(request, "support/import.html", context)
