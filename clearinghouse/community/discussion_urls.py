"""Routes of the community app: communities of practice (composed in urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.community import discussion_views as views

urlpatterns: list[URLPattern] = [
    path("communities/", views.communities, name="communities"),
    path("communities/new/", views.community_new, name="community_new"),
    path("communities/<str:identifier>/", views.community_page, name="community"),
    path("communities/<str:identifier>/edit/", views.community_edit, name="community_edit"),
    path(
        "communities/<str:identifier>/translate/<str:language>/",
        views.community_translate,
        name="community_translate",
    ),
    path("communities/<str:identifier>/join/", views.join, name="join"),
    path("communities/<str:identifier>/leave/", views.leave, name="leave"),
    path("communities/<str:identifier>/members/", views.members, name="members"),
    path("communities/<str:identifier>/moderation/", views.moderation_page, name="moderation"),
    path(
        "communities/<str:identifier>/members/<int:pk>/<str:action>/",
        views.member_action,
        name="member_action",
    ),
    path("communities/<str:identifier>/topics/new/", views.topic_new, name="topic_new"),
    path("communities/<str:identifier>/topics/<int:pk>/", views.topic_page, name="topic"),
    path(
        "communities/<str:identifier>/topics/<int:pk>/<str:action>/",
        views.topic_action,
        name="topic_action",
    ),
    path("communities/<str:identifier>/posts/<int:pk>/<str:action>/", views.post_action, name="post_action"),
    path("communities/<str:identifier>/files/<int:pk>/", views.attachment, name="attachment"),
]
