"""Pages of the knowledge products: the list with its filters, a product's page, writing and
editing one (through the publishing workflow), a translation, the export, the one step from a
completed cooperation, and the knowledge page of a subject or GBF target. Views parse and
render; services.py and the publishing workflow decide."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.languages import LANGUAGE_CHOICES, content_language
from clearinghouse.core.multilingual import show
from clearinghouse.core.params import whole_number
from clearinghouse.exchange.checks import RefusedFileError
from clearinghouse.exchange.services import start_import
from clearinghouse.knowledge import services
from clearinghouse.knowledge.filtersets import KnowledgeFilter
from clearinghouse.knowledge.forms import ImportForm, KnowledgeForm, TextsForm
from clearinghouse.knowledge.models import TEXTS, Knowledge
from clearinghouse.learning.models import Course
from clearinghouse.matchmaking import sides
from clearinghouse.matchmaking.models import Cooperation
from clearinghouse.publishing import access, documents, exchange, owners, registry, usage, workflow
from clearinghouse.publishing.models import State, Usage
from clearinghouse.publishing.views import translation_page
from clearinghouse.support.models import Resource
from clearinghouse.vocabularies.models import Term

RELATED = ("subjects", "gbf_targets", "countries", "events", "courses", "plan_activities")
MANY = ("events", "courses", "countries", "subjects", "gbf_targets", "plan_activities")
TOPIC_SIZE = 50
PAGE_SIZE = 25


def _row(record: Any, *names: str) -> dict[str, Any]:
    """A record's texts in the reader's language (with their language and direction)."""
    language = content_language()
    return {name: show(getattr(record, name) or {}, record.original_language, language) for name in names}


def _live_list(queryset: Iterable[Any], *names: str) -> list[tuple[Any, dict[str, Any]]]:
    return [(record, _row(record, *names)) for record in queryset]


# --- the list and the record ----------------------------------------------------------------------


@require_safe
def knowledge_list(request: HttpRequest) -> HttpResponse:
    """Published knowledge products, newest first, by kind, subject, target, Party and language."""
    found = Knowledge.objects.filter(live=True).select_related("owner_country", "owner_organisation")
    filterset = KnowledgeFilter(request.GET or None, queryset=found)
    products = filterset.qs.prefetch_related("subjects", "gbf_targets").order_by("-last_published_at", "-pk")
    used = Term.objects.filter(pk__in=Knowledge.objects.filter(live=True).values("subjects"))
    targets = Term.objects.filter(pk__in=Knowledge.objects.filter(live=True).values("gbf_targets"))
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filterset.form,
        "page": page,
        "rows": _live_list(page.object_list, "title", "summary"),
        "may_create": services.may_create(request.user),
        "subjects": used.order_by("position", "code"),
        "targets": targets.order_by("position", "code"),
        "search_query": "?record_type=knowledge",
    }
    return render(request, "knowledge/list.html", context)


def _product(identifier: str) -> Knowledge:
    return get_object_or_404(
        Knowledge.objects.select_related("owner_country", "owner_organisation", "cooperation"),
        identifier=identifier.upper(),
    )


@require_safe
def detail(request: HttpRequest, identifier: str) -> HttpResponse:
    product = _product(identifier)
    if not access.can_see(request.user, product):
        raise Http404
    usage.record_used(request, product, Usage.VIEW)
    context = documents.page_context(request, product)
    texts = _row(product, *TEXTS)
    context |= {
        "product": product,
        "party_list": reverse("knowledge:list"),
        "texts": texts,
        "sections": [
            (getattr(Knowledge._meta.get_field(name), "verbose_name", name), texts[name])
            for name in TEXTS[2:]
        ],
        "events": _live_list(product.events.filter(live=True), "title"),
        "courses": _live_list(product.courses.filter(live=True), "title"),
        "countries": list(product.countries.all()),
        "subjects": list(product.subjects.order_by("position", "code")),
        "targets": list(product.gbf_targets.order_by("position", "code")),
        "activities": documents.served_activities(
            product, list(product.plan_activities.values_list("pk", flat=True))
        ),
        "may_edit": request.user.has_perm("records.draft", product)
        and product.state not in {State.SUBMITTED, State.ARCHIVED},
        "translations": [
            (code, name) for code, name in LANGUAGE_CHOICES if code != product.original_language
        ],
    }
    return render(request, "knowledge/detail.html", context)


# --- writing --------------------------------------------------------------------------------------


def _values(data: dict[str, Any], language: str, working: Knowledge | None) -> dict[str, Any]:
    def texts(name: str) -> dict[str, str]:
        current = dict(getattr(working, name, None) or {})
        if data.get(name):
            current[language] = data[name]
        else:
            current.pop(language, None)
        return current

    return {
        "kind": data["kind"],
        **{name: texts(name) for name in TEXTS},
        **{name: list(data[name]) for name in MANY},
    }


def _saved(request: HttpRequest, product: Knowledge, user: Any) -> None:
    if request.POST.get("action") == "submit":
        workflow.submit(product, actor=user)
        messages.success(request, _("Submitted for review. The reviewers have been told."))
    else:
        messages.success(request, _("Draft saved."))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Write a knowledge product: a draft, submitted for review when asked."""
    user = signed_in(request)
    if not services.may_create(user):
        raise PermissionDenied
    form = KnowledgeForm(
        request.POST or None,
        owners=owners.owner_choices(user),
        initial={"original_language": content_language()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        language = data["original_language"]
        try:
            product = services.create(
                actor=user,
                owner=owners.owner_from_choice(data["owner"]),
                values={"original_language": language, **_values(data, language, None)},
            )
            _saved(request, product, user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(product.get_absolute_url())
    return render(request, "knowledge/form.html", {"form": form, "product": None})


def _editable(request: HttpRequest, identifier: str) -> Knowledge:
    product = _product(identifier)
    if not request.user.has_perm("records.draft", product):
        raise PermissionDenied
    if product.state in {State.SUBMITTED, State.ARCHIVED}:
        raise PermissionDenied(
            _("This knowledge product is waiting for review or archived; it cannot be changed now.")
        )
    return product


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, identifier: str) -> HttpResponse:
    product = _editable(request, identifier)
    working, many = workflow.working_copy(product)
    language = product.original_language
    initial = {
        "original_language": language,
        "kind": working.kind,
        **{name: (getattr(working, name) or {}).get(language, "") for name in TEXTS},
        **{name: many.get(name, []) for name in MANY},
    }
    form = KnowledgeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user = signed_in(request)
        try:
            workflow.save_draft(
                product,
                actor=user,
                values=_values(form.cleaned_data, language, working),
                base_revision=whole_number(request.POST, "base_revision") or None,
            )
            _saved(request, product, user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(product.get_absolute_url())
    return render(request, "knowledge/form.html", {"form": form, "product": product})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def translate(request: HttpRequest, identifier: str, language: str) -> HttpResponse:
    product = _editable(request, identifier)
    return translation_page(request, product, language, form=TextsForm(request.POST or None))


@require_safe
def export(request: HttpRequest) -> HttpResponse:
    """Published knowledge products as a workbook, CSV or JSON (``?format=``); ``?template=1``
    gives the workbook empty, to fill in."""
    format_name = request.GET.get("format", "xlsx")
    if format_name not in exchange.FORMATS:
        raise Http404
    products = (
        Knowledge.objects.filter(live=True)
        .select_related("owner_country", "owner_organisation")
        .prefetch_related(*RELATED)
        .order_by("identifier")
    )
    if request.GET.get("template"):
        products = products.none()
    content = exchange.export(registry.of(Knowledge), products, format_name, request.user, content_language())
    response = HttpResponse(content, content_type=exchange.CONTENT_TYPES[format_name])
    response["Content-Disposition"] = f'attachment; filename="knowledge.{format_name}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_products(request: HttpRequest) -> HttpResponse:
    """Upload: the file is checked and handed to the worker, and the person follows the import
    on its page (problems, likely duplicates to confirm, or the drafts made)."""
    user = signed_in(request)
    if not services.may_create(user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, owners=owners.owner_choices(user))
    knowledge = registry.of(Knowledge)
    if request.method == "POST" and form.is_valid():
        owner = owners.owner_from_choice(form.cleaned_data["owner"])
        try:
            job = start_import(
                user, owner, exchange.kind_name(knowledge), form.cleaned_data["file"], content_language()
            )
        except RefusedFileError as refused:
            form.add_error("file", str(refused))
        else:
            return redirect("exchange:job", pk=job.pk)
    context = {"form": form, "columns": exchange.columns(knowledge)}
    return render(request, "knowledge/import.html", context)


# --- one step from a cooperation ------------------------------------------------------------------


@login_required
@require_POST
def from_cooperation(request: HttpRequest, match_id: int) -> HttpResponse:
    """ "Write a case study from this outcome": the side's draft, made now or found, opened."""
    cooperation = get_object_or_404(Cooperation.objects.select_related("match"), match_id=match_id)
    user = signed_in(request)
    if not sides.can_see(user, cooperation.match):
        raise Http404
    try:
        product, made = services.write_from_outcome(cooperation, actor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(cooperation.get_absolute_url())
    if made:
        messages.success(
            request,
            _("A draft case study was written from the outcome. Complete it, then submit it for review."),
        )
    elif product.live:
        messages.info(request, _("Your side has already published a case study from this cooperation."))
        return redirect(product.get_absolute_url())
    else:
        messages.info(
            request, _("Your side already has a draft case study from this cooperation: here it is.")
        )
    return redirect(reverse("knowledge:edit", args=[product.identifier]))


def cooperation_panel(request: HttpRequest, cooperation: Cooperation) -> dict[str, Any] | None:
    """On a cooperation's page (matchmaking): its published knowledge products, the side's
    drafts, and the button that writes a case study from its outcome for the sides."""
    reader = request.user
    published = Knowledge.objects.filter(cooperation=cooperation, live=True)
    owner = services.side_owner(reader, cooperation) if reader.is_authenticated else None
    outcome = services.outcome_of(cooperation)
    written = services.written_from(cooperation, owner) if owner is not None else None
    if not published.exists() and (owner is None or outcome is None):
        return None
    return {
        "products": _live_list(published, "title"),
        "may_write": owner is not None and outcome is not None and written is None,
        "draft": written if written is not None and not written.live else None,
        "match_id": cooperation.match_id,
    }


# --- knowledge pages by subject and target ------------------------------------------------------


def _topic(request: HttpRequest, term: Term, field: str) -> HttpResponse:
    condition = {field: term}
    products = (
        Knowledge.objects.filter(live=True, **condition)
        .select_related("owner_country", "owner_organisation")
        .order_by("-last_published_at", "-pk")[:TOPIC_SIZE]
    )
    resources = Resource.objects.filter(live=True, **condition).order_by("-last_published_at", "-pk")[
        :TOPIC_SIZE
    ]
    courses = Course.objects.filter(live=True, **condition).order_by("-last_published_at", "-pk")[:TOPIC_SIZE]
    facet = "subject" if field == "subjects" else "target"
    context = {
        "term": term,
        "is_target": field == "gbf_targets",
        "products": _live_list(products, "title", "summary"),
        "resources": _live_list(resources, "title"),
        "courses": _live_list(courses, "title", "summary"),
        "search_query": f"?{facet}={term.code}",
        "list_query": f"?{facet}={term.code}",
    }
    return render(request, "knowledge/topic.html", context)


@require_safe
def subject(request: HttpRequest, code: str) -> HttpResponse:
    term = get_object_or_404(Term, vocabulary__name="subjects", code=code)
    return _topic(request, term, "subjects")


@require_safe
def target(request: HttpRequest, code: str) -> HttpResponse:
    term = get_object_or_404(Term, vocabulary__name="gbf-targets", code=code.upper())
    return _topic(request, term, "gbf_targets")
