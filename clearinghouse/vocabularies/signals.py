"""``loading_reference`` is sent by ``loadreference`` inside its transaction, after the countries
and vocabularies: apps higher up (which this app may not import) load their own reference data
then. A receiver returns ``(name, total, changed)`` for the summary line, and raises CommandError
to stop the run (nothing is then changed)."""

from __future__ import annotations

from django.dispatch import Signal

loading_reference = Signal()
