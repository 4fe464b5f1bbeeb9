"""`vangnet seed --scale demo|national`: generated data; the logic is in vangnet.core.seeding."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vangnet.core.seeding import SeedError, demo, national
from vangnet.core.seeding.accounts import DEMO_PASSWORD, describe_roles


class Command(BaseCommand):
    help = (
        "Load generated data: --scale demo (one demo region with a login for every role) or "
        "--scale national (~1,000,000 youth over 39 regions, PostgreSQL only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["demo", "national"], default="demo")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove the existing demo (or national) data first and build it again.",
        )
        parser.add_argument(
            "--youth", type=int, help="Number of youth (demo: 300, national: 1,000,000)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            help="National scale: processes that generate rows (0 = none; default from CPUs).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["scale"] == "national":
                self._national(options)
            else:
                self._demo(options)
        except SeedError as exc:
            raise CommandError(str(exc)) from exc

    def _demo(self, options: dict[str, Any]) -> None:
        youth = options["youth"] or demo.DEFAULT_YOUTH
        result = demo.build_demo(reset=options["reset"], youth=youth)
        if result.created:
            counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
            self.stdout.write(
                self.style.SUCCESS(f"Demo region '{demo.REGION_NAME}' created: {counts}.")
            )
        else:
            self.stdout.write(
                f"Demo region '{demo.REGION_NAME}' already exists; nothing changed "
                "(use --reset to rebuild it)."
            )
        self._print_logins(result.logins)

    def _print_logins(self, logins: list[demo.Login]) -> None:
        if not logins:
            return
        width = max(len(login.email) for login in logins)
        roles_width = max(len(describe_roles(login.roles)) for login in logins)
        self.stdout.write("\nDemo logins (all with the same password):")
        self.stdout.write(f"  {'e-mail':<{width}}  {'role':<{roles_width}}  organisation (code)")
        for login in logins:
            self.stdout.write(
                f"  {login.email:<{width}}  {describe_roles(login.roles):<{roles_width}}  "
                f"{login.organisation} ({login.organisation_code})"
            )
        self.stdout.write(f"\nPassword: {DEMO_PASSWORD}")
        self.stdout.write(
            "Two-factor code: every account has a TOTP device; get its current code with\n"
            "  .venv/bin/vangnet demo_otp EMAIL      (demo mode only, VANGNET_DEMO=1)"
        )
        from vangnet.core.seeding.ddd_demo import DEMO_STUDENT_EMAIL

        self.stdout.write(
            f"Student portal (/leerling/inloggen/, password only): {DEMO_STUDENT_EMAIL}"
        )

    def _national(self, options: dict[str, Any]) -> None:
        started = time.perf_counter()
        result = national.build_national(
            youth=options["youth"] or national.DEFAULT_YOUTH,
            reset=options["reset"],
            workers=options["workers"],
            progress=lambda msg: self.stdout.write(f"  {msg}"),
        )
        elapsed = time.perf_counter() - started
        phases = ", ".join(f"{k} {v:.1f}s" for k, v in result.seconds.items() if k != "total")
        self.stdout.write(
            self.style.SUCCESS(
                f"National data loaded: {result.youth:,} youth, {result.enrolments:,} enrolments, "
                f"{result.regions} regions, {result.municipalities} municipalities, "
                f"{result.organisations} organisations, {result.users} accounts "
                f"in {elapsed:.1f}s ({phases})."
            )
        )
        self.stdout.write(
            f"Logins: {national.account_email('pro.gebruiker', 1)}, "
            f"{national.account_email('gemeente.consulent', 1)} (N01-N{national.REGION_COUNT}); "
            f"password {DEMO_PASSWORD}; code via `vangnet demo_otp EMAIL`."
        )
