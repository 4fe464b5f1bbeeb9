"""TRUNCATE empties a table without firing row triggers, so the append-only trigger of 0001 did not
stop it. A statement trigger now refuses it for everyone but a database superuser (who can switch
any trigger off anyway, and whom the test suite's flush between tests runs as)."""

from django.db import migrations

REFUSE_TRUNCATE_SQL = """
CREATE OR REPLACE FUNCTION vangnet_audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE EXCEPTION 'audit_auditevent is append-only: TRUNCATE refused';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditevent_refuse_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION vangnet_audit_refuse_truncate();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS audit_auditevent_refuse_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS vangnet_audit_refuse_truncate();
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_TRUNCATE_SQL)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(add_trigger, drop_trigger)]
