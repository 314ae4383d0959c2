from django.urls import path

from simpul.prevention import views

app_name = "prevention"

urlpatterns = [
    path("", views.home, name="home"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<uuid:event_id>/", views.event_detail, name="event_detail"),
    path("events/<uuid:event_id>/edit/", views.event_edit, name="event_edit"),
    path("events/<uuid:event_id>/test/", views.event_test, name="event_test"),
    path("events/<uuid:event_id>/test/phone/", views.event_phone, name="event_phone"),
    path("events/<uuid:event_id>/test/sheet/", views.event_test_sheet, name="event_test_sheet"),
    path("events/<uuid:event_id>/test/answers/", views.event_answers, name="event_answers"),
    path("events/<uuid:event_id>/results/", views.event_results, name="event_results"),
    path("events/<uuid:event_id>/issues/", views.event_issues, name="event_issues"),
    path("learning/", views.learning, name="learning"),
    path("issues/", views.issue_trends, name="issue_trends"),
    path("coverage/", views.coverage, name="coverage"),
    path("indicators/", views.indicators, name="indicators"),
    path("volunteers/", views.volunteer_list, name="volunteer_list"),
    path("volunteers/new/", views.volunteer_create, name="volunteer_create"),
    path("volunteers/trainings/new/", views.training_create, name="training_create"),
    path("volunteers/<uuid:volunteer_id>/", views.volunteer_detail, name="volunteer_detail"),
    path(
        "volunteers/<uuid:volunteer_id>/contact/",
        views.volunteer_contact,
        name="volunteer_contact",
    ),
    path("volunteers/<uuid:volunteer_id>/report/", views.volunteer_report, name="volunteer_report"),
    # Public, no sign-in.
    path("cek-tawaran-kerja/", views.job_offer_check, name="job_offer_check"),
    path("t/<slug:token>/", views.phone_test, name="phone_test"),
]
