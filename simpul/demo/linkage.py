"""Demo record linkage: a few near-duplicate persons, then one full run of the real engine.

The near-duplicates are the same invented people recorded twice by different agencies, with
the typos and missing fields seen in the pilots (a spelling variant, no NIK, another phone), so
the run leaves pairs for a supervisor to review. The run also raises the alert of the deportee
who matches Desa Sebunga's missing report (`simpul.linkage.alerts`, as after every run).
"""

from simpul.accounts.models import Agency, User
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.linkage.models import LinkageRun, RunMode, RunStatus
from simpul.linkage.service import create_run, execute_run
from simpul.regions.models import Region

# (agency, region, first identity as the case worker wrote it, second as the hotline operator
# wrote it): the same invented person twice, with the gaps and typos seen in the pilots.
NEAR_DUPLICATES: list[tuple[str, str, IdentityData, IdentityData]] = [
    (
        "uptd_sambas",
        "61.01.09",
        IdentityData(
            full_name="Nur Aini Saputri", birth_date="1998-03-17", sex="F", phone="+6281255501001"
        ),
        IdentityData(full_name="Nuraini Saputri", birth_date="1998-03-17", sex="F"),
    ),
    (
        "uptd_sambas",
        "61.01.09",
        IdentityData(full_name="Erni Susanti", birth_date="1990-04-12", sex="F"),
        IdentityData(full_name="Erni Susan", birth_date="1990", sex="F"),
    ),
    (
        "uptd_sambas",
        "61.01.08",
        IdentityData(full_name="Dewi Anggraini", birth_date="1999-12-30", sex="F"),
        IdentityData(full_name="Dewi Anggreini", birth_date="1999", sex="F"),
    ),
    (
        "uptd_tpi",
        "21.72.01",
        IdentityData(full_name="Siti Rahmawati", birth_date="2001-07-05", sex="F"),
        IdentityData(full_name="Siti Rahmawaty", birth_date="2001", sex="F"),
    ),
    (
        "uptd_sambas",
        "61.01.01",
        IdentityData(full_name="Agus Hidayat", birth_date="1982-08-19", sex="M"),
        IdentityData(full_name="Agus Hidayatullah", birth_date="1982", sex="M"),
    ),
    (
        "uptd_tpi",
        "21.72.02",
        IdentityData(full_name="Maria Kristina", birth_date="1996-02-14", sex="F"),
        IdentityData(full_name="Maria Kristin", birth_date="1996-02", sex="F"),
    ),
    (
        "uptd_sambas",
        "61.01.09",
        IdentityData(full_name="Budi Gunawan", birth_date="1978-09-09", sex="M"),
        IdentityData(full_name="Budi Gunadi", birth_date="1978", sex="M"),
    ),
]
RECORDED_BY = {"uptd_sambas": ("pekerja.sambas", "operator.sambas"), "uptd_tpi": ("pekerja.tpi",)}
AGENCY_NAMES = {
    "uptd_sambas": "UPTD PPA Kabupaten Sambas",
    "uptd_tpi": "UPTD PPA Kota Tanjungpinang",
}


def _near_duplicates() -> int:
    created = 0
    for agency_key, region_code, first, second in NEAR_DUPLICATES:
        agency = Agency.objects.get(name=AGENCY_NAMES[agency_key])
        region = Region.objects.get(pk=region_code)
        writers = RECORDED_BY[agency_key]
        for i, identity in enumerate((first, second)):
            user = User.objects.get(username=writers[min(i, len(writers) - 1)])
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
