from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from clearinghouse.vocabularies.api.serializers import (
    TermSerializer,
    VocabularyQuerySerializer,
    VocabularySerializer,
    VocabularySummarySerializer,
)
from clearinghouse.vocabularies.models import Term, Vocabulary


def with_term_count(queryset: QuerySet[Vocabulary]) -> QuerySet[Vocabulary]:
    return queryset.annotate(term_count=Count("terms", filter=Q(terms__is_active=True)))


def terms() -> QuerySet[Term]:
    """Terms with what their serializer shows, fetched in a fixed number of queries."""
    codes = Term.objects.only("id", "code").order_by("position", "code")
    return (
        Term.objects.select_related("parent")
        .prefetch_related(Prefetch("maps_to", queryset=codes), Prefetch("mapped_from", queryset=codes))
        .order_by("position", "code")
    )


def vocabulary_or_404(name: str, queryset: QuerySet[Vocabulary] | None = None) -> Vocabulary:
    vocabulary = (queryset if queryset is not None else Vocabulary.objects.all()).filter(name=name).first()
    if vocabulary is None:
        raise NotFound(_("There is no vocabulary named “%(name)s”.") % {"name": name})
    return vocabulary


class VocabularyList(generics.ListAPIView[Vocabulary]):
    """The controlled vocabularies (targets, subjects, support types, ...), with their versions."""

    permission_classes = [AllowAny]
    serializer_class = VocabularySummarySerializer

    def get_queryset(self) -> QuerySet[Vocabulary]:
        return with_term_count(Vocabulary.objects.order_by("name"))


@extend_schema(parameters=[VocabularyQuerySerializer])
class VocabularyDetail(generics.RetrieveAPIView[Vocabulary]):
    """A vocabulary with its terms, in display order; terms withdrawn from it are left out unless
    asked for."""

    permission_classes = [AllowAny]
    serializer_class = VocabularySerializer

    def get_object(self) -> Vocabulary:
        query = VocabularyQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        listed = terms() if query.validated_data["include_inactive"] else terms().filter(is_active=True)
        queryset = with_term_count(Vocabulary.objects.prefetch_related(Prefetch("terms", queryset=listed)))
        return vocabulary_or_404(str(self.kwargs["name"]), queryset)


@extend_schema_view(get=extend_schema(operation_id="v1_vocabularies_term_retrieve"))
class TermDetail(generics.RetrieveAPIView[Term]):
    """One term of a vocabulary, by its code (withdrawn terms too: records may still use them)."""

    permission_classes = [AllowAny]
    serializer_class = TermSerializer

    def get_object(self) -> Term:
        vocabulary = vocabulary_or_404(str(self.kwargs["name"]))
        code = str(self.kwargs["code"])
        term = terms().filter(vocabulary=vocabulary, code=code).first()
        if term is None:
            raise NotFound(
                _("The vocabulary “%(name)s” has no term with the code “%(code)s”.")
                % {"name": vocabulary.name, "code": code}
            )
        return term
