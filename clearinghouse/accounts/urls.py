from django.urls import path

from clearinghouse.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("appointments/", views.appointments, name="appointments"),
    path("appointments/<int:pk>/remove/", views.remove_appointment, name="remove_appointment"),
    path("invitations/<int:pk>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
