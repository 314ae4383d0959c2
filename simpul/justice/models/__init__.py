"""The justice chain's models, one module per sub-domain; import them from here."""

from simpul.justice.models.companies import PlacementCompany
from simpul.justice.models.lpsk import LpskApplication, LpskChange
from simpul.justice.models.proceedings import (
    Charge,
    Defendant,
    LicenceSanction,
    Perpetrator,
    PerpetratorVictim,
    Proceeding,
    ProceedingEvent,
    Reminder,
    Sentence,
)
from simpul.justice.models.restitution import Restitution, RestitutionEntry
from simpul.justice.models.statistics import StatisticsSnapshot

__all__ = [
    "Charge",
    "Defendant",
    "LicenceSanction",
    "LpskApplication",
    "LpskChange",
    "Perpetrator",
    "PerpetratorVictim",
    "PlacementCompany",
    "Proceeding",
    "ProceedingEvent",
    "Reminder",
    "Restitution",
    "RestitutionEntry",
    "Sentence",
    "StatisticsSnapshot",
]
