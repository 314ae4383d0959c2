from django.urls import path

from simpul.migration.views import border, departures, lists, missing, reports

app_name = "migration"

urlpatterns = [
    path("", reports.register, name="register"),
    path("statistics/", reports.statistics, name="statistics"),
    path("departures/", lists.departure_list, name="departure_list"),
    path("checkins/", lists.checkin_list, name="checkin_list"),
    path("departures/new/", departures.departure_create, name="departure_create"),
    path("departures/<uuid:departure_id>/", departures.departure_detail, name="departure_detail"),
    path(
        "departures/<uuid:departure_id>/documents/",
        departures.departure_documents,
        name="departure_documents",
    ),
    path(
        "departures/<uuid:departure_id>/confirm/",
        departures.departure_confirm,
        name="departure_confirm",
    ),
    path(
        "departures/<uuid:departure_id>/cancel/",
        departures.departure_cancel,
        name="departure_cancel",
    ),
    path(
        "departures/<uuid:departure_id>/checkins/",
        departures.checkin_create,
        name="checkin_create",
    ),
    path(
        "departures/<uuid:departure_id>/contacts/",
        departures.departure_contacts,
        name="departure_contacts",
    ),
    path(
        "departures/<uuid:departure_id>/missing/",
        missing.missing_from_departure,
        name="missing_from_departure",
    ),
    path("checkins/<uuid:checkin_id>/refer/", departures.checkin_refer, name="checkin_refer"),
    path("missing/", missing.missing_list, name="missing_list"),
    path("missing/new/", missing.missing_create, name="missing_create"),
    path("missing/<uuid:report_id>/", missing.missing_detail, name="missing_detail"),
    path("missing/<uuid:report_id>/update/", missing.missing_update, name="missing_update"),
    path("missing/<uuid:report_id>/resolve/", missing.missing_resolve, name="missing_resolve"),
    path("missing/<uuid:report_id>/reopen/", missing.missing_reopen, name="missing_reopen"),
    path("returns/", lists.return_list, name="return_list"),
    path("returns/new/", border.return_create, name="return_create"),
    path("returns/import/", border.return_import, name="return_import"),
    path("returns/import/<uuid:import_id>/", border.return_import_job, name="return_import_job"),
    path(
        "returns/import/<uuid:import_id>/progress/",
        border.return_import_progress,
        name="return_import_progress",
    ),
    path("returns/<uuid:return_id>/", border.return_detail, name="return_detail"),
    path("returns/<uuid:return_id>/screen/", border.return_screen, name="return_screen"),
    path("screenings/", border.screening_list, name="screening_list"),
    path("screenings/new/", border.screening_create, name="screening_create"),
    path("screenings/<uuid:screening_id>/", border.screening_detail, name="screening_detail"),
    path(
        "screenings/<uuid:screening_id>/refer/",
        border.screening_refer,
        name="screening_refer",
    ),
    path("decisions/", border.decision_list, name="decision_list"),
    path("decisions/new/", border.decision_create, name="decision_create"),
]
