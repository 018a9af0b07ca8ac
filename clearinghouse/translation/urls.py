from __future__ import annotations

from django.urls import path

from clearinghouse.translation import views

app_name = "translation"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("mine/", views.mine, name="mine"),
    path("coverage/", views.coverage, name="coverage"),
    path("translators/", views.translators, name="translators"),
    path("ask/<str:identifier>/", views.ask, name="ask"),
    path("requests/<int:pk>/", views.detail, name="detail"),
    path("requests/<int:pk>/draft/", views.draft, name="draft"),
    path("requests/<int:pk>/file/", views.draft_file, name="file"),
    path("requests/<int:pk>/claim/", views.claim, name="claim"),
    path("requests/<int:pk>/release/", views.release, name="release"),
    path("requests/<int:pk>/submit/", views.submit, name="submit"),
    path("requests/<int:pk>/approve/", views.approve, name="approve"),
    path("requests/<int:pk>/return/", views.return_draft, name="return"),
    path("requests/<int:pk>/decline/", views.decline, name="decline"),
    path("requests/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
