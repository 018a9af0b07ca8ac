"""Sent after a record becomes public or stops being public (search indexing listens)."""

from django.dispatch import Signal

record_published = Signal()  # record=
record_withdrawn = Signal()  # record=
