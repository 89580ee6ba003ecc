import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from safezones.accounts.actions import AccountError, create_user, grant_role
from safezones.accounts.models import User
from safezones.schools.models import Area, Role, School


class Command(BaseCommand):
    help = (
        "Create a staff account with a role, or add the role to an existing account. "
        "Prints a first password for a new account; the second factor is set up at first sign-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--school", help="school code, for site_staff and site_admin")
        scope.add_argument("--area", help="area code, for area_office")
        parser.add_argument("--name", default="")
        parser.add_argument("--password-stdin", action="store_true", help="read the first password from stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        school = self._find(School, options["school"], "school")
        area = self._find(Area, options["area"], "area")
        email = options["email"].strip().lower()
        user = User.objects.filter(email=email).first()
        password = None
        given = sys.stdin.readline().rstrip("\n") if options["password_stdin"] and user is None else None
        try:
            with transaction.atomic():  # a new account and its role, or neither
                if user is None:
                    user, password = create_user(None, "system", email=email, name=options["name"], password=given)
                grant_role(None, "system", user, options["role"], school=school, area=area)
        except (AccountError, ValidationError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{user.email}: {options['role']}" + (f" at {school or area}" if school or area else ""))
        if password and not options["password_stdin"]:
            self.stdout.write(f"First password (give it to the person once; they set up the second factor): {password}")

    def _find(self, model: type[School] | type[Area], code: str | None, label: str) -> Any:
        if code is None:
            return None
        found = model.objects.filter(code=code).first()
        if found is None:
            raise CommandError(f"No {label} with the code {code!r}.")
        return found
