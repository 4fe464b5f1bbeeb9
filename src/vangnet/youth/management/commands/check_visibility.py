"""Compare the gemeente's visibility table (YouthRegion) with youth and enrolments."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from vangnet.youth.models import YouthRegion


class Command(BaseCommand):
    help = (
        "Check that YouthRegion holds exactly the regions of each youth's gemeente and schools; "
        "--fix rebuilds it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="Rebuild the table when it differs.")

    def handle(self, *args: Any, **options: Any) -> None:
        missing, superfluous = YouthRegion.objects.differences()
        if not missing and not superfluous:
            self.stdout.write("YouthRegion is exact.")
            return
        summary = f"YouthRegion differs: {len(missing)} missing, {len(superfluous)} superfluous."
        if not options["fix"]:
            raise CommandError(summary + " Run with --fix to rebuild it.")
        with transaction.atomic():
            YouthRegion.objects.rebuild()
        self.stdout.write(summary + " Rebuilt.")
