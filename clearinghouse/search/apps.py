from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "clearinghouse.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from clearinghouse.organisations.signals import organisation_changed
        from clearinghouse.publishing.signals import record_changed
        from clearinghouse.search import receivers

        record_changed.connect(receivers.record_changed, dispatch_uid="search-record-changed")
        organisation_changed.connect(
            receivers.organisation_changed, dispatch_uid="search-organisation-changed"
        )

        # Its part of a person's data, for their download and the closing of their account.
        from clearinghouse.search.personal_data import register as register_personal_data

        register_personal_data()

        from clearinghouse.core.navigation import register_place

        register_place(_("My saved searches"), "search:saved", order=70)

        from clearinghouse.core import backups

        backups.register_derived(
            backups.Derived(
                "search-index",
                "the search index, in the database (SQLite FTS5 or PostgreSQL text search): restored with "
                "it, then rebuilt from the records",
                rebuild=("rebuildindex",),
            )
        )
