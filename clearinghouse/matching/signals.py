"""What the catalogues announce to what is derived from suggestions (matchmaking's stored
explanations): ``catalogues_changed`` is sent by the worker once it has written a change and
brought its own host's cache up to date, so a receiver that matches sees the change."""

from __future__ import annotations

from django.dispatch import Signal

# catalogues=set[Catalogue] (those written), identifiers=list[str] (the records written or taken
# out; empty after a rebuild, which changes every ranking: the language means move).
catalogues_changed = Signal()
