from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "clearinghouse.community"
    verbose_name = _("Alumni and communities")

    def ready(self) -> None:
        from clearinghouse.community import (
            digest_tasks,  # noqa: F401  (the worker sends the digests)
            mail_replies,  # noqa: F401  (replies to digests by e-mail)
            measures,  # noqa: F401  (what monitoring counts)
            receivers,
            records,  # noqa: F401  (registers the community record type)
        )
        from clearinghouse.community.follow_up import register_links
        from clearinghouse.community.follow_up_tasks import send_follow_up_requests  # noqa: F401  (daily job)
        from clearinghouse.community.personal_data import register as register_personal_data

        register_links()
        receivers.connect()
        register_personal_data()
