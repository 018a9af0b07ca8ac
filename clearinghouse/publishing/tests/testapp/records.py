"""The test app's record types, each registered once: notes (searched by their title and
summary), and case studies, the worked example of docs/records.md."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.utils.feedgenerator import Atom1Feed

from clearinghouse.core.multilingual import show
from clearinghouse.exchange.fields import FieldDefinition
from clearinghouse.publishing import registry
from clearinghouse.publishing.registry import (
    Exchanged,
    Matched,
    MatchFacts,
    RecordType,
    Searched,
    Syndicated,
    codes,
)
from clearinghouse.publishing.tests.testapp.models import Case, Note


class CaseStudyFeed(Feed[Case, Any]):
    feed_type = Atom1Feed
    title = "Case studies"
    link = "/"

    def items(self) -> QuerySet[Case]:
        return Case.objects.filter(live=True).order_by("-last_published_at")[:50]

    def item_title(self, item: Case) -> str:
        return show(item.title, item.original_language).text or item.identifier

    def item_description(self, item: Case) -> str:
        return show(item.summary, item.original_language).text

    def item_link(self, item: Case) -> str:
        return item.get_absolute_url()


def case_study_facts(case: Case) -> MatchFacts:
    return MatchFacts(texts=(case.title, case.summary, case.lessons), subjects=codes(case.subjects))


def case_study_fields() -> tuple[FieldDefinition, ...]:
    return (
        FieldDefinition(
            "title", "multilingual_text", required=True, labels={"en": "Title", "fr": "Titre"}, max_length=300
        ),
        FieldDefinition(
            "summary", "multilingual_long_text", required=False, labels={"en": "Summary", "fr": "Résumé"}
        ),
        FieldDefinition(
            "lessons",
            "multilingual_long_text",
            required=False,
            labels={"en": "Lessons learned", "fr": "Leçons"},
        ),
        FieldDefinition(
            "contact_email",
            "email",
            required=False,
            labels={"en": "Contact e-mail", "fr": "Courriel de contact"},
            confidential=True,
        ),
        FieldDefinition(
            "subjects",
            "multi_choice",
            required=False,
            labels={"en": "Subjects", "fr": "Sujets"},
            vocabulary="subjects",
        ),
    )


registry.register(RecordType(model=Note, search=Searched(texts=("summary",))))
registry.register(
    RecordType(
        model=Case,
        search=Searched(
            texts=("summary", "lessons"),
            facets=lambda case: {"subject": list(codes(case.subjects))},
            prefetch_related=("subjects",),
        ),
        matching=Matched(side="support", facts=case_study_facts, prefetch_related=("subjects",)),
        feed=Syndicated("case-studies", CaseStudyFeed()),
        dimensions={"subject": "subjects__code"},
        exchange=Exchanged(fields=case_study_fields, back=("root", ())),
    )
)
