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
    "MovementRestriction",
    "OccupancyDay",
    "Shelter",
    "Stay",
    "StayEvent",
    "StayExtension",
]
