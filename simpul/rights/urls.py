from django.urls import path

from simpul.rights import views

app_name = "rights"

urlpatterns = [
    path(
        "cases/<uuid:case_id>/victims/<uuid:person_id>/<slug:right>/",
        views.right_edit,
        name="right_edit",
    ),
]
