from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from vangnet.core.nightly import run_nightly


class Command(BaseCommand):
    help = "Run the nightly job (Celery beat runs it at 02:15 in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options) -> None:
        today = date.fromisoformat(options["date"]) if options.get("date") else None
        result = run_nightly(today=today)
        for key, value in result.items():
            self.stdout.write(f"{key}: {value}")
