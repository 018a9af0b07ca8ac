"""The snippet generator, in every language: /<lang>/widgets/."""

from django.urls import path

from clearinghouse.widgets import views

app_name = "widgets_generator"
urlpatterns = [path("", views.generator, name="generator")]
