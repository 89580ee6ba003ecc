from django.apps import AppConfig


class SafeZonesConfig(AppConfig):
    name = "safezones"
    verbose_name = "Safe Zones"
