"""Stored codes of the reintegration app and their translated labels.

Domains follow seed 001 (Surtees 2017, as presented with IOM Indonesia in Sajingan Besar):
recovery is monitored "di tahap individu, keluarga, masyarakat, dan struktural" over the
domains of a successful reintegration (domain.md §6.4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


# Goals and services can be added and changed while the plan is being written or carried out.
EDITABLE = (PlanStatus.DRAFT, PlanStatus.APPROVED, PlanStatus.ACTIVE)


class Domain(models.TextChoices):
    SAFETY = "safety", _("Safety and security")
    HOUSING = "housing", _("Accommodation")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    MENTAL_HEALTH = "mental_health", _("Mental health and well-being")
    LEGAL = "legal", _("Legal status, civil documents and legal help")
    ECONOMIC = "economic", _("Economic well-being and livelihood")
    EDUCATION = "education", _("Education and training")
    SOCIAL = "social", _("Social environment and relationships")
    FAMILY = "family", _("Family well-being")
    DEPENDANTS = "dependants", _("Dependants' and children's well-being")


class Level(models.TextChoices):
    """The four levels of seed 001: individu, keluarga, masyarakat, struktural."""

    INDIVIDUAL = "individual", _("Individual")
    FAMILY = "family", _("Family")
    COMMUNITY = "community", _("Community")
    STRUCTURAL = "structural", _("Structural")


class GoalStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class ServiceKind(models.TextChoices):
    """Reintegration services; livelihood support and civil documents as their own kinds."""

    VOCATIONAL_TRAINING = "vocational_training", _("Livelihood: vocational training")
    SMALL_BUSINESS = "small_business", _("Livelihood: small-business package")
    JOB_PLACEMENT = "job_placement", _("Livelihood: job placement")
    BIRTH_CERTIFICATE = "birth_certificate", _("Civil documents: birth certificate")
    KTP = "ktp", _("Civil documents: identity card (KTP)")
    FAMILY_CARD = "family_card", _("Civil documents: family card (KK)")
    COUNSELLING = "counselling", _("Psychosocial counselling")
    HEALTH_CARE = "health_care", _("Health care")
    LEGAL_AID = "legal_aid", _("Legal aid")
    SCHOOLING = "schooling", _("Return to school")
    HOUSING = "housing", _("Housing support")
    FAMILY_MEDIATION = "family_mediation", _("Family mediation")
    COMMUNITY_AWARENESS = "community_awareness", _("Community awareness")
    SOCIAL_PROTECTION = "social_protection", _("Social protection enrolment")
    SAFETY_PLAN = "safety_plan", _("Safety planning")
    OTHER = "other", _("Other")


class ServiceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class Setback(models.TextChoices):
    """Why a visit opened a review task."""

    COMPOSITE_DROP = "composite_drop", _("The composite score fell since the last visit")
    LOW_DIMENSION = "low_dimension", _("A dimension is in the low band")
    SAFETY = "safety", _("A negative answer on safety")


class Band(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNKNOWN = "", _("Not known")
