from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HarvestConfig(AppConfig):
    name = "clearinghouse.harvest"
    verbose_name = _("Harvesting")

    def ready(self) -> None:
        from clearinghouse.accounts import roles
        from clearinghouse.core.navigation import register_place
        from clearinghouse.harvest import services
        from clearinghouse.harvest.mappings import MAPPINGS
        from clearinghouse.publishing import origins

        register_place(_("Harvest sources"), "harvest:sources", roles.is_secretariat, order=62)

        # Harvested records are read-only here and link to their original.
        origins.register_origin(
            "harvest",
            services.locate_origins,
            record_types={mapping.model.RECORD_TYPE for mapping in MAPPINGS.values()},
        )
