"""Every stored code of the justice chain with its translated label.

`PerpetratorRole` is the HTCDS v2.0 `per_RoleInProcess` picklist, copied from the Human
Trafficking Case Data Standard (HTCDS) by IOM, https://github.com/UNMigration/HTCDS, licensed
CC BY 4.0 (no endorsement by IOM implied). The attrition reasons (`StopReason`) are the reasons
seed 002 gives for weak enforcement.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Regime(models.TextChoices):
    KUHAP_1981 = "kuhap_1981", _("KUHAP 1981 (UU 8/1981)")
    KUHAP_2025 = "kuhap_2025", _("New KUHAP (UU 20/2025)")


class PerpetratorKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")


class LicenceStatus(models.TextChoices):
    NONE = "none", _("No placement licence")
    ACTIVE = "active", _("Licence active")
    SUSPENDED = "suspended", _("Licence suspended")
    REVOKED = "revoked", _("Licence revoked")


class SanctionKind(models.TextChoices):
    WRITTEN_WARNING = "warning", _("Written warning")
    PARTIAL_SUSPENSION = "partial_suspension", _("Partial suspension of placement")
    FULL_SUSPENSION = "full_suspension", _("Full suspension of placement")
    REVOCATION = "revocation", _("Licence revoked")
    REINSTATED = "reinstated", _("Licence reinstated")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNKNOWN = "U", _("Unknown")


class AgeBand(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    UNDER_18 = "0_17", _("Under 18")
    A18_24 = "18_24", _("18 to 24")
    A25_34 = "25_34", _("25 to 34")
    A35_44 = "35_44", _("35 to 44")
    A45_59 = "45_59", _("45 to 59")
    A60 = "60_plus", _("60 or older")


class Nationality(models.TextChoices):
    ID = "ID", _("Indonesia")
    MY = "MY", _("Malaysia")
    SG = "SG", _("Singapore")
    CN = "CN", _("China")
    KH = "KH", _("Cambodia")
    MM = "MM", _("Myanmar")
    TW = "TW", _("Taiwan")
    SA = "SA", _("Saudi Arabia")
    AE = "AE", _("United Arab Emirates")
    OTHER = "XX", _("Other nationality")
    UNKNOWN = "ZZ", _("Nationality unknown")


class VictimRelation(models.TextChoices):
    STRANGER = "stranger", _("Stranger")
    ACQUAINTANCE = "acquaintance", _("Acquaintance")
    FRIEND = "friend", _("Friend")
    PARTNER = "partner", _("Intimate partner")
    FAMILY = "family", _("Family member")
    EMPLOYER = "employer", _("Employer")
    RECRUITER = "recruiter", _("Recruiter or agent")
    OFFICIAL = "official", _("Official")
    OTHER = "other", _("Other relation")


class PerpetratorRole(models.TextChoices):
    """HTCDS v2.0 per_RoleInProcess (CC BY 4.0, IOM)."""

    TRAVELLING_PARTNER = "TravellingPartner", _("Travelling partner")
    TRANSPORTER = "Transporter", _("Transporter")
    RECRUITER = "RecruiterOrIntermediary", _("Recruiter or intermediary")
    BROKER = "BrokerTravelAgent", _("Broker or travel agent")
    TRANSFERRED = "TransferredIndividual", _("Transferred the person")
    HARBOURED = "HarbouredIndividual", _("Harboured the person")
    SOLD = "SoldIndividual", _("Sold the person")
    BOUGHT = "BoughtIndividual", _("Bought the person")
    RECEIVED = "ReceivedIndividual", _("Received the person")
    CONTROLLED = "ControlledIndividual", _("Controlled the person")
    SMUGGLER = "Smuggler", _("Smuggler")
    ABUSER = "Abuser", _("Abuser")
    KIDNAPPER = "Kidnapper", _("Kidnapper")
    EXPLOITER = "Exploiter", _("Exploiter")
    OTHER = "Other", _("Other role")


class Stage(models.TextChoices):
    """Where a proceeding stands, derived from its latest event."""

    POLICE = "police", _("Police")
    PROSECUTION = "prosecution", _("Prosecution")
    COURT = "court", _("Court")
    APPEAL = "appeal", _("Appeal")
    FINAL = "final", _("Final and binding")
    EXECUTED = "executed", _("Sentence executed")
    STOPPED = "stopped", _("Stopped")


class EventCode(models.TextChoices):
    # Police
    REPORT = "report", _("Police report (LP)")
    INQUIRY = "inquiry", _("Inquiry opened (SP.Lidik, P-2)")
    INVESTIGATION = "investigation", _("Investigation opened (SP.Sidik, P-8)")
    SPDP = "spdp", _("Notice of investigation sent (SPDP)")
    SUSPECT_NAMED = "suspect_named", _("Suspect named")
    FILE_HANDED_OVER = "file_handed_over", _("Case file handed to the prosecutor (P-15, stage I)")
    SP3 = "sp3", _("Investigation stopped (SP3, P-14)")
    # Prosecution
    P16 = "p16", _("Prosecutor appointed (P-16)")
    P18 = "p18", _("File incomplete (P-18)")
    P19 = "p19", _("File returned with instructions (P-19)")
    P21 = "p21", _("File complete (P-21)")
    P22 = "p22", _("Suspect and evidence handed over (P-22, stage II)")
    P29 = "p29", _("Indictment (P-29)")
    P31 = "p31", _("Filed with the court (P-31)")
    P26 = "p26", _("Prosecution stopped (P-26)")
    DEMAND = "demand", _("Sentencing demand (P-42)")
    # Court
    COURT_REGISTERED = "court_registered", _("Registered at the court")
    FIRST_HEARING = "first_hearing", _("First hearing")
    HEARING = "hearing", _("Hearing")
    VERDICT = "verdict", _("Verdict")
    MINUTES = "minutes", _("Verdict minuted")
    VERDICT_NOTIFIED = "verdict_notified", _("Verdict notified")
    # Detention
    DETENTION_POLICE = "detention_police", _("Detained by the investigator")
    DETENTION_PROSECUTION = "detention_prosecution", _("Detained by the prosecutor")
    DETENTION_COURT = "detention_court", _("Detained by the district court")
    DETENTION_HIGH_COURT = "detention_high_court", _("Detained by the high court")
    DETENTION_SUPREME_COURT = "detention_supreme_court", _("Detained by the Supreme Court")
    DETENTION_EXTENDED = "detention_extended", _("Detention extended")
    DETENTION_EXTENDED_SERIOUS = (
        "detention_extended_serious",
        _("Detention extended for a serious offence"),
    )
    RELEASED = "released", _("Released from detention")
    # Appeals
    BANDING_REQUESTED = "banding_requested", _("Appeal (banding) requested")
    BANDING_DECIDED = "banding_decided", _("Appeal (banding) decided")
    KASASI_REQUESTED = "kasasi_requested", _("Cassation (kasasi) requested")
    KASASI_DECIDED = "kasasi_decided", _("Cassation (kasasi) decided")
    PK_REQUESTED = "pk_requested", _("Case review (PK) requested")
    PK_DECIDED = "pk_decided", _("Case review (PK) decided")
    FINAL = "final", _("Final and binding (inkracht)")
    EXECUTION = "execution", _("Sentence executed (P-48)")
    # Protection
    LPSK_APPLIED = "lpsk_applied", _("LPSK protection applied for")
    LPSK_DECIDED = "lpsk_decided", _("LPSK decision")


class StopReason(models.TextChoices):
    """Why a proceeding stopped or failed (seed 002's attrition reasons, plus the legal ones)."""

    VICTIM_INFORMATION = "victim_information", _("Not enough information from the victim")
    PERPETRATOR_ABROAD = "perpetrator_abroad", _("Perpetrator abroad")
    WITHDRAWN_UNDER_PRESSURE = (
        "withdrawn_pressure",
        _("Complaint withdrawn under pressure from the perpetrator or company"),
    )
    INTERFERENCE = "interference", _("Interference by officials")
    DIFFERING_READINGS = (
        "differing_readings",
        _("Differing readings among police, prosecutors and judges"),
    )
    INSUFFICIENT_EVIDENCE = "insufficient_evidence", _("Insufficient evidence")
    NOT_A_CRIME = "not_a_crime", _("Not a criminal offence")
    SUSPECT_DIED = "suspect_died", _("Suspect died")
    OTHER = "other", _("Other reason")


class VerdictOutcome(models.TextChoices):
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    RELEASED = "released", _("Released from all charges (lepas)")


class ProtectiveMeasure(models.TextChoices):
    CLOSED_HEARING = "closed_hearing", _("Closed hearing")
    WITHOUT_DEFENDANT = "without_defendant", _("Testimony without the defendant present")
    REMOTE = "remote", _("Remote testimony")
    SCREEN = "screen", _("Screen or separate room")
    ACCOMPANIED = "accompanied", _("Accompanied by a support person")
    IDENTITY_WITHHELD = "identity_withheld", _("Identity withheld")
    INTERPRETER = "interpreter", _("Interpreter")


class Law(models.TextChoices):
    UU_21_2007 = "uu21_2007", _("UU 21/2007 (trafficking)")
    KUHP = "kuhp", _("KUHP (criminal code)")
    UU_18_2017 = "uu18_2017", _("UU 18/2017 (migrant workers)")
    UU_12_2022 = "uu12_2022", _("UU 12/2022 (sexual violence)")
    OTHER = "other", _("Other law")


class Aggravation(models.TextChoices):
    CHILD = "child", _("Child victim (Ps 17)")
    SERIOUS_INJURY = "serious_injury", _("Serious injury or lasting harm (Ps 7(1))")
    DEATH = "death", _("Victim's death (Ps 7(2))")
    OFFICIAL = "official", _("State official abusing power (Ps 8)")
    ORGANISED = "organised", _("Organised group (Ps 16)")


class AdditionalPenalty(models.TextChoices):
    LICENCE_REVOKED = "licence_revoked", _("Business licence revoked")
    ASSETS_SEIZED = "assets_seized", _("Proceeds of crime seized")
    DISMISSAL = "dismissal", _("Dishonourable dismissal")
    LEGAL_STATUS_REVOKED = "legal_status_revoked", _("Legal status revoked")
    OTHER = "other", _("Other additional penalty")


class RangeFlag(models.TextChoices):
    WITHIN = "within", _("Within the statutory range")
    BELOW = "below", _("Below the statutory minimum")
    ABOVE = "above", _("Above the statutory maximum")
    NO_RULE = "no_rule", _("No statutory range on record")


class Clock(models.TextChoices):
    DETENTION = "detention", _("Detention limit")
    FILE_REVIEW = "file_review", _("Prosecutor's review of the file")
    P19_COMPLETION = "p19_completion", _("Completing the file after P-19")
    HANDOVER_AFTER_P21 = "handover_after_p21", _("Stage II handover after P-21")
    APPEAL_WINDOW = "appeal_window", _("Appeal (banding) window")
    CASSATION_WINDOW = "cassation_window", _("Cassation (kasasi) window")
    RESTITUTION_PAYMENT = "restitution_payment", _("Restitution payment")
    LPSK_DECISION = "lpsk_decision", _("LPSK decision")
    RESTITUTION_OVERDUE = "restitution_overdue", _("Restitution overdue")
    STALLED = "stalled", _("No event for 90 days")


class Mark(models.TextChoices):
    """How far a rule was checked (the reference notes' marks)."""

    VERIFIED = "verified", _("Read in a primary source")
    SECONDARY = "secondary", _("Secondary source")
    UNVERIFIED = "unverified", _("Not verified")


class RestitutionStep(models.TextChoices):
    """One entry of a victim's restitution ledger (justice-chain.md C.4.5)."""

    ASSESSED = "assessed", _("Loss assessed by LPSK")
    FILED = "filed", _("Restitution claim filed")
    DEMANDED = "demanded", _("Included in the sentencing demand")
    AWARDED = "awarded", _("Restitution awarded")
    FINAL = "final", _("Award final: notice received")
    DEPOSIT = "deposit", _("Deposit (titipan)")
    PAYMENT = "payment", _("Payment")
    REFUND = "refund", _("Refund")
    SEIZURE = "seizure", _("Assets seized")
    AUCTION = "auction", _("Seized assets auctioned")
    SUBSTITUTE_DETENTION = "substitute_detention", _("Substitute detention instead")
    CLOSED = "closed", _("Restitution closed")
    REFUSED = "refused", _("The victim refused restitution")


class RestitutionState(models.TextChoices):
    ASSESSED = "assessed", _("Assessed by LPSK")
    FILED = "filed", _("Claim filed")
    DEMANDED = "demanded", _("In the sentencing demand")
    AWARDED = "awarded", _("Awarded, not yet final")
    DUE = "due", _("Due, nothing paid")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid in full")
    ENFORCEMENT = "enforcement", _("Enforcement (seizure, auction)")
    SUBSTITUTE_DETENTION = "substitute_detention", _("Substitute detention")
    CLOSED = "closed", _("Closed")
    REFUSED = "refused", _("Refused by the victim")


class RestitutionChannel(models.TextChoices):
    LPSK = "lpsk", _("Through LPSK")
    INVESTIGATOR = "investigator", _("Through the investigator")
    PROSECUTOR = "prosecutor", _("Through the prosecutor")
    DIRECT = "direct", _("Directly to the court")


class PaymentStatus(models.TextChoices):
    NOT_AWARDED = "not_awarded", _("Not awarded")
    UNPAID = "unpaid", _("Not paid")
    PARTLY = "partly", _("Partly paid")
    FULL = "full", _("Paid in full")


class LpskApplicant(models.TextChoices):
    VICTIM = "victim", _("The victim")
    FAMILY = "family", _("The victim's family")
    LAWYER = "lawyer", _("A lawyer or companion")
    INVESTIGATOR = "investigator", _("The investigator")
    PROSECUTOR = "prosecutor", _("The prosecutor")
    LPSK = "lpsk", _("LPSK on its own initiative")


class LpskProtection(models.TextChoices):
    """UU 31/2014 Pasal 5(1) a-p, plus medical and psychosocial help (PP 7/2018)."""

    SECURITY = "a_security", _("Security of person, family and property")
    CHOOSE_FORM = "b_choose_form", _("Choosing the form of protection")
    NO_PRESSURE = "c_no_pressure", _("Testifying without pressure")
    INTERPRETER = "d_interpreter", _("Interpreter")
    NO_ENTRAPMENT = "e_no_entrapment", _("Freedom from entrapping questions")
    CASE_PROGRESS = "f_case_progress", _("Information on case progress")
    VERDICT_INFO = "g_verdict_info", _("Information on the verdict")
    RELEASE_INFO = "h_release_info", _("Told when the convict is released")
    IDENTITY_CONFIDENTIAL = "i_identity_confidential", _("Identity kept confidential")
    NEW_IDENTITY = "j_new_identity", _("New identity")
    TEMPORARY_RESIDENCE = "k_temporary_residence", _("Temporary residence")
    NEW_RESIDENCE = "l_new_residence", _("New residence")
    TRANSPORT = "m_transport", _("Transport costs")
    LEGAL_ADVICE = "n_legal_advice", _("Legal advice")
    LIVING_COSTS = "o_living_costs", _("Temporary living costs")
    ACCOMPANIMENT = "p_accompaniment", _("Accompaniment")
    MEDICAL = "medical", _("Medical help")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial help")


class LpskDecision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    RECOMMENDATION = "recommendation", _("Recommendation")


class LpskStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the LPSK decision")
    ACCEPTED = "accepted", _("Protected by LPSK")
    REJECTED = "rejected", _("Rejected by LPSK")
    RECOMMENDATION = "recommendation", _("LPSK recommendation")
    TERMINATED = "terminated", _("Protection ended")


class LpskChangeKind(models.TextChoices):
    EXTEND = "extend", _("Protection extended")
    ADD = "add", _("Protection added")
    REDUCE = "reduce", _("Protection reduced")
    TERMINATE = "terminate", _("Protection ended")
