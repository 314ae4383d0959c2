from django.urls import path

from simpul.prevention.views import coverage, events, issues, knowledge, public, volunteers

app_name = "prevention"

urlpatterns = [
    path("", events.home, name="home"),
    path("events/", events.event_list, name="event_list"),
    path("events/new/", events.event_create, name="event_create"),
    path("events/<uuid:event_id>/", events.event_detail, name="event_detail"),
    path("events/<uuid:event_id>/edit/", events.event_edit, name="event_edit"),
    path("events/<uuid:event_id>/test/", knowledge.event_test, name="event_test"),
    path("events/<uuid:event_id>/test/phone/", knowledge.event_phone, name="event_phone"),
    path("events/<uuid:event_id>/test/sheet/", knowledge.event_test_sheet, name="event_test_sheet"),
    path("events/<uuid:event_id>/test/answers/", knowledge.event_answers, name="event_answers"),
    path("events/<uuid:event_id>/results/", knowledge.event_results, name="event_results"),
    path("events/<uuid:event_id>/issues/", issues.event_issues, name="event_issues"),
    path("learning/", knowledge.learning, name="learning"),
    path("issues/", issues.issue_trends, name="issue_trends"),
    path("coverage/", coverage.coverage, name="coverage"),
    path("indicators/", coverage.indicators, name="indicators"),
    path("volunteers/", volunteers.volunteer_list, name="volunteer_list"),
    path("volunteers/new/", volunteers.volunteer_create, name="volunteer_create"),
    path("volunteers/trainings/new/", volunteers.training_create, name="training_create"),
    path("volunteers/<uuid:volunteer_id>/", volunteers.volunteer_detail, name="volunteer_detail"),
    path(
        "volunteers/<uuid:volunteer_id>/contact/",
        volunteers.volunteer_contact,
        name="volunteer_contact",
    ),
    path(
        "volunteers/<uuid:volunteer_id>/report/",
        volunteers.volunteer_report,
        name="volunteer_report",
    ),
    # Public, no sign-in.
    path("cek-tawaran-kerja/", public.job_offer_check, name="job_offer_check"),
    path("t/<slug:token>/", public.phone_test, name="phone_test"),
]
