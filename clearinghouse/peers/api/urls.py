from django.urls import path

from clearinghouse.peers.api.views import NeedPeersView

urlpatterns = [
    path("needs/<str:identifier>/peers/", NeedPeersView.as_view(), name="need-peers"),
]
