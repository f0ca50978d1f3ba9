from django.urls import path

from . import views

app_name = "topics"
urlpatterns = [
    path("treatments/", views.TreatmentsView.as_view(), name="treatments"),
    path("treatments/<slug:slug>/", views.TreatmentView.as_view(), name="treatment"),
    path("candidacy/", views.TopicPageView.as_view(), {"slug": "candidacy"}, name="candidacy"),
    path("safety/", views.TopicPageView.as_view(), {"slug": "safety"}, name="safety"),
    path("topics/<slug:slug>/", views.TopicPageView.as_view(), name="page"),
]
