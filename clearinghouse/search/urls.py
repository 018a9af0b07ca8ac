from django.urls import path

from clearinghouse.search import views

app_name = "search"
urlpatterns = [
    path("", views.search_page, name="index"),
    path("saved/", views.saved_list, name="saved"),
    path("saved/new/", views.save_search, name="save"),
    path("saved/<int:pk>/frequency/", views.change_frequency, name="saved-frequency"),
    path("saved/<int:pk>/pause/", views.pause_alerts, name="saved-pause"),
    path("saved/<int:pk>/resume/", views.resume_alerts, name="saved-resume"),
    path("saved/<int:pk>/delete/", views.delete_search, name="saved-delete"),
    path("saved/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
