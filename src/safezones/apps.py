from django.apps import AppConfig


class SafeZonesConfig(AppConfig):
    name = "safezones"
    verbose_name = "Safe Zones"

    def ready(self) -> None:
        from safezones import checks  # noqa: F401 - registers the system checks
