"""Applying imports: what is written, audited, and that a second run changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import EnrolmentFactory, YouthFactory, make_bsn, make_onderwijsnummer
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.jikp import services as jikp_services
from vangnet.jikp.models import Aanmelding, PerspectiveChange, Uitstroomperspectief
from vangnet.transfers import services
from vangnet.transfers.models import ImportFile, ImportJob, ImportStatus
from vangnet.youth.models import Enrolment, Youth
from vangnet.youth.services import enrolments_process_unenrolments

from .builders import xlsx, youth_list, youth_row

pytestmark = pytest.mark.django_db


def _run(world, kind, data, user="school_gebruiker"):
    plan = services.import_check(kind=kind, data=data, school=world.pro)
    assert plan.report.valid, plan.report.errors
    return services.import_apply(plan=plan, acting_user=world.users[user])


def _enrolled(world, last_name="Jansen", school=None, **kwargs):
    bsn = make_bsn()
    enrolment = EnrolmentFactory(
        organisation=school or world.pro,
        # The date of birth of youth_row(): a jongerenlijst row matches a known youth only with
        # the same BSN, last name and date of birth.
        youth=YouthFactory(
            bsn=bsn, last_name=last_name, municipality=world.gem_a, birth_date=dt.date(2009, 3, 4)
        ),
        **kwargs,
    )
    return bsn, enrolment


def test_youth_list_creates_youth_enrolments_and_perspectives(world):
    bsn = make_bsn()
    data = youth_list(
        [
            youth_row(
                bsn=bsn, overrides={"Uitstroomperspectief": "Arbeid", "Jaar van uitstroom": 2026}
            ),
            youth_row(overrides={"Tussenvoegsel": "de", "Achternaam": "Vries"}),
        ]
    )
    report = _run(world, "jongerenlijst", data)
    assert (report.rows, report.created, report.updated, report.unchanged) == (2, 2, 0, 0)
    youth = Youth.objects.get(bsn_index__isnull=False, last_name="Jansen")
    assert youth.bsn == bsn and bsn not in youth.bsn_encrypted
    assert (youth.postcode, youth.municipality, youth.gender) == ("1234 AB", world.gem_a, "v")
    enrolment = youth.enrolments.get()
    assert (enrolment.organisation, enrolment.class_name, enrolment.leaving_year) == (
        world.pro,
        "3A",
        2026,
    )
    assert enrolment.supplied_bsn
    assert Youth.objects.get(last_name="Vries").prefix == "de"
    perspective = Uitstroomperspectief.objects.get(youth=youth)
    assert (perspective.kind, perspective.status, perspective.is_active) == (
        "arbeid",
        "arbeid_orienterend",
        True,
    )
    assert perspective.created_by == world.users["school_gebruiker"]
    change = PerspectiveChange.objects.get(youth=youth)
    assert (change.from_kind, change.to_kind, change.to_status) == (
        "",
        "arbeid",
        "arbeid_orienterend",
    )


def test_every_youth_touched_and_the_import_itself_are_audited(world):
    data = youth_list([youth_row(), youth_row(), youth_row()])
    _run(world, "jongerenlijst", data)
    per_youth = AuditEvent.objects.filter(youth_id__in=Youth.objects.values("pk"))
    assert per_youth.count() == 3
    assert set(per_youth.values_list("action", flat=True)) == {AuditAction.CREATE}
    assert set(per_youth.values_list("user_email", flat=True)) == {
        world.users["school_gebruiker"].email
    }
    event = per_youth.first()
    assert event.object_type == "youth.youth"
    assert event.detail["fields"] == []
    whole = AuditEvent.objects.get(youth_id__isnull=True, description__startswith="import")
    assert whole.detail["created"] == 3
    assert whole.organisation_id == world.pro.pk


def test_the_same_file_twice_changes_nothing_the_second_time(world):
    rows = [youth_row(overrides={"Uitstroomperspectief": "Dagbesteding"}) for _ in range(3)]
    data = youth_list(rows)
    _run(world, "jongerenlijst", data)
    counts = (
        Youth.objects.count(),
        Enrolment.objects.count(),
        Uitstroomperspectief.objects.count(),
        PerspectiveChange.objects.count(),
    )
    events = AuditEvent.objects.filter(youth_id__isnull=False).count()
    second = _run(world, "jongerenlijst", data)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert counts == (
        Youth.objects.count(),
        Enrolment.objects.count(),
        Uitstroomperspectief.objects.count(),
        PerspectiveChange.objects.count(),
    )
    assert AuditEvent.objects.filter(youth_id__isnull=False).count() == events


def test_known_youth_is_updated_in_bulk(world):
    bsn, enrolment = _enrolled(world, class_name="3A")
    data = youth_list(
        [youth_row(bsn=bsn, overrides={"Klas": "4B", "Woonplaats": "Beedorp", "Leerjaar": 4})]
    )
    report = _run(world, "jongerenlijst", data)
    assert (report.created, report.updated) == (0, 1)
    enrolment.refresh_from_db()
    enrolment.youth.refresh_from_db()
    assert (enrolment.class_name, enrolment.school_year_level) == ("4B", 4)
    assert enrolment.youth.city == "Beedorp"
    assert enrolment.youth.first_name == "Sanne"
    event = AuditEvent.objects.get(youth_id=enrolment.youth_id, action=AuditAction.UPDATE)
    assert "city" in event.detail["fields"] and "class_name" in event.detail["fields"]
    assert bsn not in str(event.detail) and bsn not in event.description


def test_youth_of_another_school_gets_an_enrolment_here(world):
    bsn, _other = _enrolled(world, school=world.other_school)
    report = _run(world, "jongerenlijst", youth_list([youth_row(bsn=bsn)]))
    assert report.created == 1
    assert Youth.objects.count() == 1
    assert set(Enrolment.objects.values_list("organisation", flat=True)) == {
        world.pro.pk,
        world.other_school.pk,
    }


def test_secret_address_stores_no_address(world):
    row = youth_row(
        overrides={
            "Geheim adres": "ja",
            "Straat": None,
            "Huisnummer": None,
            "Postcode": None,
            "Woonplaats": None,
        }
    )
    _run(world, "jongerenlijst", youth_list([row]))
    youth = Youth.objects.get()
    assert youth.secret_address and (youth.street, youth.postcode, youth.city) == ("", "", "")


def test_youth_without_bsn_by_onderwijsnummer(world):
    number = make_onderwijsnummer()
    row = youth_row(bsn="", overrides={"Onderwijsnummer": number})
    _run(world, "jongerenlijst", youth_list([row]))
    youth = Youth.objects.get()
    assert (youth.onderwijsnummer, youth.bsn_index) == (number, None)
    assert not youth.enrolments.get().supplied_bsn
    again = services.import_check(kind="jongerenlijst", data=youth_list([row]), school=world.pro)
    assert again.report.unchanged == 1


def test_unenrolled_youth_is_enrolled_again(world):
    bsn, enrolment = _enrolled(
        world,
        enrolled_on=dt.date(2020, 8, 20),
        unenrolled_on=dt.date(2023, 7, 1),
        unenrolment_processed=True,
    )
    _run(world, "jongerenlijst", youth_list([youth_row(bsn=bsn)]))
    enrolment.refresh_from_db()
    assert (enrolment.enrolled_on, enrolment.unenrolled_on, enrolment.unenrolment_processed) == (
        dt.date(2024, 8, 20),
        None,
        False,
    )


# --- Uitstroomperspectief: the same rules as jikp.services.perspective_set --------------------


def _perspective_state(youth):
    return (
        list(
            Uitstroomperspectief.objects.filter(youth=youth)
            .order_by("created_at", "id")
            .values_list("kind", "status", "is_active", "details_complete", "institution")
        ),
        list(
            PerspectiveChange.objects.filter(youth=youth)
            .order_by("at", "id")
            .values_list("from_kind", "from_status", "to_kind", "to_status")
        ),
    )


def test_perspective_import_matches_perspective_set(world):
    user = world.users["school_gebruiker"]
    by_hand = _enrolled(world)[1].youth
    by_file_bsn, by_file = _enrolled(world)
    by_file = by_file.youth
    for youth in (by_hand, by_file):
        Aanmelding.objects.create(
            youth=youth, institution=world.mbo, programme="Logistiek", level="2"
        )
        jikp_services.perspective_set(
            youth=youth, school=world.pro, kind="arbeid", acting_user=user
        )
    jikp_services.perspective_set(
        youth=by_hand, school=world.pro, kind="onderwijs", acting_user=user
    )
    data = xlsx(
        ["BSN", "Achternaam", "Uitstroomperspectief"], [[by_file_bsn, "jansen", "Onderwijs"]]
    )
    report = _run(world, "uitstroomperspectieven", data)
    assert (report.created, report.updated) == (0, 1)
    assert _perspective_state(by_file) == _perspective_state(by_hand)
    active = Uitstroomperspectief.objects.get(youth=by_file, is_active=True)
    assert (active.institution, active.programme, active.details_complete) == (
        world.mbo.name,
        "Logistiek",
        True,
    )


def test_perspective_import_twice_is_unchanged(world):
    bsn, _enrolment = _enrolled(world)
    data = xlsx(["BSN", "Achternaam", "Uitstroomperspectief"], [[bsn, "Jansen", "Arbeid"]])
    _run(world, "uitstroomperspectieven", data)
    assert _run(world, "uitstroomperspectieven", data).unchanged == 1
    assert Uitstroomperspectief.objects.count() == 1


# --- Uitschrijfdatums and jaar van uitstroom -------------------------------------------------


def test_unenrolment_dates_are_left_to_the_nightly_run(world):
    bsn, enrolment = _enrolled(world, enrolled_on=dt.date(2023, 8, 21))
    data = xlsx(["BSN", "Achternaam", "Uitschrijfdatum"], [[bsn, "Jansen", "01-02-2025"]])
    report = _run(world, "uitschrijfdatums", data)
    assert report.updated == 1
    enrolment.refresh_from_db()
    assert (enrolment.unenrolled_on, enrolment.unenrolment_processed) == (
        dt.date(2025, 2, 1),
        False,
    )
    enrolments_process_unenrolments(today=dt.date(2025, 2, 2))
    enrolment.refresh_from_db()
    assert enrolment.unenrolment_processed
    # Still visible to the school (nazorg), so the same file again is simply unchanged.
    again = services.import_check(kind="uitschrijfdatums", data=data, school=world.pro)
    assert (again.report.valid, again.report.unchanged) == (True, 1)


def test_leaving_year(world):
    bsn, enrolment = _enrolled(world)
    data = xlsx(["BSN", "Achternaam", "Jaar van uitstroom"], [[bsn, "Jansen", "2025/2026"]])
    assert _run(world, "jaar-van-uitstroom", data).updated == 1
    enrolment.refresh_from_db()
    assert enrolment.leaving_year == 2026
    assert enrolment.school_year_label == "2025/2026"


# --- Chunked look-ups ------------------------------------------------------------------------


def _queries_to_check(world, count):
    bsns = [_enrolled(world)[0] for _ in range(count)]
    data = xlsx(
        ["BSN", "Achternaam", "Uitstroomperspectief"], [[b, "Jansen", "Arbeid"] for b in bsns]
    )
    with CaptureQueriesContext(connection) as queries:
        plan = services.import_check(kind="uitstroomperspectieven", data=data, school=world.pro)
    assert plan.report.valid and plan.report.updated == count
    return len(queries)


def test_validation_query_count_does_not_grow_with_the_rows(world):
    assert _queries_to_check(world, 3) == _queries_to_check(world, 60)


def test_lookups_work_across_chunks(world, monkeypatch):
    from vangnet.transfers import selectors

    monkeypatch.setattr(selectors, "CHUNK", 2)
    bsns = [_enrolled(world)[0] for _ in range(5)]
    data = xlsx(["BSN", "Achternaam", "Jaar van uitstroom"], [[b, "Jansen", 2030] for b in bsns])
    assert _run(world, "jaar-van-uitstroom", data).updated == 5
    assert set(Enrolment.objects.values_list("leaving_year", flat=True)) == {2030}


def test_municipality_names_used_twice_need_the_cbs_code(world):
    from tests.factories import MunicipalityFactory

    MunicipalityFactory(name="Aastad", region=world.other_region)
    plan = services.import_check(
        kind="jongerenlijst", data=youth_list([youth_row()]), school=world.pro
    )
    assert [e["column"] for e in plan.report.errors] == ["Woongemeente"]
    plan = services.import_check(
        kind="jongerenlijst",
        data=youth_list([youth_row(municipality=world.gem_a.cbs_code)]),
        school=world.pro,
    )
    assert plan.report.valid


def test_an_invalid_plan_cannot_be_applied(world):
    plan = services.import_check(kind="jongerenlijst", data=b"", school=world.pro)
    with pytest.raises(ValueError):
        services.import_apply(plan=plan, acting_user=world.users["school_gebruiker"])


# --- Jobs ------------------------------------------------------------------------------------


def _upload(data, name="lijst.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_job_lifecycle_stores_the_file_encrypted_until_done(world):
    user = world.users["school_gebruiker"]
    data = youth_list([youth_row(), youth_row()])
    job = services.job_create(kind="jongerenlijst", uploaded=_upload(data), acting_user=user)
    stored = ImportFile.objects.get(job=job)
    assert bytes(stored.content) != data and b"Jansen" not in bytes(stored.content)
    assert job.status == ImportStatus.UPLOADED and len(job.sha256) == 64
    job = services.job_check(job_id=job.pk)
    assert (job.status, job.rows_created, job.progress) == (ImportStatus.VALID, 2, 100)
    assert services.job_check(job_id=job.pk) is None  # only an uploaded job is checked
    assert Youth.objects.count() == 0
    assert services.job_apply_start(job=job)
    assert not services.job_apply_start(job=job)  # a second click does nothing
    job = services.job_apply(job_id=job.pk, acting_user=user)
    assert (job.status, job.rows_created) == (ImportStatus.DONE, 2)
    assert Youth.objects.count() == 2
    assert not ImportFile.objects.filter(job=job).exists()
    assert services.job_apply(job_id=job.pk, acting_user=user).status == ImportStatus.DONE


def test_job_with_nothing_to_change_is_done_at_once(world):
    user = world.users["school_gebruiker"]
    data = youth_list([youth_row()])
    _run(world, "jongerenlijst", data)
    job = services.job_create(kind="jongerenlijst", uploaded=_upload(data), acting_user=user)
    job = services.job_check(job_id=job.pk)
    assert (job.status, job.rows_created, job.rows_updated, job.rows_unchanged) == (
        ImportStatus.DONE,
        0,
        0,
        1,
    )


def test_job_over_the_size_limit_is_refused_unread(world, monkeypatch):
    from vangnet.transfers.domain import container

    monkeypatch.setattr(container, "MAX_FILE_BYTES", 10)
    job = services.job_create(
        kind="jongerenlijst",
        uploaded=_upload(b"x" * 11),
        acting_user=world.users["school_gebruiker"],
    )
    assert (job.status, job.error_count, job.sha256) == (ImportStatus.INVALID, 1, "")
    assert not ImportFile.objects.filter(job=job).exists()


def test_job_that_became_invalid_before_applying_changes_nothing(world):
    user = world.users["school_gebruiker"]
    bsn, enrolment = _enrolled(world)
    data = xlsx(["BSN", "Achternaam", "Jaar van uitstroom"], [[bsn, "Jansen", 2027]])
    job = services.job_create(kind="jaar-van-uitstroom", uploaded=_upload(data), acting_user=user)
    services.job_check(job_id=job.pk)
    Enrolment.objects.filter(pk=enrolment.pk).update(unenrolment_processed=True)
    services.job_apply_start(job=job)
    job = services.job_apply(job_id=job.pk, acting_user=user)
    assert (job.status, job.error_count) == (ImportStatus.INVALID, 1)
    enrolment.refresh_from_db()
    assert enrolment.leaving_year is None


def test_job_refused_by_the_database_changes_nothing(world, monkeypatch):
    """Someone sets a perspective between the final check and the write: the partial unique
    index refuses the second active one and the whole import rolls back."""
    user = world.users["school_gebruiker"]
    bsns = [_enrolled(world)[0] for _ in range(2)]
    data = xlsx(
        ["BSN", "Achternaam", "Uitstroomperspectief"], [[b, "Jansen", "Arbeid"] for b in bsns]
    )
    job = services.job_create(
        kind="uitstroomperspectieven", uploaded=_upload(data), acting_user=user
    )
    services.job_check(job_id=job.pk)
    check = services.import_check

    def check_then_interfere(**kwargs):
        plan = check(**kwargs)
        youth = Youth.objects.get(bsn_index=_index(bsns[1]))
        jikp_services.perspective_set(
            youth=youth, school=world.pro, kind="dagbesteding", acting_user=user
        )
        return plan

    monkeypatch.setattr(services, "import_check", check_then_interfere)
    services.job_apply_start(job=job)
    job = services.job_apply(job_id=job.pk, acting_user=user)
    assert job.status == ImportStatus.FAILED
    assert "niets gewijzigd" in job.errors[0]["message"]
    assert Uitstroomperspectief.objects.filter(kind="arbeid").count() == 0


def _index(bsn):
    from vangnet.core import crypto

    return crypto.blind_index(bsn)


def test_unexpected_errors_fail_the_job_without_changes(world, monkeypatch):
    user = world.users["school_gebruiker"]
    job = services.job_create(
        kind="jongerenlijst", uploaded=_upload(youth_list([youth_row()])), acting_user=user
    )

    def boom(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "import_check", boom)
    assert services.job_check(job_id=job.pk).status == ImportStatus.FAILED
    job2 = services.job_create(
        kind="jongerenlijst", uploaded=_upload(youth_list([youth_row()])), acting_user=user
    )
    ImportJob.objects.filter(pk=job2.pk).update(status=ImportStatus.APPLYING)
    assert services.job_apply(job_id=job2.pk, acting_user=user).status == ImportStatus.FAILED
    assert Youth.objects.count() == 0


def test_checked_files_left_unprocessed_expire(world):
    from django.utils import timezone

    from vangnet.transfers import tasks

    user = world.users["school_gebruiker"]
    job = services.job_create(
        kind="jongerenlijst", uploaded=_upload(youth_list([youth_row()])), acting_user=user
    )
    services.job_check(job_id=job.pk)
    assert tasks.expire_imports() == 0
    ImportJob.objects.filter(pk=job.pk).update(checked_at=timezone.now() - dt.timedelta(days=8))
    assert tasks.expire_imports() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "opnieuw" in job.errors[0]["message"]
    assert not ImportFile.objects.filter(job=job).exists()
