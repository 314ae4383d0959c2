from django.urls import path

from simpul.shelters.views import handover, registry, stays

app_name = "shelters"

urlpatterns = [
    path("", stays.board, name="board"),
    path("stays/", stays.stay_list, name="stay_list"),
    path("stays/<uuid:stay_id>/", stays.stay_detail, name="stay_detail"),
    path("stays/<uuid:stay_id>/check-in/", stays.stay_check_in, name="stay_check_in"),
    path("stays/<uuid:stay_id>/presence/", stays.stay_absent, name="stay_absent"),
    path("stays/<uuid:stay_id>/check-out/", stays.stay_check_out, name="stay_check_out"),
    path("stays/<uuid:stay_id>/cancel/", stays.stay_cancel, name="stay_cancel"),
    path("stays/<uuid:stay_id>/extend/", stays.stay_extend, name="stay_extend"),
    path("stays/<uuid:stay_id>/restrict/", stays.stay_restrict, name="stay_restrict"),
    path(
        "stays/<uuid:stay_id>/restrictions/<int:restriction_id>/lift/",
        stays.restriction_lift,
        name="restriction_lift",
    ),
    path("stays/<uuid:stay_id>/documents/", stays.document_receive, name="document_receive"),
    path(
        "stays/<uuid:stay_id>/documents/<int:document_id>/return/",
        stays.document_return,
        name="document_return",
    ),
    path("stays/<uuid:stay_id>/handover/", handover.handover_create, name="handover_create"),
    path("handovers/", handover.handover_list, name="handover_list"),
    path("handovers/<uuid:handover_id>/", handover.handover_detail, name="handover_detail"),
    path("handovers/<uuid:handover_id>/send/", handover.handover_send, name="handover_send"),
    path(
        "handovers/<uuid:handover_id>/receive/",
        handover.handover_receive,
        name="handover_receive",
    ),
    path(
        "handovers/<uuid:handover_id>/acknowledge/",
        handover.handover_acknowledge,
        name="handover_acknowledge",
    ),
    path("handovers/<uuid:handover_id>/cancel/", handover.handover_cancel, name="handover_cancel"),
    path("handovers/<uuid:handover_id>/pdf/", handover.handover_pdf, name="handover_pdf"),
    path("admissions/<int:referral_id>/plan/", stays.plan_from_referral, name="plan_from_referral"),
    path("registry/", registry.shelter_list, name="shelter_list"),
    path("registry/new/", registry.shelter_create, name="shelter_create"),
    path("registry/<int:shelter_id>/", registry.shelter_detail, name="shelter_detail"),
    path("registry/<int:shelter_id>/edit/", registry.shelter_edit, name="shelter_edit"),
    path("registry/<int:shelter_id>/beds/", registry.shelter_inventory, name="shelter_inventory"),
    path("registry/<int:shelter_id>/status/", registry.shelter_status, name="shelter_status"),
    path("registry/<int:shelter_id>/address/", registry.shelter_address, name="shelter_address"),
    path("occupancy/", registry.occupancy, name="occupancy"),
]
