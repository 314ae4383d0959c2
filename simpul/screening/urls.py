from django.urls import path

from simpul.screening import views

app_name = "screening"

urlpatterns = [
    path("", views.result_list, name="list"),
    path("intake/<uuid:intake_id>/", views.interview, name="interview"),
    path("<uuid:result_id>/", views.result, name="result"),
]
