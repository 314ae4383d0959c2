"""Every write of the justice chain, one module per sub-domain."""

from simpul.justice.actions.companies import (
    CompanyInput,
    may_manage_register,
    record_company_sanction,
    register_company,
)
from simpul.justice.actions.lpsk import LpskInput, apply_lpsk, change_lpsk, decide_lpsk
from simpul.justice.actions.perpetrators import (
    PerpetratorInput,
    add_defendant,
    link_victim,
    record_sanction,
)
from simpul.justice.actions.proceedings import (
    EventInput,
    append_event,
    assign_prosecutor,
    may_record,
    open_proceeding,
)
from simpul.justice.actions.reminders import raise_reminders
from simpul.justice.actions.restitution import (
    RestitutionInput,
    may_record_restitution,
    record_restitution,
)
from simpul.justice.actions.sentences import SentenceInput, add_charge, record_sentence
from simpul.justice.actions.statistics import refresh_statistics

__all__ = [
    "CompanyInput",
    "EventInput",
    "LpskInput",
    "PerpetratorInput",
    "RestitutionInput",
    "SentenceInput",
    "add_charge",
    "add_defendant",
    "append_event",
    "apply_lpsk",
    "assign_prosecutor",
    "change_lpsk",
    "decide_lpsk",
    "link_victim",
    "may_manage_register",
    "may_record",
    "may_record_restitution",
    "open_proceeding",
    "raise_reminders",
    "record_company_sanction",
    "record_restitution",
    "record_sanction",
    "record_sentence",
    "refresh_statistics",
    "register_company",
]
