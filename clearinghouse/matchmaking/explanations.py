"""Explanations of suggestions kept in the database (StoredExplanation), so that the console and
the case page make each one once per pair of published revisions: what the matcher reads and
writes through ``suggestions.ExplanationStore``."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.db.models import Q

from clearinghouse.matching.profiles import Explanation
from clearinghouse.matching.suggestions import ExplanationKey
from clearinghouse.matchmaking.models import StoredExplanation
from clearinghouse.publishing.models import Record

_UNIQUE = ["need_identifier", "need_revision", "support_identifier", "support_revision", "embedder"]


class StoredExplanations:
    """The matcher's explanation store: one query to read any number, one to write."""

    def read(self, keys: Collection[ExplanationKey]) -> dict[ExplanationKey, Explanation]:
        """The stored explanations of these keys; one made from something else (another digest)
        is left out, to be made again."""
        if not keys:
            return {}
        wanted = {_row_key(key): key for key in keys}
        rows = StoredExplanation.objects.filter(
            need_identifier__in={key.need for key in keys},
            support_identifier__in={key.support for key in keys},
            embedder__in={key.embedder for key in keys},
        ).values_list(*_UNIQUE, "digest", "explanation")
        found: dict[ExplanationKey, Explanation] = {}
        for *unique, digest, explanation in rows:
            key = wanted.get(tuple(unique))
            if key is not None and key.digest == digest:
                found[key] = Explanation.from_json(explanation)
        return found

    def write(self, explanations: Mapping[ExplanationKey, Explanation]) -> None:
        """Store these explanations, replacing any of the same revisions (made from something
        else, or by another process at the same time)."""
        StoredExplanation.objects.bulk_create(
            [
                StoredExplanation(
                    need_identifier=key.need,
                    need_revision=key.need_revision,
                    support_identifier=key.support,
                    support_revision=key.support_revision,
                    embedder=key.embedder,
                    digest=key.digest,
                    explanation=explanation.to_json(),
                )
                for key, explanation in explanations.items()
            ],
            update_conflicts=True,
            unique_fields=_UNIQUE,
            update_fields=["digest", "explanation", "created_at"],
        )


def _row_key(key: ExplanationKey) -> tuple[Any, ...]:
    return (key.need, key.need_revision, key.support, key.support_revision, key.embedder)


def forget_other_revisions(record: Record) -> None:
    """Delete the explanations made from a revision of this record other than its published one
    (all of them once it is withdrawn): they may say what it no longer says (an expert's
    biography, after consent was withdrawn)."""
    revision = record.live_revision_number if record.live else None
    StoredExplanation.objects.filter(
        (Q(need_identifier=record.identifier) & ~Q(need_revision=revision))
        | (Q(support_identifier=record.identifier) & ~Q(support_revision=revision))
    ).delete()
