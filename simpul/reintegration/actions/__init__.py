"""Every write of the reintegration app: plans (goals, services, the approval workflow),
monitoring visits with their scores and setbacks, instrument versions."""

from simpul.reintegration.actions.instruments import install_shipped_instruments, load_instrument
from simpul.reintegration.actions.monitoring import record_visit
from simpul.reintegration.actions.plans import (
    activate_plan,
    add_goal,
    add_service,
    close_plan,
    create_plan,
    deliver_service,
    review_plan,
    set_goal_status,
    submit_plan,
)

__all__ = [
    "activate_plan",
    "add_goal",
    "add_service",
    "close_plan",
    "create_plan",
    "deliver_service",
    "install_shipped_instruments",
    "load_instrument",
    "record_visit",
    "review_plan",
    "set_goal_status",
    "submit_plan",
]
