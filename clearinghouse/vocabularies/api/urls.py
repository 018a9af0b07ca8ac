from django.urls import path

from clearinghouse.vocabularies.api import views

urlpatterns = [
    path("vocabularies/", views.VocabularyList.as_view(), name="vocabulary-list"),
    path("vocabularies/<str:name>/", views.VocabularyDetail.as_view(), name="vocabulary-detail"),
    path("vocabularies/<str:name>/<str:code>/", views.TermDetail.as_view(), name="vocabulary-term"),
]
