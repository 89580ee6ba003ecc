from typing import Any

from django.core.management.base import BaseCommand

from safezones.schools.models import School


class Command(BaseCommand):
    help = "Print one school a line: code, name, area, languages (tab-separated)."

    def handle(self, *args: Any, **options: Any) -> None:
        for school in School.objects.select_related("area").order_by("code"):
            languages = ",".join(school.languages)
            self.stdout.write(f"{school.code}\t{school.name}\t{school.area.name}\t{languages}")
