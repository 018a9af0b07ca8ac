from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "clearinghouse.exchange"
    verbose_name = _("Imports")

    def ready(self) -> None:
        # Its part of a person's data, for their download and the closing of their account.
        from clearinghouse.exchange.personal_data import register as register_personal_data

        register_personal_data()

        from clearinghouse.core.navigation import register_place
        from clearinghouse.exchange.services import may_import

        register_place(_("My imports"), "exchange:mine", may_import, order=60)

        from pathlib import Path

        from clearinghouse.core import backups
        from clearinghouse.exchange.models import upload_storage

        backups.register_files(
            backups.Files(
                "imports",
                lambda: Path(upload_storage().path("")),
                "uploads waiting for their import job (STORAGES['imports'])",
            )
        )
