"""The rule sets shipped with Simpul, as data. A change is a new version with its own validity
dates; results keep the version they were computed with (a data migration inserts these)."""

from typing import Any

UU21_DELPHI_2026_1: dict[str, Any] = {
    "child_age_below": 18,
    "elements": {
        "act": {
            "basis": "UU 21/2007 Pasal 1 angka 1 (tindakan)",
            "any_of": [
                "act_recruitment",
                "act_transportation",
                "act_harbouring",
                "act_sending",
                "act_transfer",
                "act_receipt",
            ],
        },
        "means": {
            "basis": "UU 21/2007 Pasal 1 angka 1 (cara)",
            "any_of": [
                "means_threat",
                "means_violence",
                "means_abduction",
                "means_confinement",
                "means_falsification",
                "means_deception",
                "means_abuse_vulnerability",
                "means_debt_bondage",
                "means_payment",
            ],
        },
        "purpose": {
            "basis": "UU 21/2007 Pasal 1 angka 1 dan angka 7 (tujuan eksploitasi)",
            "any_of": ["purpose_exploitation_intended", "purpose_exploitation_resulted"],
        },
    },
    "delphi": {
        "threshold": {"strong": 2, "strong_plus_any": 1, "medium": 3, "medium_with_weak": 2},
        "adult_rule": [["D1", "D2", "D3"], ["D4"], ["D5", "D6"]],
        "child_rule": {"dimensions": ["D4"], "requires_any": ["act_recruitment", "act_transfer"]},
        "dimensions": {
            "D1": {
                "basis": "ILO/EC Delphi 2009: deceptive recruitment",
                "indicators": {
                    "d1_job_nature": "S",
                    "d1_wages": "M",
                    "d1_conditions": "M",
                    "d1_contract": "M",
                    "d1_documents_status": "M",
                    "d1_education": "W",
                },
            },
            "D2": {
                "basis": "ILO/EC Delphi 2009: coercive recruitment",
                "indicators": {
                    "d2_violence": "S",
                    "d2_threats": "M",
                    "d2_abduction_sale": "M",
                    "d2_debt_bondage": "M",
                    "d2_documents_confiscated": "M",
                    "d2_isolation": "M",
                },
            },
            "D3": {
                "basis": "ILO/EC Delphi 2009: recruitment by abuse of vulnerability",
                "indicators": {
                    "d3_family_situation": "M",
                    "d3_illegal_status": "M",
                    "d3_lack_education_language": "M",
                    "d3_lack_information": "M",
                    "d3_economic": "M",
                    "d3_cultural": "W",
                },
            },
            "D4": {
                "basis": "ILO/EC Delphi 2009: exploitative conditions",
                "indicators": {
                    "d4_excessive_hours": "S",
                    "d4_low_no_salary": "M",
                    "d4_bad_living": "M",
                    "d4_hazardous_work": "M",
                    "d4_no_social_protection": "M",
                    "d4_no_education": "W",
                },
            },
            "D5": {
                "basis": "ILO/EC Delphi 2009: coercion at destination",
                "indicators": {
                    "d5_documents_confiscated": "S",
                    "d5_debt_bondage": "S",
                    "d5_isolation": "S",
                    "d5_violence": "S",
                    "d5_threats": "M",
                    "d5_forced_illicit": "M",
                    "d5_withheld_wages": "M",
                    "d5_threat_family": "W",
                },
            },
            "D6": {
                "basis": "ILO/EC Delphi 2009: abuse of vulnerability at destination",
                "indicators": {
                    "d6_dependency": "M",
                    "d6_unknown_area": "M",
                    "d6_economic": "M",
                    "d6_legal_status": "M",
                    "d6_personal": "W",
                },
            },
        },
    },
}


SHIPPED: list[dict[str, Any]] = [
    {
        "code": "uu21-delphi",
        "version": "2026.1",
        "legal_basis": (
            "UU 21/2007 Pasal 1 angka 1 dan 7; Protokol Palermo Pasal 3(c)-(d) untuk anak; "
            "ILO/EC Operational indicators of trafficking (Delphi, 2009), adult labour list"
        ),
        "valid_from": "2007-04-19",
        "definition": UU21_DELPHI_2026_1,
    },
]


def install_shipped_rulesets(ruleset_model: Any) -> int:
    """Add the shipped rule-set versions that are missing; existing versions are never
    touched. Used by the data migration, `simpul load_rulesets` and the tests."""
    from datetime import date

    added = 0
    for spec in SHIPPED:
        _, created = ruleset_model.objects.get_or_create(
            code=spec["code"],
            version=spec["version"],
            defaults={
                "legal_basis": spec["legal_basis"],
                "valid_from": date.fromisoformat(spec["valid_from"]),
                "definition": spec["definition"],
            },
        )
        added += int(created)
    return added
