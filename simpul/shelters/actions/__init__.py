"""Every write of the shelters app, re-exported by sub-domain."""

from simpul.shelters.actions.custody import receive_document, return_document
from simpul.shelters.actions.decisions import extend_stay, lift_restriction, restrict_movement
from simpul.shelters.actions.handover import (
    HandoverInput,
    acknowledge_handover,
    cancel_handover,
    create_handover,
    escalate_unacknowledged,
    receive_handover,
    send_handover,
)
from simpul.shelters.actions.occupancy import write_daily_snapshots
from simpul.shelters.actions.shelters import (
    ShelterDetails,
    ShelterInput,
    change_shelter,
    close_shelter,
    register_shelter,
    reopen_shelter,
    set_inventory,
)
from simpul.shelters.actions.stays import (
    cancel_stay,
    check_in,
    check_out,
    confirm_request,
    mark_absent,
    mark_back,
    plan_stay,
    plan_stay_from_referral,
    record_stay_consent,
)

__all__ = [
    "HandoverInput",
    "ShelterDetails",
    "ShelterInput",
    "acknowledge_handover",
    "cancel_handover",
    "cancel_stay",
    "change_shelter",
    "check_in",
    "check_out",
    "close_shelter",
    "confirm_request",
    "create_handover",
    "escalate_unacknowledged",
    "extend_stay",
    "lift_restriction",
    "mark_absent",
    "mark_back",
    "plan_stay",
    "plan_stay_from_referral",
    "receive_document",
    "receive_handover",
    "record_stay_consent",
    "register_shelter",
    "reopen_shelter",
    "restrict_movement",
    "return_document",
    "send_handover",
    "set_inventory",
    "write_daily_snapshots",
]
