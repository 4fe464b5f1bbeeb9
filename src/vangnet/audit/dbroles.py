"""The application's PostgreSQL role: it owns nothing, so it cannot empty or alter the audit trail.

Two roles (README, "Running in production"): the *owner* creates and migrates the tables
(`DATABASE_MIGRATE_URL`); the *application role* (`DATABASE_URL`) may only SELECT, INSERT, UPDATE
and DELETE rows, and on the audit table only SELECT and INSERT. Not being the owner, it cannot
TRUNCATE, ALTER TABLE ... DISABLE TRIGGER or drop the table; not being a superuser, it cannot SET
session_replication_role = replica. `vangnet migrate` applies these grants after every migration
when `DATABASE_MIGRATE_URL` is set; `vangnet app_role` does the same by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import sql

from .models import AuditEvent

DEFAULT_APP_ROLE = "vangnet_app"
TABLE_RIGHTS = sql.SQL("SELECT, INSERT, UPDATE, DELETE")


def app_role_grant(*, connection: Any, role: str, create: bool = False, password: str = "") -> None:
    """Give the role exactly the application's rights on this database (idempotent). Run as the
    owner of the tables. With ``create`` the role is made first when it does not exist."""
    if connection.vendor != "postgresql":
        raise ImproperlyConfigured("Database roles exist on PostgreSQL only.")
    ident = sql.Identifier(role)
    audit = sql.Identifier(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_database(), current_schema()")
        owner, database, schema_name = cursor.fetchone()
        if owner == role:
            raise ImproperlyConfigured(
                "The application role must not be the owner of the tables: give DATABASE_URL "
                "another role than DATABASE_MIGRATE_URL."
            )
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            if not create:
                raise ImproperlyConfigured(f"Database role {role} does not exist.")
            statement = sql.SQL(
                "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
            ).format(ident)
            if password:
                statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(password))
            cursor.execute(statement.as_string())
        schema = sql.Identifier(schema_name)
        statements = [
            sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
                sql.Identifier(database), ident
            ),
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, ident),
            sql.SQL("REVOKE CREATE ON SCHEMA {} FROM {}").format(schema, ident),
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(schema, ident),
            sql.SQL("GRANT {} ON ALL TABLES IN SCHEMA {} TO {}").format(
                TABLE_RIGHTS, schema, ident
            ),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
                schema, ident
            ),
            # Tables the owner adds later (new migrations) get the same rights straight away.
            sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT {} ON TABLES TO {}").format(
                schema, TABLE_RIGHTS, ident
            ),
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT USAGE, SELECT ON SEQUENCES TO {}"
            ).format(schema, ident),
            # The audit trail: read and append, nothing else.
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(audit, ident),
        ]
        for statement in statements:
            cursor.execute(statement.as_string())


@contextmanager
def as_owner(owner_url: str, alias: str = DEFAULT_DB_ALIAS) -> Iterator[str]:
    """Point the connection at the owner role for the duration (migrations); yields the role the
    application normally connects as."""
    connection = connections[alias]
    original = dict(connection.settings_dict)
    owner = dj_database_url.parse(owner_url)
    connection.close()
    connection.settings_dict.update(
        {k: owner[k] for k in ("NAME", "USER", "PASSWORD", "HOST", "PORT") if k in owner}
    )
    try:
        yield str(original["USER"])
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
