"""Routes of the quality app's review pages."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.quality import review_views as views

urlpatterns: list[URLPattern] = [
    path("reviews/", views.mine, name="my_reviews"),
    path("reviews/item/<str:identifier>/", views.item_reviews, name="item_reviews"),
    path("reviews/<int:pk>/", views.review_page, name="review"),
    path("reviews/<int:pk>/<slug:action>/", views.review_action, name="review_action"),
    path("reviews/assignments/<int:pk>/", views.assignment, name="assignment"),
    path("reviews/assignments/<int:pk>/decline/", views.decline, name="assignment_decline"),
]
