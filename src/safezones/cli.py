"""The `safezones` console command: Django's management commands under the
project's name, with hyphenated names (`list-schools`) for the ones people
type by hand.
"""

import os
import sys

from django.core.exceptions import ImproperlyConfigured


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safezones.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(args)
    except ImproperlyConfigured as error:
        # A setting from the environment is missing or malformed: say which, plainly.
        sys.stderr.write(f"Safe Zones cannot start: {error}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
