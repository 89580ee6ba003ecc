from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "safezones.vendors"
    label = "vendors"
