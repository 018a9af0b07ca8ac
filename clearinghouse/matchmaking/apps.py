from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "clearinghouse.matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        from clearinghouse.matchmaking.receivers import forget_explanations, open_case_for_request
        from clearinghouse.needs.models import Request
        from clearinghouse.publishing.signals import record_published, record_withdrawn

        record_published.connect(
            open_case_for_request, sender=Request, dispatch_uid="matchmaking-open-case-for-request"
        )
        record_published.connect(forget_explanations, dispatch_uid="matchmaking-forget-explanations")
        record_withdrawn.connect(forget_explanations, dispatch_uid="matchmaking-forget-explanations")
