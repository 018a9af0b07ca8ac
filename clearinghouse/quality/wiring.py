"""What the quality app plugs into when Django starts: each area's receivers, record-page
panels, header places, monitoring measures and personal-data declarations. One function per
area, so each area keeps its own list."""

from __future__ import annotations


def connect() -> None:
    from clearinghouse.quality import measures  # noqa: F401  (what monitoring counts)

    _standards()
    _checklists()
    _reviews()
    _ratings()
    _dashboard()


def _standards() -> None:
    from django.utils.translation import gettext_lazy

    from clearinghouse.core.navigation import register_place
    from clearinghouse.quality.standards import may_edit

    # The Secretariat keeps the standards: its drafts are listed there.
    register_place(gettext_lazy("Quality standards and checklists"), "quality:standards", may_edit, order=94)


def _checklists() -> None:
    pass


def _reviews() -> None:
    pass


def _ratings() -> None:
    pass


def _dashboard() -> None:
    pass
