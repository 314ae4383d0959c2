"""The interview: each question's code, its text (translatable) and the part it belongs to.
Rule sets refer to questions by code only."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as Promise
else:
    from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

GROUPS: list[tuple[str, Promise, list[tuple[str, Promise]]]] = [
    (
        "act",
        _("What was done to the person (the act)"),
        [
            (
                "act_recruitment",
                _("Was the person recruited: offered work, persuaded or taken from family?"),
            ),
            (
                "act_transportation",
                _("Was the person transported, or their travel arranged by others?"),
            ),
            (
                "act_harbouring",
                _("Was the person housed or kept somewhere (a shelter, a mess, a house)?"),
            ),
            ("act_sending", _("Was the person sent off or landed somewhere by someone?")),
            ("act_transfer", _("Was the person handed over from one person or group to another?")),
            ("act_receipt", _("Was the person received by someone at the destination?")),
        ],
    ),
    (
        "means",
        _("How it was done (the means)"),
        [
            ("means_threat", _("Was the person threatened with violence?")),
            ("means_violence", _("Was violence used against the person?")),
            ("means_abduction", _("Was the person abducted?")),
            ("means_confinement", _("Was the person locked up or confined?")),
            ("means_falsification", _("Were documents falsified (age, name, papers)?")),
            ("means_deception", _("Was the person lied to about the job, pay or place?")),
            (
                "means_abuse_vulnerability",
                _("Did someone abuse power or the person's difficult situation?"),
            ),
            ("means_debt_bondage", _("Was the person bound by a debt they had to work off?")),
            (
                "means_payment",
                _("Was money or a benefit given to the person who controls them (e.g. parents)?"),
            ),
        ],
    ),
    (
        "purpose",
        _("Why it was done (the purpose)"),
        [
            (
                "purpose_exploitation_intended",
                _("Was the aim to exploit the person (sex, forced work, organs, …)?"),
            ),
            ("purpose_exploitation_resulted", _("Was the person actually exploited?")),
        ],
    ),
    (
        "delphi",
        _("Indicators (ILO/EC operational indicators)"),
        [
            ("d1_job_nature", _("Deceived about the nature of the job, the place or the employer")),
            ("d1_wages", _("Deceived about wages")),
            ("d1_conditions", _("Deceived about working or living conditions")),
            ("d1_contract", _("Deceived about the contract or its legality")),
            ("d1_documents_status", _("Deceived about legal documents or migration status")),
            ("d1_education", _("Deceived about access to education")),
            ("d2_violence", _("Violence during recruitment")),
            ("d2_threats", _("Threats of violence during recruitment")),
            ("d2_abduction_sale", _("Abduction, forced marriage or sale")),
            ("d2_debt_bondage", _("Debt bondage at recruitment")),
            ("d2_documents_confiscated", _("Documents taken at recruitment")),
            ("d2_isolation", _("Isolation, confinement or surveillance at recruitment")),
            ("d3_family_situation", _("Recruited through a difficult family situation")),
            ("d3_illegal_status", _("Recruited through illegal status")),
            ("d3_lack_education_language", _("Recruited through lack of education or language")),
            ("d3_lack_information", _("Recruited through lack of information")),
            ("d3_economic", _("Recruited through economic need")),
            ("d3_cultural", _("Recruited through cultural or religious beliefs")),
            ("d4_excessive_hours", _("Excessive working days or hours")),
            ("d4_low_no_salary", _("Low or no salary")),
            ("d4_bad_living", _("Bad living conditions")),
            ("d4_hazardous_work", _("Hazardous work")),
            ("d4_no_social_protection", _("No social protection (insurance, BPJS)")),
            ("d4_no_education", _("No access to education")),
            ("d5_documents_confiscated", _("Documents confiscated at destination")),
            ("d5_debt_bondage", _("Debt bondage at destination")),
            ("d5_isolation", _("Isolation, confinement or surveillance at destination")),
            ("d5_violence", _("Violence at destination")),
            ("d5_threats", _("Threats of violence at destination")),
            ("d5_forced_illicit", _("Forced into illicit activities")),
            ("d5_withheld_wages", _("Wages withheld")),
            ("d5_threat_family", _("Threat to inform family or community")),
            ("d6_dependency", _("Dependent on the exploiters")),
            ("d6_unknown_area", _("Difficulty living in an unknown area")),
            ("d6_economic", _("Economic reasons to stay")),
            ("d6_legal_status", _("Afraid because of legal status")),
            ("d6_personal", _("Personal characteristics (age, disability)")),
        ],
    ),
]

QUESTION_LABELS: dict[str, Promise] = {code: text for _, _, qs in GROUPS for code, text in qs}

# The parts of a result's reasons, by the codes the rule sets use.
REASON_LABELS: dict[str, Promise] = {
    "act": _("The act (UU 21/2007)"),
    "means": _("The means (UU 21/2007)"),
    "purpose": _("The purpose: exploitation (UU 21/2007)"),
    "D1": _("Deceptive recruitment (ILO/EC indicators)"),
    "D2": _("Coercive recruitment (ILO/EC indicators)"),
    "D3": _("Recruitment by abuse of vulnerability (ILO/EC indicators)"),
    "D4": _("Exploitative conditions of work (ILO/EC indicators)"),
    "D5": _("Coercion at destination (ILO/EC indicators)"),
    "D6": _("Abuse of vulnerability at destination (ILO/EC indicators)"),
}

RULESET_LABELS: dict[str, Promise] = {
    "uu21-delphi": _("UU 21/2007 and the ILO/EC operational indicators (Delphi)"),
}


def reason_label(code: str) -> str:
    label = REASON_LABELS.get(code)
    return str(label) if label is not None else str(_("Other indicator"))


def reason_basis(code: str, stored: str) -> str:
    """The legal or scientific basis in the reader's language: the ILO/EC dimensions name the
    2009 publication; the UU 21/2007 elements keep their Indonesian citation."""
    if code.startswith("D"):
        return str(_("ILO/EC Operational indicators of trafficking in human beings (Delphi, 2009)"))
    return stored


def ruleset_label(code: str, version: str) -> str:
    label = RULESET_LABELS.get(code)
    name = str(label) if label is not None else str(_("Screening rules"))
    return str(_("%(name)s, version %(version)s") % {"name": name, "version": version})
