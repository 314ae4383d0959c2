"""Import a deportee list (CSV, or XLSX when openpyxl is installed) as return events.

All rows are validated first. Any error rejects the whole file: nothing is written and the
report names every bad row (row number as in a spreadsheet, header = row 1), the column and
the reason in Bahasa Indonesia. A clean file is written in one transaction with bulk inserts.
A row whose return is already recorded BY THE IMPORTING AGENCY (same natural key, `keys.py`)
is skipped, so a re-run creates nothing new; another agency's records neither block a row nor
show in the counts. Returnees already in the importer's scope (same NIK, else same document
number) are reused; the others enter the vault in bulk (`identity.actions.create_persons_bulk`).
A row that names a reused returnee (or an earlier row's new returnee) differently adds that
name to the person's other names, through the identity action, and the result counts it: no
name is dropped.

A file larger than `INLINE_MAX_BYTES` uploaded on the page is not imported while the page
waits: `queue_import` keeps it sealed in an `ImportJob` row and queues a job
(`simpul.migration.tasks.import_return_list`), which calls `run_import_job` (the same
`import_returns`, still all or nothing) and erases the file. Every imported return is then
checked against open missing reports by the worker (`linkage.actions.check_new_returns`).
"""

import base64
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome
from simpul.core.errors import StaleRecordError
from simpul.identity.actions import NewPerson, create_persons_bulk, person_aad, update_identity
from simpul.identity.crypto import blind_index, keyring, open_text, seal_text
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.identity.queries import persons_for
from simpul.jobs.actions import enqueue_on_commit
from simpul.lib.nik import validate_nik
from simpul.linkage.actions import check_new_returns
from simpul.migration.capabilities import Duty, acting_agency
from simpul.migration.import_format import (
    COLUMNS,
    ENCODINGS,
    ParsedRow,
    RowError,
    UnreadableFile,
    XlsxUnavailable,
    read_table,
    validate_file,
)
from simpul.migration.keys import canonical_name
from simpul.migration.models import ImportBatch, ImportJob, ImportStage, ImportStatus, ReturnEvent
from simpul.migration.sealing import aad
from simpul.regions.models import Region

_CHUNK = 500
# A file larger than this (about 2,000 rows of CSV) is imported by a background job.
INLINE_MAX_BYTES = 256 * 1024
Progress = Callable[[str, int], None]  # (ImportStage code, percent)

__all__ = [
    "COLUMNS",
    "ENCODINGS",
    "ImportResult",
    "RowError",
    "UnreadableFile",
    "XlsxUnavailable",
    "import_returns",
    "queue_import",
    "run_import_job",
]


class _Conflict(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    skipped: int = 0
    persons_created: int = 0
    names_added: int = 0  # other names added to a returnee named differently elsewhere
    errors: list[RowError] = field(default_factory=list)
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def _existing_keys(agency: Agency, keys: list[str]) -> set[str]:
    """The keys this agency has recorded. Another agency's returns are not looked at: they
    must neither hide a row from this agency nor tell it who the other agency holds."""
    found: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        found.update(
            ReturnEvent.objects.filter(owner_agency=agency, natural_key__in=chunk).values_list(
                "natural_key", flat=True
            )
        )
    return found


def _known_persons(actor: User, column: str, indexes: set[str]) -> dict[str, uuid.UUID]:
    found: dict[str, uuid.UUID] = {}
    values = sorted(indexes)
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        for index, pk in (
            persons_for(actor)
            .filter(**{f"{column}__in": chunk})
            .order_by("created_at")
            .values_list(column, "pk")
        ):
            found.setdefault(index, pk)
    return found


def import_returns(
    actor: User,
    content: bytes,
    filename: str,
    *,
    default_entry_point: str = "",
    list_reference: str = "",
    encoding: str = "utf-8",
    dry_run: bool = False,
    request: HttpRequest | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate a deportee list and, if every row is good, commit it whole.

    Raises `UnreadableFile` for a damaged workbook and `XlsxUnavailable` without openpyxl;
    every other problem is a `RowError` in the result. Nothing is written unless all is good."""
    agency = acting_agency(actor, Duty.RETURNS)
    digest = hashlib.sha256(content).hexdigest()
    report = progress or (lambda _stage, _percent: None)
    report(ImportStage.CHECKING, 10)
    try:
        rows, errors = validate_file(
            read_table(content, filename, encoding=encoding),
            default_entry_point=default_entry_point,
        )
    except UnreadableFile:
        audit(
            "return.import",
            actor=actor,
            request=request,
            record_type="migration.returnevent",
            count=0,
            reason=f"rejected: unreadable workbook, sha256 {digest[:16]}",
            outcome=Outcome.FAILED,
        )
        raise
    result = ImportResult(total=len(rows) + len({e.row for e in errors if e.row > 1}))
    if errors:
        result.errors = errors
        audit(
            "return.import",
            actor=actor,
            request=request,
            record_type="migration.returnevent",
            count=0,
            reason=f"rejected: {len(errors)} errors, sha256 {digest[:16]}",
            outcome=Outcome.FAILED,
        )
        return result
    existing = _existing_keys(agency, [r.key for r in rows])
    new_rows = [r for r in rows if r.key not in existing]
    result.skipped = len(rows) - len(new_rows)
    if dry_run:
        return result
    if not new_rows:
        audit(
            "return.import",
            actor=actor,
            request=request,
            record_type="migration.returnevent",
            count=0,
            reason=f"nothing new, sha256 {digest[:16]}",
        )
        return result
    # One transaction: nothing of it is visible (not even progress) until it commits.
    report(ImportStage.WRITING, 50)
    try:
        with transaction.atomic():
            result.batch, result.persons_created, result.names_added = _write(
                actor, agency, new_rows, digest, list_reference, len(rows), request
            )
    except IntegrityError:
        with translation.override("id"):
            reason = _("Another import wrote the same returns at the same time: run it again.")
        result.errors = [RowError(0, "", reason)]
        return result
    except _Conflict as conflict:
        result.errors = conflict.errors
        audit(
            "return.import",
            actor=actor,
            request=request,
            record_type="migration.returnevent",
            count=0,
            reason=f"rejected: {len(conflict.errors)} name conflicts, sha256 {digest[:16]}",
            outcome=Outcome.FAILED,
        )
        return result
    result.created = len(new_rows)
    return result


def _new_names(known: Iterable[str], names: Iterable[str]) -> list[str]:
    """`names` (in order, once each) that are none of the `known` names, compared as the
    name index compares them (case, spacing, spelling marks ignored)."""
    seen = {canonical_name(n) for n in known}
    fresh: list[str] = []
    for name in names:
        key = canonical_name(name)
        if key not in seen:
            seen.add(key)
            fresh.append(name)
    return fresh


def _add_names(
    actor: User, names_of: dict[uuid.UUID, list[ParsedRow]], request: HttpRequest | None
) -> int:
    """Add each known returnee's new names as other names, through the identity action."""
    added = 0
    ids = sorted(names_of, key=str)
    for start in range(0, len(ids), _CHUNK):
        for person in Person.objects.filter(pk__in=ids[start : start + _CHUNK]):
            rows = names_of[person.pk]
            data = IdentityData.from_bytes(
                keyring().open(person.sealed_identity, person_aad(person.id))
            )
            fresh = _new_names(
                [data.full_name, *data.aliases], [r.identity.full_name for r in rows]
            )
            if not fresh:
                continue
            try:
                update_identity(
                    actor,
                    person,
                    replace(data, aliases=[*data.aliases, *fresh]),
                    expected_version=person.version,
                    request=request,
                )
            except (PermissionDenied, Http404, StaleRecordError, ValidationError):
                with translation.override("id"):
                    reason = _(
                        "The NIK or document number belongs to a person already recorded "
                        "under another name, and that name cannot be added to the person's "
                        "other names: check the row, or ask a supervisor to update the person."
                    )
                raise _Conflict(
                    [RowError(r.number, "", reason) for r in rows if r.identity.full_name in fresh]
                ) from None
            added += len(fresh)
    return added


def _write(
    actor: User,
    agency: Agency,
    rows: list[ParsedRow],
    digest: str,
    list_reference: str,
    total: int,
    request: HttpRequest | None,
) -> tuple[ImportBatch, int, int]:
    nik_idx = {r.number: blind_index("nik", r.identity.nik) for r in rows if r.identity.nik}
    doc_idx = {
        r.number: blind_index("passport", r.identity.passport) for r in rows if r.identity.passport
    }
    by_nik = _known_persons(actor, "nik_index", set(nik_idx.values()))
    by_doc = _known_persons(actor, "passport_index", set(doc_idx.values()))
    candidates = {r.number: r.home_region or _nik_district(r.identity.nik) for r in rows}
    known_regions = set(
        Region.objects.filter(pk__in={c for c in candidates.values() if c}).values_list(
            "pk", flat=True
        )
    )
    region_of = {n: (c if c in known_regions else None) for n, c in candidates.items()}
    person_of: dict[int, uuid.UUID] = {}
    pending: dict[str, int] = {}  # identifier index -> position in `new_people`
    new_people: list[NewPerson] = []
    owners: dict[int, int] = {}
    names_of: dict[uuid.UUID, list[ParsedRow]] = {}  # known returnee -> rows naming them
    later_rows: dict[int, list[ParsedRow]] = {}  # new returnee -> later rows naming them
    for r in rows:
        known = by_nik.get(nik_idx.get(r.number, "")) or by_doc.get(doc_idx.get(r.number, ""))
        if known is not None:
            person_of[r.number] = known
            names_of.setdefault(known, []).append(r)
            continue
        ident = nik_idx.get(r.number) or doc_idx.get(r.number)
        if ident and ident in pending:
            owners[r.number] = pending[ident]
            later_rows.setdefault(pending[ident], []).append(r)
            continue
        owners[r.number] = len(new_people)
        if ident:
            pending[ident] = len(new_people)
        new_people.append(NewPerson(r.identity, region_of[r.number], r.tokens))
    names_added = 0
    for position, later in later_rows.items():
        first = new_people[position]
        fresh = _new_names([first.identity.full_name], [r.identity.full_name for r in later])
        if fresh:
            tokens = set(first.tokens or ())
            for r in later:
                tokens.update(r.tokens)
            new_people[position] = NewPerson(
                replace(first.identity, aliases=[*first.identity.aliases, *fresh]),
                first.scope_region_id,
                tuple(sorted(tokens)),
            )
            names_added += len(fresh)
    names_added += _add_names(actor, names_of, request)
    created = create_persons_bulk(actor, new_people, owner_agency=agency, request=request)
    for number, position in owners.items():
        person_of[number] = created[position].pk
    batch = ImportBatch.objects.create(
        owner_agency=agency,
        created_by=actor,
        list_reference=list_reference[:120],
        file_sha256=digest,
        rows_total=total,
        rows_created=len(rows),
        rows_skipped=total - len(rows),
        persons_created=len(created),
    )
    events = [
        ReturnEvent(
            person_id=person_of[r.number],
            owner_agency=agency,
            scope_region_id=region_of[r.number],
            created_by=actor,
            kind=r.kind,
            returned_on=r.returned_on,
            entry_point=r.entry_point,
            from_country=r.from_country,
            source_depot=r.depot,
            consulate=r.consulate,
            travel_document=r.document,
            receiving_team=r.receiving_team,
            shelter=r.shelter,
            onward_region_id=r.onward_region,
            batch=batch,
            natural_key=r.key,
        )
        for r in rows
    ]
    ReturnEvent.objects.bulk_create(events, batch_size=2000)
    check_new_returns([e.pk for e in events])  # each checked for missing reports, by a worker
    audit(
        "return.import",
        actor=actor,
        request=request,
        record=batch,
        count=len(events),
        fields=sorted(COLUMNS),
        reason=f"sha256 {digest[:16]}, {names_added} other names added",
    )
    return batch, len(created), names_added


def _nik_district(nik: str) -> str | None:
    return validate_nik(nik).district_code if nik else None


# Large files: stored sealed, imported by a background job -----------------------------------


def _content_aad(job_id: object) -> str:
    return aad("importjob", "content", job_id)


def _errors_aad(job_id: object) -> str:
    return aad("importjob", "errors", job_id)


def queue_import(
    actor: User,
    content: bytes,
    filename: str,
    *,
    default_entry_point: str = "",
    list_reference: str = "",
    encoding: str = "utf-8",
    request: HttpRequest | None = None,
) -> ImportJob:
    """Keep the file sealed and queue its import; the page follows the job's progress."""
    agency = acting_agency(actor, Duty.RETURNS)
    digest = hashlib.sha256(content).hexdigest()
    job = ImportJob(
        owner_agency=agency,
        created_by=actor,
        file_format="xlsx" if filename.lower().endswith(".xlsx") else "csv",
        file_bytes=len(content),
        file_sha256=digest,
        encoding=encoding,
        default_entry_point=default_entry_point,
        list_reference=list_reference[:120],
    )
    job.content_sealed = seal_text(base64.b64encode(content).decode("ascii"), _content_aad(job.id))
    # cycle: simpul.migration.tasks imports this module (it runs `run_import_job`)
    from simpul.migration import tasks

    with transaction.atomic():
        job.save()
        audit(
            "return.import.queue",
            actor=actor,
            request=request,
            record=job,
            reason=f"{len(content)} bytes, sha256 {digest[:16]}",
        )
        enqueue_on_commit(tasks.import_return_list, import_id=str(job.id))
    return job


def _set(job: ImportJob, **fields: object) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def run_import_job(
    import_id: uuid.UUID | str, on_progress: Callable[[int], None] | None = None
) -> ImportJob:
    """Import a queued file (all or nothing, as on the page), record the result on the job row
    and erase the file. A job that already ran is left as it is, so running it twice is safe;
    a job interrupted half-way (its transaction rolled back) simply runs again."""
    job = ImportJob.objects.select_related("created_by").get(pk=import_id)
    if not job.running or not job.content_sealed:
        return job

    def progress(stage: str, percent: int) -> None:
        _set(job, status=ImportStatus.RUNNING, stage=stage, progress=percent)
        if on_progress is not None:
            on_progress(percent)

    progress(ImportStage.READING, 5)
    content = base64.b64decode(open_text(job.content_sealed, _content_aad(job.id)))
    with translation.override("id"):  # row errors in Bahasa Indonesia, as on the page
        try:
            result = import_returns(
                job.created_by,
                content,
                f"list.{job.file_format}",
                default_entry_point=job.default_entry_point,
                list_reference=job.list_reference,
                encoding=job.encoding,
                progress=progress,
            )
        except (UnreadableFile, XlsxUnavailable) as exc:
            result = ImportResult(errors=[RowError(0, "", str(exc))])
        except PermissionDenied:
            reason = _("You can no longer import returns for this agency.")
            result = ImportResult(errors=[RowError(0, "", reason)])
    errors = [[e.row, e.column, str(e.reason)] for e in result.errors]
    _set(
        job,
        status=ImportStatus.REJECTED if errors else ImportStatus.DONE,
        stage=ImportStage.FINISHED,
        progress=100,
        finished_at=timezone.now(),
        content_sealed="",
        rows_total=result.total,
        rows_created=result.created,
        rows_skipped=result.skipped,
        persons_created=result.persons_created,
        names_added=result.names_added,
        error_count=len(errors),
        errors_sealed=seal_text(json.dumps(errors), _errors_aad(job.pk)) if errors else "",
        batch=result.batch,
    )
    return job


def import_errors(job: ImportJob) -> list[RowError]:
    """The row errors of a finished job, opened for its page."""
    if not job.errors_sealed:
        return []
    rows = json.loads(open_text(job.errors_sealed, _errors_aad(job.pk)))
    return [RowError(row, column, reason) for row, column, reason in rows]
