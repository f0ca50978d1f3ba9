from django.urls import path

from pagecache.decorators import public_page

from . import views

app_name = "references"
urlpatterns = [
    path("how-to-read/", public_page(views.HowToReadView.as_view()), name="how_to_read"),
]
