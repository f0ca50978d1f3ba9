from django.urls import path, re_path

from . import views

app_name = "topics"
urlpatterns = [
    path("treatments/", views.TreatmentsView.as_view(), name="treatments"),
    path("treatments/<slug:slug>/", views.TreatmentView.as_view(), name="treatment"),
    path("candidacy/", views.TopicPageView.as_view(), {"slug": "candidacy"}, name="candidacy"),
    path("safety/", views.TopicPageView.as_view(), {"slug": "safety"}, name="safety"),
    path("topics/<slug:slug>/", views.TopicPageView.as_view(), name="page"),
    path("topics/preview/<int:pk>/", views.TopicPreviewView.as_view(), name="preview"),
    re_path(
        r"^topics/(?P<slug>[-\w]+)/references\.(?P<export_format>bib|ris|json)$",
        views.topic_references,
        name="references",
    ),
]
