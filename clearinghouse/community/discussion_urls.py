"""Routes of the community app: communities of practice (composed in urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.community import discussion_views as views

# A community's own pages live under the short "c/<identifier>/" (as in Discourse), which the
# digests and the e-mail replies link to.
urlpatterns: list[URLPattern] = [
    path("communities/", views.communities, name="communities"),
    path("communities/new/", views.community_new, name="community_new"),
    path("c/<str:identifier>/", views.community_page, name="community"),
    path("c/<str:identifier>/edit/", views.community_edit, name="community_edit"),
    path(
        "c/<str:identifier>/translate/<str:language>/",
        views.community_translate,
        name="community_translate",
    ),
    path("c/<str:identifier>/join/", views.join, name="join"),
    path("c/<str:identifier>/leave/", views.leave, name="leave"),
    path("c/<str:identifier>/members/", views.members, name="members"),
    path("c/<str:identifier>/moderation/", views.moderation_page, name="moderation"),
    path(
        "c/<str:identifier>/members/<int:pk>/<str:action>/",
        views.member_action,
        name="member_action",
    ),
    path("c/<str:identifier>/topics/new/", views.topic_new, name="topic_new"),
    path("c/<str:identifier>/topics/<int:pk>/", views.topic_page, name="topic"),
    path(
        "c/<str:identifier>/topics/<int:pk>/<str:action>/",
        views.topic_action,
        name="topic_action",
    ),
    path("c/<str:identifier>/posts/<int:pk>/<str:action>/", views.post_action, name="post_action"),
    path("c/<str:identifier>/files/<int:pk>/", views.attachment, name="attachment"),
]
