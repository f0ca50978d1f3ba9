from django.urls import path

from . import views

app_name = "enquiries"
urlpatterns = [
    path("", views.EnquiryView.as_view(), name="enquire"),
    path("thanks/", views.ThanksView.as_view(), name="thanks"),
]
