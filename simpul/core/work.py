"""Waiting work: what each role's home page counts and links to.

Every app that hands work to people offers `queries.waiting_work(user) -> list[WaitingWork]`,
returning only the items the user's roles actually do (an empty list for a role that never
triages, approves or receives referrals). The home page shows the items in order, each as a count
linking to the list that holds exactly those records, so nothing waits unseen.
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class WaitingWork:
    key: str  # stable identifier, e.g. "intake.waiting_triage"; tests and CSS hooks use it
    label: str | Promise  # translated, e.g. _("Reports waiting for triage")
    count: int
    url: str  # the list filtered to exactly these records
    urgent: bool = False  # shown first and highlighted (overdue, immediate danger)
