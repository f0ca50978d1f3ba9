from django.urls import path

from pagecache.decorators import public_page

from . import views

app_name = "glossary"
urlpatterns = [path("", public_page(views.GlossaryView.as_view()), name="list")]
