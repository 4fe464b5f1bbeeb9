"""`vangnet migrate` as the owner role when DATABASE_MIGRATE_URL is set, then the grants.

The application itself connects with DATABASE_URL as a role that owns nothing (see
vangnet.audit.dbroles); only migrations need the owner.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS, connections

from vangnet.audit.dbroles import app_role_grant, as_owner


class Command(migrate.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        owner_url = settings.DATABASE_MIGRATE_URL
        if not owner_url or options["database"] != DEFAULT_DB_ALIAS:
            super().handle(*args, **options)
            return
        with as_owner(owner_url) as app_role:
            super().handle(*args, **options)
            app_role_grant(connection=connections[DEFAULT_DB_ALIAS], role=app_role)
            if options["verbosity"] >= 1:
                self.stdout.write(f"Rights of the application role {app_role} are up to date.")
