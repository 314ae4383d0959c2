from django.urls import path

from simpul.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("verify/", views.verify_chain, name="verify_chain"),
    path("searched/", views.searched_lookup, name="searched_lookup"),
    path("<int:event_id>/searched/", views.searched_reveal, name="searched_reveal"),
]
