from django.urls import path

from simpul.justice.views import companies, protection, statistics
from simpul.justice.views import proceedings as views

app_name = "justice"

urlpatterns = [
    path("", views.proceeding_list, name="list"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("statistics/", statistics.justice_statistics, name="statistics"),
    path("companies/", companies.company_list, name="companies"),
    path("companies/new/", companies.company_create, name="company_create"),
    path("companies/<int:company_id>/", companies.company_detail, name="company_detail"),
    path(
        "companies/<int:company_id>/sanction/",
        companies.company_sanction,
        name="company_sanction",
    ),
    path("case/<uuid:case_id>/", views.case_track, name="case_track"),
    path("case/<uuid:case_id>/open/", views.proceeding_open, name="open"),
    path("<uuid:proceeding_id>/", views.proceeding_detail, name="detail"),
    path("<uuid:proceeding_id>/event/", views.event_append, name="event"),
    path("<uuid:proceeding_id>/prosecutor/", views.prosecutor_assign, name="prosecutor"),
    path("<uuid:proceeding_id>/defendant/", views.defendant_add, name="defendant"),
    path("<uuid:proceeding_id>/charge/", views.charge_add, name="charge"),
    path("<uuid:proceeding_id>/sentence/", views.sentence_record, name="sentence"),
    path("<uuid:proceeding_id>/sanction/", views.sanction_record, name="sanction"),
    path("<uuid:proceeding_id>/relation/", views.relation_record, name="relation"),
    path("<uuid:proceeding_id>/restitution/", protection.restitution_record, name="restitution"),
    path("<uuid:proceeding_id>/lpsk/", protection.lpsk_apply, name="lpsk"),
    path("<uuid:proceeding_id>/lpsk/decision/", protection.lpsk_decide, name="lpsk_decision"),
    path("<uuid:proceeding_id>/lpsk/change/", protection.lpsk_change, name="lpsk_change"),
]
