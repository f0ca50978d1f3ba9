from django.urls import re_path

from . import views

app_name = "references"
urlpatterns = [
    re_path(r"^all\.(?P<export_format>bib|ris|json)$", views.all_references, name="export_all"),
]
