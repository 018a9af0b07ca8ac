"""Stable public identifiers: CB-<TYPE>-<OWNER>-<NUMBER>, e.g. CB-NEED-KE-000123.

The owner part is the Party's ISO code or the organisation's code; the number counts per type
and owner. Identifiers are given once, when a record is first saved, and never change.
"""

from __future__ import annotations

from django.db import transaction

from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing.models import IdentifierSequence


def owner_code(owner: Country | Organisation) -> str:
    return owner.code


@transaction.atomic
def next_identifier(record_type: str, owner: Country | Organisation) -> str:
    prefix = f"CB-{record_type}-{owner_code(owner)}"
    sequence, _created = IdentifierSequence.objects.select_for_update().get_or_create(prefix=prefix)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{prefix}-{sequence.last:06d}"
