from django.urls import path, re_path

from pagecache.decorators import public_page

from . import views

app_name = "topics"
urlpatterns = [
    path("treatments/", public_page(views.TreatmentsView.as_view()), name="treatments"),
    path("treatments/<slug:slug>/", public_page(views.TreatmentView.as_view()), name="treatment"),
    path(
        "candidacy/",
        public_page(views.TopicPageView.as_view()),
        {"slug": "candidacy"},
        name="candidacy",
    ),
    path("safety/", public_page(views.TopicPageView.as_view()), {"slug": "safety"}, name="safety"),
    path("topics/<slug:slug>/", public_page(views.TopicPageView.as_view()), name="page"),
    path("topics/preview/<int:pk>/", views.TopicPreviewView.as_view(), name="preview"),
    re_path(
        r"^topics/(?P<slug>[-\w]+)/references\.(?P<export_format>bib|ris|json)$",
        public_page(views.topic_references),
        name="references",
    ),
]
