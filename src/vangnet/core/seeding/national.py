"""National load data: 39 Doorstroompunt regions and ~1,000,000 generated youth, PostgreSQL only.

Organisations and accounts are few and go through the ORM. Youth and enrolments are written as
PostgreSQL COPY text: rows are generated (and their BSN encrypted) in worker processes while the
main process streams finished chunks into the database, all in one transaction.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, models, transaction
from django.db.models import ProtectedError, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from vangnet.accounts.models import Role, User
from vangnet.core import crypto
from vangnet.organisations.models import (
    ContactDesignation,
    Location,
    Municipality,
    Organisation,
    OrganisationKind,
    Perspective,
    Region,
)
from vangnet.youth.models import Enrolment, Youth, YouthRegion

from . import SeedError, identifiers, names, plans
from .accounts import DEMO_DOMAIN, AccountSpec, create_accounts

REGION_COUNT = 39
DEFAULT_YOUTH = 1_000_000
RANDOM_SEED = 39
CHUNK = 20_000
ONDERWIJSNUMMER_EVERY = 16  # one youth in 16 has an onderwijsnummer and no BSN
OUTSIDE_REGION_SHARE = 0.03  # schooled in the region, living in another one

# Schools per region: (code part, kind, number, highest school year, share of the youth)
SCHOOLS = (
    ("pro", OrganisationKind.PRO_SCHOOL, 3, 5, 0.30),
    ("vso", OrganisationKind.VSO_SCHOOL, 3, 6, 0.30),
    ("vo", OrganisationKind.VO_SCHOOL, 6, 6, 0.40),
)
PARTNERS = (
    ("werk-inkomen", OrganisationKind.WORK_AND_INCOME, "Werkplein"),
    ("toegang", OrganisationKind.CARE_ACCESS, "Toegang Jeugd en Wmo"),
    ("generalisten", OrganisationKind.GENERALISTS, "Wijkteams"),
    ("servicebureau", OrganisationKind.YOUTH_SPECIALIST, "Servicebureau Jeugd"),
    ("zorgaanbieder", OrganisationKind.CARE_PROVIDER, "Zorgcoöperatie"),
)


def region_code(number: int) -> str:
    return f"N{number:02d}"


def org_prefix(number: int) -> str:
    return f"n{number:02d}-"


def account_email(local: str, region_number: int = 1) -> str:
    """E-mail of a national-scale account, e.g. account_email('pro.gebruiker', 1)."""
    return f"{local}@n{region_number:02d}.{DEMO_DOMAIN}"


_REGION_CODES = [region_code(n) for n in range(1, REGION_COUNT + 1)]


@dataclass
class NationalResult:
    youth: int = 0
    enrolments: int = 0
    regions: int = 0
    municipalities: int = 0
    organisations: int = 0
    users: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise SeedError(
            "`vangnet seed --scale national` needs PostgreSQL (it loads data with COPY); this "
            f"database is {connection.vendor}. Set DATABASE_URL=postgres://… and run it again."
        )


def national_present() -> bool:
    return Region.objects.filter(code__in=_REGION_CODES).exists()


def _org_q() -> Q:
    q = Q()
    for n in range(1, REGION_COUNT + 1):
        q |= Q(code__startswith=org_prefix(n))
    return q


def _youth_with_other_records() -> set[int]:
    """Ids in seed_gone that rows other than plain enrolments refer to (directly or through an
    enrolment)."""
    gone = RawSQL("SELECT id FROM seed_gone", [])
    busy: set[int] = set()
    for model, through_enrolment in ((Youth, False), (Enrolment, True)):
        for rel in model._meta.related_objects:
            if rel.many_to_many or rel.related_model is Enrolment:
                continue
            refs = rel.related_model._base_manager.values(rel.field.attname)
            if through_enrolment:
                via = Enrolment.objects.filter(pk__in=refs, youth_id__in=gone)
                busy |= set(via.values_list("youth_id", flat=True))
            else:
                direct = refs.filter(**{f"{rel.field.attname}__in": gone})
                busy |= set(direct.values_list(rel.field.attname, flat=True))
    return busy


def remove_national() -> None:
    """Remove the national regions and everything in them (set-based SQL for the big tables)."""
    regions = Region.objects.filter(code__in=_REGION_CODES)
    region_ids = list(regions.values_list("pk", flat=True))
    org_ids = list(Organisation.objects.filter(_org_q()).values_list("pk", flat=True))
    youth_t, enrol_t = Youth._meta.db_table, Enrolment._meta.db_table
    muni_t = Municipality._meta.db_table
    region_t = YouthRegion._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            # Table names come from the models, values are parameters.
            f"CREATE TEMP TABLE seed_gone ON COMMIT DROP AS "  # noqa: S608
            f"SELECT y.id FROM {youth_t} y JOIN {muni_t} m ON m.id = y.municipality_id "
            f"WHERE m.region_id = ANY(%s) "
            f"UNION SELECT e.youth_id FROM {enrol_t} e WHERE e.organisation_id = ANY(%s)",
            [region_ids, org_ids],
        )
    try:
        # Youth that other modules' records refer to go through the ORM, so that their cascades
        # and protections apply; the rest (nearly all) is removed with two set-based deletes.
        Youth.objects.filter(pk__in=_youth_with_other_records()).delete()
        gone = "IN (SELECT id FROM seed_gone)"
        with connection.cursor() as cur:
            cur.execute(f"DELETE FROM {enrol_t} WHERE youth_id {gone}")  # noqa: S608
            cur.execute(f"DELETE FROM {region_t} WHERE youth_id {gone}")  # noqa: S608
            cur.execute(f"DELETE FROM {youth_t} WHERE id {gone}")  # noqa: S608
        User.objects.filter(
            Q(organisation_id__in=org_ids) | Q(email__iregex=r"@n[0-9]{2}\.demo\.vangnet\.nl$")
        ).delete()
        Organisation.objects.filter(pk__in=org_ids).delete()
        Municipality.objects.filter(region_id__in=region_ids).delete()
        regions.delete()
    except ProtectedError as exc:
        kinds = sorted({type(o)._meta.label for o in exc.protected_objects})
        raise SeedError(
            "The national regions cannot be removed: other records still refer to them "
            f"({', '.join(kinds)})."
        ) from exc


def _place_names(rng: random.Random) -> Iterator[str]:
    base = [s + t for s in names.PLACE_STEMS for t in names.PLACE_SUFFIXES]
    pool = base + [f"Nieuw-{p}" for p in base] + [f"Oud-{p}" for p in base]
    rng.shuffle(pool)
    return iter(pool)


def _brin(region: int, index: int) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXZ"
    return f"{region:02d}{letters[index // len(letters)]}{letters[index % len(letters)]}"


@dataclass
class _RegionPlan:
    number: int
    weight: float
    region: Region | None = None
    municipalities: list[Municipality] = field(default_factory=list)
    orgs: list[Organisation] = field(default_factory=list)


def _region_organisations(p: _RegionPlan) -> list[Organisation]:
    """Schools of each kind, two MBO institutions (one with Entree), a municipality organisation
    per gemeente (the first one is the Doorstroompunt) and one chain partner of each kind."""
    pre, home = org_prefix(p.number), p.municipalities[0]
    rows: list[tuple[str, str, str, Municipality, bool]] = []  # code, kind, name, seat, entree
    for part, kind, number, _level, _share in SCHOOLS:
        label = {"pro": "PrO", "vso": "VSO", "vo": "College"}[part]
        for i in range(1, number + 1):
            muni = p.municipalities[(i - 1) % len(p.municipalities)]
            rows.append((f"{part}-{i}", kind, f"{label} {muni.name} {i}", muni, False))
    for i in (1, 2):
        muni = p.municipalities[(i - 1) % len(p.municipalities)]
        rows.append((f"mbo-{i}", OrganisationKind.MBO, f"ROC {muni.name} {i}", muni, i == 1))
    for j, muni in enumerate(p.municipalities, start=1):
        name = f"Gemeente {muni.name}" + (" (Doorstroompunt)" if j == 1 else "")
        rows.append((f"gemeente-{j}", OrganisationKind.MUNICIPALITY, name, muni, False))
    for part, kind, label in PARTNERS:
        rows.append((part, kind, f"{label} {home.name}", home, False))
    education = {OrganisationKind.MBO, *(kind for _p, kind, *_rest in SCHOOLS)}
    return [
        Organisation(
            code=pre + code,
            kind=kind,
            name=name,
            region=p.region,
            municipality=muni,
            brin=_brin(p.number, i) if kind in education else "",
            has_entree=entree,
        )
        for i, (code, kind, name, muni, entree) in enumerate(rows)
    ]


def _structure(rng: random.Random) -> tuple[list[_RegionPlan], NationalResult]:
    places = _place_names(rng)
    plans_ = [_RegionPlan(n, rng.uniform(0.5, 1.5)) for n in range(1, REGION_COUNT + 1)]
    regions = Region.objects.bulk_create(
        [
            Region(name=f"Regio {next(places)} (N{p.number:02d})", code=region_code(p.number))
            for p in plans_
        ]
    )
    munis: list[Municipality] = []
    for p, region in zip(plans_, regions, strict=True):
        p.region = region
        p.municipalities = [
            Municipality(name=next(places), cbs_code=f"N{p.number:02d}{m:02d}", region=region)
            for m in range(1, rng.randint(4, 12) + 1)
        ]
        munis += p.municipalities
    Municipality.objects.bulk_create(munis)

    orgs: list[Organisation] = []
    for p in plans_:
        p.orgs = _region_organisations(p)
        orgs += p.orgs
    Organisation.objects.bulk_create(orgs, batch_size=1000)

    Location.objects.bulk_create(
        [
            Location(
                organisation=org,
                name=f"{org.name} locatie {k + 1}",
                brin_vestiging=f"{org.brin}{k:02d}",
                municipality=org.municipality,
                city=org.municipality.name if org.municipality else "",
            )
            for org in orgs
            if org.kind
            in (
                OrganisationKind.PRO_SCHOOL,
                OrganisationKind.VSO_SCHOOL,
                OrganisationKind.VO_SCHOOL,
            )
            for k in range(2)
        ],
        batch_size=1000,
    )

    specs = []
    for p in plans_:
        by_code = {o.code.removeprefix(org_prefix(p.number)): o for o in p.orgs}
        for local, code, roles in (
            ("pro.gebruiker", "pro-1", (Role.USER,)),
            ("vo.decaan", "vo-1", (Role.DEAN,)),
            ("gemeente.consulent", "gemeente-1", (Role.TRANSITION_CONSULTANT,)),
        ):
            specs.append(
                AccountSpec(
                    account_email(local, p.number),
                    "Demo",
                    f"{local} N{p.number:02d}",
                    "",
                    by_code[code],
                    roles,
                )
            )
    users = create_accounts(specs)
    consulents = {
        u.organisation.region_id: u
        for u in users
        if u.organisation is not None and u.email.startswith("gemeente.")
    }
    ContactDesignation.objects.bulk_create(
        [
            ContactDesignation(
                municipality=m, perspective=perspective, user=consulents[m.region_id]
            )
            for m in munis
            for perspective in Perspective.values
        ],
        batch_size=1000,
    )
    result = NationalResult(
        regions=len(regions), municipalities=len(munis), organisations=len(orgs), users=len(users)
    )
    return plans_, result


# --- COPY rows -----------------------------------------------------------------------------------

YOUTH_FIELDS = (
    "id", "bsn_encrypted", "bsn_index", "onderwijsnummer", "first_name", "prefix", "last_name",
    "birth_date", "gender", "secret_address", "street", "house_number", "postcode", "city",
    "municipality", "wlz_indication", "created_at", "updated_at", "supplied_by",
)  # fmt: skip
ENROLMENT_FIELDS = (
    "youth", "organisation", "location", "class_name", "school_year_level", "student_number",
    "enrolled_on", "unenrolled_on", "unenrolment_processed", "leaving_year", "supplied_bsn",
    "created_at", "updated_at",
)  # fmt: skip


NULL = r"\N"  # COPY text format


def _copy_text(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _copy_columns(model: type[models.Model], fields: Iterable[str]) -> tuple[list[str], str]:
    """Column names for COPY, plus constant text for fields added to the model since this was
    written (their default), so that a new column with a default does not break the seed."""
    fields = list(fields)
    columns = [model._meta.get_field(f).column for f in fields]  # type: ignore[union-attr]
    extra: list[tuple[str, str]] = []
    for f in model._meta.concrete_fields:
        if f.name in fields or f.column in columns or isinstance(f, models.AutoField):
            continue
        if f.has_default():
            extra.append((str(f.column), _copy_text(f.get_default())))
        elif f.null or f.db_default is not models.NOT_PROVIDED:
            continue
        elif f.blank and isinstance(f, models.CharField | models.TextField):
            extra.append((str(f.column), ""))  # an optional text field: Django stores ""
        else:
            raise SeedError(
                f"{model._meta.label}.{f.name} has no default; teach the seed about it."
            )
    tail = "".join("\t" + text for _, text in extra)
    return [str(c) for c in columns] + [c for c, _ in extra], tail


@dataclass
class _Job:
    seed: int
    today: date
    now: str
    first_id: int
    count: int
    bsns: list[str]
    onderwijsnummers: list[str]
    municipalities: list[tuple[int, str]]
    elsewhere: list[tuple[int, str]]
    schools: list[tuple[int, str, list[int], int, float]]  # id, code part, locations, level, weight
    entree_id: int
    youth_tail: str
    enrolment_tail: str


def _generate(job: _Job) -> tuple[str, str, int]:
    """Rows for one chunk of youth and their enrolments, as COPY text. Runs in a worker process."""
    rng = random.Random(job.seed)  # noqa: S311 - generated data, not security
    encrypt, blind_index = crypto.encrypt, crypto.blind_index
    schools, weights = job.schools, [s[4] for s in job.schools]
    youth_rows: list[str] = []
    enrol_rows: list[str] = []
    own_iter, bsn_iter = iter(job.onderwijsnummers), iter(job.bsns)
    now, ytail, etail = job.now, job.youth_tail, job.enrolment_tail
    n_enrol = 0
    for i in range(job.count):
        youth_id = job.first_id + i
        school_id, part, locations, max_level, _w = rng.choices(schools, weights)[0]
        p = plans.plan(rng, job.today, max_level=max_level)
        person = p.person
        if rng.random() < OUTSIDE_REGION_SHARE and job.elsewhere:
            muni_id, city = rng.choice(job.elsewhere)
        else:
            muni_id, city = rng.choice(job.municipalities)
        if i % ONDERWIJSNUMMER_EVERY == ONDERWIJSNUMMER_EVERY - 1:
            bsn_enc, bsn_idx, own = "", NULL, next(own_iter)
        else:
            bsn = next(bsn_iter)
            bsn_enc, bsn_idx, own = encrypt(bsn), blind_index(bsn), NULL
        youth_rows.append(
            f"{youth_id}\t{bsn_enc}\t{bsn_idx}\t{own}\t{person.first_name}\t{person.prefix}\t"
            f"{person.last_name}\t{person.birth_date.isoformat()}\t{person.gender}\t"
            f"{'t' if person.secret_address else 'f'}\t{person.street}\t{person.house_number}\t"
            f"{person.postcode}\t{city}\t{muni_id}\t{'t' if person.wlz_indication else 'f'}\t"
            f"{now}\t{now}\t{school_id}{ytail}\n"
        )
        supplied = "t" if bsn_enc else "f"
        for org_id, location, stay, number in (
            (school_id, rng.choice(locations), p.school, f"{part.upper()}{youth_id}"),
            (job.entree_id, None, p.entree, f"E{youth_id}"),
        ):
            if stay is None:
                continue
            enrol_rows.append(
                f"{youth_id}\t{org_id}\t{location if location else NULL}\t"
                f"{stay.class_name}\t{stay.level}\t{number}\t{stay.enrolled_on.isoformat()}\t"
                f"{stay.unenrolled_on.isoformat() if stay.unenrolled_on else NULL}\t"
                f"{'t' if stay.processed else 'f'}\t"
                f"{stay.leaving_year if stay.leaving_year else NULL}\t"
                f"{supplied if org_id == school_id else 'f'}\t{now}\t{now}{etail}\n"
            )
            n_enrol += 1
    return "".join(youth_rows), "".join(enrol_rows), n_enrol


def _location_ids(region_plans: list[_RegionPlan]) -> dict[int, list[int]]:
    locations: dict[int, list[int]] = {}
    for loc_id, org_id in Location.objects.filter(
        organisation__in=[o for p in region_plans for o in p.orgs]
    ).values_list("pk", "organisation_id"):
        locations.setdefault(org_id, []).append(loc_id)
    return locations


def _jobs(
    region_plans: list[_RegionPlan],
    locations: dict[int, list[int]],
    total: int,
    today: date,
    first_id: int,
    tails: tuple[str, str],
) -> Iterator[_Job]:
    """Work for the generators. Runs in the pool's feeder thread: it must not use the database
    (a thread has its own connection, outside this transaction)."""
    bsn_iter = identifiers.bsns(identifiers.NATIONAL_BSN_START)
    own_iter = identifiers.onderwijsnummers(identifiers.NATIONAL_OWN_START)
    weight_sum = sum(p.weight for p in region_plans)
    counts = [int(total * p.weight / weight_sum) for p in region_plans]
    counts[0] += total - sum(counts)
    all_munis = [(m.pk, m.name) for p in region_plans for m in p.municipalities]
    next_id, seed = first_id, RANDOM_SEED * 1_000_003
    for p, count in zip(region_plans, counts, strict=True):
        munis = [(m.pk, m.name) for m in p.municipalities]
        elsewhere = [m for m in all_munis if m not in munis]
        schools = []
        for part, kind, number, level, share in SCHOOLS:
            schools += [
                (o.pk, part, locations[o.pk], level, share / number)
                for o in p.orgs
                if o.kind == kind
            ]
        entree = next(o for o in p.orgs if o.kind == OrganisationKind.MBO and o.has_entree)
        done = 0
        while done < count:
            n = min(CHUNK, count - done)
            n_own = n // ONDERWIJSNUMMER_EVERY  # see _generate: every 16th youth
            seed += 1
            yield _Job(
                seed=seed,
                today=today,
                now=timezone.now().isoformat(),
                first_id=next_id,
                count=n,
                bsns=[next(bsn_iter) for _ in range(n - n_own)],
                onderwijsnummers=[next(own_iter) for _ in range(n_own)],
                municipalities=munis,
                elsewhere=elsewhere,
                schools=schools,
                entree_id=entree.pk,
                youth_tail=tails[0],
                enrolment_tail=tails[1],
            )
            next_id += n
            done += n


def _reserve_ids(model: type[models.Model], count: int) -> int:
    """Take `count` ids from the table's sequence; returns the first one."""
    table = model._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cur.fetchone()[0]
        cur.execute(
            f"SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), "  # noqa: S608
            f"(SELECT last_value FROM {sequence})) + 1"
        )
        first = cur.fetchone()[0]
        cur.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return first


def default_workers(youth: int) -> int:
    if youth < 50_000:
        return 0
    return max(1, min(4, (os.cpu_count() or 2) - 1))


def build_national(
    *,
    youth: int = DEFAULT_YOUTH,
    reset: bool = False,
    workers: int | None = None,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> NationalResult:
    """Load the national data set. Refuses when it exists, unless reset is given."""
    require_postgresql()
    if youth < REGION_COUNT:
        raise SeedError(f"--youth must be at least {REGION_COUNT} (one per region).")
    say = progress or (lambda _msg: None)
    today = today or timezone.localdate()
    workers = default_workers(youth) if workers is None else workers
    started = time.perf_counter()
    with transaction.atomic():
        if national_present():
            if not reset:
                raise SeedError(
                    "National data (regions N01-N39) already exists. Run with --reset to remove "
                    "and rebuild it."
                )
            remove_national()
            say("removed the previous national data")
        t_removed = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("SET LOCAL synchronous_commit TO OFF")
        region_plans, result = _structure(random.Random(RANDOM_SEED))  # noqa: S311
        t_structure = time.perf_counter()
        say(
            f"{result.regions} regions, {result.municipalities} municipalities, "
            f"{result.organisations} organisations, {result.users} accounts"
        )

        youth_cols, youth_tail = _copy_columns(Youth, YOUTH_FIELDS)
        enrol_cols, enrol_tail = _copy_columns(Enrolment, ENROLMENT_FIELDS)
        first_id = _reserve_ids(Youth, youth)
        jobs = _jobs(
            region_plans,
            _location_ids(region_plans),
            youth,
            today,
            first_id,
            (youth_tail, enrol_tail),
        )
        youth_sql = f"COPY {Youth._meta.db_table} ({', '.join(youth_cols)}) FROM STDIN"
        enrol_sql = f"COPY {Enrolment._meta.db_table} ({', '.join(enrol_cols)}) FROM STDIN"
        pool = multiprocessing.get_context("fork").Pool(workers) if workers else None
        try:
            chunks = pool.imap(_generate, jobs) if pool else map(_generate, jobs)
            reported = 0
            with connection.cursor() as cur:
                for youth_text, enrol_text, n_enrol in chunks:
                    with cur.copy(youth_sql) as copy:
                        copy.write(youth_text)
                    with cur.copy(enrol_sql) as copy:
                        copy.write(enrol_text)
                    result.youth += youth_text.count("\n")
                    result.enrolments += n_enrol
                    if result.youth >= reported + 100_000 or result.youth == youth:
                        reported = result.youth - result.youth % 100_000
                        say(f"{result.youth:,} youth, {result.enrolments:,} enrolments loaded")
        finally:
            if pool:
                pool.close()
                pool.join()
        # The gemeente's visibility rows of the youth just loaded, set-based, same transaction.
        YouthRegion.objects.insert_from(first_youth_id=first_id)
        t_copy = time.perf_counter()
    t_commit = time.perf_counter()  # deferred foreign key checks run at commit
    # Fresh statistics for every table the seed filled: without them the planner guesses one
    # row per region and picks poor plans until autovacuum comes round.
    with connection.cursor() as cur:
        for model in (Region, Municipality, Organisation, Location, User, Youth, Enrolment):
            cur.execute(f"ANALYZE {model._meta.db_table}")
        # VACUUM sets the visibility map, so that a gemeente's count is an index-only scan.
        vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        cur.execute(f"{vacuum} {YouthRegion._meta.db_table}")
    t_end = time.perf_counter()
    result.seconds = {
        "remove": t_removed - started,
        "structure": t_structure - t_removed,
        "copy": t_copy - t_structure,
        "commit": t_commit - t_copy,
        "analyze": t_end - t_commit,
        "total": t_end - started,
    }
    return result
