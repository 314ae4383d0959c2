from simpul.reintegration.models.monitoring import Instrument, Visit
from simpul.reintegration.models.plan import Goal, PlanService, ReintegrationPlan

__all__ = ["Goal", "Instrument", "PlanService", "ReintegrationPlan", "Visit"]
