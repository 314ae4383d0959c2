from simpul.shelters.models.handover import (
    Handover,
    HandoverDocument,
    HandoverEvent,
    HandoverPerson,
)
from simpul.shelters.models.shelter import BedInventory, OccupancyDay, Shelter
from simpul.shelters.models.stay import (
    CustodyDocument,
    MovementRestriction,
    Stay,
    StayEvent,
    StayExtension,
)

__all__ = [
    "BedInventory",
    "CustodyDocument",
    "Handover",
    "HandoverDocument",
    "HandoverEvent",
    "HandoverPerson",
    "MovementRestriction",
    "OccupancyDay",
    "Shelter",
    "Stay",
    "StayEvent",
    "StayExtension",
]
