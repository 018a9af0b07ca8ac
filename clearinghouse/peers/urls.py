from django.urls import path

from clearinghouse.peers import views

app_name = "peers"
urlpatterns = [
    path("needs/<str:identifier>/", views.need_peers, name="need"),
    path("needs/<str:identifier>/propose/<str:code>/", views.propose, name="propose"),
]
