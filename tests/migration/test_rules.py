"""The procedural-status and risk-flag tables, case by case, and the schedule arithmetic."""

from dataclasses import replace
from datetime import date

import pytest
from django.utils import translation

from simpul.migration.codes import (
    DOCUMENT_REQUIREMENTS,
    Channel,
    ProceduralStatus,
    Recruiter,
    RedFlag,
    Route,
    TravelDocument,
    TravelPurpose,
    requirements_on,
)
from simpul.migration.rules import DepartureFacts, assess, reason_text
from simpul.migration.schedule import add_months, is_overdue, parse_offsets, unreachable_streak

P, INC, N = (
    ProceduralStatus.PROCEDURAL,
    ProceduralStatus.INCOMPLETE,
    ProceduralStatus.NON_PROCEDURAL,
)
ALL = frozenset(d.code for d in DOCUMENT_REQUIREMENTS)
GOOD = DepartureFacts(
    planned_on=date(2026, 1, 10),
    age_at_departure=25,
    documents_present=ALL,
    consent_acknowledged=True,
    channel=Channel.P3MI,
    placement_licence="SIP3MI 1/2025",
    recruiter=Recruiter.LICENSED_COMPANY,
    route=Route.OFFICIAL_BORDER,
    travel_document=TravelDocument.WORK_VISA,
)

CASES = [
    # (id, changes to GOOD, status, reason codes, flags)
    ("all in order", {}, P, [], []),
    ("government scheme", {"channel": Channel.GOVERNMENT, "placement_licence": ""}, P, [], []),
    (
        "documents missing before leaving",
        {"documents_present": ALL - {"work_visa", "health_cert"}},
        INC,
        ["documents_missing"],
        [],
    ),
    (
        "documents missing after leaving",
        {"documents_present": ALL - {"work_visa"}, "departed": True},
        N,
        ["documents_missing"],
        [],
    ),
    (
        "consent not acknowledged by the village head",
        {"consent_acknowledged": False},
        INC,
        ["consent_not_acknowledged"],
        [],
    ),
    ("a minor", {"age_at_departure": 16}, N, ["under_age"], [RedFlag.MINOR]),
    ("exactly 18", {"age_at_departure": 18}, P, [], []),
    (
        "jalur tikus",
        {"route": Route.UNOFFICIAL},
        N,
        ["unofficial_route"],
        [RedFlag.UNOFFICIAL_ROUTE],
    ),
    (
        "tourist pass to work",
        {"travel_document": TravelDocument.VISIT_PASS, "travel_purpose": TravelPurpose.TOURISM},
        N,
        ["no_work_visa_document"],
        [RedFlag.VISIT_PASS_FOR_WORK, RedFlag.COVER_TOURISM],
    ),
    (
        "passing, 20-day border pass",
        {"travel_document": TravelDocument.BORDER_PASS},
        N,
        ["no_work_visa_document"],
        [RedFlag.PASSING_PERMIT],
    ),
    (
        "no documents at all",
        {"travel_document": TravelDocument.NONE, "documents_present": frozenset()},
        N,  # reasons and status: see the next test
        None,
        [RedFlag.NO_DOCUMENTS],
    ),
    (
        "P3MI without licence number",
        {"placement_licence": " "},
        N,
        ["unlicensed_placement"],
        [RedFlag.RECRUITER_UNLICENSED],
    ),
    (
        "PMI mandiri: taken by relatives",
        {"channel": Channel.FAMILY, "recruiter": Recruiter.RELATIVE},
        N,
        ["unlicensed_placement"],
        [RedFlag.RECRUITER_RELATIVE],
    ),
    (
        "illegal agent",
        {"channel": Channel.UNLICENSED_AGENT, "recruiter": Recruiter.UNLICENSED},
        N,
        ["unlicensed_placement"],
        [RedFlag.RECRUITER_UNLICENSED],
    ),
    ("debts", {"fees_or_debt": True}, P, [], [RedFlag.FEES_OR_DEBT]),
    ("passport held", {"passport_held_by_recruiter": True}, P, [], [RedFlag.PASSPORT_HELD]),
    ("age differs", {"age_mismatch": True}, P, [], [RedFlag.AGE_MISMATCH]),
    ("name differs", {"name_mismatch": True}, P, [], [RedFlag.NAME_MISMATCH]),
    (
        "umroh cover",
        {"travel_purpose": TravelPurpose.PILGRIMAGE},
        P,
        [],
        [RedFlag.COVER_PILGRIMAGE],
    ),
    (
        "family visit cover",
        {"travel_purpose": TravelPurpose.FAMILY_VISIT},
        P,
        [],
        [RedFlag.COVER_FAMILY_VISIT],
    ),
    (
        "internship / BKK cover",
        {"travel_purpose": TravelPurpose.INTERNSHIP},
        P,
        [],
        [RedFlag.COVER_INTERNSHIP],
    ),
    (
        "cultural envoy cover",
        {"travel_purpose": TravelPurpose.CULTURAL_ENVOY},
        P,
        [],
        [RedFlag.COVER_CULTURAL_ENVOY],
    ),
]


@pytest.mark.parametrize(
    ("changes", "status", "reasons", "flags"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_status_reasons_and_flags(changes, status, reasons, flags):
    result = assess(replace(GOOD, **changes))
    if reasons is not None:
        assert [r.code for r in result.reasons] == reasons
    assert sorted(result.flags) == sorted(flags)
    if reasons is not None:
        assert result.status == status


def test_no_documents_at_all_is_non_procedural_and_names_every_missing_document():
    result = assess(
        replace(GOOD, travel_document=TravelDocument.NONE, documents_present=frozenset())
    )
    assert result.status == N
    assert [r.code for r in result.reasons] == ["documents_missing", "no_work_visa_document"]
    missing = result.reasons[0].params["documents"]
    assert missing == [d.code for d in DOCUMENT_REQUIREMENTS]


def test_non_procedural_wins_over_incomplete_whatever_the_order():
    result = assess(replace(GOOD, route=Route.UNOFFICIAL, consent_acknowledged=False))
    assert result.status == N
    assert [r.code for r in result.reasons] == ["consent_not_acknowledged", "unofficial_route"]


def test_each_reason_carries_its_legal_basis_and_a_translated_sentence():
    result = assess(replace(GOOD, documents_present=ALL - {"passport"}, age_at_departure=15))
    bases = {r.code: r.legal_basis for r in result.reasons}
    assert bases["documents_missing"] == "UU 18/2017 Pasal 13"
    assert bases["under_age"].startswith("UU 18/2017 Pasal 5")
    with translation.override("en"):
        text = reason_text("documents_missing", {"documents": ["passport", "work_visa"]})
    assert text == "Documents missing from the Pasal 13 checklist: Passport; Work visa."
    with translation.override("id"):
        text = reason_text("documents_missing", {"documents": ["passport"]})
    assert text == "Dokumen Pasal 13 yang belum ada: Paspor."


def test_the_checklist_is_versioned_data_with_its_source():
    assert requirements_on(date(2017, 1, 1)) == []
    current = requirements_on(date(2026, 1, 1))
    assert [d.code for d in current] == [
        "marital_status",
        "family_consent",
        "competency_cert",
        "health_cert",
        "passport",
        "work_visa",
        "placement_agreement",
        "employment_contract",
    ]
    assert all(d.legal_basis.startswith("UU 18/2017 Pasal 13 huruf ") for d in current)
    assert [d.code for d in current if d.needs_village_acknowledgement] == ["family_consent"]


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 3, 1), 12, date(2027, 3, 1)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


def test_offsets_parse_and_default():
    assert parse_offsets("") == [1, 3, 6, 12]
    assert parse_offsets("12, 1;3 3") == [1, 3, 12]
    with pytest.raises(ValueError):
        parse_offsets("0, 3")
    with pytest.raises(ValueError):
        parse_offsets("61")


def test_overdue_and_unreachable_streak():
    today = date(2026, 6, 30)
    assert is_overdue(date(2026, 6, 1), "", today)
    assert not is_overdue(date(2026, 6, 20), "", today)  # within the grace period
    assert not is_overdue(date(2026, 1, 1), "well", today)
    assert not is_overdue(None, "", today)
    assert unreachable_streak(["unreachable", "unreachable", "well"]) == 2
    assert unreachable_streak(["well", "unreachable"]) == 0
