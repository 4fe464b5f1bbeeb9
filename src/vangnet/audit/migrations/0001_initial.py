import django.utils.timezone
from django.db import migrations, models

APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION vangnet_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only: %% refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION vangnet_audit_append_only();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS vangnet_audit_append_only();
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="time (UTC)")),
                ("user_id", models.BigIntegerField(blank=True, null=True, verbose_name="user id")),
                ("user_email", models.CharField(blank=True, max_length=254, verbose_name="user")),
                ("organisation_id", models.BigIntegerField(blank=True, null=True, verbose_name="organisation id")),
                ("organisation_name", models.CharField(blank=True, max_length=200, verbose_name="organisation")),
                ("role", models.CharField(blank=True, max_length=30, verbose_name="role")),
                ("action", models.CharField(choices=[("view", "viewed"), ("search", "searched"), ("export", "exported"), ("create", "created"), ("update", "changed"), ("delete", "deleted"), ("login", "signed in"), ("login_failed", "sign-in failed"), ("logout", "signed out")], max_length=20, verbose_name="action")),
                ("youth_id", models.BigIntegerField(blank=True, null=True, verbose_name="youth id")),
                ("object_type", models.CharField(blank=True, max_length=60, verbose_name="record type")),
                ("object_id", models.CharField(blank=True, max_length=64, verbose_name="record id")),
                ("description", models.CharField(blank=True, max_length=300, verbose_name="description")),
                ("detail", models.JSONField(blank=True, default=dict, verbose_name="detail")),
                ("ip", models.GenericIPAddressField(blank=True, null=True, verbose_name="client address")),
            ],
            options={
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
                "ordering": ["-at", "-id"],
                "indexes": [
                    models.Index(fields=["youth_id", "-at"], name="audit_youth_at"),
                    models.Index(fields=["user_id", "-at"], name="audit_user_at"),
                ],
            },
        ),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
