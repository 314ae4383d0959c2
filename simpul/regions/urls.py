from django.urls import path

from simpul.regions import views

app_name = "regions"

urlpatterns = [
    path("search/", views.search, name="search"),
]
