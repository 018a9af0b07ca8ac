from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "clearinghouse.accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        # Registers the permission rules of every role.
        from clearinghouse.accounts import permissions  # noqa: F401
