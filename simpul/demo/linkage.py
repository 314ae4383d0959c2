"""Demo record linkage: a few near-duplicate persons, then one full run of the real engine.

The near-duplicates are the same invented people recorded twice, with the typos and missing
fields seen in the pilots (a spelling variant, only the year of birth, no phone), so the run
leaves pairs for a supervisor to review. The run also raises the alert of the deportee
who matches Desa Sebunga's missing report (`simpul.linkage.alerts`, as after every run).
"""

from simpul.accounts.models import Agency, User
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.linkage.models import LinkageRun, RunMode, RunStatus
from simpul.linkage.service import create_run, execute_run
from simpul.regions.models import Region

# (region, first identity as the case worker wrote it, second as the hotline operator wrote it):
# the same invented person twice in the UPTD PPA of Sambas, with the gaps and typos seen in the
# pilots. Three land between the review and the automatic threshold, so the supervisor (the
# demo's one reviewer) has pairs to review; the others are linked without review.
NEAR_DUPLICATES: list[tuple[str, IdentityData, IdentityData]] = [
    (
        "61.01.09",
        IdentityData(
            full_name="Nur Aini Saputri", birth_date="1998-03-17", sex="F", phone="+6281255501001"
        ),
        IdentityData(full_name="Nuraini Saputri", birth_date="1998-03-17", sex="F"),
    ),
    (
        "61.01.09",
        IdentityData(full_name="Erni Susanti", birth_date="1990-04-12", sex="F"),
        IdentityData(full_name="Erni Susan", birth_date="1990", sex="F"),
    ),
    (
        "61.01.08",
        IdentityData(full_name="Dewi Anggraini", birth_date="1999-12-30", sex="F"),
        IdentityData(full_name="Dewi Anggreini", birth_date="1999", sex="F"),
    ),
    (
        "61.01.01",
        IdentityData(full_name="Siti Rahmawati", birth_date="2001-07-05", sex="F"),
        IdentityData(full_name="Siti Rahmawaty", birth_date="2001", sex="F"),
    ),
    (
        "61.01.01",
        IdentityData(full_name="Agus Hidayat", birth_date="1982-08-19", sex="M"),
        IdentityData(full_name="Agus Hidayatullah", birth_date="1982", sex="M"),
    ),
    (
        "61.01.08",
        IdentityData(full_name="Maria Kristina", birth_date="1996-02-14", sex="F"),
        IdentityData(full_name="Maria Kristin", birth_date="1996-02", sex="F"),
    ),
    (
        "61.01.09",
        IdentityData(full_name="Budi Gunawan", birth_date="1978-09-09", sex="M"),
        IdentityData(full_name="Budi Gunadi", birth_date="1978", sex="M"),
    ),
]


def _near_duplicates() -> int:
    created = 0
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    writers = [User.objects.get(username=name) for name in ("pekerja.sambas", "operator.sambas")]
    for region_code, first, second in NEAR_DUPLICATES:
        region = Region.objects.get(pk=region_code)
        for user, identity in zip(writers, (first, second), strict=True):
            create_person(user, identity, owner_agency=agency, scope_region=region)
            created += 1
    return created


def build_linkage_demo() -> dict[str, int]:
    """The near-duplicates and one finished full run; nothing when a run has finished."""
    if LinkageRun.objects.filter(status=RunStatus.DONE).exists():
        return {"persons": 0, "review_pairs": 0, "alerts": 0}
    persons = _near_duplicates()
    requested_by = User.objects.get(username="supervisor.sambas")
    run = execute_run(create_run(RunMode.FULL, requested_by=requested_by), workers=1)
    return {"persons": persons, "review_pairs": run.review_pairs, "alerts": run.alerts}
