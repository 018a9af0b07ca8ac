from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.helpdesk import (
    canned_views,
    desk_views,
    faq_views,
    mail_views,
    public_views,
    statistics_views,
    views,
)

app_name = "helpdesk"

urlpatterns: list[URLPattern] = []

# Desk management, help topics and canned answers.
urlpatterns += [
    path("desks/manage/", desk_views.desk_list, name="desks"),
    path("desks/manage/new/", desk_views.desk_new, name="desk_new"),
    path("desks/manage/<slug:code>/", desk_views.desk_edit, name="desk_edit"),
    path("desks/topics/", desk_views.topic_list, name="topics"),
    path("desks/topics/<int:pk>/", desk_views.topic_edit, name="topic_edit"),
    path("answers/", canned_views.answer_list, name="canned"),
    path("answers/new/", canned_views.answer_new, name="canned_new"),
    path("answers/<int:pk>/", canned_views.answer_edit, name="canned_edit"),
    path("answers/<int:pk>/active/", canned_views.answer_active, name="canned_active"),
]

# The requester's side: asking on the web, their questions, rating.
urlpatterns += [
    path("ask/", public_views.ask, name="ask"),
    path("ask/sent/<str:reference>/", public_views.asked, name="asked"),
    path("mine/", public_views.mine, name="mine"),
    path("mine/<str:reference>/", public_views.my_ticket, name="my_ticket"),
    path("mine/<str:reference>/files/<int:pk>/", public_views.my_attachment, name="my_attachment"),
    path("rate/<str:token>/<int:score>/", public_views.rate, name="rate"),
]

# FAQ entries and statistics.
urlpatterns += [
    path("faq/", faq_views.faq_list, name="faq"),
    path("faq/<str:identifier>/", faq_views.faq_entry, name="faq_entry"),
    path("faq/<str:identifier>/edit/", faq_views.faq_edit, name="faq_edit"),
    path("faq/<str:identifier>/translate/<str:language>/", faq_views.faq_translate, name="faq_translate"),
    path("tickets/<str:reference>/keep-as-faq/", faq_views.faq_from_ticket, name="faq_from_ticket"),
    path("statistics/", statistics_views.statistics_page, name="statistics"),
    path("statistics/csv/", statistics_views.statistics_csv, name="statistics_csv"),
]

# The agents' work: their desks, the queues, a ticket and its actions, a ticket opened for someone.
urlpatterns += [
    path("", views.home, name="home"),
    path("desks/<slug:code>/", views.queue, name="queue"),
    path("new/", views.open_for_someone, name="open_for"),
    path("tickets/<str:reference>/", views.ticket_page, name="ticket"),
    path("tickets/<str:reference>/<slug:action>/", views.ticket_action, name="ticket_action"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]

# Mail received (mail_in.py): the list for the central desk and the Secretariat.
urlpatterns += [
    path("mail/", mail_views.mail_list, name="mail"),
    path("mail/<int:pk>/process/", mail_views.mail_process, name="mail_process"),
]
