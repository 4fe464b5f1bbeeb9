"""`vangnet demo_otp EMAIL`: the current TOTP code of a demo account (demo mode only)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vangnet.core.seeding.accounts import DemoOtpError, current_demo_code


class Command(BaseCommand):
    help = "Print the current two-factor (TOTP) code of a demo account. Demo mode only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(current_demo_code(options["email"]))
        except DemoOtpError as exc:
            raise CommandError(str(exc)) from exc
