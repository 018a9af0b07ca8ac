from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class MatchmakingConfig(AppConfig):
    name = "clearinghouse.matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        from clearinghouse.matching.signals import catalogues_changed
        from clearinghouse.matchmaking import measures  # noqa: F401  (declares what monitoring counts)
        from clearinghouse.matchmaking.receivers import (
            explain_changed_suggestions,
            forget_explanations,
            open_case_for_request,
        )
        from clearinghouse.needs.models import Request
        from clearinghouse.publishing.signals import record_changed, record_published

        record_published.connect(
            open_case_for_request, sender=Request, dispatch_uid="matchmaking-open-case-for-request"
        )
        # Published again, withdrawn, or another change: explanations of other revisions go.
        record_changed.connect(forget_explanations, dispatch_uid="matchmaking-forget-explanations")
        # The worker wrote a change to a catalogue: explanations are made before a page asks.
        catalogues_changed.connect(explain_changed_suggestions, dispatch_uid="matchmaking-explain-ahead")

        from clearinghouse.core import showcase
        from clearinghouse.matchmaking.models import Cooperation

        # Every agreed match became a cooperation: the partnerships the matchmaking made.
        showcase.register_figure(
            showcase.Figure(
                key="partnerships",
                order=50,
                count=Cooperation.objects.count,
                label=lambda count: (
                    ngettext(
                        "%(count)s partnership made through matchmaking",
                        "%(count)s partnerships made through matchmaking",
                        count,
                    )
                    % {"count": showcase.number(count)}
                ),
            )
        )

        # Its part of a person's data, for their download and the closing of their account.
        from clearinghouse.matchmaking.personal_data import register as register_personal_data

        register_personal_data()

        from clearinghouse.core.navigation import register_place
        from clearinghouse.matchmaking import sides

        register_place(_("Matchmaking console"), "matchmaking:console", sides.is_coordinator, order=20)
        register_place(_("My matches"), "matchmaking:mine", sides.may_have_matches, order=30)
        # Where providers find the needs the help desk circulated, and say "I can help".
        register_place(
            _("Needs seeking support"),
            "matchmaking:seeking",
            lambda user: sides.may_have_matches(user) or sides.is_coordinator(user),
            order=35,
        )
