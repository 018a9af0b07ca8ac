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
    # Nothing to plug in: the standards' pages are linked from the quality dashboard, the
    # statistics page and every quality mark.
    pass


def _checklists() -> None:
    from clearinghouse.core.navigation import register_record_panel
    from clearinghouse.quality import checklist_views, checklists

    # Each checklist's completion on the item's page, for those who keep or review it.
    register_record_panel(
        tuple(sorted(checklists.CHECKLIST_TYPES)),
        "quality/checklists/panel.html",
        checklist_views.panel,
        order=60,
    )


def _reviews() -> None:
    from django.utils.translation import gettext_lazy as _

    from clearinghouse.core.navigation import register_place, register_record_panel
    from clearinghouse.quality import items, review_services, review_views

    register_record_panel(
        tuple(sorted(items.ASSESSED_TYPES)), "quality/reviews/_panel.html", review_views.panel, order=20
    )
    register_place(
        _("My reviews"),
        "quality:my_reviews",
        lambda person: items.runs_quality(person) or review_services.has_assignments(person),
        order=58,
    )


def _ratings() -> None:
    from django.utils.translation import gettext_lazy as _

    from clearinghouse.core.navigation import register_place, register_record_panel
    from clearinghouse.publishing import registry
    from clearinghouse.publishing.signals import record_downloaded
    from clearinghouse.quality import personal_data, rating_views, ratings
    from clearinghouse.quality.items import RATED_TYPES
    from clearinghouse.search import labels

    # Who downloaded a resource may rate it.
    record_downloaded.connect(ratings.record_downloaded, dispatch_uid="quality.ratings.use")
    # A record's average rating is a search facet, named in the reader's language.
    registry.register_facets("quality.rating", ratings.facets)
    labels.register_facet(ratings.FACET, ratings.FACET_TITLE, ratings.FACET_CHOICES)
    register_record_panel(
        tuple(sorted(RATED_TYPES)), "quality/ratings/_panel.html", rating_views.panel, order=60
    )
    register_record_panel(
        ("PROV",), "quality/ratings/_provider_panel.html", rating_views.provider_panel, order=60
    )
    # The sides rate a completed cooperation from its page in matchmaking.
    register_record_panel(
        ("COOPERATION",), "quality/ratings/_cooperation_panel.html", rating_views.cooperation_panel, order=60
    )
    register_place(_("My ratings"), "quality:my_ratings", rating_views.has_ratings_place, order=85)
    personal_data.register()


def _dashboard() -> None:
    from django.utils.translation import gettext_lazy as _

    from clearinghouse.core.navigation import register_place
    from clearinghouse.quality.items import runs_quality

    register_place(_("Quality dashboard"), "quality:dashboard", runs_quality, order=25)
