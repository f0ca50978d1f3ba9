from django.urls import path, re_path

from pagecache.decorators import public_page

from . import views

app_name = "articles"
urlpatterns = [
    path("", public_page(views.ArticleListView.as_view()), name="list"),
    path("<slug:slug>/", public_page(views.ArticleDetailView.as_view()), name="detail"),
    re_path(
        r"^(?P<slug>[-\w]+)/references\.(?P<export_format>bib|ris|json)$",
        public_page(views.article_references),
        name="references",
    ),
    path("preview/<int:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
]
