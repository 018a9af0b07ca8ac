from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.helpdesk import views

app_name = "helpdesk"

urlpatterns: list[URLPattern] = []

# The agents' work: their desks, the queues, a ticket and its actions, a ticket opened for someone.
urlpatterns += [
    path("", views.home, name="home"),
    path("desks/<slug:code>/", views.queue, name="queue"),
    path("new/", views.open_for_someone, name="open_for"),
    path("tickets/<str:reference>/", views.ticket_page, name="ticket"),
    path("tickets/<str:reference>/<slug:action>/", views.ticket_action, name="ticket_action"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
