"""Code lists of the migration module: channels, routes, crossing points, modus, outcomes.

Reference data that changes with the law or with the posts in service (the Pasal 13 document
checklist, the crossing points) lives here as versioned data with its source, not in the
database: every process, test and migration sees the same list, and a change is reviewed like
code. Labels are English source strings translated through gettext.
"""

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    PLANNED = "planned", _("Planned")
    AWAY = "away", _("Away")
    CANCELLED = "cancelled", _("Did not leave")


class ProceduralStatus(models.TextChoices):
    PROCEDURAL = "procedural", _("Procedural")
    INCOMPLETE = "incomplete", _("Incomplete")
    NON_PROCEDURAL = "non_procedural", _("Non-procedural")


class Channel(models.TextChoices):
    """Placement channels (UU 18/2017 schemes, plus the irregular ones seen in the seeds)."""

    P3MI = "p3mi", _("Licensed placement company (P3MI)")
    GOVERNMENT = "government", _("Government to government (G-to-G)")
    OWN_COMPANY = "own_company", _("Company placing its own workers")
    INDIVIDUAL = "individual", _("Individual (perseorangan)")
    UNLICENSED_AGENT = "unlicensed_agent", _("Unlicensed agent or broker")
    FAMILY = "family", _("Taken by relatives (PMI mandiri)")
    UNKNOWN = "unknown", _("Unknown")


class Recruiter(models.TextChoices):
    LICENSED_COMPANY = "licensed_company", _("Licensed company")
    RELATIVE = "relative", _("A relative")
    UNLICENSED = "unlicensed", _("Unlicensed agent or sponsor")
    NONE = "none", _("Nobody (own initiative)")
    UNKNOWN = "unknown", _("Unknown")


class Route(models.TextChoices):
    OFFICIAL_BORDER = "official_border", _("Official land border post (PLBN/PLB)")
    AIRPORT = "airport", _("Airport")
    SEAPORT = "seaport", _("Official seaport")
    UNOFFICIAL = "unofficial", _("Unofficial path or port (jalur tikus)")
    UNKNOWN = "unknown", _("Unknown")


class TravelDocument(models.TextChoices):
    WORK_VISA = "work_visa", _("Passport with work visa or permit")
    VISIT_PASS = "visit_pass", _("Passport with tourist or visit pass")
    BORDER_PASS = "border_pass", _("Border crossing pass (PLB, 'passing')")
    NONE = "none", _("No travel document")
    UNKNOWN = "unknown", _("Unknown")


class TravelPurpose(models.TextChoices):
    """The purpose declared at departure; all but work are cover stories seen in seed 002."""

    WORK = "work", _("Work")
    PILGRIMAGE = "pilgrimage", _("Hajj, umrah or pilgrimage")
    FAMILY_VISIT = "family_visit", _("Family visit")
    INTERNSHIP = "internship", _("Internship or special job fair (magang/BKK)")
    TOURISM = "tourism", _("Tourism")
    CULTURAL_ENVOY = "cultural_envoy", _("Cultural envoy")
    OTHER = "other", _("Other")


class Job(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic worker")
    PLANTATION = "plantation", _("Plantation or farm")
    CONSTRUCTION = "construction", _("Construction")
    FACTORY = "factory", _("Factory")
    FISHING = "fishing", _("Fishing")
    HOSPITALITY = "hospitality", _("Restaurant, hotel or cleaning")
    CARE = "care", _("Caregiver")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Country(models.TextChoices):
    """Destination and return countries seen in the pilots (ISO 3166 alpha-2)."""

    MY = "MY", _("Malaysia")
    SG = "SG", _("Singapore")
    BN = "BN", _("Brunei")
    HK = "HK", _("Hong Kong")
    TW = "TW", _("Taiwan")
    SA = "SA", _("Saudi Arabia")
    AE = "AE", _("United Arab Emirates")
    QA = "QA", _("Qatar")
    KR = "KR", _("South Korea")
    JP = "JP", _("Japan")
    KH = "KH", _("Cambodia")
    MM = "MM", _("Myanmar")
    OTHER = "ZZ", _("Other or unknown")


class CheckInOutcome(models.TextChoices):
    WELL = "well", _("Reached, well")
    PROBLEM = "problem", _("Reached, with a problem")
    UNREACHABLE = "unreachable", _("Unreachable")


class ContactWith(models.TextChoices):
    MIGRANT = "migrant", _("The migrant")
    FAMILY = "family", _("Family")
    EMPLOYER = "employer", _("Employer or company")
    OTHER = "other", _("Someone else")


class Problem(models.TextChoices):
    UNPAID_WAGES = "unpaid_wages", _("Wages unpaid or withheld")
    DOCUMENTS_HELD = "documents_held", _("Passport or documents held by someone else")
    CONFINED = "confined", _("Not allowed to leave or to contact family")
    ABUSE = "abuse", _("Violence, threats or abuse")
    DEBT = "debt", _("Debt to the recruiter or employer")
    DIFFERENT_JOB = "different_job", _("Work differs from what was promised")
    ILLNESS = "illness", _("Illness or injury")
    DETAINED = "detained", _("Arrested or detained")
    WANTS_TO_RETURN = "wants_to_return", _("Wants to come home")
    OTHER = "other", _("Other")


class Reporter(models.TextChoices):
    FAMILY = "family", _("Family")
    VILLAGE = "village", _("Village government")
    FRIEND = "friend", _("Friend or neighbour")
    EMPLOYER = "employer", _("Employer or company")
    OTHER = "other", _("Other")


class MissingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Resolution(models.TextChoices):
    FOUND = "found", _("Found, in contact again")
    RETURNED = "returned", _("Returned home")
    IN_CUSTODY = "in_custody", _("In custody abroad (depot, prison)")
    IN_SHELTER = "in_shelter", _("In a shelter or with a consulate")
    DECEASED = "deceased", _("Deceased")
    WITHDRAWN = "withdrawn", _("Report withdrawn (not missing)")


class MissingEventKind(models.TextChoices):
    OPENED = "opened", _("Reported missing")
    UPDATE = "update", _("New information")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Reopened")


class ReturnKind(models.TextChoices):
    DEPORTATION = "deportation", _("Deportation")
    REPATRIATION = "repatriation", _("Facilitated repatriation")
    INDEPENDENT = "independent", _("Returned on their own")


class ReturnDocument(models.TextChoices):
    SPLP = "splp", _("SPLP (emergency travel document)")
    PASSPORT = "passport", _("Passport")
    NONE = "none", _("No document")


class Direction(models.TextChoices):
    DEPARTING = "departing", _("Departing")
    ARRIVING = "arriving", _("Arriving")


class ScreeningOutcome(models.TextChoices):
    ALLOWED = "allowed", _("Allowed to travel / sent home")
    DEFERRED = "deferred", _("Departure deferred")
    REFERRED = "referred", _("Referred to protection")
    POLICE = "police", _("Handed to the police")


class TeamTask(models.TextChoices):
    """The integrated team's tasks (seed 002, Tim Kerja Terpadu, tasks a-f)."""

    OBSERVE = "observe", _("Watched arrivals and departures")
    CHECK_DOCUMENTS = "check_documents", _("Checked documents and identity")
    RECORD_IDENTITY = "record_identity", _("Recorded the identity")
    PREVENT_HOLD = "prevent_hold", _("Stopped and held")
    COORDINATE = "coordinate", _("Coordinated with other agencies")
    INFORM_PUBLIC = "inform_public", _("Informed the public")


class CheckedDocument(models.TextChoices):
    KTP = "ktp", _("KTP / KK")
    PASSPORT = "passport", _("Passport")
    VISA = "visa", _("Visa or work permit")
    CONTRACT = "contract", _("Employment contract")
    ID_PMI = "id_pmi", _("ID PMI / e-PMI")
    TICKET = "ticket", _("Ticket")
    SPLP = "splp", _("SPLP")


class ImmigrationDecisionKind(models.TextChoices):
    PASSPORT_REFUSED = "passport_refused", _("Passport application refused")
    PASSPORT_DEFERRED = "passport_deferred", _("Passport issue deferred")
    DEPARTURE_DEFERRED = "departure_deferred", _("Departure deferred at the checkpoint")


class RedFlag(models.TextChoices):
    """Signs of trafficking or non-procedural migration (seed 002 modus, seed 004 table)."""

    MINOR = "minor", _("A minor (under 18)")
    AGE_MISMATCH = "age_mismatch", _("Age differs between documents")
    NAME_MISMATCH = "name_mismatch", _("Name differs between documents")
    FORGED_DOCUMENT = "forged_document", _("Document looks forged or borrowed")
    VISIT_PASS_FOR_WORK = "visit_pass_for_work", _("Tourist or visit pass used to work")
    PASSING_PERMIT = "passing_permit", _("Border pass used to work ('passing', 20 days)")
    UNOFFICIAL_ROUTE = "unofficial_route", _("Unofficial route or port")
    RECRUITER_RELATIVE = "recruiter_relative", _("Taken by a relative (PMI mandiri)")
    RECRUITER_UNLICENSED = "recruiter_unlicensed", _("Unlicensed recruiter or agent")
    FEES_OR_DEBT = "fees_or_debt", _("Fees or debts owed to the recruiter")
    PASSPORT_HELD = "passport_held", _("Passport held by the recruiter")
    COVER_PILGRIMAGE = "cover_pilgrimage", _("Travels as pilgrim (umrah, hajj, ziarah)")
    COVER_FAMILY_VISIT = "cover_family_visit", _("Travels as a family visit")
    COVER_INTERNSHIP = "cover_internship", _("Travels as intern or job-fair recruit (magang/BKK)")
    COVER_TOURISM = "cover_tourism", _("Travels as a tourist")
    COVER_CULTURAL_ENVOY = "cover_cultural_envoy", _("Travels as a cultural envoy")
    NO_DOCUMENTS = "no_documents", _("No travel or work documents")
    ESCORTED = "escorted", _("Escorted or directed by someone else")
    PAYMENT_TO_PARENTS = "payment_to_parents", _("Money paid to the parents (uang sirih pinang)")


@dataclass(frozen=True)
class DocumentRequirement:
    """One document of the departure checklist, with the rule it comes from."""

    code: str
    label: str | Promise
    legal_basis: str
    valid_from: date
    valid_to: date | None = None
    # The family's consent must carry the village head's (kepala desa/lurah) acknowledgement.
    needs_village_acknowledgement: bool = False

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


# UU 18/2017 came into force on its promulgation, 22 November 2017 (domain.md §4.5).
_UU18 = date(2017, 11, 22)

DOCUMENT_REQUIREMENTS: tuple[DocumentRequirement, ...] = (
    DocumentRequirement(
        "marital_status",
        _("Marital status letter (with a copy of the marriage book if married)"),
        "UU 18/2017 Pasal 13 huruf a",
        _UU18,
    ),
    DocumentRequirement(
        "family_consent",
        _("Consent of spouse, parent or guardian, acknowledged by the village head"),
        "UU 18/2017 Pasal 13 huruf b",
        _UU18,
        needs_village_acknowledgement=True,
    ),
    DocumentRequirement(
        "competency_cert", _("Competency certificate"), "UU 18/2017 Pasal 13 huruf c", _UU18
    ),
    DocumentRequirement(
        "health_cert",
        _("Health certificate (medical and psychological)"),
        "UU 18/2017 Pasal 13 huruf d",
        _UU18,
    ),
    DocumentRequirement("passport", _("Passport"), "UU 18/2017 Pasal 13 huruf e", _UU18),
    DocumentRequirement("work_visa", _("Work visa"), "UU 18/2017 Pasal 13 huruf f", _UU18),
    DocumentRequirement(
        "placement_agreement",
        _("Placement agreement"),
        "UU 18/2017 Pasal 13 huruf g",
        _UU18,
    ),
    DocumentRequirement(
        "employment_contract", _("Employment contract"), "UU 18/2017 Pasal 13 huruf h", _UU18
    ),
)

DOCUMENT_BY_CODE = {d.code: d for d in DOCUMENT_REQUIREMENTS}


def requirements_on(day: date) -> list[DocumentRequirement]:
    """The checklist in force on `day` (the planned departure date)."""
    return [d for d in DOCUMENT_REQUIREMENTS if d.valid_on(day)]


class PointKind(models.TextChoices):
    PLBN = "plbn", _("Land border post (PLBN/PLB)")
    SEAPORT = "seaport", _("Seaport")
    AIRPORT = "airport", _("Airport")
    INFORMAL = "informal", _("Informal crossing")


@dataclass(frozen=True)
class CrossingPoint:
    """A place where people leave or come back (domain.md §4.4); `region` is its Kemendagri
    code (kept as text: the region tree may be partly loaded)."""

    code: str
    name: str
    kind: str
    region: str
    official: bool = True


CROSSING_POINTS: tuple[CrossingPoint, ...] = (
    CrossingPoint("PLBN_ARUK", "PLBN Aruk (Sambas)", PointKind.PLBN, "61.01.09"),
    CrossingPoint("PLBN_ENTIKONG", "PLBN Entikong (Sanggau)", PointKind.PLBN, "61.03.21"),
    CrossingPoint("PLBN_BADAU", "PLBN Nanga Badau (Kapuas Hulu)", PointKind.PLBN, "61.06"),
    CrossingPoint("PLB_LONG_MIDANG", "PLB Long Midang (Krayan)", PointKind.PLBN, "65.03"),
    CrossingPoint("NUNUKAN", "Pelabuhan Tunon Taka, Nunukan", PointKind.SEAPORT, "65.03"),
    CrossingPoint(
        "TPI_SRI_BINTAN_PURA",
        "Pelabuhan Sri Bintan Pura, Tanjungpinang",
        PointKind.SEAPORT,
        "21.72",
    ),
    CrossingPoint("BATAM_CENTER", "Pelabuhan Batam Center", PointKind.SEAPORT, "21.71"),
    CrossingPoint("DUMAI", "Pelabuhan Dumai", PointKind.SEAPORT, "14.72"),
    CrossingPoint("TENAU", "Pelabuhan Tenau, Kupang", PointKind.SEAPORT, "53.71"),
    CrossingPoint("EL_TARI", "Bandara El Tari, Kupang", PointKind.AIRPORT, "53.71"),
    CrossingPoint("SOEKARNO_HATTA", "Bandara Soekarno-Hatta", PointKind.AIRPORT, "36.71"),
    CrossingPoint("KUALANAMU", "Bandara Kualanamu", PointKind.AIRPORT, "12.07"),
    CrossingPoint("SUPADIO", "Bandara Supadio, Pontianak", PointKind.AIRPORT, "61.12"),
    CrossingPoint(
        "INFORMAL_SAMBAS", "Jalur tikus perbatasan Sambas", PointKind.INFORMAL, "61.01", False
    ),
    CrossingPoint(
        "INFORMAL_KEPRI", "Pelabuhan tidak resmi Bintan/Batam", PointKind.INFORMAL, "21", False
    ),
    CrossingPoint("OTHER", "Lainnya", PointKind.INFORMAL, "", False),
)

POINT_BY_CODE = {p.code: p for p in CROSSING_POINTS}


def crossing_point_choices() -> list[tuple[str, str]]:
    return [(p.code, p.name) for p in CROSSING_POINTS]


# Depots and consulates that send deportees home (domain.md §4.4), offered as suggestions.
KNOWN_DEPOTS = (
    "Depot Imigresen Semuja",
    "Depot Imigresen Bekenu",
    "Depot Imigresen Pekan Nenas",
    "Depot Imigresen Tawau",
    "Depot Imigresen Menggatal",
)
KNOWN_CONSULATES = (
    "KJRI Kuching",
    "KJRI Johor Bahru",
    "KJRI Kota Kinabalu",
    "KJRI Tawau",
    "KBRI Kuala Lumpur",
)

# The default check-in schedule after departure, in months (configurable per departure).
DEFAULT_CHECKIN_MONTHS: tuple[int, ...] = (1, 3, 6, 12)
