"""The import engine: check a workbook, then apply it in one transaction with bulk operations.

`import_check()` reads and checks everything (file, headings, every cell, the rows against the
database) and returns a `Plan`; nothing is written. `import_apply()` writes a valid plan in one
transaction: bulk_create / bulk_update per chunk, one AuditEvent per youth touched and one for
the import. The web pages go through ImportJob (`job_create`, `job_check`, `job_apply`, run
inline or as Celery tasks); the `vangnet import` command calls `import_run()`.

Uitstroomperspectief rows follow jikp.services.perspective_set: one active perspective per youth,
the old one is deactivated, the new one starts at the first status of its kind (with details from
a running MBO application for onderwijs) and a PerspectiveChange line goes to the timeline.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.audit.services import audit_event_build, audit_record
from vangnet.core import crypto
from vangnet.jikp.domain import perspectives as perspective_rules
from vangnet.jikp.models import PerspectiveChange, Uitstroomperspectief
from vangnet.jikp.services import DETAIL_FIELDS
from vangnet.organisations.models import Organisation
from vangnet.youth import selectors as youth_selectors
from vangnet.youth.models import YOUTH_REGION_SOURCE, Enrolment, Gender, Youth, YouthRegion

from . import bulk, selectors, spreadsheets, vault
from .domain import container
from .domain.columns import LAYOUTS, Col, Kind, find_header, match_header
from .domain.decisions import (
    Decision,
    Outcome,
    StudentLookup,
    YouthState,
    decide,
    decide_student,
)
from .domain.problems import Code, Note, Problem, ProblemLog, Remark
from .domain.rows import Context, parse_rows
from .messages import problem_dict, remark_text
from .models import ImportFile, ImportJob, ImportKind, ImportSource, ImportStatus

logger = logging.getLogger(__name__)

BACKGROUND_ROWS = 2000  # files with more rows are checked and applied by a Celery task
ERROR_CAP = 1000
WRITE_CHUNK = 2000
HEADER_SEARCH_ROWS = 10

Progress = Callable[[int], None]


@dataclass
class Report:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_total: int = 0
    notes: list[str] = field(default_factory=list)
    accounts: int = 0  # leerlinglijst: students who already had a portal account (kept)
    # jongerenlijst: rows that enrol a youth who is enrolled at another school too (to confirm)
    elsewhere: int = 0

    @property
    def valid(self) -> bool:
        return self.error_total == 0

    def as_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "kind": self.kind,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "errors": self.errors,
        }
        if self.kind == Kind.STUDENT_LIST:
            result["accounts"] = self.accounts
        return result


@dataclass
class Plan:
    kind: Kind
    school: Organisation
    report: Report
    decisions: list[Decision] = field(default_factory=list)


# --- Checking --------------------------------------------------------------------------------


def _file_problem(kind: Kind, school: Organisation, problem: Problem) -> Plan:
    report = Report(kind=kind.value, errors=[problem_dict(problem)], error_total=1)
    return Plan(kind=kind, school=school, report=report)


def _progress_steps(progress: Progress | None, total: int, start: int, end: int) -> Progress:
    """A row counter that reports start..end percent, at most every 5 percent."""
    last = [-1]

    def on_row(done: int) -> None:
        if progress is None or total <= 0:
            return
        percent = start + (end - start) * min(done, total) // total
        if percent >= last[0] + 5:
            last[0] = percent
            progress(percent)

    return on_row


def import_check(
    *, kind: Kind | str, data: bytes, school: Organisation, progress: Progress | None = None
) -> Plan:
    """Read and check a workbook against the database. Writes nothing."""
    kind = Kind(kind)
    if kind == Kind.STUDENT_LIST and not school.is_school:
        return _file_problem(kind, school, Problem(Code.KIND_NOT_FOR_SCHOOL))
    problem = container.check(data)
    if problem is not None:
        return _file_problem(kind, school, problem)
    rows = spreadsheets.first_sheet(data)
    if isinstance(rows, Problem):
        return _file_problem(kind, school, rows)
    head: list[tuple[int, Sequence[object]]] = []
    for item in rows:
        head.append(item)
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    header_index = find_header(head)
    if header_index is None:
        return _file_problem(kind, school, Problem(Code.SHEET_EMPTY))
    header_row, header_cells = head[header_index]
    header = match_header(LAYOUTS[kind], header_row, header_cells)
    report = Report(kind=kind.value, notes=[remark_text(r) for r in header.remarks])
    plan = Plan(kind=kind, school=school, report=report)
    log = ProblemLog(cap=ERROR_CAP)
    if header.problems:
        log.extend(header.problems)
        _finish_report(report, log)
        return plan

    def data_rows():
        yield from head[header_index + 1 :]
        yield from rows

    ctx = Context(
        today=timezone.localdate(),
        municipalities=selectors.municipality_lookup() if kind == Kind.YOUTH_LIST else {},
    )
    estimate = container.estimate_rows(data)
    sheet = parse_rows(
        kind,
        header.positions,
        data_rows(),
        ctx,
        log,
        on_row=_progress_steps(progress, estimate, 5, 50),
    )
    report.rows = sheet.count
    report.notes += [remark_text(r) for r in sheet.remarks]
    if sheet.count == 0:
        log.add(Problem(Code.NO_DATA_ROWS))
    if progress:
        progress(50)
    if kind == Kind.STUDENT_LIST:
        plan.decisions = _decide_students(school, sheet.rows, log)
    else:
        plan.decisions = _decide_all(kind, school, sheet.rows, log)
    _finish_report(report, log)
    if not report.valid:
        plan.decisions = []
    else:
        for decision in plan.decisions:
            if decision.outcome == Outcome.CREATE:
                report.created += 1
            elif decision.outcome == Outcome.UPDATE:
                report.updated += 1
            else:
                report.unchanged += 1
        if kind == Kind.STUDENT_LIST:
            report.notes += _account_notes(plan.decisions, report)
        if kind == Kind.YOUTH_LIST:
            report.notes += _shared_record_notes(plan.decisions, report)
    if progress:
        progress(60)
    return plan


ACCOUNT_NOTES = 50  # rows named one by one in the notes; the rest are only counted


def _account_notes(decisions: list[Decision], report: Report) -> list[str]:
    kept = [d for d in decisions if d.account_kept]
    report.accounts = len(kept)
    if not kept:
        return []
    notes = [remark_text(Remark(Note.ACCOUNTS_KEPT, {"n": len(kept)}))]
    notes += [
        remark_text(Remark(Note.ACCOUNT_KEPT, {"row": d.row.row})) for d in kept[:ACCOUNT_NOTES]
    ]
    if len(kept) > ACCOUNT_NOTES:
        notes.append(
            remark_text(Remark(Note.ACCOUNT_NOTES_LEFT_OUT, {"n": len(kept) - ACCOUNT_NOTES}))
        )
    return notes


def _shared_record_notes(decisions: list[Decision], report: Report) -> list[str]:
    report.elsewhere = sum(1 for d in decisions if d.enrolled_elsewhere)
    kept = sum(1 for d in decisions if d.person_kept)
    notes = []
    if report.elsewhere:
        notes.append(remark_text(Remark(Note.ENROLLED_ELSEWHERE, {"n": report.elsewhere})))
    if kept:
        notes.append(remark_text(Remark(Note.PERSON_DATA_KEPT, {"n": kept})))
    return notes


def _finish_report(report: Report, log: ProblemLog) -> None:
    report.errors = [problem_dict(p) for p in log]
    report.error_total = log.total


def _decide_all(kind: Kind, school: Organisation, rows: list, log: ProblemLog) -> list[Decision]:
    """Look up youth, enrolments and perspectives in chunks, then decide every row."""
    indexes = {row.row: crypto.blind_index(row.bsn) for row in rows if row.bsn}
    by_index, by_number = selectors.youth_by_identifiers(
        bsn_indexes=indexes.values(),
        onderwijsnummers=[row.onderwijsnummer for row in rows if not row.bsn],
    )
    youth_of = {}
    for row in rows:
        found = by_index.get(indexes[row.row]) if row.bsn else by_number.get(row.onderwijsnummer)
        if found is not None:
            youth_of[row.row] = found
    youth_ids = [y.id for y in youth_of.values()]
    enrolments = selectors.enrolments_at_school(
        school=school, youth_ids=youth_ids, visible_only=kind != Kind.YOUTH_LIST
    )
    if kind == Kind.YOUTH_LIST:
        _mark_supplier_and_elsewhere(school, list(youth_of.values()))
    wants_perspective = [youth_of[r.row].id for r in rows if r.perspective and r.row in youth_of]
    perspectives = selectors.active_perspectives(youth_ids=wants_perspective)
    decisions: list[Decision] = []
    for row in rows:
        youth = youth_of.get(row.row)
        outcome = decide(
            kind,
            row,
            youth=youth,
            enrolment=enrolments.get(youth.id) if youth else None,
            perspective=perspectives.get(youth.id) if youth else None,
        )
        if isinstance(outcome, Problem):
            log.add(outcome)
        else:
            decisions.append(outcome)
    return decisions


def _mark_supplier_and_elsewhere(school: Organisation, found: list[YouthState]) -> None:
    """Whether the school supplied each known youth's person data itself (only then may its
    jongerenlijst change them), and whether the youth is enrolled at another school."""
    for chunk in selectors.chunks(found):
        ids = [y.id for y in chunk]
        suppliers = youth_selectors.person_suppliers(youth_ids=ids)
        elsewhere = youth_selectors.youth_enrolled_elsewhere(
            organisation_id=school.pk, youth_ids=ids
        )
        for youth in chunk:
            youth.supplied_here = suppliers.get(youth.id) == school.pk
            youth.enrolled_elsewhere = youth.id in elsewhere


def _decide_students(school: Organisation, rows: list, log: ProblemLog) -> list[Decision]:
    """The leerlinglijst: look up, in chunks, the school's enrolments by leerlingnummer, youth by
    BSN / onderwijsnummer and their enrolments here, and who has a portal account; then decide
    every row. Two rows that come down to the same student are an error."""
    by_number = selectors.enrolments_by_student_number(
        school=school, student_numbers=[row.student_number for row in rows]
    )
    indexes = {row.row: crypto.blind_index(row.bsn) for row in rows if row.bsn}
    by_index, by_onr = selectors.youth_by_identifiers(
        bsn_indexes=indexes.values(),
        onderwijsnummers=[row.onderwijsnummer for row in rows if row.onderwijsnummer],
    )
    identified: dict[int, YouthState] = {}
    for row in rows:
        found = by_index.get(indexes[row.row]) if row.bsn else by_onr.get(row.onderwijsnummer)
        if found is not None:
            identified[row.row] = found
    enrolments = selectors.enrolments_at_school(
        school=school, youth_ids=[y.id for y in identified.values()], visible_only=False
    )
    today = timezone.localdate()
    decisions: list[Decision] = []
    first_row_of: dict[int, int] = {}
    for row in rows:
        youth = identified.get(row.row)
        outcome = decide_student(
            row,
            lookup=StudentLookup(
                by_number=by_number.get(row.student_number or ""),
                identified=youth,
                identified_enrolment=enrolments.get(youth.id) if youth else None,
            ),
            today=today,
        )
        if isinstance(outcome, Problem):
            log.add(outcome)
            continue
        if outcome.youth is not None:
            if outcome.youth.id in first_row_of:
                log.add(
                    Problem(
                        Code.SAME_STUDENT_TWICE,
                        row=row.row,
                        column=Col.STUDENT_NUMBER.value,
                        params={"first": first_row_of[outcome.youth.id]},
                    )
                )
                continue
            first_row_of[outcome.youth.id] = row.row
        decisions.append(outcome)
    with_account = selectors.youth_with_account(
        youth_ids=[d.youth.id for d in decisions if d.youth is not None]
    )
    for decision in decisions:
        decision.account_kept = decision.youth is not None and decision.youth.id in with_account
    return decisions


# --- Applying --------------------------------------------------------------------------------


def _new_student(decision: Decision, school: Organisation) -> dict[str, Any]:
    """A youth first known from a leerlinglijst: no address; without BSN and onderwijsnummer
    known only by leerlingnummer until the BSN is linked at "Activeer DDD"."""
    row = decision.row
    return {
        "bsn_encrypted": crypto.encrypt(row.bsn) if row.bsn else "",
        "bsn_index": crypto.blind_index(row.bsn) if row.bsn else None,
        "onderwijsnummer": (row.onderwijsnummer or None) if not row.bsn else None,
        "identified_by_school": not (row.bsn or row.onderwijsnummer),
        "first_name": row.first_name,
        "prefix": row.prefix or "",
        "last_name": row.last_name,
        "birth_date": row.birth_date,
        "gender": row.gender or Gender.OTHER.value,
        "supplied_by_id": school.pk,
    }


def _new_youth(decision: Decision, school: Organisation) -> dict[str, Any]:
    row = decision.row
    return {
        "bsn_encrypted": crypto.encrypt(row.bsn) if row.bsn else "",
        "bsn_index": crypto.blind_index(row.bsn) if row.bsn else None,
        "onderwijsnummer": None if row.bsn else row.onderwijsnummer,
        "first_name": row.first_name,
        "prefix": row.prefix or "",
        "last_name": row.last_name,
        "birth_date": row.birth_date,
        "gender": row.gender,
        "secret_address": row.secret_address,
        "street": row.street,
        "house_number": row.house_number,
        "postcode": row.postcode,
        "city": row.city,
        "municipality_id": row.municipality_id,
        "supplied_by_id": school.pk,
    }


def _updated_youth(decision: Decision, now: Any) -> Youth:
    state = decision.youth
    assert state is not None
    values = {"last_name": state.last_name, "prefix": state.prefix, **state.fields}
    values.update(decision.youth_changes)
    bsn = values.pop("bsn", None)
    youth = Youth(pk=state.id, updated_at=now, **values)
    if bsn:
        youth.set_bsn(bsn)
    return youth


def _youth_columns(changes: dict[str, Any]) -> dict[str, Any]:
    """The model fields behind a decision's youth changes ("bsn" is stored as two columns)."""
    if "bsn" not in changes:
        return changes
    columns = {k: v for k, v in changes.items() if k != "bsn"}
    columns.update(bsn_encrypted=True, bsn_index=True)
    return columns


def _new_enrolment(decision: Decision, youth_id: int, school: Organisation) -> dict[str, Any]:
    row = decision.row
    return {
        "youth_id": youth_id,
        "organisation_id": school.pk,
        "class_name": row.class_name or "",
        "school_year_level": row.school_year_level,
        "student_number": row.student_number or "",
        # A leerlinglijst has no inschrijfdatum: a student new on it is enrolled from today.
        "enrolled_on": row.enrolled_on or timezone.localdate(),
        "leaving_year": row.leaving_year,
        "supplied_bsn": bool(row.bsn),
        "student_email": row.email,
    }


def _updated_enrolment(decision: Decision, now: Any) -> Enrolment:
    state = decision.enrolment
    assert state is not None
    values = {
        "enrolled_on": state.enrolled_on,
        "unenrolled_on": state.unenrolled_on,
        "unenrolment_processed": state.processed,
        "class_name": state.class_name,
        "school_year_level": state.school_year_level,
        "student_number": state.student_number,
        "leaving_year": state.leaving_year,
        "supplied_bsn": state.supplied_bsn,
        "student_email": state.student_email,
    }
    values.update(decision.enrolment_changes)
    return Enrolment(pk=state.id, updated_at=now, **values)


def _bulk_update(model: Any, objects: list, changes: list[dict[str, Any]]) -> None:
    if not objects:
        return
    fields = sorted({name for change in changes for name in change} | {"updated_at"})
    model.objects.bulk_update(objects, fields, batch_size=WRITE_CHUNK)


def _apply_perspectives(
    chunk: list[tuple[Decision, int]], school: Organisation, acting_user: Any
) -> None:
    """The bulk form of jikp.services.perspective_set for the rows that set a perspective."""
    if not chunk:
        return
    previous = [d.perspective_from.id for d, _youth_id in chunk if d.perspective_from]
    if previous:
        Uitstroomperspectief.objects.filter(pk__in=previous, is_active=True).update(
            is_active=False, updated_at=timezone.now()
        )
    education = [
        youth_id for d, youth_id in chunk if d.perspective_to == perspective_rules.Kind.EDUCATION
    ]
    applications = selectors.running_applications(youth_ids=education) if education else {}
    no_details: dict[str, str] = {}
    new, changes = [], []
    for decision, youth_id in chunk:
        kind = perspective_rules.Kind(str(decision.perspective_to))
        status = perspective_rules.INITIAL_STATUS[kind].value
        details = applications.get(youth_id, no_details) if kind == kind.EDUCATION else no_details
        complete = perspective_rules.details_complete(
            kind, {name: details.get(name, "") for name in DETAIL_FIELDS[kind]}
        )
        if details.get("status"):  # the status follows the application, as in perspective_set
            status = perspective_rules.status_after_application(
                status, details["status"], has_details=complete
            ).value
        new.append(
            {
                "youth_id": youth_id,
                "organisation_id": school.pk,
                "kind": kind.value,
                "status": status,
                "created_by_id": acting_user.pk,
                "details_complete": complete,
                "institution": details.get("institution", ""),
                "programme": details.get("programme", ""),
                "level": details.get("level", ""),
                "learning_path": details.get("learning_path", ""),
            }
        )
        current = decision.perspective_from
        changes.append(
            {
                "youth_id": youth_id,
                "user_id": acting_user.pk,
                "organisation_id": school.pk,
                "from_kind": current.kind if current else "",
                "from_status": current.status if current else "",
                "to_kind": kind.value,
                "to_status": status,
            }
        )
    bulk.insert_rows(Uitstroomperspectief, new)
    bulk.insert_rows(PerspectiveChange, changes)


def _apply_chunk(
    plan: Plan, chunk: Sequence[Decision], acting_user: Any, description: str, job_id: int | None
) -> None:
    now = timezone.now()
    creating = [d for d in chunk if d.youth is None]
    new_youth = _new_student if plan.kind == Kind.STUDENT_LIST else _new_youth
    new_ids = bulk.insert_rows(Youth, [new_youth(d, plan.school) for d in creating])
    youth_ids: dict[int, int] = {id(d): pk for d, pk in zip(creating, new_ids, strict=True)}
    for d in chunk:
        if d.youth is not None:
            youth_ids[id(d)] = d.youth.id
    updating = [d for d in chunk if d.youth is not None and d.youth_changes]
    _bulk_update(
        Youth,
        [_updated_youth(d, now) for d in updating],
        [_youth_columns(d.youth_changes) for d in updating],
    )
    if plan.kind in (Kind.YOUTH_LIST, Kind.STUDENT_LIST):
        bulk.insert_rows(
            Enrolment,
            [
                _new_enrolment(d, youth_ids[id(d)], plan.school)
                for d in chunk
                if d.enrolment is None
            ],
        )
    enrolled = [d for d in chunk if d.enrolment is not None and d.enrolment_changes]
    _bulk_update(
        Enrolment,
        [_updated_enrolment(d, now) for d in enrolled],
        [d.enrolment_changes for d in enrolled],
    )
    _apply_perspectives(
        [(d, youth_ids[id(d)]) for d in chunk if d.perspective_to], plan.school, acting_user
    )
    # The gemeente's visibility (YouthRegion) of the youth that are new, newly enrolled here,
    # moved or renamed, in this transaction.
    YouthRegion.objects.sync(
        youth_ids=[
            youth_ids[id(d)]
            for d in chunk
            if d.youth is None
            or d.enrolment is None
            or d.youth_changes.keys() & set(YOUTH_REGION_SOURCE)
        ]
    )
    actor = audit_event_build(user=acting_user, action=AuditAction.UPDATE, description=description)
    base = {
        f.attname: getattr(actor, f.attname)
        for f in AuditEvent._meta.concrete_fields
        if not f.primary_key
    }
    events = []
    for d in chunk:
        youth_id = youth_ids[id(d)]
        events.append(
            {
                **base,
                "action": str(
                    AuditAction.CREATE if d.outcome == Outcome.CREATE else AuditAction.UPDATE
                ),
                "youth_id": youth_id,
                "object_type": "youth.youth",
                "object_id": str(youth_id),
                "detail": {"import": job_id, "row": d.row.row, "fields": d.changed_fields},
            }
        )
    bulk.insert_rows(AuditEvent, events)


@transaction.atomic
def import_apply(
    *, plan: Plan, acting_user: Any, job: ImportJob | None = None, description: str = ""
) -> Report:
    """Write a checked, valid plan in one transaction. Unchanged rows are not touched."""
    if not plan.report.valid:
        raise ValueError("Only a plan without errors can be applied.")
    description = description or f"import {plan.kind.value}"
    changing = [d for d in plan.decisions if d.outcome != Outcome.UNCHANGED]
    for start in range(0, len(changing), WRITE_CHUNK):
        _apply_chunk(
            plan,
            changing[start : start + WRITE_CHUNK],
            acting_user,
            description,
            job.pk if job else None,
        )
    report = plan.report
    audit_record(
        user=acting_user,
        action=AuditAction.CREATE,
        obj=job,
        description=description,
        detail={
            "kind": plan.kind.value,
            "organisation": plan.school.pk,
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            **({"accounts": report.accounts} if plan.kind == Kind.STUDENT_LIST else {}),
        },
    )
    return report


# --- Jobs (web) ------------------------------------------------------------------------------


def _store_report(job: ImportJob, report: Report) -> None:
    job.rows_total = report.rows
    job.rows_created = report.created
    job.rows_updated = report.updated
    job.rows_unchanged = report.unchanged
    job.errors = report.errors
    job.error_count = report.error_total
    job.notes = report.notes
    job.rows_with_account = report.accounts
    job.rows_enrolled_elsewhere = report.elsewhere


def _set_progress(job_id: int) -> Progress:
    def progress(percent: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(progress=min(percent, 100))

    return progress


def _finish(job: ImportJob, status: ImportStatus) -> None:
    job.status = status
    job.progress = 100
    job.finished_at = timezone.now()
    job.save()
    ImportFile.objects.filter(job=job).delete()


def _fail(job_id: int, message: str) -> None:
    job = ImportJob.objects.get(pk=job_id)
    job.errors = [{"row": None, "column": "", "message": message}]
    job.error_count = 1
    _finish(job, ImportStatus.FAILED)


@transaction.atomic
def job_create(*, kind: str, uploaded: UploadedFile, acting_user: Any) -> ImportJob:
    """Record an uploaded file (encrypted) as a new job. A file over the size limit is refused
    on the spot, before it is read."""
    job = ImportJob(
        kind=ImportKind(kind),
        organisation=acting_user.organisation,
        user=acting_user,
        source=ImportSource.WEB,
        file_name=(uploaded.name or "bestand.xlsx")[:200],
        size=min(uploaded.size or 0, 2**31 - 1),
    )
    problem = container.check_size(uploaded.size or 0)
    if problem is not None:
        job.sha256 = ""
        _store_report(job, _file_problem(Kind(kind), job.organisation, problem).report)
        job.status = ImportStatus.INVALID
        job.progress = 100
        job.finished_at = timezone.now()
        job.save()
        return job
    uploaded.seek(0)
    data = uploaded.read()
    job.sha256 = hashlib.sha256(data).hexdigest()
    job.save()
    ImportFile.objects.create(job=job, content=vault.seal(data))
    return job


def job_runs_in_background(job: ImportJob) -> bool:
    stored = ImportFile.objects.filter(job=job).first()
    if stored is None:
        return False
    data = vault.unseal(bytes(stored.content))
    return container.check(data) is None and container.estimate_rows(data) > BACKGROUND_ROWS


def _load(job_id: int, status: ImportStatus, next_status: ImportStatus) -> ImportJob | None:
    """Move the job from `status` to `next_status`; None when another worker got there first."""
    moved = ImportJob.objects.filter(pk=job_id, status=status).update(
        status=next_status, progress=0
    )
    if not moved:
        return None
    return ImportJob.objects.select_related("organisation").get(pk=job_id)


def _job_data(job: ImportJob) -> bytes:
    return vault.unseal(bytes(ImportFile.objects.get(job=job).content))


def job_check(*, job_id: int) -> ImportJob | None:
    """Check an uploaded job: INVALID (with the report), DONE when nothing would change, or
    VALID (ready to apply)."""
    job = _load(job_id, ImportStatus.UPLOADED, ImportStatus.VALIDATING)
    if job is None:
        return None
    try:
        plan = import_check(
            kind=job.kind,
            data=_job_data(job),
            school=job.organisation,
            progress=_set_progress(job.pk),
        )
        _store_report(job, plan.report)
        job.checked_at = timezone.now()
        if not plan.report.valid:
            _finish(job, ImportStatus.INVALID)
        elif not (plan.report.created or plan.report.updated):
            _finish(job, ImportStatus.DONE)  # every row is already as the file says
        else:
            job.status = ImportStatus.VALID
            job.progress = 100
            job.save()
    except Exception:
        logger.exception("import job %s could not be checked", job_id)
        _fail(job_id, _("The file could not be processed because of an unexpected error."))
    return ImportJob.objects.get(pk=job_id)


def job_apply_start(*, job: ImportJob) -> bool:
    """Claim a checked job for applying (a second click does nothing)."""
    return bool(
        ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALID).update(
            status=ImportStatus.APPLYING, progress=0
        )
    )


def job_apply(*, job_id: int, acting_user: Any) -> ImportJob:
    """Check the file again against the database as it is now and, when still valid, apply it
    in one transaction."""
    job = ImportJob.objects.select_related("organisation").get(pk=job_id)
    if job.status != ImportStatus.APPLYING:
        return job
    try:
        plan = import_check(
            kind=job.kind,
            data=_job_data(job),
            school=job.organisation,
            progress=_set_progress(job.pk),
        )
        confirmed = job.rows_enrolled_elsewhere
        _store_report(job, plan.report)
        if not plan.report.valid:
            _finish(job, ImportStatus.INVALID)
            return job
        if plan.report.elsewhere > confirmed:
            _fail(
                job_id,
                _(
                    "Nothing has been changed: since the check, more youth in the file have been "
                    "enrolled at another school. Upload the file again to check and confirm it."
                ),
            )
            return ImportJob.objects.get(pk=job_id)
        with transaction.atomic():
            import_apply(
                plan=plan,
                acting_user=acting_user,
                job=job,
                description=f"import {plan.kind.value}: {job.file_name}"[:300],
            )
            _finish(job, ImportStatus.DONE)
    except (IntegrityError, DatabaseError):
        logger.warning("import job %s was refused by the database", job_id)
        _fail(
            job_id,
            _(
                "Nothing has been changed: the data were changed by someone else during the "
                "import. Upload the file again."
            ),
        )
    except Exception:
        logger.exception("import job %s could not be applied", job_id)
        _fail(job_id, _("Nothing has been changed because of an unexpected error."))
    return ImportJob.objects.get(pk=job_id)


def jobs_expire(*, days: int = 7) -> int:
    """Checked files nobody processed within `days` are dropped (they hold BSNs); their jobs
    end as failed. Meant for the nightly run (task vangnet.transfers.tasks.expire_imports)."""
    cutoff = timezone.now() - timedelta(days=days)
    expired = 0
    for job in ImportJob.objects.filter(status=ImportStatus.VALID, checked_at__lt=cutoff):
        job.errors = [
            {
                "row": None,
                "column": "",
                "message": _(
                    "The checked file was not processed within %(days)s days and has been "
                    "removed; upload it again."
                )
                % {"days": days},
            }
        ]
        job.error_count = 1
        _finish(job, ImportStatus.FAILED)
        expired += 1
    return expired


# --- Command line ----------------------------------------------------------------------------


def import_run(
    *,
    kind: str,
    data: bytes,
    file_name: str,
    school: Organisation,
    acting_user: Any,
    dry_run: bool = False,
    confirm_elsewhere: bool = False,
) -> Report:
    """The engine for `vangnet import`: check, and unless dry_run apply. A real run is kept as a
    job (source 'command line') in the organisation's import history. Rows of youth enrolled at
    another school are applied only with confirm_elsewhere (as the web page asks for the
    confirmation box); without it the run is refused with an error saying so."""
    plan = import_check(kind=kind, data=data, school=school)
    if dry_run:
        return plan.report
    if plan.report.valid and plan.report.elsewhere and not confirm_elsewhere:
        problem = Problem(Code.ELSEWHERE_NOT_CONFIRMED, params={"n": plan.report.elsewhere})
        plan.report.errors = [problem_dict(problem)]
        plan.report.error_total = 1
        plan.decisions = []
    job = ImportJob(
        kind=ImportKind(kind),
        organisation=school,
        user=acting_user,
        source=ImportSource.CLI,
        file_name=file_name[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        size=min(len(data), 2**31 - 1),
        checked_at=timezone.now(),
    )
    _store_report(job, plan.report)
    if not plan.report.valid:
        _finish(job, ImportStatus.INVALID)
        return plan.report
    with transaction.atomic():
        job.save()
        import_apply(
            plan=plan,
            acting_user=acting_user,
            job=job,
            description=f"import {plan.kind.value}: {file_name} (vangnet import, command line)"[
                :300
            ],
        )
        _finish(job, ImportStatus.DONE)
    return plan.report
