from django.urls import re_path

from pagecache.decorators import public_page

from . import views

app_name = "references"
urlpatterns = [
    re_path(
        r"^all\.(?P<export_format>bib|ris|json)$",
        public_page(views.all_references),
        name="export_all",
    ),
]
