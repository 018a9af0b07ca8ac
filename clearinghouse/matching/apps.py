from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "clearinghouse.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from clearinghouse.matching import receivers
        from clearinghouse.publishing.signals import record_changed

        record_changed.connect(receivers.record_changed, dispatch_uid="matching-record-changed")

        from clearinghouse.core import backups

        backups.register_derived(
            backups.Derived(
                "matching-caches",
                "this host's caches of the matching catalogues (MATCHING_INDEX_DIR); the records' "
                "vectors are in the database",
                rebuild=("rebuildmatching", "--sync"),
            )
        )
