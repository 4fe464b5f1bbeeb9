"""`vangnet import KIND FILE --organisation CODE [--dry-run] [--json] [--user EMAIL]
[--confirm-enrolled-elsewhere]`

Runs the same engine as the upload page: the whole file is checked first and only a file without
errors is applied, in one transaction. Exit status: 0 the file was valid (and applied unless
--dry-run), 1 the file has errors (nothing written), 2 unusable arguments (unknown kind, missing
file, unknown organisation or user).

Acting user: the person in --user (an active member of the organisation), otherwise the
organisation's first active beheerder (lowest id). Every change is audited under that account,
with a description naming the command line, and a real run appears in the organisation's import
history as source "command line".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from vangnet.accounts.models import Role, User
from vangnet.organisations.models import Organisation
from vangnet.transfers import services
from vangnet.transfers.domain import container
from vangnet.transfers.domain.columns import Kind
from vangnet.transfers.messages import problem_dict

EXIT_ERRORS = 1
EXIT_USAGE = 2


class Command(BaseCommand):
    help = "Import an Excel file of one kind for an organisation (checked first, then applied)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="One of: " + ", ".join(k.value for k in Kind))
        parser.add_argument("file", help="The .xlsx file")
        parser.add_argument("--organisation", required=True, help="Code of the school")
        parser.add_argument("--user", default="", help="E-mail of the acting user")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing")
        parser.add_argument(
            "--confirm-enrolled-elsewhere",
            action="store_true",
            help="Also enrol youth who are enrolled at another school (the web page's checkbox)",
        )
        parser.add_argument(
            "--json", action="store_true", help="Print exactly one JSON object with the report"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("nl"):
            self._handle(options)

    def _usage(self, options: dict[str, Any], message: str) -> None:
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "kind": options["kind"],
                        "rows": 0,
                        "created": 0,
                        "updated": 0,
                        "errors": [{"row": None, "column": "", "message": message}],
                    },
                    ensure_ascii=False,
                )
            )
        self.stderr.write(message)
        raise SystemExit(EXIT_USAGE)

    def _acting_user(self, options: dict[str, Any], school: Organisation) -> User:
        users = User.objects.filter(organisation=school, is_active=True)
        if options["user"]:
            user = users.filter(email__iexact=options["user"]).first()
            if user is None:
                self._usage(
                    options, _("No active user with this e-mail address at the organisation.")
                )
        else:
            user = users.filter(roles__role=Role.ADMIN).order_by("pk").first()
            if user is None:
                self._usage(
                    options,
                    _(
                        "The organisation has no active administrator; name the acting user with --user."
                    ),
                )
        assert user is not None
        return user

    def _handle(self, options: dict[str, Any]) -> None:
        kinds = [k.value for k in Kind]
        if options["kind"] not in kinds:
            self._usage(
                options,
                _("Unknown kind '%(kind)s'; choose one of: %(kinds)s.")
                % {"kind": options["kind"], "kinds": ", ".join(kinds)},
            )
        path = Path(options["file"])
        if not path.is_file():
            self._usage(options, _("The file %(file)s does not exist.") % {"file": path})
        school = Organisation.objects.filter(code=options["organisation"]).first()
        if school is None or not school.is_school:
            self._usage(
                options,
                _("No school with the code '%(code)s'.") % {"code": options["organisation"]},
            )
        assert school is not None
        user = self._acting_user(options, school)
        size_problem = container.check_size(path.stat().st_size)
        if size_problem is not None:
            report = services.Report(
                kind=options["kind"], errors=[problem_dict(size_problem)], error_total=1
            )
        else:
            try:
                data = path.read_bytes()
            except OSError:
                self._usage(options, _("The file %(file)s cannot be read.") % {"file": path})
            report = services.import_run(
                kind=options["kind"],
                data=data,
                file_name=path.name,
                school=school,
                acting_user=user,
                dry_run=options["dry_run"],
                confirm_elsewhere=options["confirm_enrolled_elsewhere"],
            )
        self._print(report, options)
        if not report.valid:
            raise SystemExit(EXIT_ERRORS)

    def _print(self, report: services.Report, options: dict[str, Any]) -> None:
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
            return
        dry = options["dry_run"]
        lines = [
            _("Rows read: %(n)s") % {"n": report.rows},
            (_("To create: %(n)s") if dry or not report.valid else _("Created: %(n)s"))
            % {"n": report.created},
            (_("To update: %(n)s") if dry or not report.valid else _("Updated: %(n)s"))
            % {"n": report.updated},
            _("Unchanged: %(n)s") % {"n": report.unchanged},
        ]
        if report.kind == Kind.STUDENT_LIST:
            lines.append(_("Already had an account (kept): %(n)s") % {"n": report.accounts})
        lines += report.notes
        for error in report.errors:
            lines.append(
                _("Row %(row)s, column %(column)s: %(message)s")
                % {
                    "row": error["row"] if error["row"] is not None else "-",
                    "column": error["column"] or "-",
                    "message": error["message"],
                }
            )
        if report.error_total > len(report.errors):
            lines.append(
                _("And %(n)s more errors.") % {"n": report.error_total - len(report.errors)}
            )
        if not report.valid:
            lines.append(_("Nothing has been changed."))
        elif dry:
            lines.append(_("Dry run: nothing has been changed."))
        self.stdout.write("\n".join(lines))
