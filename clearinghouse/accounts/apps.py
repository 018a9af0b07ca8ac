from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "clearinghouse.accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        # Registers the permission rules of every role.
        from allauth.account.signals import password_changed, password_reset, password_set

        from clearinghouse.accounts import permissions
        from clearinghouse.accounts.receivers import lift_lockout, revoke_api_tokens

        password_reset.connect(lift_lockout, dispatch_uid="accounts-lift-lockout-on-reset")
        password_changed.connect(lift_lockout, dispatch_uid="accounts-lift-lockout-on-change")
        for signal, event in ((password_reset, "reset"), (password_changed, "change"), (password_set, "set")):
            signal.connect(revoke_api_tokens, dispatch_uid=f"accounts-revoke-api-tokens-on-{event}")

        from clearinghouse.accounts import data, personal_data

        for key, collect in (
            ("account", data.account),
            ("email_addresses", data.email_addresses),
            ("appointments", data.appointments),
            ("appointment_history", data.appointment_history),
            ("invitations", data.invitations),
            ("access_requests", data.access_requests),
            ("second_factors", data.second_factors),
            ("api_tokens", data.api_tokens),
            ("connected_accounts", data.connected_accounts),
            ("sign_ins", data.sign_ins),
        ):
            personal_data.register(key, collect)

        from clearinghouse.core.navigation import register_place

        register_place(
            _("Roles and appointments"),
            "accounts:appointments",
            permissions.is_secretariat | permissions.is_focal_point,
            order=80,
        )
        register_place(_("API tokens"), "accounts:tokens", order=90)
