"""`vangnet app_role [ROLE] [--create]`: give the application role its rights (run as the owner).

With --create the role is made when missing (password from VANGNET_DB_APP_PASSWORD). Uses
DATABASE_MIGRATE_URL when set, else DATABASE_URL, which must then be the owner.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from vangnet.audit.dbroles import DEFAULT_APP_ROLE, app_role_grant, as_owner


class Command(BaseCommand):
    help = (
        "Give the application's database role its rights: rows only, the audit trail append-only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", nargs="?", default="")
        parser.add_argument("--create", action="store_true", help="create the role when missing")

    def handle(self, *args: Any, **options: Any) -> None:
        owner_url = settings.DATABASE_MIGRATE_URL
        context = as_owner(owner_url) if owner_url else nullcontext(None)
        with context as app_user:
            role = options["role"] or app_user or DEFAULT_APP_ROLE
            try:
                app_role_grant(
                    connection=connections[DEFAULT_DB_ALIAS],
                    role=role,
                    create=options["create"],
                    password=os.environ.get("VANGNET_DB_APP_PASSWORD", ""),
                )
            except ImproperlyConfigured as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(f"Rights of the application role {role} are up to date.")
