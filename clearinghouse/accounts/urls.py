from django.urls import path, re_path

from clearinghouse.accounts import personal_views, views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("appointments/", views.appointments, name="appointments"),
    path("tokens/", views.api_tokens, name="tokens"),
    path("tokens/everyone/", views.all_api_tokens, name="all_tokens"),
    re_path(r"^tokens/(?P<digest>[0-9a-f]{128})/revoke/$", views.revoke_api_token, name="revoke_token"),
    path("appointments/<int:pk>/remove/", views.remove_appointment, name="remove_appointment"),
    path("invitations/<int:pk>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    # One's own data: download it, or close the account.
    path("data/", personal_views.your_data, name="your_data"),
    path("data/download/", personal_views.download, name="download_data"),
    path("close/", personal_views.close_account, name="close_account"),
    path("access/", views.request_access, name="request_access"),
    path("access/<int:pk>/<str:decision>/", views.decide_access, name="decide_access"),
]
