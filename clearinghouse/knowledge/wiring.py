"""What the knowledge app plugs into when Django starts: the panel on a cooperation's page
(matchmaking shows it without importing knowledge)."""

from __future__ import annotations


def connect() -> None:
    from clearinghouse.core.navigation import register_record_panel
    from clearinghouse.knowledge import views

    register_record_panel(
        ("COOPERATION",), "knowledge/_cooperation_panel.html", views.cooperation_panel, order=40
    )
