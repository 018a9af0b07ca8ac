from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.helpdesk import public_views

app_name = "helpdesk"

urlpatterns: list[URLPattern] = []

# The requester's side: asking on the web, their questions, rating.
urlpatterns += [
    path("ask/", public_views.ask, name="ask"),
    path("ask/sent/<str:reference>/", public_views.asked, name="asked"),
    path("mine/", public_views.mine, name="mine"),
    path("mine/<str:reference>/", public_views.my_ticket, name="my_ticket"),
    path("mine/<str:reference>/files/<int:pk>/", public_views.my_attachment, name="my_attachment"),
    path("rate/<str:token>/<int:score>/", public_views.rate, name="rate"),
]
