"""Routes of the community app: alumni (composed in urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.community import alumni_views

urlpatterns: list[URLPattern] = [
    path("alumni/me/", alumni_views.profile, name="profile"),
    path("alumni/me/consent/", alumni_views.consent, name="consent"),
    path("alumni/me/expertise/", alumni_views.offer_expertise, name="offer_expertise"),
    path("alumni/consent/<str:token>/", alumni_views.consent_link, name="consent_link"),
    path("alumni/claim/<str:token>/", alumni_views.claim, name="claim"),
    path("alumni/", alumni_views.directory, name="directory"),
    path("alumni/<int:pk>/", alumni_views.alumnus, name="alumnus"),
    path("messages/", alumni_views.inbox, name="messages"),
    path("messages/to/<int:user_pk>/", alumni_views.write, name="write"),
]
