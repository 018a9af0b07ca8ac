from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.contrib.auth.models import AbstractUser
from django.db.models import Count, Q, QuerySet
from django.forms import BaseModelForm
from django.forms.formsets import BaseFormSet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from clearinghouse.vocabularies import services
from clearinghouse.vocabularies.forms import TermForm, TermFormSet, VocabularyForm
from clearinghouse.vocabularies.models import Term, Vocabulary, VocabularyRevision


def may_edit_vocabularies(request: HttpRequest) -> bool:
    """The Secretariat edits vocabularies (superusers, Secretariat appointments, or anyone
    given the model permission)."""
    return request.user.has_perm("vocabularies.change_vocabulary")


class TermInline(admin.TabularInline[Term, Vocabulary]):
    model = Term
    form = TermForm
    formset = TermFormSet
    fields = ["code", "labels", "parent", "maps_to", "position", "is_active"]
    extra = 1
    # Records point at terms: withdraw a term by unticking "in use", never by deleting it.
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Term]:
        return super().get_queryset(request).prefetch_related("maps_to")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_edit_vocabularies(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_edit_vocabularies(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_edit_vocabularies(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RevisionInline(admin.TabularInline[VocabularyRevision, Vocabulary]):
    model = VocabularyRevision
    fields = ["version", "created_at", "created_by", "note"]
    readonly_fields = ["version", "created_at", "created_by", "note"]
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("revisions")

    def get_queryset(self, request: HttpRequest) -> QuerySet[VocabularyRevision]:
        return super().get_queryset(request).select_related("created_by")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_edit_vocabularies(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Vocabulary)
class VocabularyAdmin(admin.ModelAdmin[Vocabulary]):
    """Vocabularies, edited by the Secretariat; every save that changes one raises its version
    and keeps a revision, through the same service as `clearinghouse loadreference`."""

    form = VocabularyForm
    list_display = ["name", "title", "version", "release", "term_count", "updated_at"]
    search_fields = ["name"]
    fields = ["name", "titles", "source", "release", "version", "updated_at", "note"]
    readonly_fields = ["release", "version", "updated_at"]
    inlines = [TermInline, RevisionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Vocabulary]:
        return (
            super()
            .get_queryset(request)
            .annotate(active_terms=Count("terms", filter=Q(terms__is_active=True)))
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Vocabulary | None = None) -> list[str]:
        # The name is the vocabulary's address in the API and in the data files: fixed once made.
        return [*self.readonly_fields, "name"] if obj is not None else list(self.readonly_fields)

    @admin.display(description=_("title"))
    def title(self, vocabulary: Vocabulary) -> str:
        return vocabulary.title()

    @admin.display(description=_("terms in use"), ordering="active_terms")
    def term_count(self, vocabulary: Vocabulary) -> int:
        return int(getattr(vocabulary, "active_terms", 0))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_edit_vocabularies(request) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_edit_vocabularies(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_edit_vocabularies(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_edit_vocabularies(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_related(
        self,
        request: HttpRequest,
        form: BaseModelForm[Vocabulary],
        formsets: list[BaseFormSet[Any]],
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        user = request.user if isinstance(request.user, AbstractUser) else None
        services.record_revision(form.instance, user=user, note=form.cleaned_data.get("note", ""))


@admin.register(VocabularyRevision)
class VocabularyRevisionAdmin(admin.ModelAdmin[VocabularyRevision]):
    """Revisions are a record of what happened: read only."""

    list_display = ["vocabulary", "version", "created_at", "created_by", "note"]
    list_filter = ["vocabulary"]
    list_select_related = ["vocabulary", "created_by"]
    fields = ["vocabulary", "version", "created_at", "created_by", "note", "content"]
    readonly_fields = ["content"]

    @admin.display(description=_("snapshot"))
    def content(self, revision: VocabularyRevision) -> str:
        return format_html("<pre>{}</pre>", json.dumps(revision.snapshot, ensure_ascii=False, indent=2))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_edit_vocabularies(request) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_edit_vocabularies(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
