"""On PostgreSQL the application connects as a role that owns nothing, so it cannot empty,
change or switch off the audit trail (the owner only migrates)."""

from __future__ import annotations

import os

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from vangnet.audit.dbroles import app_role_grant
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.audit.services import audit_record

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="database roles exist on PostgreSQL only"
    ),
    # Committed, so that the application role's own connection sees the role and the rows.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def app_role():
    role = f"vangnet_app_test_{os.getpid()}"
    app_role_grant(connection=connection, role=role, create=True)
    yield role
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)).as_string())
        cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)).as_string())


def _connect_as(role: str) -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(
        dbname=s["NAME"],
        user=role,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        password=s.get("PASSWORD") or None,
    )


REFUSED = [
    "UPDATE audit_auditevent SET action = 'delete'",
    "DELETE FROM audit_auditevent",
    "TRUNCATE audit_auditevent",
    "TRUNCATE audit_auditevent CASCADE",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only",
    "ALTER TABLE audit_auditevent ADD COLUMN x int",
    "DROP TABLE audit_auditevent CASCADE",
    "SET session_replication_role = replica",
    "CREATE TABLE vangnet_sneaky (id int)",
]


@pytest.mark.parametrize("statement", REFUSED)
def test_the_application_role_cannot_change_or_empty_the_audit_trail(app_role, statement):
    event = audit_record(user=None, action=AuditAction.VIEW, description="kept")
    with (
        _connect_as(app_role) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
        conn.transaction(),
    ):
        conn.execute(statement)
    assert AuditEvent.objects.filter(pk=event.pk, action="view").exists()


def test_the_application_role_reads_and_appends_the_audit_trail_and_changes_rows(app_role):
    event = audit_record(user=None, action=AuditAction.VIEW, description="kept")
    with _connect_as(app_role) as conn:
        assert conn.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] >= 1
        conn.execute(
            "INSERT INTO audit_auditevent (at, user_email, organisation_name, role, action, "
            "object_type, object_id, description, detail) "
            "VALUES (now(), '', '', '', 'view', '', '', 'by app role', '{}')"
        )
        conn.execute("INSERT INTO organisations_region (name, code) VALUES ('Regio R', 'r-1')")
        conn.execute("UPDATE organisations_region SET name = 'Regio S' WHERE code = 'r-1'")
        conn.execute("DELETE FROM organisations_region WHERE code = 'r-1'")
    assert AuditEvent.objects.filter(description="by app role").exists()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_truncate_is_refused_by_trigger_even_for_a_role_with_the_right(app_role):
    """Also a role that holds TRUNCATE (an owner that is not a superuser) cannot empty the trail."""
    audit_record(user=None, action=AuditAction.VIEW)
    role = sql.Identifier(app_role)
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("GRANT TRUNCATE ON audit_auditevent TO {}").format(role).as_string())
    with (
        _connect_as(app_role) as conn,
        pytest.raises(psycopg.errors.RaiseException, match="append-only"),
        conn.transaction(),
    ):
        conn.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.exists()


def test_migrate_runs_as_the_owner_and_grants_the_application_role(app_role, settings):
    """DATABASE_URL is the application role, DATABASE_MIGRATE_URL the owner: migrate switches
    to the owner and leaves the application role with its rights."""
    s = connection.settings_dict
    settings.DATABASE_MIGRATE_URL = (
        f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )
    original_user = s["USER"]
    connection.close()
    s["USER"] = app_role
    try:
        call_command("migrate", verbosity=0)
        assert connection.settings_dict["USER"] == app_role
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == app_role
            cursor.execute(
                "SELECT has_table_privilege(current_user, 'audit_auditevent', 'INSERT'), "
                "has_table_privilege(current_user, 'audit_auditevent', 'UPDATE')"
            )
            assert cursor.fetchone() == (True, False)
    finally:
        connection.close()
        s["USER"] = original_user
