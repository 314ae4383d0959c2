"""Code lists for case files: HTCDS v2.0 (IOM, CC BY 4.0), SIMFONI PPA dimensions and the
UPTD PPA / UU 21/2007 Pasal 51-54 services (domain.md §3.3, §4.1, §5.1, §5.2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Exploitation(models.TextChoices):  # HTCDS vic_TypeOfExploitation
    FORCED_LABOUR = "ForcedLabour", _("Forced labour")
    SEXUAL = "SexualExploitation", _("Sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    SERVITUDE = "Servitude", _("Servitude")
    ORGAN_REMOVAL = "OrganRemoval", _("Organ removal")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    FORCED_ADOPTION = "ForcedAdoption", _("Forced adoption")
    OTHER = "Other", _("Other")


class MeansOfControl(models.TextChoices):  # HTCDS vic_MethodsOfControl
    PHYSICAL_THREATS = "PhysicalThreats", _("Physical threats")
    THREATS_LAW = "ThreatsLawEnforcement", _("Threats of reporting to the authorities")
    THREATENS_FAMILY = "ThreatensChildrenFamily", _("Threats to children or family")
    DEBT_BONDAGE = "DebtBondage", _("Debt bondage")
    FALSE_PROMISES = "FalsePromises", _("False promises")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("Physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("Sexual abuse")
    TAKES_EARNINGS = "TakesEarnings", _("Takes earnings")
    RESTRICTS_FINANCE = "RestrictsFinancialAccess", _("Restricts access to money")
    RESTRICTS_MEDICAL = "RestrictsMedicalCare", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "WithholdsNecessities", _("Withholds necessities")
    PSYCHOLOGICAL = "PsychologicalAbuse", _("Psychological abuse")
    SUBSTANCES = "PsychoactiveSubstance", _("Psychoactive substances")
    EXCESSIVE_HOURS = "ExcessiveWorkingHours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("Withholds documents")
    OTHER = "Other", _("Other")


class ViolenceForm(models.TextChoices):  # SIMFONI bentuk kekerasan
    PHYSICAL = "fisik", _("Physical")
    PSYCHOLOGICAL = "psikis", _("Psychological")
    SEXUAL = "seksual", _("Sexual")
    EXPLOITATION = "eksploitasi", _("Exploitation")
    TRAFFICKING = "trafficking", _("Trafficking")
    NEGLECT = "penelantaran", _("Neglect")
    OTHER = "lainnya", _("Other")


class IncidentPlace(models.TextChoices):  # SIMFONI tempat kejadian
    HOUSEHOLD = "rumah_tangga", _("Household")
    WORKPLACE = "tempat_kerja", _("Workplace")
    SCHOOL = "sekolah", _("School")
    PUBLIC = "fasilitas_umum", _("Public place")
    OTHER = "lainnya", _("Other")


class PerpetratorRelation(models.TextChoices):  # SIMFONI hubungan pelaku-korban
    PARENT = "orang_tua", _("Parent")
    FAMILY = "keluarga", _("Family or relative")
    SPOUSE = "suami_istri", _("Spouse")
    PARTNER_FRIEND = "pacar_teman", _("Partner or friend")
    NEIGHBOUR = "tetangga", _("Neighbour")
    TEACHER = "guru", _("Teacher")
    EMPLOYER = "majikan", _("Employer")
    COWORKER = "rekan_kerja", _("Co-worker")
    OTHER = "lainnya", _("Other")
    UNKNOWN = "na", _("Not known")


class Education(models.TextChoices):
    NONE = "tidak_sekolah", _("No schooling")
    SD = "sd", _("Primary (SD)")
    SLTP = "sltp", _("Junior secondary (SLTP)")
    SLTA = "slta", _("Senior secondary (SLTA)")
    HIGHER = "perguruan_tinggi", _("Higher education")
    UNKNOWN = "na", _("Not known")


class Occupation(models.TextChoices):
    STUDENT = "pelajar", _("Student")
    HOMEMAKER = "ibu_rumah_tangga", _("Homemaker")
    UNEMPLOYED = "tidak_bekerja", _("Not working")
    PRIVATE_LABOUR = "swasta_buruh", _("Private sector / labourer")
    CIVIL_SERVANT = "pns", _("Civil servant")
    TRADER_FARMER_FISHER = "pedagang_tani_nelayan", _("Trader, farmer or fisher")
    MIGRANT_WORKER = "pmi", _("Migrant worker")
    UNKNOWN = "na", _("Not known")


class Service(models.TextChoices):
    """UPTD PPA functions (Permen PPPA 4/2018) and the rights of UU 21/2007 Pasal 51-54."""

    HEALTH_REHAB = "health_rehabilitation", _("Health rehabilitation")
    SOCIAL_REHAB = "social_rehabilitation", _("Social rehabilitation")
    LEGAL_AID = "legal_aid", _("Legal aid")
    ACCOMPANIMENT = "accompaniment", _("Accompaniment at police and court")
    SHELTER = "temporary_shelter", _("Temporary shelter")
    RETURN_HOME = "return_home", _("Return home")
    REINTEGRATION = "reintegration", _("Social reintegration")
    MEDIATION = "mediation", _("Mediation")
    OUTREACH = "outreach", _("Outreach to the victim")
    COUNSELLING = "counselling", _("Psychological counselling")


class EventType(models.TextChoices):  # HTCDS hte_Type
    RECRUITMENT = "Recruitment", _("Recruitment")
    TRANSIT = "Transit", _("Transit")
    EXPLOITATION = "Exploitation", _("Exploitation")


class ConsentItem(models.TextChoices):  # HTCDS con_Consent, reduced to what Simpul acts on
    INTERVIEW = "interview", _("Being interviewed")
    DATA_USE = "data_use", _("Use of their data for their case")
    SHARING = "sharing", _("Sharing with the agencies named")
    RESEARCH = "research", _("Anonymous use for statistics and research")
