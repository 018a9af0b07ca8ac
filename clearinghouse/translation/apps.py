from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationConfig(AppConfig):
    name = "clearinghouse.translation"
    verbose_name = _("Translation")

    def ready(self) -> None:
        from clearinghouse.core.navigation import register_place, register_record_panel
        from clearinghouse.publishing import registry
        from clearinghouse.publishing.signals import record_published
        from clearinghouse.translation import measures, panels, permissions, services  # noqa: F401

        # An owner's own published texts in a language are official again.
        record_published.connect(services.record_published, dispatch_uid="translation.marks")
        # Every record type's page shows its unofficial translations and the way to ask for one;
        # the types are all registered by now (each registry app comes earlier in INSTALLED_APPS).
        codes = tuple(sorted(record_type.code for record_type in registry.record_types()))
        register_record_panel(codes, "translation/_panel.html", panels.panel, order=5)
        # Anyone signed in may ask for a translation from a record's page, so anyone may follow
        # their requests (and the place costs the header no query).
        register_place(_("My translation requests"), "translation:mine", order=48)
        register_place(_("Translation queue"), "translation:queue", permissions.sees_queue, order=57)
        register_place(
            _("Translators"), "translation:translators", permissions.can_manage_translators, order=96
        )
