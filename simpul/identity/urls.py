from django.urls import path

from simpul.identity import views

app_name = "identity"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("<uuid:person_id>/", views.person_detail, name="person_detail"),
    path("<uuid:person_id>/reveal/", views.person_reveal, name="person_reveal"),
    path("<uuid:person_id>/correct/", views.person_correct, name="person_correct"),
]
