from django.urls import path

from simpul.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("verify/", views.verify_chain, name="verify_chain"),
]
